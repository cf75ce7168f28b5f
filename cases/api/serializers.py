"""Persons, cases and everything that happens in them, in the API.

Summaries (``…Summary``) are the compact forms nested in other records; the full serializers
also write. Collections nested in a record (a case's persons, a person's aliases) are read-only
here and written through their own resources.
"""

from types import SimpleNamespace

from rest_framework import exceptions, serializers

from cases import models as m
from cases.search import likely_duplicates
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
    lists_through,
    request_user,
    summary_many,
)
from extraditions.visibility import original_name
from sources.api.serializers import CitedRecordMixin, SourceSummary
from treaties.api.serializers import TreatySummary

# --- summaries -------------------------------------------------------------------------------


class AffiliationSummary(SummarySerializer):
    class Meta:
        model = m.Affiliation
        fields = SummarySerializer.BASE_FIELDS


class PersonSummary(SummarySerializer):
    """A person by the name the public may know: for a pseudonymous person, the pseudonym."""

    class Meta:
        model = m.Person
        fields = (*SummarySerializer.BASE_FIELDS, "is_pseudonym")

    def get_label(self, obj) -> str:
        return obj.name


class CaseSummary(SummarySerializer):
    class Meta:
        model = m.Case
        fields = (*SummarySerializer.BASE_FIELDS, "kind", "host_country", "outcome")


class ProvisionSummary(SummarySerializer):
    class Meta:
        model = m.LegalProvision
        fields = (*SummarySerializer.BASE_FIELDS, "instrument", "article")


class RulingSummary(SummarySerializer):
    decided = PartialDateField(read_only=True, allow_null=True)

    class Meta:
        model = m.CourtRuling
        fields = (*SummarySerializer.BASE_FIELDS, "court", "country", "decided", "decision")


class NoticeSummary(SummarySerializer):
    issued = PartialDateField(read_only=True, allow_null=True)
    select_related = ("subject",)  # its label names the subject

    class Meta:
        model = m.InterpolNotice
        fields = (*SummarySerializer.BASE_FIELDS, "kind", "status", "issued")

    def get_label(self, obj) -> str:
        who = obj.subject.name if obj.subject_id else obj.subject_description
        return f"{obj.get_kind_display()}: {who}"


class AssuranceSummary(SummarySerializer):
    class Meta:
        model = m.DiplomaticAssurance
        fields = (*SummarySerializer.BASE_FIELDS, "compliance")


class ParticipantBriefSerializer(DescribedModelSerializer):
    """A person in a case, with their role."""

    person = PersonSummary(read_only=True)

    class Meta:
        model = m.CaseParticipant
        fields = ("person", "role")


class ParticipationBriefSerializer(DescribedModelSerializer):
    """A case a person is in, with their role."""

    case = CaseSummary(read_only=True)

    class Meta:
        model = m.CaseParticipant
        fields = ("case", "role")


class AliasBriefSerializer(DescribedModelSerializer):
    class Meta:
        model = m.Alias
        fields = ("name", "script", "kind")


# --- full records ----------------------------------------------------------------------------


class AffiliationSerializer(RecordSerializer):
    class Meta:
        model = m.Affiliation
        fields = (*RECORD_FIELDS, "slug", "name", "description", *CHANGE_FIELDS)


class PersonSerializer(CitedRecordMixin, SearchMatchMixin, RecordSerializer):
    affiliations = summary_many(AffiliationSummary, required=False)
    aliases = AliasBriefSerializer(many=True, read_only=True, help_text="Other names and spellings.")
    cases = ParticipationBriefSerializer(
        source="participations", many=True, read_only=True, help_text="The cases the person is in."
    )
    asylum_since = PartialDateField(source="asylum_since_date", required=False, allow_null=True)

    class Meta:
        model = m.Person
        fields = (
            *RECORD_FIELDS, "match", "slug", "name", "name_original", "original_script", "is_pseudonym", "is_unnamed",
            "citizenships", "affiliations", "occupation", "asylum_status", "asylum_country", "asylum_by_unhcr",
            "asylum_since", "current_situation", "biography", "aliases", "cases", "citations", "visibility_decided",
            *BOOKKEEPING_FIELDS,
        )

    def get_fields(self):
        fields = super().get_fields()
        fields["confirm_not_duplicate"] = serializers.BooleanField(
            write_only=True, required=False, default=False,
            help_text="On create: true after checking the likely duplicates the API reported (409).",
        )
        return fields

    def validate(self, attrs):
        confirmed = attrs.pop("confirm_not_duplicate", False)
        attrs = super().validate(attrs)
        if self.instance is None and not confirmed:
            duplicates = likely_duplicates([attrs.get("name"), attrs.get("name_original")])
            if duplicates:
                raise LikelyDuplicates(duplicates, self.context.get("request"))
        return attrs

    def finish_representation(self, data):
        data = super().finish_representation(data)
        # A pseudonym's original name is hidden from the public (the policy's rule, on the fields read).
        shown = SimpleNamespace(is_pseudonym=data["is_pseudonym"], name_original=data["name_original"])
        data["name_original"] = original_name(shown, request_user(self.context))
        if not data["name_original"]:
            data["original_script"] = ""
        return data


