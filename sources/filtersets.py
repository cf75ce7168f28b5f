"""Filters and facets of sources, citations and reported figures, for the API and the site."""

import django_filters
from django.db.models import Q

from extraditions.filtering import (
    CountryCodeFilter,
    Facet,
    RecordFilterSet,
    StableIdFilter,
    YearFilter,
    choice,
    date_range,
    year,
)
from sources.models import Citation, ReportedFigure, Source, citable_models


class SourceFilterSet(RecordFilterSet):
    kind = choice(Source, "kind")
    publisher = django_filters.CharFilter(lookup_expr="icontains", help_text="Part of the publisher's name.")
    language = django_filters.CharFilter(help_text="ISO 639-1 code, e.g. en, sv, zh.")
    published_after, published_before = date_range("published_on")
    published_year = year("published_on")

    facets = {
        "kind": Facet.choice(Source, "kind"),
        "language": Facet("language"),
        "publisher": Facet("publisher"),
        "published_year": Facet.year("published_on"),
    }

    class Meta:
        model = Source
        fields = []


class CitationFilterSet(RecordFilterSet):
    source = StableIdFilter(field_name="source__slug")
    record_type = django_filters.ChoiceFilter(
        choices=lambda: [(name, name) for name in sorted(citable_models())],
        method="filter_record_type",
        help_text="The kind of record cited for, e.g. case or courtruling.",
    )
    locator_kind = choice(Citation, "locator_kind")

    facets = {"locator_kind": Facet.choice(Citation, "locator_kind")}

    class Meta:
        model = Citation
        fields = []

    def filter_record_type(self, queryset, name, value: str):
        return queryset.filter(content_type__app_label=citable_models()[value]._meta.app_label, content_type__model=value)


class ReportedFigureFilterSet(RecordFilterSet):
    metric = choice(ReportedFigure, "metric")
    scope_country = CountryCodeFilter(field_name="scope_country")
    qualifier = choice(ReportedFigure, "qualifier")
    unit = choice(ReportedFigure, "unit")
    year = YearFilter(method="filter_year", help_text="Figures whose period includes this year.")
    source = StableIdFilter(field_name="citations__source__slug", help_text="Figures reported by a source.")
    as_of_after, as_of_before = date_range("as_of")

    facets = {
        "metric": Facet.choice(ReportedFigure, "metric"),
        "scope_country": Facet.country("scope_country"),
        "qualifier": Facet.choice(ReportedFigure, "qualifier"),
        "unit": Facet.choice(ReportedFigure, "unit"),
    }

    class Meta:
        model = ReportedFigure
        fields = []

    def filter_year(self, queryset, name, value):
        return queryset.filter(
            Q(year_from__lte=value, year_to__gte=value) | Q(year_from=value, year_to__isnull=True)
        )
