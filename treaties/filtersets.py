"""Filters and facets of treaties (their status on any date included), for the API and the site."""

import django_filters
from django.utils import timezone

from extraditions.filtering import (
    CountryCodeFilter,
    Facet,
    RecordFilterSet,
    StableIdFilter,
    choice,
    date_range,
    year,
)
from extraditions.regions import REGIONS
from treaties.models import Treaty, TreatyStep
from treaties.status import TreatyStatus


class TreatyFilterSet(RecordFilterSet):
    status_on = django_filters.DateFilter(
        method="annotated_elsewhere",
        help_text="The date the status is computed for, YYYY-MM-DD (default: today); "
        "e.g. status_on=2022-02-01&status=in_force.",
    )
    status = django_filters.MultipleChoiceFilter(
        choices=TreatyStatus.choices, help_text="Status on the date given by status_on; one or more."
    )
    kind = choice(Treaty, "kind")
    china_party = choice(Treaty, "china_party")
    counterpart = CountryCodeFilter(field_name="counterpart")
    region = django_filters.ChoiceFilter(
        choices=[(name, name.title()) for name in REGIONS], method="filter_region", help_text="Counterparts in a region."
    )
    signed_after, signed_before = date_range("signed_on")
    signed_year = year("signed_on")
    in_force_after, in_force_before = date_range("in_force_on")
    terminated_after, terminated_before = date_range("terminated_on")

    facets = {
        "status": Facet.enum("status", TreatyStatus.choices),
        "kind": Facet.choice(Treaty, "kind"),
        "china_party": Facet.choice(Treaty, "china_party"),
        "counterpart": Facet.country("counterpart"),
        "signed_year": Facet.year("signed_on"),
    }

    class Meta:
        model = Treaty
        fields = []

    def filter_queryset(self, queryset):
        on = self.form.cleaned_data.get("status_on") or timezone.localdate()
        return super().filter_queryset(queryset.with_status(on))

    def annotated_elsewhere(self, queryset, name, value):
        return queryset  # read by filter_queryset, which annotates the status before any filter runs

    def filter_region(self, queryset, name, value):
        return queryset.filter(counterpart__in=REGIONS[value])


class TreatyStepFilterSet(RecordFilterSet):
    treaty = StableIdFilter(field_name="treaty__slug")
    kind = choice(TreatyStep, "kind")
    occurred_after, occurred_before = date_range("occurred_on")

    facets = {"kind": Facet.choice(TreatyStep, "kind")}

    class Meta:
        model = TreatyStep
        fields = []
