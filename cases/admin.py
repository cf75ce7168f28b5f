from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from import_export.admin import ImportMixin as BaseImportMixin
from import_export.formats.base_formats import CSV, XLSX

from extraditions.admin import (
    BOOKKEEPING_FIELDSET,
    PUBLICATION_FIELDSET,
    BaseAdmin,
    CitableAdmin,
    CitationInline,
    PublishableAdmin,
    PublishableForm,
    PublishableInlineMixin,
    partial_date_column,
)
from extraditions.forms import PartialDateInlineMixin
from extraditions.search.backends import matching_keys

from . import resources
from .merge import merge_persons
from .models import (
    Affiliation,
    Alias,
    Breach,
    Case,
    CaseEvent,
    CaseParticipant,
    CourtRuling,
    Detention,
    DiplomaticAssurance,
    ExtraditionRequest,
    InterpolNotice,
    LegalProvision,
    Person,
)
from .search import find_persons, likely_duplicates


class ImportMixin(BaseImportMixin):
    """Bulk import from CSV or XLSX with a preview; see cases/resources.py for the columns."""

    import_formats = [CSV, XLSX]


# --- inlines: everything a researcher enters from a case or person page ---------------------


class AliasInline(admin.TabularInline):
    model = Alias
    fields = ("name", "script", "kind", "source", "note")
    autocomplete_fields = ("source",)
    extra = 0


class ParticipantInline(admin.TabularInline):
    model = CaseParticipant
    fields = ("person", "role")
    autocomplete_fields = ("person",)
    extra = 0


class DetentionInline(PartialDateInlineMixin, admin.TabularInline):
    model = Detention
    fields = ("person", "started", "ended", "place", "conditions")
    autocomplete_fields = ("person",)
    extra = 0


class CaseEventInline(PartialDateInlineMixin, admin.TabularInline):
    model = CaseEvent
    fields = ("occurred", "kind", "person", "description")
    autocomplete_fields = ("person",)
    extra = 0


class ExtraditionRequestInline(PartialDateInlineMixin, admin.StackedInline):
    model = ExtraditionRequest
    fields = (("requested", "requesting_authority"), ("legal_basis", "treaty", "convention"),
              "offences", ("decision", "decided", "deciding_body"))
    autocomplete_fields = ("treaty",)
    extra = 0


class CourtRulingInline(PublishableInlineMixin, PartialDateInlineMixin, admin.StackedInline):
    model = CourtRuling
    fields = (("court", "country", "international_body"), ("level", "decided", "decision"),
              "grounds", ("assurance_assessment", "docket_number", "language"), "summary", "slug",
              ("publication_status", "visibility"))
    autocomplete_fields = ("grounds",)
    show_change_link = True
    extra = 0


class AssuranceInline(PartialDateInlineMixin, admin.StackedInline):
    model = DiplomaticAssurance
    fields = (("given", "giver"),
              ("promises_no_death_penalty", "promises_no_torture", "promises_fair_trial", "promises_consular_access",
               "promises_monitoring"),
              "other_promises", ("accepted_by_host", "assessed_by", "compliance"), "breach_detail")
    autocomplete_fields = ("assessed_by",)
    show_change_link = True
    extra = 0


# --- persons ---------------------------------------------------------------------------------


