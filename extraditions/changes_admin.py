"""Pending changes in the staff workspace: every member of staff reads them; editors approve or reject."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils.html import format_html, format_html_join

from .admin import WrittenByTheApplicationAdmin
from .changes import PendingChange, PendingChangeStatus, StaleChange, may_change_public_view
from .visibility import is_staff_session


@admin.register(PendingChange)
class PendingChangeAdmin(WrittenByTheApplicationAdmin):
    list_display = ("summary", "author", "created_at", "status", "decided_by", "decided_at")
    list_filter = ("status",)
    search_fields = ("summary", "author__username")
    date_hierarchy = "created_at"
    fields = ("summary", "author", "created_at", "status", "decided_by", "decided_at", "decision_note", "difference")
    readonly_fields = fields
    actions = ("approve", "reject")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "decided_by")

    @admin.display(description="What would change")
    def difference(self, obj):
        rows = []
        for row in obj.differences():
            changes = format_html_join(
                "", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                ((c["field"], _shown(c["before"]), _shown(c["after"])) for c in row["fields"]),
            )
            rows.append(format_html(
                "<h3>{} {} (id {})</h3><table><thead><tr><th>field</th><th>approved version</th>"
                "<th>proposed</th></tr></thead><tbody>{}</tbody></table>",
                row["action"], row["model"], row["id"], changes,
            ))
        return format_html_join("", "{}", ((r,) for r in rows))

    # Every member of staff reads the queue; editors decide with the actions.
    def has_module_permission(self, request):
        return is_staff_session(request.user)

    def has_view_permission(self, request, obj=None):
        return is_staff_session(request.user)

    def get_actions(self, request, *args, **kwargs):
        actions = super().get_actions(request, *args, **kwargs)
        if not may_change_public_view(request.user):
            actions.pop("approve", None)
            actions.pop("reject", None)
        return actions

    @admin.action(description="Approve the selected changes (the public sees them)")
    def approve(self, request, queryset):
        self._decide(request, queryset, PendingChange.approve, "approved")

    @admin.action(description="Reject the selected changes")
    def reject(self, request, queryset):
        self._decide(request, queryset, PendingChange.reject, "rejected")

    def _decide(self, request, queryset, decide, verb: str) -> None:
        done = 0
        for change in queryset.filter(status=PendingChangeStatus.PENDING).order_by("created_at"):
            try:
                decide(change, request.user)
                done += 1
            except (StaleChange, PermissionDenied) as error:
                self.message_user(request, f"{change}: {error}", messages.ERROR)
            except (ValidationError, IntegrityError) as error:  # a row no longer valid: say which, keep going
                self.message_user(request, f"{change}: could not be applied ({error})", messages.ERROR)
        if done:
            self.message_user(request, f"{done} change(s) {verb}.", messages.SUCCESS)


def _shown(value):
    return "—" if value in (None, "", []) else value
