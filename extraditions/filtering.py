"""Filtering and facets shared by every list, in the API and on the site.

Each resource declares a :class:`RecordFilterSet` (django-filter) in its app's ``filtersets.py``,
with the filters a user would reach for and the :class:`Facet` values its lists count by; this
module gives them their common parts: ``updated_since`` for incremental sync, partial-date ranges
(``decided_after=2019``), choices that accept several values (``outcome=refused&outcome=pending``),
and countries by ISO code. What reads query parameters off a request (unknown parameters refused,
``?facet=``, ``?ordering=``) is each channel's: ``extraditions/api/filters.py`` for the API.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.http import QueryDict
from django_countries import countries
from django_filters.widgets import BooleanWidget
from drf_spectacular.utils import extend_schema_field

from extraditions.caching import cached_query_result
from extraditions.partial_dates import PartialDate


class FilterError(Exception):
    """A value a filter's form field accepted but the filter refuses once it looks at the records
    (an id of nothing, a moment past the calendar): ``detail`` is ``{parameter: [messages]}``. The
    API answers it as a 400; a site list page says which parameter it left out."""

    def __init__(self, detail: dict[str, list[str]]):
        super().__init__(detail)
        self.detail = detail


# --- filters ---------------------------------------------------------------------------------


class PartialDateFormField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError:
            raise forms.ValidationError("Enter a date as YYYY, YYYY-MM or YYYY-MM-DD.") from None


class PartialDateBoundFilter(django_filters.Filter):
    """``decided_after=2019`` (from 1 January 2019), ``decided_before=2019-06`` (to 30 June 2019).

    Records whose date is known only to the year or month are stored at the first day of that
    period and compared by it.
    """

    field_class = PartialDateFormField

    def __init__(self, *args, bound: str, **kwargs):
        self.bound = bound  # "after" or "before"
        kwargs.setdefault(
            "help_text",
            f"{'On or after' if bound == 'after' else 'On or before'} a date: YYYY, YYYY-MM or YYYY-MM-DD.",
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        if self.bound == "after":
            return qs.filter(**{f"{self.field_name}__gte": value.first_day})
        return qs.filter(**{f"{self.field_name}__lte": value.last_day})


def date_range(field_name: str) -> tuple[PartialDateBoundFilter, PartialDateBoundFilter]:
    """The filters ``<name>_after`` and ``<name>_before`` on a date column::

        decided_after, decided_before = date_range("decided_on")
    """
    return (
        PartialDateBoundFilter(field_name=field_name, bound="after"),
        PartialDateBoundFilter(field_name=field_name, bound="before"),
    )


class StrictBooleanField(forms.NullBooleanField):
    """What the widget read as true or false; empty is no filter; anything else is an error."""

    def to_python(self, value):
        if value in (None, "") or isinstance(value, bool):
            return super().to_python(value)
        raise forms.ValidationError("Give true or false.", code="invalid")


class StrictBooleanWidget(BooleanWidget):
    """Reads true/false (and 1/0) as django-filter's widget does, but hands a value it does not
    know to the field, which refuses it (django-filter's turns it into "no filter", so
    ``ongoing=yes`` silently listed everything)."""

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        raw = data.get(name)
        return raw if value is None and raw not in (None, "") else value


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, widget=StrictBooleanWidget, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 9999})
class YearFilter(django_filters.NumberFilter):
    """A whole year from 1 to 9999, the years a date can hold: ``decided_year=0`` or ``2021.5`` is a
    400, not a database error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=9999, **kwargs)


def year(field_name: str) -> YearFilter:
    """Records dated in a year, to go with a ``Facet.year`` of the same name (``decided_year=2021``)."""
    return YearFilter(field_name=field_name, lookup_expr="year", help_text="In this year.")


def choices_of(model, path: str):
    """The choices of the model field at the end of ``path`` (e.g. ``case__outcome``)."""
    opts = model._meta
    parts = path.split("__")
    for part in parts[:-1]:
        opts = opts.get_field(part).related_model._meta
    return opts.get_field(parts[-1]).choices


def crosses_many(model, path: str) -> bool:
    """Whether a lookup path goes through a to-many relation (and so may repeat rows)."""
    opts = model._meta
    for part in path.split("__")[:-1]:
        relation = opts.get_field(part)
        if relation.many_to_many or relation.one_to_many:
            return True
        opts = relation.related_model._meta
    return False


def related_model(model, relation: str):
    for part in relation.split("__"):
        model = model._meta.get_field(part).related_model
    return model


