"""Alerts in the staff workspace.

Each part in its own section: saved searches with e-mail alerts (below), then webhooks.
"""

from django.contrib import admin
from django.contrib.admin import actions as admin_actions
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from extraditions.admin import WrittenByTheApplicationAdmin

from .forms import describe
from .listings import LISTINGS
from .models import AlertMail, RecordEvent, Subscription

# --- saved searches and e-mail alerts ------------------------------------------------------------
# Subscriptions hold e-mail addresses: editors and administrators only (extraditions/roles.py).
# Staff read them, change how often one is sent, and unsubscribe; they never add one, since only
# the address's owner can confirm it. What was sent, and the events alerts come from, are read-only.


class ConfirmedFilter(admin.SimpleListFilter):
    title = "confirmed"
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return (("yes", "Confirmed"), ("no", "Waiting for confirmation"))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(confirmed_at__isnull=self.value() == "no")
        return queryset


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("email", "listing", "query", "frequency", "confirmed", "created_at", "last_sent_at")
    list_filter = ("listing", "frequency", ConfirmedFilter)
    search_fields = ("email",)
    date_hierarchy = "created_at"
    fields = (
        "email", "listing", "query", "search", "frequency", "token", "created_at", "confirmation_sent_at", "confirmed_at",
        "last_event_id", "last_sent_at", "alert_mails",
    )
    readonly_fields = tuple(name for name in fields if name != "frequency")
    # Deleting is unsubscribing: the admin's own action (its page asks to confirm first, and posts
    # back under its name), under the name staff look for.
    actions = ("delete_selected",)

    def has_add_permission(self, request):
        return False

    @admin.action(description="Unsubscribe (delete)", permissions=["delete"])
    def delete_selected(self, request, queryset):
        return admin_actions.delete_selected(self, request, queryset)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Its alert mails go with it (read-only on their own, they would otherwise block it).
        perms_needed.discard(AlertMail._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    @admin.display(description="confirmed", boolean=True, ordering="confirmed_at")
    def confirmed(self, subscription):
        return subscription.is_confirmed

    @admin.display(description="search, in words")
    def search(self, subscription):
        return describe(LISTINGS[subscription.listing], subscription.query)

    @admin.display(description="alerts sent")
    def alert_mails(self, subscription):
        count = subscription.mails.count()
        url = reverse("admin:alerts_alertmail_changelist") + f"?subscription__id__exact={subscription.pk}"
        return format_html('<a href="{}">{} alert mail{}</a>', url, count, "" if count == 1 else "s")


@admin.register(AlertMail)
class AlertMailAdmin(WrittenByTheApplicationAdmin):
    list_display = ("created_at", "subscription", "records", "up_to_event", "sent_at")
    list_filter = (("sent_at", admin.EmptyFieldListFilter),)
    search_fields = ("subscription__email",)
    date_hierarchy = "created_at"
    list_select_related = ("subscription",)
    fields = ("subscription", "records", "up_to_event", "created_at", "sent_at")
    readonly_fields = fields


@admin.register(RecordEvent)
class RecordEventAdmin(WrittenByTheApplicationAdmin):
    list_display = ("occurred_at", "action", "listing", "object_id", "record")
    list_filter = ("action", "listing")
    search_fields = ("record_uid",)
    date_hierarchy = "occurred_at"
    fields = ("occurred_at", "action", "listing", "object_id", "record")
    readonly_fields = fields

    @admin.display(description="record")
    def record(self, event):
        """The record's page in the workspace, named by its stable UUID (a withdrawn record may be gone)."""
        opts = LISTINGS[event.listing].model._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[event.object_id])
        except NoReverseMatch:
            return str(event.record_uid)
        return format_html('<a href="{}">{}</a>', url, event.record_uid)

from . import admin_webhooks  # noqa: E402,F401  (the webhooks' pages, for administrators)
