"""The API's resources for sources, citations and reported figures."""

from extraditions.api.views import CHANGE_ORDERINGS, FullTextSearchMixin, RecordViewSet
from sources.models import Citation, ReportedFigure, Source

from .. import filtersets, reads
from . import serializers


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
        return reads.citation_rows(queryset, self.user)


class ReportedFigureViewSet(RecordViewSet):
    """Numbers as each source reports them; conflicting figures from different sources side by side."""

    queryset = ReportedFigure.objects.all()
    serializer_class = serializers.ReportedFigureSerializer
    filterset_class = filtersets.ReportedFigureFilterSet
    search_fields = ("metric_detail", "scope_label", "notes")
    ordering_fields = {"year_from": "year_from", "as_of": "as_of", "value": "value", **CHANGE_ORDERINGS}
    default_ordering = ("year_from",)

    def optimise(self, queryset):
        return reads.figure_rows(queryset, self.user)
