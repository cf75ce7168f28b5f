"""The API's resources for treaties."""

from extraditions.api.views import CHANGE_ORDERINGS, FullTextSearchMixin, RecordViewSet
from treaties.models import Treaty, TreatyStep

from .. import filtersets, reads
from . import serializers


class TreatyViewSet(FullTextSearchMixin, RecordViewSet):
    """China's bilateral agreements and the dates of their steps; the status is derived for any date."""

    queryset = Treaty.objects.all()
    serializer_class = serializers.TreatySerializer
    filterset_class = filtersets.TreatyFilterSet
    extra_query_parameters = ("status_on",)  # on a single treaty too
    ordering_fields = {
        "counterpart": "counterpart",
        "signed": "signed_on",
        "in_force": "in_force_on",
        "title": "title",
        **CHANGE_ORDERINGS,
    }
    default_ordering = ("counterpart", "signed")

    def optimise(self, queryset):
        return reads.treaty_rows(queryset, self.user)


class TreatyStepViewSet(RecordViewSet):
    """Further steps in treaties' timelines: parliament votes, publications, exchanges of instruments."""

    queryset = TreatyStep.objects.all()
    serializer_class = serializers.TreatyStepSerializer
    filterset_class = filtersets.TreatyStepFilterSet
    search_fields = ("description", "treaty__title")
    ordering_fields = {"occurred": "occurred_on", **CHANGE_ORDERINGS}
    default_ordering = ("occurred",)

    def optimise(self, queryset):
        return reads.treaty_step_rows(queryset, self.user)
