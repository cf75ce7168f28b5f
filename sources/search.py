"""What sources put in the search index, and the pages of their documents a search matched."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch

from extraditions.search.indexing import PageHit, SearchKind, register
from extraditions.search.text import find

from .models import Citation, DocumentPage, Source, SourceKind


def source_document(source: Source) -> dict[str, str]:
    return {
        "names": "\n".join(filter(None, [source.author, source.publisher])),
        "title": source.title,
        "summary": source.notes,
        "body": document_text(source.pages.all()),
    }


def document_text(pages) -> str:
    return "\n\n".join(page.text for page in pages)


def page_hits(sources_of: dict[int, list[int]], query: str) -> dict[int, list[PageHit]]:
    """For records and the sources whose documents their index entries hold, the pages of those
    documents that ``query`` matches, in order, each with its passage and a link to it."""
    wanted = {source for sources in sources_of.values() for source in sources}
    hits = defaultdict(list)
    pages = DocumentPage.objects.filter(source__in=wanted).select_related("source").only(
        "number", "label", "text", "source__slug", "source__title", "source__file", "source__media_type",
        "source__page_count",
    )
    for page in pages.iterator(chunk_size=200):
        found = find(page.text, query)
        if found.hits:
            single = page.source.page_count == 1
            hits[page.source_id].append(
                PageHit(page.source.title, page.label, page.url, found.snippet(), tuple(found.words()), single_page=single)
            )
    return {record: [hit for source in sources for hit in hits[source]] for record, sources in sources_of.items()}


def document_search(sources: list[Source], query: str) -> list[PageHit]:
    """The pages of these sources' documents that ``query`` matches (a source's or a ruling's page)."""
    wanted = [source.pk for source in sources if source.has_text]
    return page_hits({0: wanted}, query)[0] if wanted and query.strip() else []


def judgments_among(citations) -> list[Source]:
    """The court decisions with an attached document among a record's citations (those its reader
    may see), each once."""
    found = {c.source_id: c.source for c in citations if c.source.kind == SourceKind.COURT_DECISION and c.source.file}
    return list(found.values())


def judgments_of(model, pks) -> dict[int, list[int]]:
    """For records of ``model``, the public court decisions with text cited for them: the
    documents their index entries hold (``SourceQuerySet.judgments``)."""
    from django.contrib.contenttypes.models import ContentType

    sources_of = defaultdict(list)
    citations = Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=list(pks),
        source__in=Source.objects.judgments(),
    ).order_by("source__title", "source_id").values_list("object_id", "source_id")
    for record, source in citations:
        if source not in sources_of[record]:
            sources_of[record].append(source)
    return dict(sources_of)


def judgments_prefetch(lookup: str = "citations") -> Prefetch:
    """A record's citations of public court decisions with their pages, into ``judgment_citations``,
    for the text its index entry holds (:func:`judgments_text`)."""
    return Prefetch(
        lookup,
        queryset=Citation.objects.filter(source__in=Source.objects.judgments())
        .select_related("source").prefetch_related("source__pages").order_by("source__title", "source_id"),
        to_attr="judgment_citations",
    )


def judgments_text(record) -> str:
    """The text of the judgments cited for ``record`` (read with :func:`judgments_prefetch`), each once."""
    sources = {citation.source_id: citation.source for citation in record.judgment_citations}
    return "\n\n".join(document_text(source.pages.all()) for source in sources.values())


def register_search() -> None:
    register(
        SearchKind(
            "source", Source, source_document, prefetch=lambda: ["pages"],
            page_hits=lambda pks, query: page_hits({pk: [pk] for pk in pks}, query),
        )
    )
