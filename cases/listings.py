"""The public lists of this app's records (cases, persons, rulings, INTERPOL notices), as their pages,
feeds and saved searches select them: one :class:`~extraditions.filtering.Listing` each."""

from extraditions.filtering import Listing

from . import models as m
from .filtersets import CaseFilterSet, CourtRulingFilterSet, InterpolNoticeFilterSet, PersonFilterSet
from .search import search_notices, search_persons


def _persons_by_any_name(queryset, query: str, user):
    return search_persons(queryset, query, user)[0]


def _notices_by_words(queryset, query: str, user):
    return search_notices(queryset, query)


CASES = Listing("cases", m.Case, CaseFilterSet, page="site:case-list", noun="case", title="Cases")
RULINGS = Listing("rulings", m.CourtRuling, CourtRulingFilterSet, page="site:ruling-list", noun="ruling", title="Court rulings")
PERSONS = Listing("persons", m.Person, PersonFilterSet, page="site:person-list", noun="person", title="Persons", search=_persons_by_any_name)
NOTICES = Listing(
    "notices", m.InterpolNotice, InterpolNoticeFilterSet, page="site:notice-list", noun="INTERPOL notice", title="INTERPOL notices",
    search=_notices_by_words,
)