class VisibleRelationMixin:
    """A filter on a related record's field only looks at related records the user may see.

    ``case__host_country=TH`` on notices becomes "linked to a case the user may see, hosted in
    Thailand": a restricted case can never make a public record match, which would reveal it.
    """

    def apply(self, qs, condition: Q):
        relation, _, _ = self.field_name.rpartition("__")
        if not relation:
            return qs.filter(condition)
        target = related_model(qs.model, relation)
        visible = target.objects.visible_to(getattr(self.parent.request, "user", None)).filter(condition)
        qs = qs.filter(**{f"{relation}__in": visible})
        return qs.distinct() if crosses_many(qs.model, self.field_name) else qs

    @property
    def target_field(self) -> str:
        return self.field_name.rpartition("__")[2]


class ChoiceFilter(VisibleRelationMixin, django_filters.MultipleChoiceFilter):
    """One or more values of a choice field; any of them matches."""

    def filter(self, qs, value):
        if not value:
            return qs
        return self.apply(qs, Q(**{f"{self.target_field}__in": value}))


def choice(model, path: str, help_text: str = "") -> ChoiceFilter:
    return ChoiceFilter(field_name=path, choices=choices_of(model, path), help_text=help_text or "One or more values; any matches.")


class UppercaseMultipleChoiceField(django_filters.fields.MultipleChoiceField):
    def clean(self, value):
        return super().clean([item.upper() for item in value] if value else value)


class SharedChoices(list):
    """Choices that every copy of a filter shares: the filter set each request copies (django-filter
    deep-copies its filters) holds a reference, not 250 countries to copy (500 of them, on every
    request to a list with two country filters)."""

    def __deepcopy__(self, memo):
        return self


COUNTRY_CHOICES = SharedChoices(countries)


class CountryCodeFilter(VisibleRelationMixin, django_filters.MultipleChoiceFilter):
    """Countries by ISO 3166-1 alpha-2 code (``TH``, ``se``); several values match any of them."""

    field_class = UppercaseMultipleChoiceField

    def __init__(self, *args, contains: bool = False, **kwargs):
        self.contains = contains  # for a field holding several countries ("CN,TW")
        kwargs.setdefault("choices", COUNTRY_CHOICES)
        kwargs.setdefault("help_text", "ISO 3166-1 alpha-2 code; one or more.")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        condition = Q()
        for code in value:
            condition |= Q(**{f"{self.target_field}__{'contains' if self.contains else 'exact'}": code})
        return self.apply(qs, condition)


class StableIdsFormField(forms.CharField):
    # More ids than a page can hold is no longer a question a list answers; and SQLite refuses a
    # query with hundreds of thousands of variables (a 503 instead of the 400 it is).
    MAX_IDS = 1000

    def __init__(self, *args, uuids: bool = False, **kwargs):
        self.uuids = uuids
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        ids = [item.strip() for item in (value or "").split(",") if item.strip()]
        if len(ids) > self.MAX_IDS:
            raise forms.ValidationError(f"Give at most {self.MAX_IDS} ids.")
        if self.uuids:
            try:
                return [str(uuid.UUID(item)) for item in ids]
            except ValueError:
                raise forms.ValidationError("Give ids as UUIDs, comma-separated.") from None
        return ids


def parameter_name(filter_) -> str:
    """The query parameter a filter answers to (django-filter keeps it only as its set's key)."""
    return next(name for name, candidate in filter_.parent.filters.items() if candidate is filter_)


class StableIdFilter(VisibleRelationMixin, django_filters.Filter):
    """A related record by its stable id (``case__slug``, ``subject__uid``); several comma-separated ids match any."""

    field_class = StableIdsFormField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", "The id of the related record; several ids, comma-separated, match any.")
        super().__init__(*args, **kwargs)
        self.extra["uuids"] = self.field_name.endswith("uid")

    def filter(self, qs, value):
        if not value:
            return qs
        self.check_ids_exist(qs.model, value)
        return self.apply(qs, Q(**{f"{self.target_field}__in": value}))

    def check_ids_exist(self, model, ids: list[str]) -> None:
        """A mistyped id is an error, not an empty list. A record the user may not see is
        reported exactly like one that does not exist."""
        relation = self.field_name.rpartition("__")[0]
        target = related_model(model, relation)
        visible = target.objects.visible_to(getattr(self.parent.request, "user", None))
        found = {str(v) for v in visible.filter(**{f"{self.target_field}__in": ids}).values_list(self.target_field, flat=True)}
        missing = [item for item in ids if item not in found]
        if missing:
            noun = target._meta.verbose_name
            raise FilterError({parameter_name(self): [f"No {noun} with id {item!r}." for item in missing]})


