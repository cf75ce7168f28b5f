"""The API's resources for persons, cases and what happens in them.

Each ``optimise`` reads its records in their shape from ``cases/reads.py``: every related row its
serializer shows, through querysets filtered to what the user may see.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import models as m
from extraditions.api.permissions import StaffOnly
from extraditions.api.views import CHANGE_ORDERINGS, FullTextSearchMixin, RecordViewSet
from extraditions.search.text import snippet

from .. import citations, filtersets, reads
from ..merge import merge_persons
from ..search import NOTICE_SEARCH_FIELDS, search_persons
from . import serializers
from .renderers import CITATION_RENDERERS


class AffiliationViewSet(RecordViewSet):
    """Groups and affiliations that explain why a person is targeted (Uyghur, Falun Gong, …)."""

    queryset = m.Affiliation.objects.all()
    serializer_class = serializers.AffiliationSerializer
    filterset_class = filtersets.AffiliationFilterSet
    search_fields = ("name", "description")
    ordering_fields = {"name": "name", **CHANGE_ORDERINGS}
    default_ordering = ("name",)


class PersonViewSet(RecordViewSet):
    """Persons sought by China. Found by any of their names; a pseudonymous person only by the pseudonym."""

    queryset = m.Person.objects.all()
    serializer_class = serializers.PersonSerializer
    filterset_class = filtersets.PersonFilterSet
    ordering_fields = {"name": "name", **CHANGE_ORDERINGS}
    default_ordering = ("name",)

    def optimise(self, queryset):
        return reads.person_rows(queryset, self.user)

    search_help = (
        "Finds persons by any of their names: primary name, aliases, the name in Chinese characters "
        "(simplified or traditional), pinyin with or without tone marks or spaces, and misspellings; "
        "also words of the biography. Sorted by relevance unless ordering says otherwise."
    )

    def search(self, queryset, query):
        queryset, self.name_matches = search_persons(queryset, query, self.user)
        return queryset

    def search_matches(self, records, query):
        matches = {}
        for person in records:
            name_match = self.name_matches.get(person.pk)
            reasons = [name_match.reason] if name_match else ["mentioned in the biography or occupation"]
            text = "" if name_match else snippet("\n".join(filter(None, [person.occupation, person.biography])), query)
            matches[person.pk] = {"relevance": person.relevance, "snippet": text, "reasons": reasons, "pages": []}
        return matches


    @extend_schema(request=serializers.MergeSerializer, responses=serializers.PersonSerializer)
    @action(detail=True, methods=["post"], permission_classes=[StaffOnly])
    def merge(self, request, id=None):
        """Merge a duplicate record into this person (an editor's job): everything moves here, the duplicate goes."""
        if not request.user.has_perm("cases.merge_person"):
            raise exceptions.PermissionDenied("Only an editor may merge persons.")
        with transaction.atomic():
            survivor = self.get_object()
            payload = serializers.MergeSerializer(data=request.data, context=self.get_serializer_context())
            payload.is_valid(raise_exception=True)
            try:
                merge_persons(survivor, payload.validated_data["duplicate"])
            except DjangoValidationError as error:
                raise exceptions.ValidationError({"duplicate": error.messages}) from error
        return Response(self.get_serializer(self.get_queryset().get(pk=survivor.pk)).data)


class AliasViewSet(RecordViewSet):
    """Other names and spellings of persons, with the source that used each."""

    queryset = m.Alias.objects.all()
    serializer_class = serializers.AliasSerializer
    filterset_class = filtersets.AliasFilterSet
    search_fields = ("name", "note")
    ordering_fields = {"name": "name", **CHANGE_ORDERINGS}
    default_ordering = ("name",)

    def optimise(self, queryset):
        return reads.alias_rows(queryset, self.user)


class CaseViewSet(FullTextSearchMixin, RecordViewSet):
    """Attempts to bring a person or a group back to China from one host country."""

    queryset = m.Case.objects.all()
    serializer_class = serializers.CaseSerializer
    detail_serializer_class = serializers.CaseDetailSerializer
    filterset_class = filtersets.CaseFilterSet
    ordering_fields = {"started": "started_on", "title": "title", **CHANGE_ORDERINGS}
    default_ordering = ("-started",)

    def optimise(self, queryset):
        return (reads.case_rows if self.action == "list" else reads.case_record)(queryset, self.user)

class CaseParticipantViewSet(RecordViewSet):
    """Who is in which case, and in what role."""

    queryset = m.CaseParticipant.objects.all()
    serializer_class = serializers.CaseParticipantSerializer
    filterset_class = filtersets.CaseParticipantFilterSet
    search_fields = ("person__name", "case__title")

    def optimise(self, queryset):
        return reads.participant_rows(queryset, self.user)


class CaseChildViewSet(RecordViewSet):
    """A kind of record that belongs to one case."""

    search_fields = ("case__title",)
    related: tuple[str, ...] = ()  # read with each record besides its case and sources

    def optimise(self, queryset):
        return reads.case_child_rows(queryset, self.user, *self.related)


class DetentionViewSet(CaseChildViewSet):
    """Periods in custody, with their length; open while they go on."""

    queryset = m.Detention.objects.all()
    serializer_class = serializers.DetentionSerializer
    filterset_class = filtersets.DetentionFilterSet
    search_fields = ("place", "conditions", "case__title", "person__name")
    ordering_fields = {"started": "started_on", "ended": "ended_on", **CHANGE_ORDERINGS}
    default_ordering = ("-started",)
    related = ("person",)


class CaseEventViewSet(CaseChildViewSet):
    """The timelines of the cases: arrests, hearings, rulings, transfers, …"""

    queryset = m.CaseEvent.objects.all()
    serializer_class = serializers.CaseEventSerializer
    filterset_class = filtersets.CaseEventFilterSet
    search_fields = ("description", "case__title")
    ordering_fields = {"occurred": "occurred_on", **CHANGE_ORDERINGS}
    default_ordering = ("-occurred",)
    related = ("person",)


class ExtraditionRequestViewSet(CaseChildViewSet):
    """Formal extradition requests and their decisions."""

    queryset = m.ExtraditionRequest.objects.all()
    serializer_class = serializers.ExtraditionRequestSerializer
    filterset_class = filtersets.ExtraditionRequestFilterSet
    search_fields = ("offences", "requesting_authority", "deciding_body", "convention", "case__title")
    ordering_fields = {"requested": "requested_on", "decided": "decided_on", **CHANGE_ORDERINGS}
    default_ordering = ("-requested",)
    related = ("treaty",)


class InterpolNoticeViewSet(RecordViewSet):
    """INTERPOL Red Notices and Diffusions issued at China's request."""

    queryset = m.InterpolNotice.objects.all()
    serializer_class = serializers.InterpolNoticeSerializer
    filterset_class = filtersets.InterpolNoticeFilterSet
    search_fields = NOTICE_SEARCH_FIELDS
    ordering_fields = {"issued": "issued_on", "cancelled": "cancelled_on", **CHANGE_ORDERINGS}
    default_ordering = ("-issued",)

    def optimise(self, queryset):
        return reads.notice_rows(queryset, self.user)


class LegalProvisionViewSet(RecordViewSet):
    """Articles of conventions and laws that rulings rely on (ECHR art. 3, CAT art. 3, …)."""

    queryset = m.LegalProvision.objects.all()
    serializer_class = serializers.LegalProvisionSerializer
    filterset_class = filtersets.LegalProvisionFilterSet
    search_fields = ("instrument", "instrument_name", "article", "title")
    ordering_fields = {"instrument": "instrument", "article": "article", **CHANGE_ORDERINGS}
    default_ordering = ("instrument", "article")


class CourtRulingViewSet(FullTextSearchMixin, RecordViewSet):
    """Decisions of courts and international bodies, with the grounds they rely on."""

    queryset = m.CourtRuling.objects.all()
    serializer_class = serializers.CourtRulingSerializer
    detail_serializer_class = serializers.CourtRulingDetailSerializer
    filterset_class = filtersets.CourtRulingFilterSet
    ordering_fields = {"decided": "decided_on", "court": "court", **CHANGE_ORDERINGS}
    default_ordering = ("-decided",)
    renderer_classes = [*RecordViewSet.renderer_classes, *CITATION_RENDERERS]

    def optimise(self, queryset):
        return (reads.ruling_rows if self.action == "list" else reads.ruling_record)(queryset, self.user)

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format not in citations.FORMATS:
            return super().list(request, *args, **kwargs)
        # References of the whole filtered list, not of a page: a lawyer's bibliography of the search.
        queryset = self.filter_queryset(self.get_queryset())
        records = [record for chunk in self.record_chunks(queryset) for record in chunk]
        return self.as_attachment(Response(records), self.download_name())

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if request.accepted_renderer.format in citations.FORMATS and response.status_code == 200:
            return self.as_attachment(response, self.download_name(response.data["id"]))
        return response

    def as_attachment(self, response, name: str):
        extension = citations.FORMATS[self.request.accepted_renderer.format].extension
        response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
        return response


class DiplomaticAssuranceViewSet(CaseChildViewSet):
    """China's promises to obtain a return, and whether they were kept."""

    queryset = m.DiplomaticAssurance.objects.all()
    serializer_class = serializers.DiplomaticAssuranceSerializer
    filterset_class = filtersets.DiplomaticAssuranceFilterSet
    search_fields = ("giver", "other_promises", "breach_detail", "case__title")
    ordering_fields = {"given": "given_on", **CHANGE_ORDERINGS}
    default_ordering = ("-given",)
    related = ("assessed_by",)


class BreachViewSet(RecordViewSet):
    """Breaches of treaties, assurances and conventions: what, when, by whom."""

    queryset = m.Breach.objects.all()
    serializer_class = serializers.BreachSerializer
    filterset_class = filtersets.BreachFilterSet
    search_fields = ("description", "by_whom")
    ordering_fields = {"occurred": "occurred_on", **CHANGE_ORDERINGS}
    default_ordering = ("-occurred",)

    def optimise(self, queryset):
        return reads.breach_rows(queryset, self.user)
