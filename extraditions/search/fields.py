"""Search for kinds without a full-text index: every word or "quoted phrase" in one of their fields."""

from __future__ import annotations

import shlex

from django.db.models import Q


def search_terms(query: str) -> list[str]:
    """Words and "quoted phrases" of a query; every one must match."""
    try:
        terms = shlex.split(query)
    except ValueError:  # an unbalanced quote: take the words as they are
        terms = query.replace('"', " ").split()
    return [term for term in terms if term.strip()]


def in_fields(queryset, query: str, fields: tuple[str, ...]):
    """``queryset``'s records in which every term of ``query`` appears in one of ``fields`` (case-insensitive).

    Related records are reached through the lookups of ``fields``: a search must never let a
    restricted related record make a public record match, so only fields the list itself shows
    (a notice's subject's name, a detention's case title) are named.
    """
    for term in search_terms(query):
        queryset = queryset.filter(term_q(term, fields))
    return queryset


def term_q(term: str, fields: tuple[str, ...]) -> Q:
    condition = Q(pk__in=[])  # no search fields: nothing matches
    for field in fields:
        condition |= Q(**{f"{field}__icontains": term})
    return condition
