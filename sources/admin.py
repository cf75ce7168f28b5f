from django.contrib import admin
from django.utils.html import format_html

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
    readonly_fields = (*PublishableAdmin.readonly_fields, "sha256", "document_text")
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", ("author", "publisher"), "published",
                           "language")}),
        ("Where to find it", {"fields": ("url", "archived_url", "file", "document_text", "sha256")}),
        (None, {"fields": ("notes",)}),
        PUBLICATION_FIELDSET,
        BOOKKEEPING_FIELDSET,
    )
    inlines = []  # a source is what others cite; citations of it are listed under Citations

    @admin.display(description="Text of the document")
    def document_text(self, source):
        """What was read of the attached file: a researcher sees at once that a scan holds no text."""
        if not source.file:
            return "No file attached."
        if not source.has_text:
            return f"A {source.document_kind}: no text is read from this kind of file."
        blank = source.pages.filter(text="").count()
        read = source.page_count - blank
        summary = f"{read} of {source.page_count} page{'s' if source.page_count != 1 else ''} with text"
        if source.media_type != "application/pdf":
            summary = "Text read" if read else "No text found"
        warning = " — pages without text are probably scanned images: attach a copy with a text layer (OCR)" if blank else ""
        return format_html('{}{}. <a href="{}">Search it on its page</a>', summary, warning, source.get_absolute_url())


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
