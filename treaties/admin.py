from django.contrib import admin
from django.utils import timezone

from extraditions.admin import (
    BOOKKEEPING_FIELDSET,
    PUBLICATION_FIELDSET,
    CitableAdmin,
    CitationInline,
    PublishableAdmin,
    partial_date_column,
)
from extraditions.forms import PartialDateInlineMixin

from .models import Treaty, TreatyStep
from .status import TreatyStatus


class StatusTodayFilter(admin.SimpleListFilter):
    title = "status today"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return TreatyStatus.choices

    def queryset(self, request, queryset):
        return queryset.status_on(self.value(), timezone.localdate()) if self.value() else queryset


class TreatyStepInline(PartialDateInlineMixin, admin.TabularInline):
    model = TreatyStep
    fields = ("occurred", "kind", "description")
    extra = 0


@admin.register(Treaty)
class TreatyAdmin(PublishableAdmin):
    list_display = ("counterpart", "kind", "china_party", partial_date_column("signed", "Signed"),
                    partial_date_column("in_force", "In force"), "status_today", "publication_status")
    list_filter = (StatusTodayFilter, "kind", "china_party", *PublishableAdmin.list_filter)
    search_fields = ("title", "counterpart", "slug", "notes")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [TreatyStepInline, CitationInline]
    fieldsets = (
        (None, {"fields": ("title", "slug", ("kind", "china_party", "counterpart", "counterpart_organisation"))}),
        ("Steps", {"fields": (
            "signed",
            "china_approved",
            "counterpart_ratified",
            "in_force",
            "suspended",
            "terminated",
        )}),
        ("Undated steps known from evidence", {
            "description": "Only where no source dates the step: the date of the evidence and how strong it is.",
            "fields": (("known_signed", "known_signed_evidence"), ("known_in_force", "known_in_force_evidence")),
        }),
        ("Notable provisions", {"fields": (("simplified_procedure", "death_penalty_refusal"),
                                           ("political_offence_exception", "nationals_refusal"))}),
        (None, {"fields": ("notes",)}),
        PUBLICATION_FIELDSET,
        BOOKKEEPING_FIELDSET,
    )

    @admin.display(description="Status today")
    def status_today(self, obj):
        return obj.current_status.label


@admin.register(TreatyStep)
class TreatyStepAdmin(CitableAdmin):
    list_display = ("treaty", "kind", partial_date_column("occurred", "Date"))
    list_filter = ("kind",)
    search_fields = ("treaty__title", "description")
    autocomplete_fields = ("treaty",)
    list_select_related = ("treaty",)
