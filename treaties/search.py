"""What treaties put in the search index."""

from django_countries import countries

from extraditions.search.indexing import SearchKind, register

from .models import Treaty


def treaty_document(treaty: Treaty) -> dict[str, str]:
    counterpart = countries.name(treaty.counterpart) if treaty.counterpart else treaty.counterpart_organisation
    return {"names": counterpart, "title": treaty.title, "summary": treaty.notes, "body": ""}


def register_search() -> None:
    register(SearchKind("treaty", Treaty, treaty_document))
