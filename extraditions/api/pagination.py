"""Keyset ("cursor") pagination: the 10,000th page costs what the first one costs.

An offset (``LIMIT 50 OFFSET 500000``) makes the database walk every skipped row; a keyset asks
for "the rows after this one in this order", which an index answers directly. The cursor holds
the ordering values of the last row seen (and its primary key, which breaks ties), so it also
stays correct while rows are added. Null values sort last whichever the direction, as partial
dates are often unknown.

The cursor is signed (django.core.signing, salted for this purpose and for the list and ordering
it was made for): a client can follow it but not forge it, nor replay it on another list or
ordering. A cursor that fails the signature, or whose values are not what the ordering's columns
hold, is a 400.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.core import exceptions, signing
from django.db.models import F, Q
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from extraditions.caching import cached_query_result


@dataclass(frozen=True)
class OrderingTerm:
    field: str  # a column of the model (no relations)
    descending: bool = False

    def expression(self, forward: bool = True):
        """Forward: the order asked for, nulls last. Backward: its exact mirror image."""
        if forward:
            return F(self.field).desc(nulls_last=True) if self.descending else F(self.field).asc(nulls_last=True)
        return F(self.field).asc(nulls_first=True) if self.descending else F(self.field).desc(nulls_first=True)


def keyset_condition(terms: list[OrderingTerm], values: list, forward: bool = True, nulls: bool = True) -> Q:
    """Rows strictly after ``values`` (or before, going backward) in the order of ``terms``.

    The last term must be unique and never null (the primary key). ``nulls=False`` leaves out the
    rows whose first term is null (they come last going forward): see :func:`rows_after`.
    """
    term, value, rest = terms[0], values[0], (terms[1:], values[1:])
    beyond = Q(**{f"{term.field}__{'lt' if term.descending == forward else 'gt'}": value})
    if not rest[0]:
        return beyond
    tie = Q(**{term.field: value}) if value is not None else Q(**{f"{term.field}__isnull": True})
    tied_then_beyond = tie & keyset_condition(*rest, forward=forward)
    if forward:
        # Nulls come last: after a value come the greater values and then all the nulls.
        if value is None:
            return tied_then_beyond
        if not nulls:
            return beyond | tied_then_beyond
        return beyond | Q(**{f"{term.field}__isnull": True}) | tied_then_beyond
    # Going backward, nulls come first: before a value come the smaller values; before a null, every value.
    if value is None:
        return Q(**{f"{term.field}__isnull": False}) | tied_then_beyond
    return beyond | tied_then_beyond


def rows_after(queryset, terms: list[OrderingTerm], values: list | None, forward: bool, limit: int) -> list:
    """Up to ``limit`` rows after the cursor's ``values`` (from the start without one), in order.

    Going forward past a value, the rows with a value beyond it are asked for with a plain range
    on the first term, which an index on the order answers by starting where the cursor points:
    "a < X or a is null or (a = X and …)" would make the database read every row before it.
    The rows whose first term is null come last, so they are asked for only if the page is not full.
    """
    order = [term.expression(forward) for term in terms]
    if values is None:
        return list(queryset.order_by(*order)[:limit])
    first, value = terms[0], values[0]
    if not forward or value is None or len(terms) == 1:
        return list(queryset.filter(keyset_condition(terms, values, forward)).order_by(*order)[:limit])
    bound = Q(**{f"{first.field}__{'lte' if first.descending else 'gte'}": value})
    rows = list(queryset.filter(bound, keyset_condition(terms, values, forward, nulls=False)).order_by(*order)[:limit])
    if len(rows) < limit and column_of(queryset, first.field).null:  # an annotation (relevance) too
        nulls = queryset.filter(**{f"{first.field}__isnull": True}).order_by(*order)
        rows += list(nulls[: limit - len(rows)])
    return rows


def encode_value(value):
    """A column value as JSON; the database reads it back from its text form (dates, UUIDs, countries)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def column_of(queryset, field: str):
    """The model field, or the annotation's output field (relevance), a term orders by."""
    if field in queryset.query.annotations:
        return queryset.query.annotations[field].output_field
    return queryset.model._meta.pk if field == "pk" else queryset.model._meta.get_field(field)


def holds(column, value) -> bool:
    """Whether ``value`` is exactly what :func:`encode_value` writes for a value ``column`` can hold.

    A second line of defence behind the signature: an impossible date, a number out of the
    column's range, a string with a NUL (PostgreSQL refuses it) or a value of the wrong JSON type
    would otherwise reach the database as a comparison it cannot make.
    """
    if value is None:
        return column.null
    if isinstance(value, (list, dict)):
        return False
    try:
        python = column.to_python(value)
        column.run_validators(python)
    except (exceptions.ValidationError, ValueError, TypeError, ArithmeticError):
        return False
    if isinstance(python, str) and "\x00" in python:
        return False
    if isinstance(python, float) and not math.isfinite(python):
        return False
    encoded = encode_value(python)
    return type(encoded) is type(value) and encoded == value


CURSOR_SALT = "extraditions.api.cursor"


