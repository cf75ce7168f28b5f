from django.contrib import admin

from extraditions.admin import (
    BOOKKEEPING_FIELDSET,
    PUBLICATION_FIELDSET,
    BaseAdmin,
    PublishableAdmin,
    partial_date_column,
)

from .models import Citation, ReportedFigure, Source


@admin.register(Source)
class SourceAdmin(PublishableAdmin):
    list_display = ("title", "kind", "publisher", partial_date_column("published", "Published"), "language",
                    "publication_status", "visibility")
    list_filter = ("kind", "language", *PublishableAdmin.list_filter)
    search_fields = ("title", "author", "publisher", "url", "slug")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = (*PublishableAdmin.readonly_fields, "sha256")
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", ("author", "publisher"), "published",
                           "language")}),
        ("Where to find it", {"fields": ("url", "archived_url", "file", "sha256")}),
        (None, {"fields": ("notes",)}),
        PUBLICATION_FIELDSET,
        BOOKKEEPING_FIELDSET,
    )
    inlines = []  # a source is what others cite; citations of it are listed under Citations


@admin.register(Citation)
class CitationAdmin(BaseAdmin):
    list_display = ("source", "locator", "content_type", "record")
    list_filter = ("content_type",)
    search_fields = ("source__title", "locator", "note")
    autocomplete_fields = ("source",)
    list_select_related = ("source", "content_type")


@admin.register(ReportedFigure)
class ReportedFigureAdmin(PublishableAdmin):
    list_display = ("metric", "metric_detail", "scope_country", "scope_label", "period_label", "value_label",
                    "qualifier", "publication_status")
    list_filter = ("metric", "qualifier", "unit", *PublishableAdmin.list_filter)
    search_fields = ("metric_detail", "scope_label", "notes")
    fieldsets = (
        (None, {"fields": (("metric", "metric_detail"), ("scope_country", "scope_label"), ("year_from", "year_to"),
                           "as_of_date", ("value", "value_high"), ("unit", "qualifier"), "notes")}),
        PUBLICATION_FIELDSET,
        BOOKKEEPING_FIELDSET,
    )