class LikelyDuplicates(exceptions.APIException):
    """A new person whose names match existing persons: 409, with each match and its reasons."""

    status_code = 409
    default_code = "likely_duplicates"

    def __init__(self, duplicates, request):
        super().__init__(
            "This person may already be recorded; check the likely duplicates, then merge, or send the "
            "record again with confirm_not_duplicate: true."
        )
        self.problem_extra = {
            "likely_duplicates": [
                {**PersonSummary(d["person"], context={"request": request}).data, "reasons": d["reasons"]}
                for d in duplicates
            ]
        }


class MergeSerializer(serializers.Serializer):
    duplicate = SummaryField(PersonSummary, help_text="The id of the duplicate record, merged into this one and deleted.")


class AliasSerializer(RecordSerializer):
    person = SummaryField(PersonSummary)
    source = SummaryField(SourceSummary, required=False, allow_null=True)

    class Meta:
        model = m.Alias
        fields = (*RECORD_FIELDS, "person", "name", "script", "kind", "source", "note", *CHANGE_FIELDS)


class CaseSerializer(CitedRecordMixin, SearchMatchMixin, RecordSerializer):
    persons = ParticipantBriefSerializer(
        source="participants", many=True, read_only=True, help_text="The persons in the case and their roles."
    )
    treaty = SummaryField(TreatySummary, required=False, allow_null=True)
    notices = NoticeSummary(many=True, read_only=True, help_text="INTERPOL notices linked to the case.")

    class Meta:
        model = m.Case
        fields = (
            *RECORD_FIELDS, "match", "slug", "title", "kind", "requesting_state", "host_country", "started", "persons",
            "group_size", "group_description", "charges", "charge_category", "outcome", "aftermath",
            "aftermath_detail", "treaty", "notices", "summary", "citations", *BOOKKEEPING_FIELDS,
        )


class CaseParticipantSerializer(RecordSerializer):
    case = SummaryField(CaseSummary)
    person = SummaryField(PersonSummary)

    class Meta:
        model = m.CaseParticipant
        fields = (*RECORD_FIELDS, "case", "person", "role", *CHANGE_FIELDS)


class DetentionSerializer(CitedRecordMixin, RecordSerializer):
    case = SummaryField(CaseSummary)
    person = SummaryField(PersonSummary, required=False, allow_null=True)
    duration_days = serializers.IntegerField(read_only=True, allow_null=True, help_text="Days in custody, to today while ongoing.")

    class Meta:
        model = m.Detention
        fields = (
            *RECORD_FIELDS, "case", "person", "started", "ended", "is_ongoing", "duration_days", "place", "conditions",
            "citations", *CHANGE_FIELDS,
        )
        extra_kwargs = {"is_ongoing": {"help_text": "true while the detention goes on: it has no end date."}}


class CaseEventSerializer(CitedRecordMixin, RecordSerializer):
    case = SummaryField(CaseSummary)
    person = SummaryField(PersonSummary, required=False, allow_null=True)

    class Meta:
        model = m.CaseEvent
        fields = (*RECORD_FIELDS, "case", "occurred", "kind", "person", "description", "citations", *CHANGE_FIELDS)


class ExtraditionRequestSerializer(CitedRecordMixin, RecordSerializer):
    case = SummaryField(CaseSummary)
    treaty = SummaryField(TreatySummary, required=False, allow_null=True)

    class Meta:
        model = m.ExtraditionRequest
        fields = (
            *RECORD_FIELDS, "case", "requested", "requesting_authority", "legal_basis", "treaty", "convention",
            "offences", "decision", "decided", "deciding_body", "citations", *CHANGE_FIELDS,
        )


class InterpolNoticeSerializer(CitedRecordMixin, RecordSerializer):
    subject = SummaryField(PersonSummary, required=False, allow_null=True)
    cases = summary_many(CaseSummary, required=False)

    class Meta:
        model = m.InterpolNotice
        fields = (
            *RECORD_FIELDS, "kind", "subject", "subject_description", "requesting_bureau", "issued", "is_public",
            "status", "cancelled", "cancellation_reason", "cases", "notes", "citations", *BOOKKEEPING_FIELDS,
        )


class LegalProvisionSerializer(RecordSerializer):
    label = serializers.CharField(
        source="__str__", read_only=True, help_text='As the provision is cited: "ECHR art. 3".'
    )
    search_words = serializers.ListField(
        source="vocabulary_words", child=serializers.CharField(), read_only=True,
        help_text="Every word a search finds the rulings on this provision by: the standard words for its article "
        "(docs/search.md, Legal grounds), then its own vocabulary.",
    )

    class Meta:
        model = m.LegalProvision
        fields = (
            *RECORD_FIELDS, "slug", "label", "instrument", "instrument_name", "article", "title", "country",
            "vocabulary", "search_words", *CHANGE_FIELDS,
        )


