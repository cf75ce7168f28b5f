"""Filters and facets of persons, cases and what happens in them, for the API and the site."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from cases import models as m
from extraditions.filtering import (
    BooleanFilter,
    ChoiceFilter,
    CountryCodeFilter,
    Facet,
    RecordFilterSet,
    StableIdFilter,
    choice,
    date_range,
    year,
)


class HasRedNoticeFilter(BooleanFilter):
    """Whether a Red Notice the user may see is linked (``notice_link`` names the link from a notice)."""

    def __init__(self, *args, notice_link: str, **kwargs):
        self.notice_link = notice_link
        kwargs.setdefault("help_text", "true: with a Red Notice; false: without one.")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        notices = m.InterpolNotice.objects.visible_to(self.parent.user).filter(
            kind=m.NoticeKind.RED_NOTICE, **{self.notice_link: OuterRef("pk")}
        )
        return qs.filter(Exists(notices) if value else ~Exists(notices))


class AffiliationFilterSet(RecordFilterSet):
    class Meta:
        model = m.Affiliation
        fields = []


class PersonFilterSet(RecordFilterSet):
    citizenship = CountryCodeFilter(field_name="citizenships", contains=True)
    affiliation = StableIdFilter(field_name="affiliations__slug", help_text="Group or affiliation, e.g. uyghur.")
    current_situation = choice(m.Person, "current_situation")
    asylum_status = choice(m.Person, "asylum_status")
    asylum_country = CountryCodeFilter(field_name="asylum_country")
    is_pseudonym = BooleanFilter()
    is_unnamed = BooleanFilter()
    case = StableIdFilter(field_name="cases__slug")
    host_country = CountryCodeFilter(field_name="cases__host_country", help_text="Country where a case took place.")
    case_kind = choice(m.Person, "cases__kind")
    has_red_notice = HasRedNoticeFilter(notice_link="subject")

    facets = {
        "current_situation": Facet.choice(m.Person, "current_situation"),
        "asylum_status": Facet.choice(m.Person, "asylum_status"),
        "asylum_country": Facet.country("asylum_country"),
        "affiliation": Facet.related("affiliations__slug", m.Affiliation),
    }

    class Meta:
        model = m.Person
        fields = []


class AliasFilterSet(RecordFilterSet):
    person = StableIdFilter(field_name="person__slug")
    script = choice(m.Alias, "script")
    kind = choice(m.Alias, "kind")

    facets = {"script": Facet.choice(m.Alias, "script"), "kind": Facet.choice(m.Alias, "kind")}

    class Meta:
        model = m.Alias
        fields = []


class CaseFilterSet(RecordFilterSet):
    kind = choice(m.Case, "kind")
    outcome = choice(m.Case, "outcome")
    host_country = CountryCodeFilter(field_name="host_country")
    requesting_state = choice(m.Case, "requesting_state")
    charge_category = choice(m.Case, "charge_category")
    aftermath = choice(m.Case, "aftermath")
    person = StableIdFilter(field_name="persons__slug")
    citizenship = CountryCodeFilter(field_name="persons__citizenships", contains=True, help_text="Citizenship of a person in the case.")
    affiliation = StableIdFilter(field_name="persons__affiliations__slug", help_text="Group or affiliation of a person in the case.")
    treaty = StableIdFilter(field_name="treaty__slug")
    has_red_notice = HasRedNoticeFilter(notice_link="cases")
    started_after, started_before = date_range("started_on")
    started_year = year("started_on")

    facets = {
        "kind": Facet.choice(m.Case, "kind"),
        "outcome": Facet.choice(m.Case, "outcome"),
        "host_country": Facet.country("host_country"),
        "requesting_state": Facet.choice(m.Case, "requesting_state"),
        "charge_category": Facet.choice(m.Case, "charge_category"),
        "started_year": Facet.year("started_on"),
    }

    class Meta:
        model = m.Case
        fields = []


class CaseParticipantFilterSet(RecordFilterSet):
    case = StableIdFilter(field_name="case__slug")
    person = StableIdFilter(field_name="person__slug")
    role = choice(m.CaseParticipant, "role")

    facets = {"role": Facet.choice(m.CaseParticipant, "role")}

    class Meta:
        model = m.CaseParticipant
        fields = []


class CaseChildFilterSet(RecordFilterSet):
    """Filters for records inside a case: by the case, its country and its kind."""

    case = StableIdFilter(field_name="case__slug")
    host_country = CountryCodeFilter(field_name="case__host_country", help_text="The case's host country.")
    case_kind = ChoiceFilter(field_name="case__kind", choices=m.CaseKind.choices, help_text="The case's kind; one or more.")

    facets = {"host_country": Facet.country("case__host_country")}


class DetentionFilterSet(CaseChildFilterSet):
    person = StableIdFilter(field_name="person__slug")
    ongoing = BooleanFilter(field_name="ended_on", lookup_expr="isnull", help_text="true: still detained.")
    interpol_related = BooleanFilter(
        method="filter_interpol_related", help_text="true: in a case with an INTERPOL notice or an INTERPOL detention."
    )
    started_after, started_before = date_range("started_on")
    ended_after, ended_before = date_range("ended_on")

    class Meta:
        model = m.Detention
        fields = []

    def filter_interpol_related(self, qs, name, value):
        notices = m.InterpolNotice.objects.visible_to(self.user).filter(cases=OuterRef("case"))
        related = Exists(notices) | Q(case__kind=m.CaseKind.INTERPOL_DETENTION)
        return qs.filter(related) if value else qs.exclude(related)


class CaseEventFilterSet(CaseChildFilterSet):
    kind = choice(m.CaseEvent, "kind")
    person = StableIdFilter(field_name="person__slug")
    occurred_after, occurred_before = date_range("occurred_on")

    facets = {**CaseChildFilterSet.facets, "kind": Facet.choice(m.CaseEvent, "kind")}

    class Meta:
        model = m.CaseEvent
        fields = []


class ExtraditionRequestFilterSet(CaseChildFilterSet):
    legal_basis = choice(m.ExtraditionRequest, "legal_basis")
    decision = choice(m.ExtraditionRequest, "decision")
    treaty = StableIdFilter(field_name="treaty__slug")
    requested_after, requested_before = date_range("requested_on")
    decided_after, decided_before = date_range("decided_on")

    facets = {
        **CaseChildFilterSet.facets,
        "decision": Facet.choice(m.ExtraditionRequest, "decision"),
        "legal_basis": Facet.choice(m.ExtraditionRequest, "legal_basis"),
    }

    class Meta:
        model = m.ExtraditionRequest
        fields = []


class InterpolNoticeFilterSet(RecordFilterSet):
    kind = choice(m.InterpolNotice, "kind")
    status = choice(m.InterpolNotice, "status")
    cancellation_reason = choice(m.InterpolNotice, "cancellation_reason")
    requesting_bureau = choice(m.InterpolNotice, "requesting_bureau")
    is_public = BooleanFilter(help_text="Published by INTERPOL.")
    subject = StableIdFilter(field_name="subject__slug")
    case = StableIdFilter(field_name="cases__slug")
    host_country = CountryCodeFilter(field_name="cases__host_country", help_text="Host country of a linked case.")
    citizenship = CountryCodeFilter(field_name="subject__citizenships", contains=True)
    affiliation = StableIdFilter(field_name="subject__affiliations__slug")
    issued_after, issued_before = date_range("issued_on")
    issued_year = year("issued_on")
    cancelled_after, cancelled_before = date_range("cancelled_on")

    facets = {
        "kind": Facet.choice(m.InterpolNotice, "kind"),
        "status": Facet.choice(m.InterpolNotice, "status"),
        "cancellation_reason": Facet.choice(m.InterpolNotice, "cancellation_reason"),
        "requesting_bureau": Facet.choice(m.InterpolNotice, "requesting_bureau"),
        "issued_year": Facet.year("issued_on"),
    }

    class Meta:
        model = m.InterpolNotice
        fields = []


class LegalProvisionFilterSet(RecordFilterSet):
    instrument = choice(m.LegalProvision, "instrument")
    country = CountryCodeFilter(field_name="country")

    facets = {"instrument": Facet.choice(m.LegalProvision, "instrument")}

    class Meta:
        model = m.LegalProvision
        fields = []


class CourtRulingFilterSet(RecordFilterSet):
    case = StableIdFilter(field_name="case__slug")
    country = CountryCodeFilter(field_name="country", help_text="The court's country.")
    host_country = CountryCodeFilter(field_name="case__host_country", help_text="The case's host country.")
    international_body = django_filters.CharFilter(lookup_expr="icontains")
    level = choice(m.CourtRuling, "level")
    decision = choice(m.CourtRuling, "decision")
    ground = StableIdFilter(
        field_name="grounds__slug", help_text="A legal provision relied on, e.g. echr-3; several match any."
    )
    instrument = choice(m.CourtRuling, "grounds__instrument", help_text="An instrument relied on, e.g. echr.")
    assurance_assessment = choice(m.CourtRuling, "assurance_assessment")
    language = django_filters.CharFilter(help_text="ISO 639-1 code of the ruling's language.")
    person = StableIdFilter(field_name="case__persons__slug")
    decided_after, decided_before = date_range("decided_on")
    decided_year = year("decided_on")

    facets = {
        "decision": Facet.choice(m.CourtRuling, "decision"),
        "level": Facet.choice(m.CourtRuling, "level"),
        "country": Facet.country("country"),
        "assurance_assessment": Facet.choice(m.CourtRuling, "assurance_assessment"),
        "ground": Facet.related("grounds__slug", m.LegalProvision),
        "language": Facet("language"),
        "decided_year": Facet.year("decided_on"),
    }

    class Meta:
        model = m.CourtRuling
        fields = []


class DiplomaticAssuranceFilterSet(CaseChildFilterSet):
    compliance = choice(m.DiplomaticAssurance, "compliance")
    accepted_by_host = BooleanFilter()
    promises_no_death_penalty = BooleanFilter()
    promises_no_torture = BooleanFilter()
    promises_fair_trial = BooleanFilter()
    promises_consular_access = BooleanFilter()
    promises_monitoring = BooleanFilter()
    assessed_by = StableIdFilter(field_name="assessed_by__slug", help_text="The ruling that assessed the assurance.")
    given_after, given_before = date_range("given_on")

    facets = {**CaseChildFilterSet.facets, "compliance": Facet.choice(m.DiplomaticAssurance, "compliance")}

    class Meta:
        model = m.DiplomaticAssurance
        fields = []


class BreachFilterSet(RecordFilterSet):
    kind = choice(m.Breach, "kind")
    treaty = StableIdFilter(field_name="treaty__slug")
    assurance = StableIdFilter(field_name="assurance__uid")
    provision = StableIdFilter(field_name="provision__slug")
    case = StableIdFilter(field_name="case__slug")
    person = StableIdFilter(field_name="person__slug")
    occurred_after, occurred_before = date_range("occurred_on")

    facets = {"kind": Facet.choice(m.Breach, "kind")}

    class Meta:
        model = m.Breach
        fields = []
