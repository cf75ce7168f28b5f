"""Treaties and their steps in the API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from extraditions.api.serializers import (
    BOOKKEEPING_FIELDS,
    CHANGE_FIELDS,
    RECORD_FIELDS,
    DescribedModelSerializer,
    PartialDateField,
    RecordSerializer,
    SearchMatchMixin,
    SummaryField,
    SummarySerializer,
)
from sources.api.serializers import CitedRecordMixin
from treaties.models import Treaty, TreatyStep
from treaties.status import StatusEvidence, TreatyStatus


class TreatySummary(SummarySerializer):
    class Meta:
        model = Treaty
        fields = (*SummarySerializer.BASE_FIELDS, "kind", "china_party", "counterpart", "counterpart_organisation")


class TreatyStepBriefSerializer(DescribedModelSerializer):
    occurred = PartialDateField(read_only=True, allow_null=True)

    class Meta:
        model = TreatyStep
        fields = ("occurred", "kind", "description")


class TreatySerializer(CitedRecordMixin, SearchMatchMixin, RecordSerializer):
    status = serializers.SerializerMethodField(
        help_text="Derived from the dates of the treaty's steps, on the date given by status_on (default: today)."
    )
    status_evidence = serializers.SerializerMethodField(
        help_text="What the status rests on: a step a source dates, or undated evidence and its strength "
        "(known_signed_evidence or known_in_force_evidence)."
    )
    steps = TreatyStepBriefSerializer(many=True, read_only=True, help_text="Further steps of the treaty's timeline.")

    class Meta:
        model = Treaty
        fields = (
            *RECORD_FIELDS, "match", "slug", "kind", "china_party", "counterpart", "counterpart_organisation", "title", "status",
            "status_evidence", "signed", "known_signed", "known_signed_evidence", "china_approved",
            "counterpart_ratified", "in_force", "known_in_force", "known_in_force_evidence", "suspended", "terminated",
            "simplified_procedure", "death_penalty_refusal", "political_offence_exception", "nationals_refusal",
            "notes", "steps", "citations", *BOOKKEEPING_FIELDS,
        )


    @extend_schema_field(serializers.ChoiceField(choices=TreatyStatus.choices))
    def get_status(self, obj) -> str:
        return getattr(obj, "status", None) or obj.current_status

    @extend_schema_field(serializers.ChoiceField(choices=StatusEvidence.choices))
    def get_status_evidence(self, obj) -> str:
        return obj.status_evidence_on(getattr(obj, "status_date", None), getattr(obj, "status", None))


class TreatyStepSerializer(CitedRecordMixin, RecordSerializer):
    treaty = SummaryField(TreatySummary)

    class Meta:
        model = TreatyStep
        fields = (*RECORD_FIELDS, "treaty", "occurred", "kind", "description", "citations", *CHANGE_FIELDS)
