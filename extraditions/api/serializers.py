"""Serializer building blocks shared by every resource of the API.

- Every record is identified by its stable id (its slug, or its UUID for records without one),
  shown as ``id`` and used in its ``url``.
- A related record is shown as a compact summary (:class:`SummaryField`) and written as its
  stable id, so one field name serves reading and writing.
- Partial dates read and write as "2021", "2021-07" or "2021-07-19" (:class:`PartialDateField`).
- Writes are checked by the model's own validation and database constraints before saving
  (:class:`RecordSerializer`), so a bad value is a 400 with field errors, never a 500.
"""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django_countries import serializer_fields
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from extraditions.identifiers import api_url, stable_id, stable_id_field
from extraditions.partial_dates import PartialDate, PartialDateProperty
from extraditions.publication import not_ready, publication_state, refused_to
from extraditions.visibility import hide_link_details, is_staff_session, is_visible, label

# The fields every full record starts and ends with.
RECORD_FIELDS = ("id", "url", "uid")
CHANGE_FIELDS = ("created_at", "updated_at")
BOOKKEEPING_FIELDS = ("publication_status", "visibility", *CHANGE_FIELDS)  # for publishable records

ID_HELP = "The record's stable id (a slug or a UUID), used in its URL."
URL_HELP = "The record's URL in the API."
PARTIAL_DATE_HELP = "Known to the year, the month or the day: YYYY, YYYY-MM or YYYY-MM-DD."
# The timestamps every record has, which extraditions/models.py leaves without a help_text.
CHANGE_FIELD_HELP = {
    "created_at": "When the record was entered in the tracker.",
    "updated_at": "When the record last changed; updated_since lists what changed since a time.",
}


def request_user(context):
    request = context.get("request")
    return getattr(request, "user", None)


def model_help_text(model: type[models.Model], source: str) -> str:
    """What ``model`` says of the field a serializer field shows: its help_text; for a partial date,
    its date column's and how precise it may be."""
    prop = getattr(model, source, None)
    if isinstance(prop, PartialDateProperty):
        meaning = model_help_text(model, prop.date_field)
        return f"{meaning} {PARTIAL_DATE_HELP}".strip()
    try:
        field = model._meta.get_field(source)
    except FieldDoesNotExist:
        return ""
    return str(getattr(field, "help_text", "")) or CHANGE_FIELD_HELP.get(source, "")


class DescribedModelSerializer(serializers.ModelSerializer):
    """Every field says what it means, and so does the schema: a field without a help_text of its own
    (a related summary, a partial date, a list of countries) takes its model field's."""

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if not field.help_text:
                field.help_text = model_help_text(self.Meta.model, field.source or name) or None
        return fields


class PartialDateField(serializers.Field):
    """A date known to the year, the month or the day: "2021", "2021-07" or "2021-07-19"."""

    default_error_messages = {"invalid": "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD."}

    def to_representation(self, value: PartialDate):
        return value.isoformat()

    def to_internal_value(self, data):
        try:
            return PartialDate.parse(data)
        except (ValueError, TypeError):
            self.fail("invalid")


class SummaryField(serializers.RelatedField):
    """A related record: read as the compact summary ``serializer``, written as its stable id.

    Accepts ``"the-id"`` or ``{"id": "the-id"}`` on write; on read, a record the user may not see
    is ``null`` (and is left out of a list).
    """

    default_error_messages = {
        "does_not_exist": "No {model} with id {value!r}.",
        "invalid": "Give the id of a {model} as a string.",
    }

    def __init__(self, serializer, **kwargs):
        self.summary_serializer = serializer
        model = serializer.Meta.model
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model.objects.all())
        super().__init__(**kwargs)

    @property
    def model(self):
        return self.summary_serializer.Meta.model

    def to_representation(self, value):
        return self.summary.to_representation(value)

    @cached_property
    def summary(self) -> serializers.Serializer:
        """One summary serializer for every value: building one per value (its fields from the
        model) was most of the cost of a list's nested records."""
        return self.summary_serializer(context=self.context)

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        if value is not None and not is_visible(value, request_user(self.context)):
            return None
        return value

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get("id")
        if not isinstance(data, str) or not data:
            self.fail("invalid", model=self.model._meta.verbose_name)
        try:
            return self.get_queryset().get(**{stable_id_field(self.model): data})
        except (ObjectDoesNotExist, DjangoValidationError, ValueError):
            self.fail("does_not_exist", model=self.model._meta.verbose_name, value=data)

    def use_pk_only_optimization(self):
        return False

    def get_choices(self, cutoff=None):
        """For the browsable API's forms: ids and labels (a summary is not a dictionary key)."""
        queryset = self.get_queryset()
        if queryset is None:
            return {}
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {stable_id(item): self.display_value(item) for item in queryset}


