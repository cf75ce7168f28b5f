"""A list's records read as rows of columns, not model instances: the serializer's output, fast.

DRF builds a record field by field on model instances, and Django's prefetching builds a queryset
per record and relation: about 1.5 ms a record for a case with its persons, notices and sources.
A :class:`RowPlan` is compiled once per serializer from its declared fields and gives the same
dictionaries from ``values_list`` rows, a chunk at a time:

- a model field is its column, passed through the serializer field's ``to_representation``;
- ``id``, ``url`` and ``match`` come from the stable id and the primary key;
- a partial date from its two columns;
- a related record (a summary) is its key; the summaries of the distinct records a chunk links
  to are built once, by the summary serializer itself, on instances read through
  ``visible_to`` (a record the reader may not see reads as ``None``, as ``hide_invisible_links``
  makes it);
- a list of related records is one query per chunk over the queryset the resource's read shape
  prefetches them with (``<app>/reads.py``: its visibility and order), grouped by record; its
  items are summaries, or rows of a compiled nested serializer.

A serializer with a field the plan cannot read from columns (a method field, a property) is not
compiled (:meth:`RowPlan.compile` returns ``None``) and keeps DRF's path. ``tests/api/
test_projection.py`` checks, for every resource, that both paths give the same records.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Prefetch
from django.db.models.constants import LOOKUP_SEP
from django.db.models.query_utils import DeferredAttribute
from django.urls import get_script_prefix
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from extraditions.identifiers import PLACEHOLDER_ID, basename_of, detail_path, stable_id_field
from extraditions.partial_dates import DatePrecision, PartialDate, PartialDateProperty

from .serializers import (
    PartialDateField,
    RecordSerializer,
    SearchMatchMixin,
    SummaryField,
    SummaryListField,
    SummarySerializer,
    request_user,
)

SUMMARIES_KEPT = 50_000  # summaries remembered between chunks, per model, before starting afresh


class NotCompilable(Exception):
    """A field whose value needs the model instance (a method field, a property)."""


class Reading:
    """What one list's rows are read with: the reader, the request, the read shape's prefetches, and
    the summaries already built."""

    def __init__(self, context: dict, prefetches: dict[str, Prefetch]):
        self.context = context
        self.request = context.get("request")
        self.user = request_user(context)
        self.prefetches = prefetches
        self.summaries: dict[type, dict[Any, dict | None]] = {}  # by summary serializer, then key
        self.latest = None  # the latest change among the rows read (Last-Modified)

    def forget_summaries(self) -> None:
        """Between chunks (never within one, whose nodes hold their summaries until its records are
        built): start afresh where too many are kept, so that memory stays flat."""
        for known in self.summaries.values():
            if len(known) > SUMMARIES_KEPT:
                known.clear()

    def saw(self, changes: Iterable) -> None:
        latest = max((change for change in changes if change is not None), default=None)
        if latest is not None and (self.latest is None or latest > self.latest):
            self.latest = latest

    def summarize(self, summary: serializers.Serializer, keys: Iterable) -> dict[Any, dict | None]:
        """The summaries of the records with these keys, built for the distinct ones not yet built:
        from rows where the summary compiles, else by the summary serializer on instances."""
        model = summary.Meta.model
        known = self.summaries.setdefault(type(summary), {})  # two summaries of one model may differ
        missing = {key for key in keys if key is not None and key not in known}
        if missing:
            records = model.objects.visible_to(self.user).filter(pk__in=missing)
            plan = summary_plan(summary)
            if plan is not None:
                rows = list(records.values_list("pk", *plan.columns))
                known.update(zip((row[0] for row in rows), plan.represent([row[1:] for row in rows], self), strict=True))
            else:
                for record in records:
                    known[record.pk] = summary.to_representation(record)
            for key in missing:
                known.setdefault(key, None)  # the reader may not see it: an empty link
        return known


class Node:
    """One field of the output: the columns it needs and how its value is made from a row."""

    def __init__(self, name: str, columns: tuple[str, ...] = ()):
        self.name = name
        self.columns = columns
        self.at: tuple[int, ...] = ()  # the columns' positions in the row, set by the plan

    def prepare(self, rows: list[tuple], reading: Reading) -> None:
        """Read what this chunk's rows link to."""

    def value(self, row: tuple):
        raise NotImplementedError