def cursor_signer(view, terms: list[OrderingTerm]) -> signing.Signer:
    """The signer of one list's cursors in one ordering: a cursor made for another list or another
    ordering fails its signature. The separator keeps the cursor URL-safe."""
    endpoint = getattr(view, "basename", None) or f"{type(view).__module__}.{type(view).__qualname__}"
    ordering = ",".join(f"{'-' if term.descending else ''}{term.field}" for term in terms)
    return signing.Signer(salt=f"{CURSOR_SALT}:{endpoint}:{ordering}", sep=".")


class KeysetPagination(BasePagination):
    page_size = 50
    max_page_size = 1000
    search_count_cap = 1000  # a search's count is exact up to here
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    count_query_param = "count"
    invalid_cursor_message = (
        "The cursor is not valid here: use the next or previous link of a list as given, "
        "on the same list and with the same ordering."
    )

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        terms = [*view.ordering_terms, OrderingTerm("pk")]
        self.signer = cursor_signer(view, terms)
        cursor_values, forward = self.decode_cursor(request, terms, queryset)

        # Counting is one query over the filtered set; a script walking a huge table can skip it.
        # A search's matches are counted up to search_count_cap: its best matches come first, and
        # counting thousands of loose matches cost more than finding the best ones.
        self.count = self.count_exact = None
        if self.wants_count(request):
            if request.query_params.get("q", "").strip():
                counted = cached_query_result("capped-count", queryset, request.user, lambda: self.capped_count(queryset))
                self.count, self.count_exact = min(counted, self.search_count_cap), counted <= self.search_count_cap
            else:
                self.count, self.count_exact = cached_query_result("count", queryset, request.user, queryset.count), True

        rows = rows_after(queryset, terms, cursor_values, forward, self.page_size + 1)
        has_more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if not forward:
            rows.reverse()

        def cursor_at(row, direction_forward):
            values = [encode_value(getattr(row, "pk" if t.field == "pk" else t.field)) for t in terms]
            return self.encode_cursor(values, direction_forward)

        more_after = has_more if forward else cursor_values is not None
        more_before = cursor_values is not None if forward else has_more
        self.next_url = cursor_at(rows[-1], True) if rows and more_after else None
        self.previous_url = cursor_at(rows[0], False) if rows and more_before else None
        return rows

    def capped_count(self, queryset) -> int:
        """The matches, counted up to one past the cap (the ids alone, without ranking them)."""
        return queryset.order_by().values("pk")[: self.search_count_cap + 1].count()

    def wants_count(self, request) -> bool:
        raw = request.query_params.get(self.count_query_param, "")
        if raw not in ("", "true", "false"):
            raise ValidationError({self.count_query_param: ["Give true or false."]})
        return raw != "false"

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [f"Give a whole number from 1 to {self.max_page_size}."]})
        return size

    def decode_cursor(self, request, terms: list[OrderingTerm], queryset):
        """The values and direction of the cursor given, checked: signed for this list and
        ordering, and holding for each term a value its column can hold."""
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None, True
        try:
            payload = self.signer.unsign_object(raw)
            values, forward = payload["v"], payload["f"]
        except (signing.BadSignature, ValueError, KeyError, TypeError, UnicodeError):
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from None
        if not (
            isinstance(values, list)
            and len(values) == len(terms)
            and isinstance(forward, bool)
            and all(holds(column_of(queryset, term.field), value) for term, value in zip(terms, values, strict=True))
        ):
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})
        return values, forward

    def encode_cursor(self, values, forward: bool) -> str:
        token = self.signer.sign_object({"v": values, "f": forward})
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, token)

    def get_paginated_response(self, data):
        return Response(self.page_envelope(data))

    def page_envelope(self, data, facets=None) -> dict:
        envelope = {"count": self.count, "count_exact": self.count_exact, "next": self.next_url, "previous": self.previous_url}
        if facets is not None:
            envelope["facets"] = facets
        envelope["results"] = data
        return envelope

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_exact", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": ["integer", "null"],
                    "description": (
                        f"Records matching the filters (null with count=false). A search (q) counts its "
                        f"matches up to {self.search_count_cap}: beyond, count is {self.search_count_cap} "
                        "and count_exact false."
                    ),
                },
                "count_exact": {
                    "type": ["boolean", "null"],
                    "description": "Whether count is the exact number (false: at least count; null with count=false).",
                },
                "next": {"type": ["string", "null"], "format": "uri", "description": "The next page."},
                "previous": {"type": ["string", "null"], "format": "uri", "description": "The previous page."},
                "facets": {
                    "type": "object",
                    "description": "With ?facet=…: for each facet asked for, the count of records per value.",
                    "additionalProperties": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["value", "label", "count"],
                            "properties": {
                                "value": {"type": ["string", "integer", "boolean", "null"]},
                                "label": {"type": "string"},
                                "count": {"type": "integer"},
                            },
                        },
                    },
                },
                "results": {**schema, "description": "This page's records."},
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position in the list; follow the next and previous links.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Records per page, 1 to {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
            {
                "name": self.count_query_param,
                "required": False,
                "in": "query",
                "description": "count=false skips counting the matching records.",
                "schema": {"type": "string", "enum": ["true", "false"]},
            },
        ]