class SinceFilter(django_filters.IsoDateTimeFilter):
    """A moment, compared in UTC: ISO 8601 allows offsets up to ±23:59, PostgreSQL only ±15:59."""

    def filter(self, qs, value):
        if value is not None:
            try:
                value = value.astimezone(datetime.UTC)
            except OverflowError:  # year 1 or 9999 pushed past the calendar by its offset
                raise FilterError({parameter_name(self): ["Give a time between the years 1 and 9999."]}) from None
        return super().filter(qs, value)


NO_VALUE = "none"  # a facet's filter given this selects the records its "Unknown" counts


class RecordFilterSet(django_filters.FilterSet):
    """Filters every resource has; ``facets``: what its lists may count records by (``?facet=``).

    Each facet value is a filter that gives exactly its count: the filter of a facet's name takes
    its values, and ``none`` for the records with no value (counted as "Unknown":
    ``?ground=none``, rulings relying on no recorded provision); with other values it adds those
    records to theirs (``?country=none&country=SE``).
    """

    facets: dict[str, Facet] = {}

    def __init__(self, data=None, *args, **kwargs):
        self.no_value: set[str] = set()  # facets asked for their records without a value
        if data is not None:
            for name in set(self.facets) & set(self.base_filters):
                values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
                if NO_VALUE in values:
                    data = data.copy()
                    if hasattr(data, "setlist"):
                        data.setlist(name, [value for value in values if value != NO_VALUE])
                    else:
                        data.pop(name)
                    self.no_value.add(name)
        super().__init__(data, *args, **kwargs)

    def filter_queryset(self, queryset):
        if not self.no_value:
            return super().filter_queryset(queryset)
        for name, value in self.form.cleaned_data.items():
            if name not in self.no_value:
                queryset = self.filters[name].filter(queryset, value)
                continue
            without = queryset.filter(self.facets[name].no_value_q(queryset.model))
            if value in (None, "", []):
                queryset = without
            else:  # either the values given, or none
                given = self.filters[name].filter(queryset, value)
                queryset = queryset.filter(Q(pk__in=given.values("pk")) | Q(pk__in=without.values("pk")))
        return queryset

    updated_since = SinceFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Records changed at or after this time (ISO 8601), for incremental sync.",
    )
    created_since = SinceFilter(
        field_name="created_at", lookup_expr="gte", help_text="Records created at or after this time (ISO 8601)."
    )

    @property
    def user(self):
        return getattr(self.request, "user", None)

    @classmethod
    def allowed_values(cls, name: str) -> str:
        """What a parameter accepts, in words, for a message about a value it refused."""
        filter_ = cls.base_filters.get(name)
        if isinstance(filter_, CountryCodeFilter):
            return "a country's ISO 3166-1 alpha-2 code, such as TH or SE"
        if isinstance(filter_, django_filters.MultipleChoiceFilter | django_filters.ChoiceFilter):
            values = [str(value) for value, _ in filter_.extra.get("choices", ())]
            if name in cls.facets:
                values.append(NO_VALUE)
            return "one or more of " + ", ".join(values) if values else ""
        return ""  # a date's or an id's own message already says what it takes


