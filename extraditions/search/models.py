"""The full-text index: one document per searchable record.

A document keeps the record's text in five parts ranked from most to least telling (names,
title and grounds, summary, body) and, on PostgreSQL, their weighted ``tsvector`` (GIN-indexed) for matching
beside a small one without the body for ranking: ranking reads the vector of every match, and
an 8 KB ruling's vector is stored out of line. On SQLite
the same parts are mirrored into an FTS5 table (see the migration). Documents are derived data,
rebuilt by ``manage.py rebuild_search_index`` and kept fresh on every write
(:mod:`extraditions.search.indexing`).

A document holds only what the public may see of a record whenever the record itself is public:
the names of the persons in a case are those of public persons, under their pseudonym if they
have one. Who may see the record itself is decided when matching, by the record's queryset.
"""

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from ..caching import DataVersionQuerySet
from ..indexes import PostgreSQLGinIndex

# The searchable kinds (extraditions.search.indexing.KINDS), by model label: each has a full-text
# index of its own documents on PostgreSQL, so a search of rulings reads rulings' entries only
# (one index over every kind returned the matches of all kinds before keeping one).
SEARCHED_KINDS = ("cases.person", "cases.case", "cases.courtruling", "treaties.treaty", "sources.source")


def vector_index_name(label: str) -> str:
    return f"search_vector_{label.split('.')[1]}"


# Where in a document a match was found, as a result's reasons say it.
PART_REASONS = {"names": "in a person's name", "title": "in the title", "summary": "in the summary", "body": "in the full text"}


class SearchDocumentQuerySet(DataVersionQuerySet):
    def snippets(self, model, pks, query: str) -> dict[int, str]:
        """For each record, the best passage of its document for ``query`` (summary first)."""
        return {pk: match["snippet"] for pk, match in self.matches(model, pks, query).items()}

    def matches(self, model, pks, query: str) -> dict[int, dict]:
        """For each record, how ``query`` matched its document: the best passage (``snippet``,
        summary first), the ``reasons``: each line of its grounds that matched (a ruling's
        provision and the words of it matched), then each other part that did, and the ``pages``
        of its attached documents that matched (a source's, a ruling's judgments), each with its
        passage and a link that opens the document there."""
        from .indexing import KINDS
        from .text import find, line_reasons, quoted

        documents = self.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=list(pks)).only(
            "object_id", "names", "title", "grounds", "summary", "body"
        )
        found = {  # each text read once
            document.object_id: (document, {part: find(getattr(document, part), query) for part in PART_REASONS})
            for document in documents
        }
        kind = KINDS.get(model)
        in_body = [pk for pk, (_, parts) in found.items() if parts["body"].hits]
        pages = kind.page_hits(in_body, query) if kind and kind.page_hits and in_body else {}
        matches = {}
        for pk, (document, parts) in found.items():
            snippets = (parts[part].snippet() for part in ("summary", "body", "title", "names"))
            reasons = [*line_reasons(document.grounds, query)]
            for part, where in PART_REASONS.items():
                if part == "body" and pages.get(pk):
                    reasons += page_reasons(pages[pk])
                elif words := parts[part].words():
                    reasons.append(f"{where} — matched {quoted(words)}")
            matches[pk] = {
                "snippet": next((snippet for snippet in snippets if snippet), ""),
                "reasons": reasons,
                "pages": [
                    {"document": hit.document, "page": hit.page, "url": hit.url, "snippet": hit.snippet}
                    for hit in pages.get(pk, [])
                ],
            }
        return matches


PAGES_NAMED = 10  # in a reason; the match's pages list them all


def page_reasons(hits) -> list[str]:
    """A reason per document: "in <title>, p. 3, 7 — matched “torture”"."""
    from .text import fold, quoted

    by_document: dict[str, list] = {}
    for hit in hits:
        by_document.setdefault(hit.document, []).append(hit)
    reasons = []
    for document, document_hits in by_document.items():
        words: dict[str, str] = {}
        for word in (word for hit in document_hits for word in hit.words):
            words.setdefault(fold(word), word)
        labels = [hit.label for hit in document_hits if not hit.single_page]
        where = f"in {document}"
        if labels:
            more = f" and {len(labels) - PAGES_NAMED} more" if len(labels) > PAGES_NAMED else ""
            where += f", p{'p' if len(labels) > 1 else ''}. {', '.join(labels[:PAGES_NAMED])}{more}"
        reasons.append(f"{where} — matched {quoted(list(words.values()))}")
    return reasons


class SearchDocument(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(
        max_length=100, editable=False, help_text='The record\'s model label, e.g. "cases.courtruling": the same on every database.'
    )
    names = models.TextField(blank=True, help_text="Names of persons: ranked highest.")
    title = models.TextField(blank=True, help_text="Title, court, docket number: ranked highest.")
    grounds = models.TextField(
        blank=True,
        help_text="What a ruling decided and relied on: one line per legal ground (its names and vocabulary), "
        "the assessment of assurances, the decision. Ranked highest; each line is a reason a ruling matched.",
    )
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Full text: ranked lowest.")
    vector = SearchVectorField(null=True, editable=False, help_text="PostgreSQL only: every part, for matching.")
    rank_vector = SearchVectorField(
        null=True, editable=False, help_text="PostgreSQL only: names, title and summary, for ranking."
    )

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="extraditions_searchdocument_unique")
        ]
        # A record's entry is found by the unique (content type, object) key. An index on (kind,
        # object) let PostgreSQL match a broad search by reading every entry of the kind in it
        # and testing each one's whole vector (hundreds of ms) rather than ask the kind's GIN index.
        indexes = [
            *(
                PostgreSQLGinIndex(fields=["vector"], condition=models.Q(kind=label), name=vector_index_name(label))
                for label in SEARCHED_KINDS
            ),
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}"
