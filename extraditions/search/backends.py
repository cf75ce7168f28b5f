"""Matching and ranking, the database-specific part of search.

Both backends index the same folded text (:func:`extraditions.search.text.fold`) and accept the
same query syntax, so they find the same records; they rank them by their own measure:

- PostgreSQL: ``websearch_to_tsquery('simple', …)`` against a weighted ``tsvector`` (names and
  titles weigh A, summaries B, full texts C), ranked by ``ts_rank``.
- SQLite: the query translated to FTS5 syntax, ranked by ``bm25`` with column weights 10, 10, 4, 1.

The ``simple`` configuration does not stem: a word matches itself in any language, which is what
rulings in English, Swedish, Czech, Polish and Spanish need of one index.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, FloatField, OuterRef, Q, Subquery, TextField, Value
from django.db.models.expressions import RawSQL

from .models import SearchDocument
from .text import fold, fts5_query, parse_query

PARTS = ("names", "title", "summary", "body")
POSTGRES_WEIGHTS = {"names": "A", "title": "A", "summary": "B", "body": "C"}
SQLITE_WEIGHTS = (10.0, 10.0, 4.0, 1.0)
FTS_TABLE = "extraditions_search_fts"


class PostgresBackend:
    def store(self, document: SearchDocument) -> None:
        vector = None
        for part in PARTS:
            text = Value(fold(getattr(document, part)), output_field=TextField())
            piece = SearchVector(text, config="simple", weight=POSTGRES_WEIGHTS[part])
            vector = piece if vector is None else vector + piece
        SearchDocument.objects.filter(pk=document.pk).update(vector=vector)

    def forget(self, document_ids: list[int]) -> None:
        pass  # the rows themselves are the index

    def query(self, text: str) -> SearchQuery:
        return SearchQuery(fold(text), config="simple", search_type="websearch")

    def matching(self, model, text: str) -> Q:
        documents = SearchDocument.objects.filter(content_type=content_type(model), vector=self.query(text))
        return Q(pk__in=documents.values("object_id"))

    def relevance(self, model, text: str):
        rank = (
            SearchDocument.objects.filter(content_type=content_type(model), object_id=OuterRef("pk"))
            .annotate(rank=SearchRank(F("vector"), self.query(text)))
            .values("rank")[:1]
        )
        return Subquery(rank, output_field=FloatField())


class SQLiteBackend:
    def store(self, document: SearchDocument) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [document.pk])
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, names, title, summary, body) VALUES (%s, %s, %s, %s, %s)",
                [document.pk, *(fold(getattr(document, part)) for part in PARTS)],
            )

    def forget(self, document_ids: list[int]) -> None:
        if document_ids:
            with connection.cursor() as cursor:
                marks = ", ".join(["%s"] * len(document_ids))
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", document_ids)

    def matching(self, model, text: str) -> Q:
        query = fts5_query(text)
        if query is None:
            return Q(pk__in=[])
        sql = (
            f"SELECT d.object_id FROM {FTS_TABLE} JOIN extraditions_searchdocument d ON d.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND d.content_type_id = %s"
        )
        return Q(pk__in=RawSQL(sql, [query, content_type(model).pk]))

    def relevance(self, model, text: str):
        query = fts5_query(text) or '""'
        weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
        # bm25 is lower for better matches; negated so that, as on PostgreSQL, higher is better.
        sql = (
            f"SELECT -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "
            f"JOIN extraditions_searchdocument d ON d.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND d.content_type_id = %s AND d.object_id = {model._meta.db_table}.{model._meta.pk.column}"
        )
        return RawSQL(sql, [query, content_type(model).pk], output_field=FloatField())


def content_type(model) -> ContentType:
    return ContentType.objects.get_for_model(model)


def backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()


def is_searchable(text: str) -> bool:
    """Whether a query has anything to look for (not only excluded words)."""
    return bool(parse_query(text))


def ranked(queryset, query: str):
    """The records of ``queryset`` that match ``query``, each annotated with its ``relevance``."""
    if not is_searchable(query):
        return queryset.none()
    engine, model = backend(), queryset.model
    return queryset.filter(engine.matching(model, query)).annotate(relevance=engine.relevance(model, query))
