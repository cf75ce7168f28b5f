"""How the API reads a list's query parameters: filters, search, ordering and facets.

The filters and facets themselves are the resources' (``<app>/filtersets.py``, built on
``extraditions/filtering.py``), shared with the site; this module plugs them into DRF: unknown
parameters refused, ``?q=`` handed to the view's search, ``?ordering=``, ``?facet=`` and the
schema's description of each.
"""

from __future__ import annotations

from django_filters.filterset import BaseFilterSet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from extraditions.filtering import FilterError, RecordFilterSet

from .pagination import OrderingTerm

RELEVANCE = "relevance"  # the annotation a full-text search adds, to order by

# Query parameters that are not filters but that every list understands.
LIST_PARAMETERS = frozenset({"q", "ordering", "cursor", "page_size", "count", "facet", "format"})
DETAIL_PARAMETERS = frozenset({"format"})


# --- filters ---------------------------------------------------------------------------------


class FilterBackend(DjangoFilterBackend):
    """django-filter, refusing unknown parameters instead of silently ignoring them."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        filters = set(filterset_class.base_filters) if filterset_class else set()
        check_known_parameters(request, view, filters)
        if filters.isdisjoint(request.query_params) and only_filters(filterset_class):
            # No filter given: the filter set (copied afresh for each request, with its form) would
            # leave the list as it is. Most requests, and every record's detail, give none.
            return queryset
        try:
            return super().filter_queryset(request, queryset, view)
        except FilterError as error:  # an id of nothing, a moment past the calendar: a 400
            raise ValidationError(error.detail) from error


def only_filters(filterset_class) -> bool:
    """Whether the filter set does nothing but apply the filters given (not, say, annotate every
    record first, as the treaties' status on a date does)."""
    return filterset_class is None or (
        filterset_class.filter_queryset in (BaseFilterSet.filter_queryset, RecordFilterSet.filter_queryset)
        and filterset_class.qs is BaseFilterSet.qs
    )


def check_known_parameters(request, view, filters: set[str]) -> None:
    allowed = (LIST_PARAMETERS if view.action == "list" else DETAIL_PARAMETERS) | filters
    allowed |= set(getattr(view, "extra_query_parameters", ()))
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise ValidationError(
            {name: [f"Unknown query parameter. Known here: {', '.join(sorted(allowed))}."] for name in unknown}
        )


# --- search ----------------------------------------------------------------------------------


class QueryFilter(BaseFilterBackend):
    """``?q=``: the view's ``search`` decides what matches (see RecordViewSet.search).

    A search must never let a restricted related record make a public record match: views reach
    related records only through querysets of what the user may see.
    """

    param = "q"

    def filter_queryset(self, request, queryset, view):
        query = request.query_params.get(self.param, "")
        if len(query) > 500:
            raise ValidationError({self.param: ["A search is at most 500 characters."]})
        return view.search(queryset, query) if query.strip() else queryset

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": view.search_help,
                "schema": {"type": "string"},
            }
        ]


# --- ordering --------------------------------------------------------------------------------


class OrderingBackend(BaseFilterBackend):
    """``?ordering=-decided,court``: the view's ``ordering_fields`` name what may be sorted on."""

    param = "ordering"

    def filter_queryset(self, request, queryset, view):
        view.ordering_terms = self.terms(request, view, queryset)
        return queryset.order_by(*(term.expression() for term in view.ordering_terms), "pk")

    def terms(self, request, view, queryset) -> list[OrderingTerm]:
        ranked = RELEVANCE in queryset.query.annotations
        raw = request.query_params.get(self.param) or ",".join(("-relevance",) if ranked else view.default_ordering)
        terms = []
        for name in (part.strip() for part in raw.split(",") if part.strip()):
            key = name.lstrip("-")
            if key == RELEVANCE and ranked:
                terms.append(OrderingTerm(RELEVANCE, descending=name.startswith("-")))
                continue
            if key not in view.ordering_fields:
                raise ValidationError(
                    {self.param: [f"Cannot order by {key!r}. Choose from: {', '.join(view.ordering_fields)}."]}
                )
            terms.append(OrderingTerm(view.ordering_fields[key], descending=name.startswith("-")))
        return terms

    def get_schema_operation_parameters(self, view):
        names = [f"{sign}{name}" for name in [*view.ordering_fields, RELEVANCE] for sign in ("", "-")]
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": "Sort by one or more comma-separated fields; a leading - reverses. "
                f"Default: {','.join(view.default_ordering)}, or -relevance with q. Records without a value sort last.",
                "schema": {"type": "array", "items": {"type": "string", "enum": names}},
                "style": "form",
                "explode": False,
            }
        ]


# --- facets ----------------------------------------------------------------------------------


class ListParametersBackend(BaseFilterBackend):
    """Documents ``facet`` and ``format`` in the schema; the view acts on them."""

    def filter_queryset(self, request, queryset, view):
        return queryset

    def get_schema_operation_parameters(self, view):
        parameters = [
            {
                "name": "format",
                "required": False,
                "in": "query",
                "description": "csv: the whole filtered list as CSV, streamed (same as Accept: text/csv).",
                "schema": {"type": "string", "enum": ["json", "csv"]},
            }
        ]
        if view.facets:
            parameters.append(
                {
                    "name": "facet",
                    "required": False,
                    "in": "query",
                    "description": "Count the filtered records per value of these fields; repeatable.",
                    "schema": {"type": "array", "items": {"type": "string", "enum": list(view.facets)}},
                    "style": "form",
                    "explode": True,
                }
            )
        return parameters


def requested_facets(request, view) -> list[str]:
    names = request.query_params.getlist("facet")
    unknown = [name for name in names if name not in view.facets]
    if unknown:
        known = ", ".join(view.facets) or "none"
        raise ValidationError({"facet": [f"Unknown facet {name!r}. Known here: {known}." for name in unknown]})
    return list(dict.fromkeys(names))
