"""The API's resources for sources, citations and reported figures."""

from django.contrib.contenttypes.prefetch import GenericPrefetch

from extraditions.api.views import CHANGE_ORDERINGS, FullTextSearchMixin, RecordViewSet
from sources.models import Citation, ReportedFigure, Source

from .. import filtersets
from . import serializers
from .serializers import citable_models


class SourceViewSet(FullTextSearchMixin, RecordViewSet):
    """The documents facts in the tracker come from."""

    queryset = Source.objects.all()
    serializer_class = serializers.SourceSerializer
    filterset_class = filtersets.SourceFilterSet
    ordering_fields = {"published": "published_on", "title": "title", **CHANGE_ORDERINGS}
    default_ordering = ("-published",)


class CitationViewSet(RecordViewSet):
    """Which source backs which record, and where in the source."""

    queryset = Citation.objects.all()
    serializer_class = serializers.CitationSerializer
    filterset_class = filtersets.CitationFilterSet
    search_fields = ("locator", "note", "source__title")
    ordering_fields = CHANGE_ORDERINGS
    default_ordering = ("-updated",)

    def optimise(self, queryset):
        # One query per kind of record cited, however long the page.
        records = GenericPrefetch("record", [labelled_records(model) for model in citable_models().values()])
        return queryset.select_related("source", "content_type").prefetch_related(records)


def labelled_records(model):
    """A model's records with the related records their labels and pages need: a detention's person
    and case, a breached assurance's case."""
    foreign_keys = [f for f in model._meta.concrete_fields if f.many_to_one]
    related = [f.name for f in foreign_keys]
    related += [f"{f.name}__case" for f in foreign_keys if has_case(f.related_model)]
    return model.objects.select_related(*related) if related else model.objects.all()


def has_case(model) -> bool:
    return any(f.name == "case" and f.many_to_one for f in model._meta.concrete_fields)


class ReportedFigureViewSet(RecordViewSet):
    """Numbers as each source reports them; conflicting figures from different sources side by side."""

    queryset = ReportedFigure.objects.all()
    serializer_class = serializers.ReportedFigureSerializer
    filterset_class = filtersets.ReportedFigureFilterSet
    search_fields = ("metric_detail", "scope_label", "notes")
    ordering_fields = {"year_from": "year_from", "as_of": "as_of", "value": "value", **CHANGE_ORDERINGS}
    default_ordering = ("year_from",)

    def optimise(self, queryset):
        return queryset.prefetch_related(self.citations_prefetch())