# --- facets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facet:
    """A value to count records by, over the filtered list (``?facet=outcome``).

    A facet follows a path from the record; it must not cross a to-many relation to records
    with their own visibility (a case's persons), whose restricted members it would count.
    """

    path: str
    labels: Callable[[list], dict] = field(default=lambda values: {})
    by_year: bool = False

    @classmethod
    def choice(cls, model, path: str) -> Facet:
        choices = {value: str(label) for value, label in choices_of(model, path)}
        return cls(path, lambda values: choices)

    @classmethod
    def enum(cls, path: str, choices) -> Facet:
        """A value computed by the query (an annotation) with known choices."""
        labels = {value: str(label) for value, label in choices}
        return cls(path, lambda values: labels)

    @classmethod
    def country(cls, path: str) -> Facet:
        return cls(path, lambda values: {code: countries.name(code) for code in values if code})

    @classmethod
    def related(cls, path: str, model, key: str = "slug") -> Facet:
        def labels(values):
            return {getattr(obj, key): str(obj) for obj in model.objects.filter(**{f"{key}__in": values})}

        return cls(path, labels)

    @classmethod
    def year(cls, path: str) -> Facet:
        return cls(path, by_year=True)

    def no_value_q(self, model) -> Q:
        """The records this facet counts as "Unknown": no value at the end of its path (no related
        record at all, for a list), or an empty text."""
        condition = Q(**{f"{self.path}__isnull": True})
        relation, _, name = self.path.rpartition("__")
        target = related_model(model, relation) if relation else model
        try:
            is_text = isinstance(target._meta.get_field(name), (models.CharField, models.TextField))
        except FieldDoesNotExist:  # a value the query computes (a treaty's status on a date)
            is_text = False
        return condition | Q(**{self.path: ""}) if is_text else condition

    def counts_for(self, queryset, user) -> list[dict]:
        """:meth:`counts`, cached for the public until the data changes (extraditions/caching.py)."""
        return cached_query_result(f"facet:{self.path}:{self.by_year}", queryset, user, lambda: self.counts(queryset))

    def counts(self, queryset) -> list[dict]:
        value = ExtractYear(self.path) if self.by_year else F(self.path)
        rows = list(
            queryset.order_by()
            .prefetch_related(None)
            .values(facet_value=value)
            .annotate(facet_count=Count("pk", distinct=True))
            .order_by("-facet_count", "facet_value")
        )
        labels = self.labels([row["facet_value"] for row in rows])
        return [
            {
                "value": row["facet_value"],
                "label": labels.get(row["facet_value"]) or ("Unknown" if row["facet_value"] in (None, "") else str(row["facet_value"])),
                "count": row["facet_count"],
            }
            for row in rows
        ]




# --- listings --------------------------------------------------------------------------------


def _ranked_search(queryset, query: str, user):
    from extraditions.search.backends import ranked

    return ranked(queryset, query)


@dataclass(frozen=True)
class Listing:
    """A public list of one kind of record, as its page shows it: its filter set, and its search
    (``q``). Declared once in the app's ``listings.py`` and used by the page, its Atom feed and the
    saved searches that send alerts, so that the same parameters always select the same records.

    ``name`` is the list's name in feed and alert addresses (``/feeds/rulings/``); ``page`` the URL
    name of its page on the site.
    """

    name: str
    model: type
    filterset_class: type
    page: str
    noun: str  # "ruling": what one record of the list is called
    title: str  # "Court rulings": what the list is called
    search: Callable = _ranked_search  # (queryset, query, user) -> the matching records, with ``relevance``

    def filter(self, params, queryset, request=None) -> tuple[models.QuerySet, dict[str, list[str]]]:
        """``queryset`` narrowed by the filters of ``params`` understood. A value a filter refuses
        (``ground=none``, a date that does not exist) is left out, and returned with why (and what
        would have been understood) by parameter: neither a silently empty list nor an error."""
        kept = QueryDict(mutable=True)
        for key in params:
            if key in self.filterset_class.base_filters:
                kept.setlist(key, params.getlist(key))
        refused: dict[str, list[str]] = {}
        while True:
            filterset = self.filterset_class(kept, queryset, request=request)
            if filterset.is_valid():
                try:
                    return filterset.qs, refused
                except FilterError as error:  # a filter that checks ids against the records
                    errors = {name: [str(message) for message in messages] for name, messages in error.detail.items()}
            else:
                errors = {name: list(messages) for name, messages in filterset.errors.items()}
            for name, messages in errors.items():
                if allowed := self.filterset_class.allowed_values(name):
                    messages.append(f"Allowed: {allowed}.")
            refused |= errors
            if not [name for name in errors if kept.pop(name, None) is not None]:
                kept.clear()  # an error of no one parameter: no filter is applied

    def records(self, params, user, request=None) -> tuple[models.QuerySet, dict[str, list[str]]]:
        """What ``user`` may see of the list with ``params`` (its filters and ``q``), unordered,
        with the parameters refused."""
        from extraditions.visibility import visible_to

        # The filters that check linked records read the user off the request: outside one, ``user``.
        request = request or SimpleNamespace(user=user)
        queryset, refused = self.filter(params, visible_to(self.model._default_manager.all(), user), request)
        query = (params.get("q") or "").strip()[:500]
        if query:
            queryset = self.search(queryset, query, user)
        return queryset, refused

    def params_of(self, params) -> QueryDict:
        """The parameters that select records in this list (its filters and ``q``), in a stable
        order: what a feed's or a saved search's address keeps, so that equal searches are equal."""
        kept = QueryDict(mutable=True)
        for key in sorted(params):
            if key == "q" or key in self.filterset_class.base_filters:
                values = sorted(value for value in params.getlist(key) if value.strip())
                if values:
                    kept.setlist(key, values)
        return kept
