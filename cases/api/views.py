"""The API's resources for persons, cases and what happens in them.

Each ``optimise`` fetches, with the page, every related row its serializer shows, through
querysets filtered to what the user may see: a restricted person never appears in a public
case's list of persons.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Case, FloatField, Prefetch, Q, Value, When
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import models as m
from extraditions.api.permissions import StaffOnly
from extraditions.api.views import CHANGE_ORDERINGS, FullTextSearchMixin, RecordViewSet
from extraditions.search.backends import backend as search_backend
from extraditions.search.backends import is_searchable
from extraditions.search.text import snippet

from .. import filtersets
from ..merge import merge_persons
from ..search import find_persons
from . import serializers


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
        return queryset.prefetch_related(
            "affiliations",
            Prefetch("aliases", queryset=self.visible(m.Alias)),
            Prefetch("participations", queryset=self.visible(m.CaseParticipant).select_related("case")),
            self.citations_prefetch(),
        )

    search_help = (
        "Finds persons by any of their names: primary name, aliases, the name in Chinese characters "
        "(simplified or traditional), pinyin with or without tone marks or spaces, and misspellings; "
        "also words of the biography. Sorted by relevance unless ordering says otherwise."
    )

    def search(self, queryset, query):
        self.name_matches = {match.person_id: match for match in find_persons(query, self.user)}
        engine = search_backend()
        by_text = queryset.filter(engine.matching(m.Person, query)).values("pk") if is_searchable(query) else []
        # One branch per score, not per person: hundreds of branches took longer to build than to run.
        by_score = defaultdict(list)
        for pk, match in self.name_matches.items():
            by_score[match.score].append(pk)
        relevance = Case(
            *(When(pk__in=pks, then=Value(score)) for score, pks in by_score.items()),
            default=Value(TEXT_MATCH_SCORE),
            output_field=FloatField(),
        )
        return queryset.filter(Q(pk__in=list(self.name_matches)) | Q(pk__in=by_text)).annotate(relevance=relevance)

    def search_matches(self, records, query):
        matches = {}
        for person in records:
            name_match = self.name_matches.get(person.pk)
            reasons = [name_match.reason] if name_match else ["mentioned in the biography or occupation"]
            text = "" if name_match else snippet("\n".join(filter(None, [person.occupation, person.biography])), query)
            matches[person.pk] = {"relevance": person.relevance, "snippet": text, "reasons": reasons}
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


TEXT_MATCH_SCORE = 0.2  # below any name match


class AliasViewSet(RecordViewSet):
    """Other names and spellings of persons, with the source that used each."""

    queryset = m.Alias.objects.all()
    serializer_class = serializers.AliasSerializer
    filterset_class = filtersets.AliasFilterSet
    search_fields = ("name", "note")
    ordering_fields = {"name": "name", **CHANGE_ORDERINGS}
    default_ordering = ("name",)

    def optimise(self, queryset):
        return queryset.select_related("person", "source")


class CaseViewSet(FullTextSearchMixin, RecordViewSet):
    """Attempts to bring a person or a group back to China from one host country."""

    queryset = m.Case.objects.all()
    serializer_class = serializers.CaseSerializer
    detail_serializer_class = serializers.CaseDetailSerializer
    filterset_class = filtersets.CaseFilterSet
    ordering_fields = {"started": "started_on", "title": "title", **CHANGE_ORDERINGS}
    default_ordering = ("-started",)

    def optimise(self, queryset):
        queryset = queryset.select_related("treaty").prefetch_related(
            Prefetch("participants", queryset=self.visible(m.CaseParticipant).select_related("person")),
            Prefetch("notices", queryset=self.visible(m.InterpolNotice).select_related("subject")),
            self.citations_prefetch(),
        )
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch("detentions", queryset=self.visible(m.Detention).select_related("person")),
                Prefetch("events", queryset=self.visible(m.CaseEvent)),
                Prefetch("requests", queryset=self.visible(m.ExtraditionRequest)),
                Prefetch("rulings", queryset=self.visible(m.CourtRuling)),
                Prefetch("assurances", queryset=self.visible(m.DiplomaticAssurance)),
            )
        return queryset

class CaseParticipantViewSet(RecordViewSet):
    """Who is in which case, and in what role."""

    queryset = m.CaseParticipant.objects.all()
    serializer_class = serializers.CaseParticipantSerializer
    filterset_class = filtersets.CaseParticipantFilterSet
    search_fields = ("person__name", "case__title")

    def optimise(self, queryset):
        return queryset.select_related("case", "person")


class CaseChildViewSet(RecordViewSet):
    """A kind of record that belongs to one case."""

    search_fields = ("case__title",)

    def optimise(self, queryset):
        return queryset.select_related("case").prefetch_related(self.citations_prefetch())


class DetentionViewSet(CaseChildViewSet):
    """Periods in custody, with their length; open while they go on."""

    queryset = m.Detention.objects.all()
    serializer_class = serializers.DetentionSerializer
    filterset_class = filtersets.DetentionFilterSet
    search_fields = ("place", "conditions", "case__title", "person__name")
    ordering_fields = {"started": "started_on", "ended": "ended_on", **CHANGE_ORDERINGS}
    default_ordering = ("-started",)

    def optimise(self, queryset):
        return super().optimise(queryset).select_related("person")


class CaseEventViewSet(CaseChildViewSet):
    """The timelines of the cases: arrests, hearings, rulings, transfers, …"""

    queryset = m.CaseEvent.objects.all()
    serializer_class = serializers.CaseEventSerializer
    filterset_class = filtersets.CaseEventFilterSet
    search_fields = ("description", "case__title")
    ordering_fields = {"occurred": "occurred_on", **CHANGE_ORDERINGS}
    default_ordering = ("-occurred",)

    def optimise(self, queryset):
        return super().optimise(queryset).select_related("person")


class ExtraditionRequestViewSet(CaseChildViewSet):
    """Formal extradition requests and their decisions."""

    queryset = m.ExtraditionRequest.objects.all()
    serializer_class = serializers.ExtraditionRequestSerializer
    filterset_class = filtersets.ExtraditionRequestFilterSet
    search_fields = ("offences", "requesting_authority", "deciding_body", "convention", "case__title")
    ordering_fields = {"requested": "requested_on", "decided": "decided_on", **CHANGE_ORDERINGS}
    default_ordering = ("-requested",)

    def optimise(self, queryset):
        return super().optimise(queryset).select_related("treaty")


class InterpolNoticeViewSet(RecordViewSet):
    """INTERPOL Red Notices and Diffusions issued at China's request."""

    queryset = m.InterpolNotice.objects.all()
    serializer_class = serializers.InterpolNoticeSerializer
    filterset_class = filtersets.InterpolNoticeFilterSet
    search_fields = ("subject__name", "subject_description", "notes")
    ordering_fields = {"issued": "issued_on", "cancelled": "cancelled_on", **CHANGE_ORDERINGS}
    default_ordering = ("-issued",)

    def optimise(self, queryset):
        return queryset.select_related("subject").prefetch_related(
            Prefetch("cases", queryset=self.visible(m.Case)), self.citations_prefetch()
        )


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

    def optimise(self, queryset):
        queryset = queryset.select_related("case").prefetch_related(
            "grounds",
            Prefetch("case__participants", queryset=self.visible(m.CaseParticipant).select_related("person")),
            self.citations_prefetch(),
        )
        # Lists do not show the full text (often tens of kilobytes): not read, not even for sorting.
        return queryset.defer("full_text") if self.action == "list" else queryset


class DiplomaticAssuranceViewSet(CaseChildViewSet):
    """China's promises to obtain a return, and whether they were kept."""

    queryset = m.DiplomaticAssurance.objects.all()
    serializer_class = serializers.DiplomaticAssuranceSerializer
    filterset_class = filtersets.DiplomaticAssuranceFilterSet
    search_fields = ("giver", "other_promises", "breach_detail", "case__title")
    ordering_fields = {"given": "given_on", **CHANGE_ORDERINGS}
    default_ordering = ("-given",)

    def optimise(self, queryset):
        return super().optimise(queryset).select_related("assessed_by")


class BreachViewSet(RecordViewSet):
    """Breaches of treaties, assurances and conventions: what, when, by whom."""

    queryset = m.Breach.objects.all()
    serializer_class = serializers.BreachSerializer
    filterset_class = filtersets.BreachFilterSet
    search_fields = ("description", "by_whom")
    ordering_fields = {"occurred": "occurred_on", **CHANGE_ORDERINGS}
    default_ordering = ("-occurred",)

    def optimise(self, queryset):
        return queryset.select_related("treaty", "assurance", "provision", "case", "person").prefetch_related(
            self.citations_prefetch()
        )
