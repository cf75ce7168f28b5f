"""What sources put in the search index."""

from extraditions.search.indexing import SearchKind, register

from .models import Source


def source_document(source: Source) -> dict[str, str]:
    return {
        "names": "\n".join(filter(None, [source.author, source.publisher])),
        "title": source.title,
        "summary": source.notes,
        "body": "",
    }


def register_search() -> None:
    register(SearchKind("source", Source, source_document))