@admin.register(Affiliation)
class AffiliationAdmin(BaseAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class PersonAdminForm(PublishableForm):
    """On a new person: refuse to save a likely duplicate until the researcher says it is not one."""

    confirm_not_duplicate = forms.BooleanField(
        required=False,
        label="I checked the likely duplicates: this is a different person",
        help_text="Shown when the names match persons already recorded.",
    )

    class Meta:
        model = Person
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("confirm_not_duplicate"):
            duplicates = likely_duplicates([cleaned.get("name"), cleaned.get("name_original")])
            if duplicates:
                items = format_html_join(
                    "",
                    "<li><a href='{}' target='_blank'>{}</a>: {}</li>",
                    (
                        (reverse("admin:cases_person_change", args=[d["person"].pk]), d["person"], "; ".join(d["reasons"]))
                        for d in duplicates
                    ),
                )
                raise forms.ValidationError(
                    format_html(
                        "This person may already be recorded:<ul>{}</ul>Open them to check; if this is a "
                        "different person, tick the box below and save again. If it is the same person, "
                        "add what you know to the existing record instead (or merge the two from the list).",
                        items,
                    )
                )
        return cleaned


@admin.register(Person)
class PersonAdmin(ImportMixin, PublishableAdmin):
    form = PersonAdminForm
    resource_classes = [resources.PersonResource]
    list_display = ("name", "name_original", "citizenship_list", "current_situation", "is_pseudonym",
                    "publication_status", "visibility")
    list_filter = ("current_situation", "affiliations", "is_pseudonym", "is_unnamed", "asylum_status",
                   *PublishableAdmin.list_filter)
    search_fields = ("name", "name_original", "aliases__name", "slug")
    search_help_text = "Any name or alias, in any script or in pinyin; misspellings find close names too."
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("affiliations",)
    inlines = [AliasInline, CitationInline]
    actions = (*PublishableAdmin.actions, "merge")
    fieldsets = (
        (None, {"fields": (("name", "slug"), ("name_original", "original_script"), ("is_pseudonym", "is_unnamed"),
                           "citizenships", "affiliations", "occupation")}),
        ("Asylum and situation", {"fields": (("asylum_status", "asylum_country", "asylum_by_unhcr"),
                                             "asylum_since_date", "current_situation")}),
        (None, {"fields": ("biography",)}),
        ("Publication", {"fields": (("publication_status", "visibility", "visibility_decided"),)}),
        BOOKKEEPING_FIELDSET,
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return ((None, {"fields": ("confirm_not_duplicate",)}), *fieldsets)
        return fieldsets

    def also_found(self, request, search_term):
        # The name search (scripts, pinyin, misspellings) besides the plain text search.
        return [match.person_id for match in find_persons(search_term, request.user)]

    @admin.display(description="Citizenships")
    def citizenship_list(self, obj):
        return ", ".join(country.code for country in obj.citizenships) or "—"

    @admin.action(description="Merge the two selected records of one person", permissions=["merge"])
    def merge(self, request, queryset):
        persons = list(queryset.order_by("created_at"))
        if len(persons) != 2:
            self.message_user(request, "Select exactly two records of the same person to merge.", messages.ERROR)
            return None
        if "survivor" in request.POST:
            survivor = next((p for p in persons if str(p.pk) == request.POST["survivor"]), None)
            if survivor is None:
                self.message_user(request, "Choose which record to keep.", messages.ERROR)
                return None
            duplicate = persons[1] if survivor is persons[0] else persons[0]
            try:
                moved = merge_persons(survivor, duplicate)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None
            summary = ", ".join(f"{count} {what}" for what, count in sorted(moved.items())) or "nothing else"
            self.message_user(request, f"Merged {duplicate.name} into {survivor.name}: {summary} moved.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge two records of one person",
            "persons": persons,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/cases/person/merge.html", context)

    def has_merge_permission(self, request):
        return request.user.has_perm("cases.merge_person")


@admin.register(Alias)
class AliasAdmin(BaseAdmin):
    list_display = ("name", "person", "script", "kind", "source")
    list_filter = ("script", "kind")
    search_fields = ("name", "person__name")
    autocomplete_fields = ("person", "source")
    list_select_related = ("person", "source")


# --- cases -----------------------------------------------------------------------------------


@admin.register(Case)
class CaseAdmin(ImportMixin, PublishableAdmin):
    list_display = ("title", "kind", "host_country", "requesting_state", partial_date_column("started", "Started"),
                    "outcome", "publication_status", "visibility")
    list_filter = ("kind", "outcome", "charge_category", "requesting_state", "host_country",
                   *PublishableAdmin.list_filter)
    search_fields = ("title", "slug", "summary", "charges", "persons__name", "persons__aliases__name")
    date_hierarchy = "started_on"
    resource_classes = [resources.CaseResource]
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("treaty",)
    inlines = [ParticipantInline, DetentionInline, CaseEventInline, ExtraditionRequestInline, CourtRulingInline,
               AssuranceInline, CitationInline]
    fieldsets = (
        (None, {"fields": (("title", "slug"), ("kind", "requesting_state", "host_country"),
                           "started", "treaty")}),
        ("Group", {"fields": ("group_size", "group_description")}),
        ("Charges and outcome", {"fields": (("charges", "charge_category"), "outcome", ("aftermath", "aftermath_detail"))}),
        (None, {"fields": ("summary",)}),
        PUBLICATION_FIELDSET,
        BOOKKEEPING_FIELDSET,
    )


@admin.register(Detention)
class DetentionAdmin(CitableAdmin):
    list_display = ("__str__", "case", partial_date_column("started", "Start"), partial_date_column("ended", "End"),
                    "duration_days", "place")
    search_fields = ("case__title", "person__name", "place")
    autocomplete_fields = ("case", "person")
    list_select_related = ("case", "person")


@admin.register(CaseEvent)
class CaseEventAdmin(CitableAdmin):
    list_display = ("case", partial_date_column("occurred", "Date"), "kind", "description")
    list_filter = ("kind",)
    search_fields = ("case__title", "description")
    autocomplete_fields = ("case", "person")
    list_select_related = ("case",)


@admin.register(ExtraditionRequest)
class ExtraditionRequestAdmin(CitableAdmin):
    list_display = ("case", partial_date_column("requested", "Requested"), "legal_basis", "decision",
                    partial_date_column("decided", "Decided"), "deciding_body")
    list_filter = ("legal_basis", "decision")
    search_fields = ("case__title", "offences", "deciding_body", "requesting_authority")
    autocomplete_fields = ("case", "treaty")
    list_select_related = ("case",)


@admin.register(InterpolNotice)
class InterpolNoticeAdmin(ImportMixin, PublishableAdmin):
    list_display = ("__str__", "kind", "requesting_bureau", partial_date_column("issued", "Issued"), "status",
                    "is_public", "publication_status", "visibility")
    list_filter = ("kind", "status", "requesting_bureau", "cancellation_reason", *PublishableAdmin.list_filter)
    search_fields = ("subject__name", "subject__aliases__name", "subject_description", "notes")
    date_hierarchy = "issued_on"
    resource_classes = [resources.InterpolNoticeResource]
    autocomplete_fields = ("subject", "cases")
    list_select_related = ("subject",)
    fieldsets = (
        (None, {"fields": ("kind", ("subject", "subject_description"), "requesting_bureau",
                           "issued", "is_public")}),
        ("Status", {"fields": ("status", "cancelled", "cancellation_reason")}),
        (None, {"fields": ("cases", "notes")}),
        PUBLICATION_FIELDSET,
        BOOKKEEPING_FIELDSET,
    )


@admin.register(LegalProvision)
class LegalProvisionAdmin(BaseAdmin):
    list_display = ("__str__", "instrument", "article", "title", "country")
    list_filter = ("instrument",)
    search_fields = ("instrument_name", "article", "title", "slug", "vocabulary")


class CourtRulingAdminForm(PublishableForm):
    def clean_relies_on(self):
        rulings = self.cleaned_data["relies_on"]
        if self.instance.pk is not None and rulings.filter(pk=self.instance.pk).exists():
            raise ValidationError("A ruling cannot rely on itself.")
        return rulings


@admin.register(CourtRuling)
class CourtRulingAdmin(PublishableAdmin):
    form = CourtRulingAdminForm
    list_display = ("court", "case", partial_date_column("decided", "Decided"), "level", "decision",
                    "assurance_assessment", "publication_status", "visibility")
    list_filter = ("decision", "level", "assurance_assessment", "grounds", "country", *PublishableAdmin.list_filter)
    search_fields = ("court", "docket_number", "parties", "ecli", "summary", "case__title", "case__persons__name")
    date_hierarchy = "decided_on"
    prepopulated_fields = {"slug": ("court",)}
    autocomplete_fields = ("case", "grounds", "reviews", "relies_on")
    list_select_related = ("case",)
    fieldsets = (
        (None, {"fields": ("case", ("court", "slug"), ("country", "international_body"), "level",
                           "decided", "decision", ("docket_number", "parties"), "ecli")}),
        ("Appeal chain and authorities", {"fields": (("reviews", "review_outcome"), "relies_on")}),
        ("Reasoning", {"fields": ("grounds", "assurance_assessment", "summary")}),
        ("Full text", {"fields": ("language", "full_text"), "classes": ("collapse",)}),
        PUBLICATION_FIELDSET,
        BOOKKEEPING_FIELDSET,
    )

    def also_found(self, request, search_term):
        # The full-text search: grounds as written ("ECHR art. 3", "Art. 3 EMRK"), stems, full texts.
        return matching_keys(CourtRuling, search_term)


@admin.register(DiplomaticAssurance)
class DiplomaticAssuranceAdmin(CitableAdmin):
    list_display = ("__str__", "case", partial_date_column("given", "Given"), "accepted_by_host", "compliance")
    list_filter = ("compliance", "accepted_by_host", "promises_no_death_penalty", "promises_no_torture",
                   "promises_fair_trial", "promises_consular_access")
    search_fields = ("case__title", "giver", "other_promises", "breach_detail")
    autocomplete_fields = ("case", "assessed_by")
    list_select_related = ("case",)


@admin.register(Breach)
class BreachAdmin(CitableAdmin):
    list_display = ("__str__", "kind", partial_date_column("occurred", "Date"), "by_whom", "treaty", "provision", "case",
                    "person")
    list_filter = ("kind",)
    search_fields = ("description", "by_whom", "treaty__title", "case__title", "person__name")
    autocomplete_fields = ("treaty", "assurance", "provision", "case", "person")
    list_select_related = ("treaty", "provision", "case", "person")