class FieldNode(Node):
    """A model field: its column, as the serializer field shows it."""

    def __init__(self, name, model_field, field):
        super().__init__(name, (model_field.attname,))
        # CharField shows str(value): the column is that already.
        self.show = None if type(field).to_representation is serializers.CharField.to_representation else field.to_representation
        # A field with its own descriptor (several countries: "CN,TW" read as a list) gives the
        # instance's value through it: passed through one blank record of the model.
        descriptor = vars(model_field.model).get(model_field.attname)
        self.holder = None if descriptor is None or type(descriptor) is DeferredAttribute else model_field.model()
        self.attname = model_field.attname

    def value(self, row):
        value = row[self.at[0]]
        if self.holder is not None:
            setattr(self.holder, self.attname, value)
            value = getattr(self.holder, self.attname)
        if value is None or self.show is None:
            return value
        return self.show(value)


class DateTimeNode(FieldNode):
    """A date and time in ISO 8601, in the current time zone, as DRF shows it: the zone read once
    per chunk (DRF looks it up for every value, a fifth of a list's time)."""

    def __init__(self, name, model_field, field):
        super().__init__(name, model_field, field)
        self.field, self.zone = field, None

    @staticmethod
    def applies_to(field) -> bool:
        return (
            isinstance(field, serializers.DateTimeField)
            and not hasattr(field, "timezone")
            and str(getattr(field, "format", api_settings.DATETIME_FORMAT)).lower() == ISO_8601
        )

    def prepare(self, rows, reading):
        self.zone = self.field.default_timezone()

    def value(self, row):
        value = row[self.at[0]]
        if not value or self.zone is None or not timezone.is_aware(value):
            return self.field.to_representation(value) if value else None
        text = value.astimezone(self.zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text


class PartialDateNode(Node):
    def __init__(self, name, prop: PartialDateProperty, field):
        super().__init__(name, (prop.date_field, prop.precision_field))
        self.show = field.to_representation

    def value(self, row):
        date = row[self.at[0]]
        return None if date is None else self.show(PartialDate(date, row[self.at[1]] or DatePrecision.DAY))


class IdNode(Node):
    def __init__(self, name, model):
        super().__init__(name, (stable_id_field(model),))

    def value(self, row):
        return str(row[self.at[0]])


class UrlNode(Node):
    """The record's API URL: the stable id between the address's two fixed parts."""

    def __init__(self, name, model):
        super().__init__(name, (stable_id_field(model),))
        self.basename = basename_of(model)
        self.around = None

    def prepare(self, rows, reading):
        if self.basename is not None:
            before, after = detail_path(self.basename, get_script_prefix())
            path = f"{before}{PLACEHOLDER_ID}{after}"
            url = reading.request.build_absolute_uri(path) if reading.request is not None else path
            self.around = tuple(url.split(PLACEHOLDER_ID))

    def value(self, row):
        return None if self.around is None else f"{self.around[0]}{row[self.at[0]]}{self.around[1]}"


class MatchNode(Node):
    """How the record matched a search (``search_matches`` of the serializer's context)."""

    def __init__(self, name):
        super().__init__(name, ("pk",))
        self.matches = {}

    def prepare(self, rows, reading):
        self.matches = reading.context.get("search_matches", {})

    def value(self, row):
        return self.matches.get(row[self.at[0]])


class PropertyNode(Node):
    """A property the model computes from its own columns (``Model.column_properties``), on a
    record made from the row."""

    def __init__(self, name, model, source, field):
        self.fields = [f.attname for f in model._meta.concrete_fields]
        super().__init__(name, tuple(self.fields))
        self.model, self.source, self.show = model, source, field.to_representation

    def value(self, row):
        record = self.model.from_db(None, self.fields, [row[at] for at in self.at])
        value = getattr(record, self.source)
        value = value() if callable(value) else value
        return None if value is None else self.show(value)


class LabelNode(Node):
    """A summary's label: the serializer's ``get_label`` on a record made from the row's columns,
    with the related records its label reads (the summary's ``select_related``) made the same way."""

    def __init__(self, name, model, get_label, related: Iterable[str] = ()):
        self.model, self.get_label = model, get_label
        self.fields = label_fields(model)
        self.related = []  # (the foreign key, its model, its fields' names, their columns)
        columns = list(self.fields)
        for fk_name in related:
            fk = concrete_field(model, fk_name)
            if not fk.many_to_one:
                raise NotCompilable(f"{fk_name}: a label through a list")
            names = label_fields(fk.related_model)
            self.related.append((fk, fk.related_model, names, [f"{fk_name}{LOOKUP_SEP}{n}" for n in names]))
            columns += self.related[-1][3]
        super().__init__(name, tuple(columns))

    def prepare(self, rows, reading):
        # The related records a label reads are loaded with the record: their changes count too.
        for _, _, names, _ in self.related:
            if "updated_at" in names:
                at = self.at[len(self.fields) + names.index("updated_at")]
                reading.saw(row[at] for row in rows)

    def value(self, row):
        at = iter(self.at)
        record = self.model.from_db(None, self.fields, [row[next(at)] for _ in self.fields])
        for fk, related_model, names, _ in self.related:
            values = [row[next(at)] for _ in names]
            if getattr(record, fk.attname) is not None:
                fk.set_cached_value(record, related_model.from_db(None, names, values))
        return self.get_label(record)


def label_fields(model) -> list[str]:
    """The columns a label is made from: all but long texts (a biography, a judgment's full text),
    which no label reads, so they are not fetched for it. A label that did read one would cost a
    query per record: the query-count tests would fail."""
    return [field.attname for field in model._meta.concrete_fields if not isinstance(field, models.TextField)]


class RelatedNode(Node):
    """A related record, as its summary: ``None`` if there is none or the reader may not see it."""

    def __init__(self, name, column, summary):
        super().__init__(name, (column,))
        self.summary = summary
        self.known = {}

    def prepare(self, rows, reading):
        self.known = reading.summarize(self.summary, {row[self.at[0]] for row in rows})

    def value(self, row):
        key = row[self.at[0]]
        return None if key is None else self.known[key]


class ListNode(Node):
    """A list of related records: one query per chunk, grouped by the record they belong to.

    Or the list of a record it links to (``link``: a ruling's case's participants), with the
    summary of what each item links to (``item_key``: their persons)."""

    def __init__(self, name, model, source, item, link: str | None = None, item_key: str = "pk"):
        owner = model
        if link is not None:
            link_field = concrete_field(model, link)
            owner = link_field.related_model
        super().__init__(name, (link_field.attname if link is not None else "pk",))
        self.source = source if link is None else f"{link}{LOOKUP_SEP}{source}"  # the read shape's name for it
        self.item = item  # a compiled nested serializer (ModelPlan) or a summary serializer
        self.item_key = item_key
        self.related_model, self.filter_for, self.parent_key = relation_of(owner, source)
        self.lists: dict[Any, list] = {}

    def prepare(self, rows, reading):
        prefetch = reading.prefetches.get(self.source)
        queryset = prefetch.queryset if prefetch is not None and prefetch.queryset is not None else None
        if queryset is None:
            queryset = self.related_model.objects.visible_to(reading.user)
        keys = list({row[self.at[0]] for row in rows} - {None})
        queryset = queryset.filter(**self.filter_for(keys)).annotate(_listed_under=self.parent_key)
        self.lists = {}
        if isinstance(self.item, ModelPlan):
            items = list(queryset.values_list("_listed_under", *self.item.columns))
            shown = self.item.represent([item[1:] for item in items], reading)
            for item, record in zip(items, shown, strict=True):
                self.lists.setdefault(item[0], []).append(record)
        else:
            pairs = list(queryset.values_list("_listed_under", self.item_key))
            known = reading.summarize(self.item, {pk for _, pk in pairs})
            for key, pk in pairs:
                if known[pk] is not None:
                    self.lists.setdefault(key, []).append(known[pk])

    def value(self, row):
        return self.lists.get(row[self.at[0]], [])


def relation_of(model, source: str):
    """For the list ``model.<source>``: the related model, the filter to the records' keys, and the
    expression naming which record each related row belongs to."""
    field = model._meta.get_field(source)
    if isinstance(field, GenericRelation):
        content_type = ContentType.objects.get_for_model(model)

        def generic_filter(keys):
            return {field.content_type_field_name: content_type, f"{field.object_id_field_name}__in": keys}

        return field.related_model, generic_filter, F(field.object_id_field_name)
    if field.many_to_many and not field.auto_created:  # declared here: the way back from the other side
        back = field.related_query_name()
    elif field.one_to_many or field.many_to_many:  # the reverse of a foreign key or a many-to-many
        back = field.field.name
    else:
        raise NotCompilable(f"{model.__name__}.{source} is not a list")
    return field.related_model, (lambda keys: {f"{back}__in": keys}), F(back)


class ModelPlan:
    """A compiled serializer: its nodes and the columns they read."""

    def __init__(self, serializer: serializers.ModelSerializer):
        self.serializer = serializer
        self.model = serializer.Meta.model
        if type(serializer).to_representation not in (serializers.Serializer.to_representation, RecordSerializer.to_representation):
            raise NotCompilable(f"{type(serializer).__name__} changes its records after its fields")
        self.nodes = [node_for(self.model, name, field) for name, field in serializer.fields.items() if not field.write_only]
        self.columns: list[str] = []
        for node in self.nodes:
            node.at = tuple(self.column(name) for name in node.columns)
        has_changes = any(field.name == "updated_at" for field in self.model._meta.concrete_fields)
        self.changed_at = self.column("updated_at") if has_changes else None
        self.finish = getattr(serializer, "finish_representation", None)

    def column(self, name: str) -> int:
        """The position of a column in the rows, added if no node reads it yet."""
        if name not in self.columns:
            self.columns.append(name)
        return self.columns.index(name)

    def represent(self, rows: list[tuple], reading: Reading) -> list[dict]:
        if self.changed_at is not None:
            reading.saw(row[self.changed_at] for row in rows)
        for node in self.nodes:
            node.prepare(rows, reading)
        nodes = [(node.name, node.value) for node in self.nodes]
        records = [{name: value(row) for name, value in nodes} for row in rows]
        if self.finish is not None:
            records = [self.finish(record) for record in records]
        return records


def summary_plan(summary: SummarySerializer) -> ModelPlan | None:
    """The compiled summary, kept on the summary serializer (one per request's serializer)."""
    if not hasattr(summary, "_row_plan"):
        try:
            summary._row_plan = ModelPlan(summary)
        except NotCompilable:
            summary._row_plan = None
    return summary._row_plan


def node_for(model, name: str, field) -> Node:
    source = field.source
    if isinstance(field, serializers.SerializerMethodField):
        method = getattr(type(field.parent), field.method_name)
        if method in (RecordSerializer.get_id, SummarySerializer.get_id):
            return IdNode(name, model)
        if method in (RecordSerializer.get_url, SummarySerializer.get_url):
            return UrlNode(name, model)
        if method is SearchMatchMixin.get_match:
            return MatchNode(name)
        if hasattr(method, "lists_through"):
            link, relation, item, summary = method.lists_through
            item_key = concrete_field(relation_of(concrete_field(model, link).related_model, relation)[0], item).attname
            return ListNode(name, model, relation, summary(context=field.parent.context), link=link, item_key=item_key)
        if name == "label" and isinstance(field.parent, SummarySerializer):
            return LabelNode(name, model, getattr(field.parent, field.method_name), getattr(field.parent, "select_related", ()))
        raise NotCompilable(f"{name}: a method field")
    if isinstance(field, SummaryListField):
        return ListNode(name, model, source, field.child_relation.summary)
    if isinstance(field, serializers.ListSerializer):
        child = field.child
        item = child if isinstance(child, SummarySerializer) else ModelPlan(child)
        return ListNode(name, model, source, item)
    if isinstance(field, (SummaryField, SummarySerializer)):
        summary = field.summary if isinstance(field, SummaryField) else field
        return RelatedNode(name, concrete_field(model, source).attname, summary)
    if isinstance(field, PartialDateField):
        prop = getattr(model, source, None)
        if not isinstance(prop, PartialDateProperty):
            raise NotCompilable(f"{name}: a partial date that is not a pair of columns")
        return PartialDateNode(name, prop, field)
    if source in getattr(model, "column_properties", ()):
        return PropertyNode(name, model, source, field)
    model_field = concrete_field(model, source)
    if model_field.is_relation:
        raise NotCompilable(f"{name}: a related record without a summary")
    return (DateTimeNode if DateTimeNode.applies_to(field) else FieldNode)(name, model_field, field)


def concrete_field(model, source: str):
    if LOOKUP_SEP in source or "." in source:
        raise NotCompilable(f"{source}: a value through another record")
    try:
        field = model._meta.get_field(source)
    except Exception as error:
        raise NotCompilable(f"{source}: not a column") from error
    if not field.concrete:
        raise NotCompilable(f"{source}: not a column")
    return field


class RowPlan:
    """A list's records as its serializer shows them, read from rows (see the module's docstring)."""

    chunk_size = 2000

    def __init__(self, serializer):
        self.plan = ModelPlan(serializer)

    @classmethod
    def compile(cls, serializer) -> RowPlan | None:
        """The plan for ``serializer`` (built with its request's context), or ``None`` where a field
        needs the model instance."""
        try:
            return cls(serializer)
        except NotCompilable:
            return None

    def records(self, instances: list[models.Model], shaped: models.QuerySet, context: dict) -> tuple[list[dict], Any]:
        """The records of a page already read (its instances, without their related rows), and the
        latest change among everything read for them. ``shaped``: the list's queryset with its read
        shape, whose prefetches say how related lists are read."""
        reading = Reading(context, prefetches_of(shaped))
        rows = [tuple(column_value(instance, column) for column in self.plan.columns) for instance in instances]
        return self.plan.represent(rows, reading), reading.latest

    def chunks(self, queryset: models.QuerySet, context: dict) -> Iterator[list[dict]]:
        """The records of ``queryset`` (with its read shape's prefetches) as the serializer shows
        them, a chunk at a time; the rows are read through a server-side cursor on PostgreSQL."""
        reading = Reading(context, prefetches_of(queryset))
        # The annotations are read too, then dropped: an order by one that is not selected is
        # written out in the ORDER BY, and a constant there (a search's relevance when every match
        # scores the same) is an error on PostgreSQL.
        annotations = list(queryset.query.annotation_select)
        width = len(self.plan.columns)
        rows = queryset.prefetch_related(None).values_list(*self.plan.columns, *annotations).iterator(chunk_size=self.chunk_size)
        while chunk := list(islice(rows, self.chunk_size)):
            reading.forget_summaries()
            yield self.plan.represent([row[:width] for row in chunk] if annotations else chunk, reading)


def records_alone(queryset: models.QuerySet) -> models.QuerySet:
    """The records of a read shape without what it loads with them: a plan reads that itself."""
    return queryset.prefetch_related(None).select_related(None)


def prefetches_of(queryset: models.QuerySet) -> dict[str, Prefetch]:
    return {lookup.prefetch_to: lookup for lookup in queryset._prefetch_related_lookups if isinstance(lookup, Prefetch)}


def column_value(instance: models.Model, column: str):
    """A column as ``values_list`` reads it: the instance's stored value, not its descriptor's."""
    if column == "pk":
        return instance.pk
    try:
        return instance.__dict__[column]
    except KeyError:
        return getattr(instance, column)  # deferred: read now (a plan reads what the list shows)