class SummaryListField(serializers.ManyRelatedField):
    """A list of related records, filtered to what the user may see."""

    def get_attribute(self, instance):
        user = request_user(self.context)
        return [obj for obj in super().get_attribute(instance) if is_visible(obj, user)]


def summary_many(serializer, *, read_only: bool = False, **kwargs) -> SummaryListField:
    """A to-many relation: read as a list of summaries, written as a list of ids."""
    return SummaryListField(child_relation=SummaryField(serializer, read_only=read_only), read_only=read_only, **kwargs)


def lists_through(link: str, relation: str, item: str, summary: type[serializers.Serializer]):
    """Declares that a method field lists ``summary`` of ``item`` for each row of
    ``record.<link>.<relation>`` (as the read shape prefetches ``<link>__<relation>``), so that
    the fast read path (``projection.py``) can read it from rows too."""

    def declare(method):
        method.lists_through = (link, relation, item, summary)
        return method

    return declare


class SummarySerializer(CountryFieldMixin, DescribedModelSerializer):
    """A compact, read-only view of a record for nesting: its id, url and a label.

    Subclasses list ``Meta.fields`` after ``BASE_FIELDS`` and may override :meth:`get_label`.
    """

    BASE_FIELDS = ("id", "url", "label")

    id = serializers.SerializerMethodField(help_text=ID_HELP)
    url = serializers.SerializerMethodField(help_text=URL_HELP)
    label = serializers.SerializerMethodField(
        help_text="The record's name; for a pseudonymous person, the pseudonym only."
    )

    def get_id(self, obj) -> str:
        return stable_id(obj)

    def get_url(self, obj) -> str | None:
        return api_url(obj, self.context.get("request"))

    def get_label(self, obj) -> str:
        return label(obj, request_user(self.context))


