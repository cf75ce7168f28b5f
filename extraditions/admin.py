"""Shared admin building blocks: history, partial-date columns, citations, publication."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from simple_history.admin import SimpleHistoryAdmin

from sources.models import Citation

from .models import PublicationStatus, Visibility

admin.site.site_header = "Extraditions tracker — staff workspace"
admin.site.site_title = "Extraditions tracker"
admin.site.index_title = "Cases, persons, treaties and sources"


def partial_date_column(prop: str, label: str, date_field: str | None = None):
    """A list column showing a partial date at its precision, sortable by the stored date."""

    @admin.display(description=label, ordering=date_field or f"{prop}_on")
    def column(obj):
        value = getattr(obj, prop)
        return str(value) if value else "—"

    column.__name__ = f"{prop}_display"
    return column


class CitationInline(GenericTabularInline):
    model = Citation
    ct_field = "content_type"
    ct_fk_field = "object_id"
    fields = ("source", "locator", "locator_kind", "note")
    autocomplete_fields = ("source",)
    extra = 0


class BaseAdmin(SimpleHistoryAdmin):
    """History (who changed what, when, with revert) and read-only bookkeeping on every model."""

    readonly_fields = ("uid", "created_at", "updated_at")
    list_per_page = 50


class CitableAdmin(BaseAdmin):
    inlines = [CitationInline]


PUBLICATION_FIELDSET = ("Publication", {"fields": (("publication_status", "visibility"),)})
BOOKKEEPING_FIELDSET = ("Record", {"fields": ("uid", ("created_at", "updated_at")), "classes": ("collapse",)})


class PublishableAdmin(CitableAdmin):
    """Publication status and visibility as list filters and bulk actions."""

    list_filter = ("publication_status", "visibility")
    actions = ("submit_for_review", "publish", "unpublish", "restrict", "make_public")

    def _set(self, request, queryset, message, **values):
        # Saved one by one so that history records each change and its author.
        for obj in queryset:
            for field, value in values.items():
                setattr(obj, field, value)
            obj.save(update_fields=[*values, "updated_at"])
        self.message_user(request, f"{queryset.count()} record(s) {message}.")

    @admin.action(description="Submit selected for review")
    def submit_for_review(self, request, queryset):
        self._set(request, queryset, "submitted for review", publication_status=PublicationStatus.IN_REVIEW)

    @admin.action(description="Publish selected")
    def publish(self, request, queryset):
        self._set(request, queryset, "published", publication_status=PublicationStatus.PUBLISHED)

    @admin.action(description="Unpublish selected (back to draft)")
    def unpublish(self, request, queryset):
        self._set(request, queryset, "returned to draft", publication_status=PublicationStatus.DRAFT)

    @admin.action(description="Restrict selected")
    def restrict(self, request, queryset):
        self._set(request, queryset, "restricted", visibility=Visibility.RESTRICTED)

    @admin.action(description="Make selected public (unrestrict)")
    def make_public(self, request, queryset):
        self._set(request, queryset, "made public", visibility=Visibility.PUBLIC)
