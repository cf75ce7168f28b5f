"""The API's resources for treaties."""

from extraditions.api.filters import Facet
from extraditions.api.views import CHANGE_ORDERINGS, FullTextSearchMixin, RecordViewSet
from treaties.models import Treaty, TreatyStep
from treaties.status import TreatyStatus

from . import filters, serializers


class TreatyViewSet(FullTextSearchMixin, RecordViewSet):
    """China's bilateral agreements and the dates of their steps; the status is derived for any date."""

    queryset = Treaty.objects.all()
    serializer_class = serializers.TreatySerializer
    filterset_class = filters.TreatyFilterSet
    extra_query_parameters = ("status_on",)  # on a single treaty too
    ordering_fields = {
        "counterpart": "counterpart",
        "signed": "signed_on",
        "in_force": "in_force_on",
        "title": "title",
        **CHANGE_ORDERINGS,
    }
    default_ordering = ("counterpart", "signed")
    facets = {
        "status": Facet.enum("status", TreatyStatus.choices),
        "kind": Facet.choice(Treaty, "kind"),
        "china_party": Facet.choice(Treaty, "china_party"),
        "counterpart": Facet.country("counterpart"),
        "signed_year": Facet.year("signed_on"),
    }

    def optimise(self, queryset):
        return queryset.prefetch_related("steps", self.citations_prefetch())


class TreatyStepViewSet(RecordViewSet):
    """Further steps in treaties' timelines: parliament votes, publications, exchanges of instruments."""

    queryset = TreatyStep.objects.all()
    serializer_class = serializers.TreatyStepSerializer
    filterset_class = filters.TreatyStepFilterSet
    search_fields = ("description", "treaty__title")
    ordering_fields = {"occurred": "occurred_on", **CHANGE_ORDERINGS}
    default_ordering = ("occurred",)
    facets = {"kind": Facet.choice(TreatyStep, "kind")}

    def optimise(self, queryset):
        return queryset.select_related("treaty").prefetch_related(self.citations_prefetch())