class CourtRulingSerializer(CitedRecordMixin, SearchMatchMixin, RecordSerializer):
    case = SummaryField(CaseSummary)
    grounds = summary_many(
        ProvisionSummary, required=False,
        help_text="The legal provisions the ruling relies on.",
    )
    persons = serializers.SerializerMethodField(help_text="The persons in the ruling's case.")
    reviews = SummaryField(
        RulingSummary, required=False, allow_null=True,
        help_text="The earlier ruling this one decides an appeal, cassation or review of (the appeal chain).",
    )
    reviewed_by = summary_many(RulingSummary, read_only=True, help_text="The later rulings reviewing this one.")
    relies_on = summary_many(RulingSummary, required=False, help_text="Earlier rulings this one cites as authority.")
    relied_on_by = summary_many(RulingSummary, read_only=True, help_text="Later rulings that cite this one as authority.")

    class Meta:
        model = m.CourtRuling
        fields = (
            *RECORD_FIELDS, "match", "slug", "case", "persons", "court", "country", "international_body", "level", "decided",
            "decision", "grounds", "assurance_assessment", "docket_number", "parties", "ecli", "reviews", "review_outcome",
            "reviewed_by",
            "relies_on", "relied_on_by", "language", "summary", "citations", *BOOKKEEPING_FIELDS,
        )

    def validate_relies_on(self, rulings):
        if self.instance is not None and self.instance in rulings:
            raise serializers.ValidationError("A ruling cannot rely on itself.")
        return rulings

    @lists_through("case", "participants", "person", PersonSummary)
    def get_persons(self, obj) -> list[dict]:
        return [PersonSummary(p.person, context=self.context).data for p in obj.case.participants.all()]


class CourtRulingDetailSerializer(CourtRulingSerializer):
    class Meta(CourtRulingSerializer.Meta):
        fields = (*CourtRulingSerializer.Meta.fields, "full_text")


class DiplomaticAssuranceSerializer(CitedRecordMixin, RecordSerializer):
    case = SummaryField(CaseSummary)
    assessed_by = SummaryField(RulingSummary, required=False, allow_null=True)

    class Meta:
        model = m.DiplomaticAssurance
        fields = (
            *RECORD_FIELDS, "case", "given", "giver", "promises_no_death_penalty", "promises_no_torture",
            "promises_fair_trial", "promises_consular_access", "promises_monitoring", "other_promises",
            "accepted_by_host", "assessed_by", "compliance", "breach_detail", "citations", *CHANGE_FIELDS,
        )


class BreachSerializer(CitedRecordMixin, RecordSerializer):
    treaty = SummaryField(TreatySummary, required=False, allow_null=True)
    assurance = SummaryField(AssuranceSummary, required=False, allow_null=True)
    provision = SummaryField(ProvisionSummary, required=False, allow_null=True)
    case = SummaryField(CaseSummary, required=False, allow_null=True)
    person = SummaryField(PersonSummary, required=False, allow_null=True)

    class Meta:
        model = m.Breach
        fields = (
            *RECORD_FIELDS, "kind", "occurred", "by_whom", "treaty", "assurance", "provision", "case", "person",
            "description", "citations", *CHANGE_FIELDS,
        )


# --- a case with its whole story, for its detail page ------------------------------------------


class DetentionBriefSerializer(DescribedModelSerializer):
    id = serializers.UUIDField(source="uid", read_only=True)
    person = PersonSummary(read_only=True)
    started = PartialDateField(read_only=True, allow_null=True)
    ended = PartialDateField(read_only=True, allow_null=True)

    class Meta:
        model = m.Detention
        fields = ("id", "person", "started", "ended", "duration_days", "place")


class EventBriefSerializer(DescribedModelSerializer):
    id = serializers.UUIDField(source="uid", read_only=True)
    occurred = PartialDateField(read_only=True, allow_null=True)

    class Meta:
        model = m.CaseEvent
        fields = ("id", "occurred", "kind", "description")


class RequestBriefSerializer(DescribedModelSerializer):
    id = serializers.UUIDField(source="uid", read_only=True)
    requested = PartialDateField(read_only=True, allow_null=True)
    decided = PartialDateField(read_only=True, allow_null=True)

    class Meta:
        model = m.ExtraditionRequest
        fields = ("id", "requested", "legal_basis", "decision", "decided", "deciding_body")


class CaseDetailSerializer(CaseSerializer):
    detentions = DetentionBriefSerializer(many=True, read_only=True, help_text="Periods in custody in the case.")
    events = EventBriefSerializer(many=True, read_only=True, help_text="The case's timeline.")
    requests = RequestBriefSerializer(many=True, read_only=True, help_text="Formal extradition requests.")
    rulings = RulingSummary(many=True, read_only=True, help_text="Court rulings in the case.")
    assurances = AssuranceSummary(many=True, read_only=True, help_text="Diplomatic assurances given in the case.")

    class Meta(CaseSerializer.Meta):
        fields = (*CaseSerializer.Meta.fields, "detentions", "events", "requests", "rulings", "assurances")
