"""Sources, citations and reported figures in the API."""

from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from extraditions.api.serializers import (
    BOOKKEEPING_FIELDS,
    CHANGE_FIELDS,
    ID_HELP,
    RECORD_FIELDS,
    URL_HELP,
    DescribedModelSerializer,
    PartialDateField,
    RecordSerializer,
    SearchMatchMixin,
    StrictCharField,
    StrictURLField,
    SummaryField,
    SummarySerializer,
)
from extraditions.identifiers import api_url, stable_id, stable_id_field
from sources.models import Citation, ReportedFigure, Source, citable_models


class SourceSummary(SummarySerializer):
    published = PartialDateField(read_only=True, allow_null=True)

    class Meta:
        model = Source
        fields = (*SummarySerializer.BASE_FIELDS, "kind", "publisher", "published")


class CitationBriefSerializer(DescribedModelSerializer):
    """A citation shown inside the record it backs: which source, and where in it."""

    source = SourceSummary(read_only=True)

    class Meta:
        model = Citation
        fields = ("source", "locator", "locator_kind", "note")


class CitedRecordMixin(serializers.Serializer):
    """Adds the record's citations (prefetched with ``listed_citations`` by the resource's read shape)."""

    citations = CitationBriefSerializer(many=True, read_only=True, help_text="The sources behind this record.")


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class AttachedFileField(serializers.Field):
    """An attached file as the address it is served at (through the visibility policy), or null."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        if not value:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(value.url) if request is not None else value.url


class SourceSerializer(SearchMatchMixin, RecordSerializer):
    document_url = StrictURLField(source="url", max_length=1000, required=False, allow_blank=True)
    file_url = AttachedFileField(
        source="file", help_text="Our copy of the document, if one is attached; its text is searched page by page."
    )

    class Meta:
        model = Source
        fields = (
            *RECORD_FIELDS, "match", "slug", "kind", "title", "author", "publisher", "published", "document_url",
            "archived_url", "language", "file_url", "media_type", "page_count", "sha256", "notes", *BOOKKEEPING_FIELDS,
        )
        read_only_fields = ("sha256", "media_type", "page_count")


class CitedRecordSchema(serializers.Serializer):
    type = serializers.CharField(help_text="The kind of record, e.g. case or courtruling.")
    id = serializers.CharField(help_text=ID_HELP)
    label = serializers.CharField(help_text="The record's name.")
    url = serializers.URLField(help_text=URL_HELP)


@extend_schema_field(CitedRecordSchema)
class CitedRecordField(serializers.Field):
    """The record a citation backs: its type, id, label and URL."""

    def to_representation(self, value):
        return {
            "type": value._meta.model_name,
            "id": stable_id(value),
            "label": value.public_label,
            "url": api_url(value, self.context.get("request")),
        }


class CitationSerializer(RecordSerializer):
    source = SummaryField(SourceSummary)
    record = CitedRecordField(read_only=True, help_text="The record the citation backs.")
    record_type = serializers.ChoiceField(
        choices=[], write_only=True, help_text="The kind of record cited for, e.g. case or courtruling."
    )
    record_id = StrictCharField(write_only=True, help_text="The stable id of the record cited for.")

    class Meta:
        model = Citation
        fields = (*RECORD_FIELDS, "source", "record", "record_type", "record_id", "locator", "locator_kind", "note",
                  *CHANGE_FIELDS)

    def get_fields(self):
        fields = super().get_fields()
        fields["record_type"].choices = sorted(citable_models())
        if self.instance is not None and not isinstance(self.instance, list):
            fields["record_type"].required = fields["record_id"].required = False
        return fields

    def validate(self, attrs):
        record_type = attrs.pop("record_type", None)
        record_id = attrs.pop("record_id", None)
        if record_type or record_id:
            model = citable_models().get(record_type or getattr(self.instance, "content_type", None).model)
            try:
                record = model.objects.get(**{stable_id_field(model): record_id})
            except Exception:
                raise serializers.ValidationError({"record_id": [f"No {model._meta.verbose_name} with id {record_id!r}."]}) from None
            attrs["content_type"] = ContentType.objects.get_for_model(model)
            attrs["object_id"] = record.pk
        return super().validate(attrs)


class ReportedFigureSerializer(CitedRecordMixin, RecordSerializer):
    as_of = PartialDateField(source="as_of_date", required=False, allow_null=True)
    value_label = serializers.CharField(read_only=True, help_text='The value as a sentence would give it: "at least 300".')
    period_label = serializers.CharField(
        read_only=True, help_text='The period as a sentence would give it: "2015–2019", "2019", "as of March 2021".'
    )

    class Meta:
        model = ReportedFigure
        fields = (
            *RECORD_FIELDS, "metric", "metric_detail", "scope_country", "scope_label", "year_from", "year_to",
            "as_of", "value", "value_high", "unit", "qualifier", "value_label", "period_label", "notes",
            "citations", *BOOKKEEPING_FIELDS,
        )
