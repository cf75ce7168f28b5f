"""Matching and ranking, the database-specific part of search.

Both backends index the same folded text (:func:`extraditions.search.text.fold`) and accept the
same query syntax, so they find the same records; they rank them by their own measure:

- PostgreSQL: ``websearch_to_tsquery('simple', …)`` against a weighted ``tsvector`` (names and
  titles weigh A, summaries B, full texts C), ranked by ``ts_rank`` over names, titles and
  summaries only: ranking thousands of matches over their full texts took seconds (a match in
  the full text alone ranks after them all, by id).
- SQLite: the query translated to FTS5 syntax, ranked by the matches FTS5 finds in each part of
  the document (names and titles weigh 10, summaries 4; a match in the full text alone ranks
  after them all, by id, as on PostgreSQL).

A score depends on the record's own document and the query, never on other documents: hidden
records are in the same index, and a measure with corpus-wide statistics (FTS5's ``bm25``: how
many documents hold a word, their average length) changed the public's scores and order when a
draft or a restricted record holding the words was added, telling whoever watched that it
exists (tests/extraditions/test_search_isolation.py). PostgreSQL's ``ts_rank`` without
normalisation reads the document's vector alone.

Both are given text already folded and stemmed (:func:`extraditions.search.text.index_text`), and
queries stemmed the same way: PostgreSQL's ``simple`` configuration adds no stemming of its own, so
the two databases find the same records.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, FloatField, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL

from .models import SearchDocument
from .text import fts5_query, index_text, parse_query, websearch_query

PARTS = ("names", "title", "grounds", "summary", "body")  # SQLite's FTS5 table has these columns, in this order
RANKED_PARTS = ("names", "title", "grounds", "summary")
FULL_TEXT_ONLY_RANK = 0.001  # every result matches somewhere: one found in its full text alone ranks lowest, not zero
POSTGRES_WEIGHTS = {"names": "A", "title": "A", "grounds": "A", "summary": "B", "body": "C"}
# SQLite: n matches in a part count n / (n + 1) of its weight, so one match in a name or a title
# (5) outweighs any number in a summary (under 4), and repeats add less and less.
SQLITE_WEIGHTS = {"names": 10.0, "title": 10.0, "grounds": 10.0, "summary": 4.0}
FTS_TABLE = "extraditions_search_fts"


class PostgresBackend:
    def store(self, documents: list[SearchDocument]) -> None:
        self.write(connection, [(document.pk, *(getattr(document, part) for part in PARTS)) for document in documents])

    @staticmethod
    def write(db, rows: list[tuple], parts: tuple[str, ...] = PARTS) -> None:
        """Compute the weighted vectors of documents given as (id, *parts) rows of their text,
        several hundred per statement (``parts``: a migration names those of its time)."""
        weighted = {part: f"setweight(to_tsvector('simple', v.{part}), '{POSTGRES_WEIGHTS[part]}')" for part in parts}
        rank_vector = " || ".join(weighted[part] for part in parts if part != "body")
        vector = f"{rank_vector} || {weighted['body']}"
        marks = "(" + ", ".join(["%s"] * (len(parts) + 1)) + ")"
        for batch in batched(rows):
            params = [value for pk, *parts in batch for value in (pk, *indexed(parts))]
            with db.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {SearchDocument._meta.db_table} AS d SET vector = {vector}, rank_vector = {rank_vector} "
                    f"FROM (VALUES {', '.join([marks] * len(batch))}) AS v(id, {', '.join(parts)}) WHERE d.id = v.id",
                    params,
                )

    def forget(self, document_ids: list[int]) -> None:
        pass  # the rows themselves are the index

    def forget_all(self) -> None:
        pass

    def query(self, text: str) -> SearchQuery:
        return SearchQuery(websearch_query(text), config="simple", search_type="websearch")

    def matching(self, model, text: str) -> Q:
        documents = SearchDocument.objects.filter(kind=model._meta.label_lower, vector=self.query(text))
        return Q(pk__in=documents.values("object_id"))

    def relevance(self, model, text: str):
        rank = (
            SearchDocument.objects.filter(content_type=content_type(model), object_id=OuterRef("pk"))
            .annotate(rank=SearchRank(F("rank_vector"), self.query(text)) + Value(FULL_TEXT_ONLY_RANK))
            .values("rank")[:1]
        )
        return Subquery(rank, output_field=FloatField())


class SQLiteBackend:
    def store(self, documents: list[SearchDocument]) -> None:
        self.write(connection, [(document.pk, *(getattr(document, part) for part in PARTS)) for document in documents])

    @staticmethod
    def write(db, rows: list[tuple], parts: tuple[str, ...] = PARTS) -> None:
        """Add documents, given as (id, *parts) rows of their text, to the FTS5 table."""
        marks = ", ".join(["%s"] * (len(parts) + 1))
        with db.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(parts)}) VALUES ({marks})",
                [(pk, *indexed(parts)) for pk, *parts in rows],
            )

    def forget(self, document_ids: list[int]) -> None:
        if document_ids:
            with connection.cursor() as cursor:
                marks = ", ".join(["%s"] * len(document_ids))
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", document_ids)

    def forget_all(self) -> None:
        """Empty the FTS5 table, including rows left by documents deleted without it (a flush)."""
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")

    def matching(self, model, text: str) -> Q:
        query = fts5_query(text)
        if query is None:
            return Q(pk__in=[])
        # CROSS JOIN: the full-text index first, then the matches' documents (SQLite otherwise
        # looked the query up once per document of the kind, matching or not).
        sql = (
            f"SELECT d.object_id FROM {FTS_TABLE} CROSS JOIN extraditions_searchdocument d ON d.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND d.kind = %s"
        )
        return Q(pk__in=RawSQL(sql, [query, model._meta.label_lower]))

    def relevance(self, model, text: str):
        """The weighted matches in the record's own names, title and summary (see SQLITE_WEIGHTS).

        FTS5 counts them: ``highlight()`` marks each match in a part with one character, so the
        part grows by its number of matches. Not ``bm25``, whose statistics span the whole
        table, hidden documents included (the module's docstring).
        """
        query = fts5_query(text) or '""'
        scores = " + ".join(
            f"{weight} * (1 - 1.0 / (1 + length(highlight({FTS_TABLE}, {PARTS.index(part)}, '*', '')) "
            f"- length({FTS_TABLE}.{part})))"
            for part, weight in SQLITE_WEIGHTS.items()
        )
        sql = (
            f"SELECT {scores} + {FULL_TEXT_ONLY_RANK} FROM {FTS_TABLE} "
            f"JOIN extraditions_searchdocument d ON d.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND d.kind = %s AND d.object_id = {model._meta.db_table}.{model._meta.pk.column}"
        )
        return RawSQL(sql, [query, model._meta.label_lower], output_field=FloatField())


def indexed(parts) -> list[str]:
    """A document's parts as the index holds them: folded and stemmed (text.py), on both databases."""
    return [index_text(part) for part in parts]


def batched(items: Iterable, size: int = 500) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def content_type(model) -> ContentType:
    return ContentType.objects.get_for_model(model)


def backend(db=connection):
    return PostgresBackend() if db.vendor == "postgresql" else SQLiteBackend()


def is_searchable(text: str) -> bool:
    """Whether a query has anything to look for (not only excluded words)."""
    return bool(parse_query(text))


def matching_keys(model, query: str, limit: int = 5000) -> list[int]:
    """The keys of every ``model`` record, whatever its visibility, whose document matches
    ``query``: for the staff workspace, whose own search looks in a few fields."""
    if not is_searchable(query):
        return []
    return list(model._default_manager.filter(backend().matching(model, query)).values_list("pk", flat=True)[:limit])


def ranked(queryset, query: str):
    """The records of ``queryset`` that match ``query``, each annotated with its ``relevance``."""
    if not is_searchable(query):  # only excluded words, or nothing: no match, still orderable by relevance
        return queryset.none().annotate(relevance=Value(0.0, output_field=FloatField()))
    engine, model = backend(), queryset.model
    return queryset.filter(engine.matching(model, query)).annotate(relevance=engine.relevance(model, query))
