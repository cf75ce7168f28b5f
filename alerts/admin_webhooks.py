"""Webhooks in the staff workspace, for administrators (the role has their permissions): every
member of staff's hooks with their failures, each hook's recent deliveries with the receiver's
answers; hooks are registered through the API (their secret is shown there, once)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from extraditions.admin import WrittenByTheApplicationAdmin
from extraditions.jobs import after_commit

from .models import Webhook, WebhookDelivery
from .tasks import deliver_webhook
from .webhooks import reenable, send_again

RECENT_DELIVERIES = 20


def enqueue(delivery_ids) -> int:
    for delivery_id in delivery_ids:
        after_commit(deliver_webhook, delivery_id)
    return len(delivery_ids)


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "url", "is_active", "failures_in_a_row", "disabled_reason", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "url", "owner__username")
    list_select_related = ("owner",)
    fields = ("name", "owner", "url", "actions", "listings", "is_active", "failures_in_a_row", "disabled_at",
              "disabled_reason", "created_at", "updated_at", "recent_deliveries")
    readonly_fields = fields
    actions = ("reenable_hooks", "send_pending")

    def has_add_permission(self, request):
        return False  # registered through the API, which shows the secret once

    @admin.display(description="deliveries")
    def recent_deliveries(self, hook):
        """The last ones with the receiver's answers, and a link to all of them."""
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (d.created_at.strftime("%Y-%m-%d %H:%M:%S"), d.event, d.get_status_display(), d.attempts,
                 d.response_status or "", d.error, d.response_body[:200])
                for d in hook.deliveries.select_related("event")[:RECENT_DELIVERIES]
            ),
        )
        url = reverse("admin:alerts_webhookdelivery_changelist") + f"?webhook__id__exact={hook.pk}"
        return format_html(
            "<table><thead><tr><th>planned</th><th>event</th><th>status</th><th>attempts</th><th>answer</th>"
            '<th>error</th><th>answer\'s start</th></tr></thead><tbody>{}</tbody></table><p><a href="{}">All {} deliveries</a></p>',
            rows, url, hook.deliveries.count(),
        )

    @admin.action(description="Re-enable the selected hooks (and send what waited)", permissions=["change"])
    def reenable_hooks(self, request, queryset):
        sent = sum(enqueue(reenable(hook)) for hook in queryset.filter(is_active=False))
        self.message_user(request, f"Hooks re-enabled; {sent} waiting deliveries queued.")

    @admin.action(description="Send their pending deliveries again", permissions=["change"])
    def send_pending(self, request, queryset):
        pending = WebhookDelivery.objects.filter(
            webhook__in=queryset.filter(is_active=True), status=WebhookDelivery.Status.PENDING
        )
        self.message_user(request, f"{enqueue(send_again(pending))} pending deliveries queued.")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(WrittenByTheApplicationAdmin):
    list_display = ("created_at", "webhook", "event", "status", "attempts", "response_status", "error", "delivered_at")
    list_filter = ("status", "webhook")
    search_fields = ("delivery_id", "webhook__name", "error")
    date_hierarchy = "created_at"
    list_select_related = ("webhook", "event")
    fields = ("webhook", "delivery_id", "event", "status", "attempts", "next_attempt_at", "carried_content",
              "response_status", "response_body", "error", "created_at", "delivered_at")
    readonly_fields = fields
    actions = ("send_selected",)

    def has_change_permission(self, request, obj=None):
        return obj is None and request.user.has_perm("alerts.change_webhookdelivery")  # the action, not the form

    @admin.action(description="Send the selected deliveries again (pending or failed)", permissions=["change"])
    def send_selected(self, request, queryset):
        self.message_user(request, f"{enqueue(send_again(queryset.filter(webhook__is_active=True)))} deliveries queued.")