class StrictString:
    """Text fields take JSON strings only: DRF would quietly store ``"notes": 0`` as "0"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(StrictString, serializers.CharField):
    pass


class StrictSlugField(StrictString, serializers.SlugField):
    pass


class StrictURLField(StrictString, serializers.URLField):
    pass


class StrictCountryField(serializer_fields.CountryField):
    """A country as its ISO code (a string), as the schema says: not ``{}`` or ``{"code": …}``."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class RecordSerializer(CountryFieldMixin, DescribedModelSerializer):
    """The full view of a record, and the way to write one.

    Adds ``id`` and ``url``, maps partial-date properties, runs the model's validation (fields,
    constraints, uniqueness) before saving, and refuses to publish, unpublish or restrict without
    the "publish" permission.
    """

    id = serializers.SerializerMethodField(help_text=ID_HELP)
    url = serializers.SerializerMethodField(help_text=URL_HELP)

    staff_only_fields = ("publication_status", "visibility", "visibility_decided")
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
        models.URLField: StrictURLField,
    }

    def get_id(self, obj) -> str:
        return stable_id(obj)

    def get_url(self, obj) -> str | None:
        return api_url(obj, self.context.get("request"))

    def to_representation(self, instance):
        return self.finish_representation(super().to_representation(instance))

    def finish_representation(self, data: dict) -> dict:
        """What a resource changes in a record once its fields are read, from the fields alone (the
        fast read path, ``projection.py``, has no model instance): here, the details of a link the
        reader may not see are emptied with it (``visibility.hide_link_details``)."""
        return hide_link_details(self.Meta.model, data)

    def build_field(self, field_name, info, model_class, nested_depth):
        prop = getattr(model_class, field_name, None)
        if isinstance(prop, PartialDateProperty):
            return PartialDateField, {"required": False, "allow_null": True}
        return super().build_field(field_name, info, model_class, nested_depth)

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if getattr(model_field, "multiple", False) and model_field.blank:
            kwargs.setdefault("required", False)  # django-countries drops it for multiple countries
        if field_class is serializer_fields.CountryField:
            field_class = StrictCountryField
        elif isinstance(kwargs.get("child"), serializer_fields.CountryField):  # several countries
            kwargs["child"] = StrictCountryField(**kwargs["child"]._kwargs)
        return field_class, kwargs

    def get_fields(self):
        fields = super().get_fields()
        if not is_staff_session(request_user(self.context)):
            for name in self.staff_only_fields:
                fields.pop(name, None)
        return fields

    # --- writing -------------------------------------------------------------------------------

    def validate(self, attrs):
        attrs = super().validate(attrs)
        self.check_publish_permission(attrs)
        many = {name: attrs.pop(name) for name in list(attrs) if self.is_many_to_many(name)}
        instance = self.instance or self.Meta.model()
        for name, value in attrs.items():
            setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(self.field_errors(error)) from error
        self.check_ready_to_publish(instance)
        self._unsaved_instance = instance
        return {**attrs, **many}

    def field_errors(self, error: DjangoValidationError) -> dict:
        """Django's errors keyed by model field, renamed to the API's field names."""
        renames = {}
        for name, field in self.fields.items():
            prop = getattr(self.Meta.model, field.source or name, None)
            if isinstance(prop, PartialDateProperty):
                renames[prop.date_field] = renames[prop.precision_field] = name
            elif field.source and field.source != name:
                renames[field.source] = name
        if not hasattr(error, "error_dict"):
            return {"non_field_errors": error.messages}
        errors = {}
        for field, messages in error.message_dict.items():
            key = "non_field_errors" if field == "__all__" else renames.get(field, field)
            errors.setdefault(key, []).extend(messages)
        return errors

    def is_many_to_many(self, name: str) -> bool:
        try:
            return self.Meta.model._meta.get_field(name).many_to_many
        except Exception:
            return False

    def check_publish_permission(self, attrs):
        """Publishing, unpublishing, lifting a restriction and deciding a person's visibility take
        the "publish" permission (extraditions/publication.py); restricting does not."""
        self._before = publication_state(self.instance if self.instance is not None else self.Meta.model)
        after = publication_state(self.Meta.model, {**self._before, **attrs})
        refused = refused_to(request_user(self.context), self.Meta.model, self._before, after)
        if refused:
            raise exceptions.PermissionDenied(" ".join(refused.values()))

    def check_ready_to_publish(self, instance) -> None:
        problems = not_ready(self._before, instance)
        if problems:
            raise serializers.ValidationError({name: [message] for name, message in problems.items()})

    def create(self, validated_data):
        return self.save_instance(validated_data)

    def update(self, instance, validated_data):
        return self.save_instance(validated_data)

    def save_instance(self, validated_data):
        instance = self._unsaved_instance
        instance.save()
        for name, value in validated_data.items():
            if self.is_many_to_many(name):
                getattr(instance, name).set(value)
        return instance


def choice_label(model: type[models.Model], field: str, value) -> str:
    """The human label of a stored choice value, for facets and CSV."""
    try:
        return str(dict(model._meta.get_field(field).flatchoices).get(value, value))
    except Exception:
        return str(value)


class PageHitSerializer(serializers.Serializer):
    document = serializers.CharField(help_text="The title of the source whose attached document matched.")
    page = serializers.CharField(allow_null=True, help_text='The page as printed ("16"); null for a document of one page (HTML, text).')
    url = serializers.CharField(help_text="Opens the document at that page (#page=N).")
    snippet = serializers.CharField(help_text="The page's best passage, HTML-escaped, matches in <mark>.")


class SearchMatchSerializer(serializers.Serializer):
    relevance = serializers.FloatField(help_text="Higher is better; comparable within one list only.")
    snippet = serializers.CharField(help_text="The best passage, HTML-escaped, matches in <mark>.")
    reasons = serializers.ListField(
        child=serializers.CharField(),
        help_text="Why the record matched: a person's name or spelling; for a ruling, each legal ground or "
        "assessment the query names (e.g. relies on ECHR art. 3 — matched “torture”), then each part of the "
        "record where the words were found.",
    )
    pages = PageHitSerializer(
        many=True,
        help_text="The pages of attached documents that matched (a source's document, a ruling's judgment), in order.",
    )


class SearchMatchMixin(serializers.Serializer):
    """``match``: with ``?q=``, how well the record matched and where; null otherwise."""

    match = serializers.SerializerMethodField(
        help_text="With ?q=: how well the record matched and where; null otherwise."
    )

    @extend_schema_field(SearchMatchSerializer(allow_null=True))
    def get_match(self, obj) -> dict | None:
        return self.context.get("search_matches", {}).get(obj.pk)
