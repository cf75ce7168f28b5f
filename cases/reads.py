"""The shapes persons, cases and what happens in them are read in: which related rows each one
loads with the records, for the API (rows of a list or CSV, a record) and the site (list rows, a
page).

Each function takes records the reader may see (``Model.objects.visible_to(user)``) and the
reader, and returns them with their related rows, loaded in a fixed number of queries, through
querysets of what the reader may see (``visible_to``, ``listed_citations``): a restricted person
never appears in a public case's list of persons. The API and the site show different things,
so a resource may have a shape for each; a list's rows are also its CSV's.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear, Greatest

from extraditions.caching import cached_for_public
from extraditions.partial_dates import PartialDate
from sources.models import listed_citations

from . import models as m


def visible(model, user):
    return model.objects.visible_to(user)


def participants(user, lookup: str = "participants") -> Prefetch:
    """A case's participants the reader may see, each with their person."""
    return Prefetch(lookup, queryset=visible(m.CaseParticipant, user).select_related("person"))


# --- persons ------------------------------------------------------------------------------------


def person_rows(persons, user):
    """The API's person, in a list and alone: groups, other names, cases, sources."""
    return persons.prefetch_related(
        "affiliations",
        Prefetch("aliases", queryset=visible(m.Alias, user)),
        Prefetch("participations", queryset=visible(m.CaseParticipant, user).select_related("case")),
        listed_citations(user),
    )


def person_list_rows(persons, user):
    """The site's list of persons: groups and other names as the reader may see them (a
    pseudonymous person's only for staff)."""
    return persons.prefetch_related("affiliations", Prefetch("aliases", queryset=visible(m.Alias, user).order_by("name")))


def person_feed_rows(persons, user):
    """A feed's persons (alerts/feeds.py): their groups; an entry names no other names."""
    return persons.prefetch_related("affiliations")


def person_page(persons, user):
    """A person's page: other names, cases, INTERPOL notices, sources, groups."""
    return persons.prefetch_related(
        Prefetch("aliases", queryset=visible(m.Alias, user)),
        Prefetch("participations", queryset=visible(m.CaseParticipant, user).select_related("case")),
        Prefetch("notices", queryset=visible(m.InterpolNotice, user)),
        listed_citations(user),
        "affiliations",
    )


def alias_rows(aliases, user):
    return aliases.select_related("person", "source")


# --- cases --------------------------------------------------------------------------------------


def case_rows(cases, user):
    """The API's cases in a list (and its CSV): treaty, persons, notices, sources."""
    return cases.select_related("treaty").prefetch_related(
        participants(user),
        Prefetch("notices", queryset=visible(m.InterpolNotice, user).select_related("subject")),
        listed_citations(user),
    )


def case_record(cases, user):
    """The API's case alone: its list row and everything that happened in it."""
    return case_rows(cases, user).prefetch_related(
        Prefetch("detentions", queryset=visible(m.Detention, user).select_related("person")),
        Prefetch("events", queryset=visible(m.CaseEvent, user)),
        Prefetch("requests", queryset=visible(m.ExtraditionRequest, user)),
        Prefetch("rulings", queryset=visible(m.CourtRuling, user)),
        Prefetch("assurances", queryset=visible(m.DiplomaticAssurance, user)),
    )


def case_list_rows(cases, user):
    """The site's list of cases: treaty and persons."""
    return cases.select_related("treaty").prefetch_related(participants(user))


def case_page(cases, user):
    """A case's page: its timeline (every dated record in it, each with its sources), persons,
    notices, sources."""

    def cited(model, *related):
        children = visible(model, user).prefetch_related(listed_citations(user))
        return children.select_related(*related) if related else children

    return cases.select_related("treaty").prefetch_related(
        participants(user),
        Prefetch("events", queryset=cited(m.CaseEvent)),
        Prefetch("detentions", queryset=cited(m.Detention, "person")),
        Prefetch("requests", queryset=cited(m.ExtraditionRequest)),
        Prefetch("rulings", queryset=cited(m.CourtRuling)),
        Prefetch("assurances", queryset=cited(m.DiplomaticAssurance)),
        Prefetch("notices", queryset=visible(m.InterpolNotice, user)),
        listed_citations(user),
    )


def participant_rows(participants, user):
    return participants.select_related("case", "person")


def case_child_rows(records, user, *related: str):
    """The API's records inside a case (detentions, events, requests, assurances): the case,
    ``related``, sources."""
    return records.select_related("case", *related).prefetch_related(listed_citations(user))


def breach_rows(breaches, user):
    return breaches.select_related("treaty", "assurance", "provision", "case", "person").prefetch_related(
        listed_citations(user)
    )


# --- INTERPOL notices ---------------------------------------------------------------------------


def notice_rows(notices, user):
    """The API's notices: subject, cases, sources."""
    return notices.select_related("subject").prefetch_related(
        Prefetch("cases", queryset=visible(m.Case, user)), listed_citations(user)
    )


def notice_list_rows(notices, user):
    """The site's list of notices: subject and cases."""
    return notices.select_related("subject").prefetch_related(Prefetch("cases", queryset=visible(m.Case, user)))


def notice_page(notices, user):
    """A notice's page: subject, cases (latest first), sources."""
    return notices.select_related("subject").prefetch_related(
        Prefetch("cases", queryset=visible(m.Case, user).order_by("-started_on")), listed_citations(user)
    )


# --- court rulings ------------------------------------------------------------------------------


def linked_rulings(user, *lookups: str) -> list[Prefetch]:
    """The rulings a ruling is linked to (its appeal chain, the rulings it relies on or is relied
    on by) that the reader may see, without their full texts."""
    return [Prefetch(lookup, queryset=visible(m.CourtRuling, user).defer("full_text")) for lookup in lookups]


def ruling_record(rulings, user):
    """The API's ruling alone: case and its persons, grounds, the rulings it reviews and relies on
    and those reviewing and relying on it, sources, full text."""
    return rulings.select_related("case").prefetch_related(
        "grounds", participants(user, "case__participants"), listed_citations(user),
        *linked_rulings(user, "reviews", "reviewed_by", "relies_on", "relied_on_by"),
    )


def ruling_rows(rulings, user):
    """The API's rulings in a list: as alone, without the full text (often tens of kilobytes):
    not read, not even for sorting."""
    return ruling_record(rulings, user).defer("full_text")


def ruling_list_rows(rulings, user):
    """The site's list of rulings: case and grounds, without the full text."""
    return rulings.select_related("case").prefetch_related("grounds").defer("full_text")


def ruling_page(rulings, user):
    """A ruling's page: case, grounds, the rulings it relies on and is relied on by, sources, full text."""
    return rulings.select_related("case").prefetch_related(
        "grounds", listed_citations(user), *linked_rulings(user, "relies_on", "relied_on_by")
    )


def case_rulings(ruling, user):
    """The decisions in the ruling's case the reader may see, itself included, oldest first: its
    appeal chain is among them (``CourtRuling.appeal_chain``), and the others (a UN committee's view)."""
    return list(visible(m.CourtRuling, user).filter(case=ruling.case_id).defer("full_text").order_by("decided_on", "court", "pk"))


# --- counts for charts ----------------------------------------------------------------------------
# Per year and per country, of what the reader may see: the charts of the figures page, the home
# page and each country's page. Each count is one grouped query.

# The outcomes that are a return to China, by the means of return, in the charts' order.
RETURNS = {outcome.value: outcome.label for outcome in (
    m.CaseOutcome.EXTRADITED, m.CaseOutcome.DEPORTED, m.CaseOutcome.RETURNED_INVOLUNTARILY, m.CaseOutcome.RETURNED,
)}
SOUGHT = (m.ParticipantRole.SUBJECT, m.ParticipantRole.CO_ACCUSED)  # a family member targeted is not returned


def persons_counted(user):
    """How many people a case is about: a group's size, else the persons it seeks that the reader
    may see, and at least one (an unnamed person): a hidden person adds nobody to a public count."""
    sought = (
        visible(m.CaseParticipant, user).filter(case=OuterRef("pk"), role__in=SOUGHT)
        .order_by().values("case").annotate(n=Count("pk")).values("n")
    )
    return Coalesce("group_size", Greatest(Coalesce(Subquery(sought), Value(0)), Value(1)))


def with_return(cases, user):
    """Cases with ``persons_counted`` and ``returned_on`` (with ``returned_on_precision``): the date of
    the transfer to China in the case's timeline, the first dated one the reader may see; None when
    the timeline does not date it (a case's start is not its return: one began in 2008, its
    person was extradited in 2016)."""
    transfer = (
        visible(m.CaseEvent, user)
        .filter(case=OuterRef("pk"), kind=m.CaseEventKind.TRANSFER, occurred_on__isnull=False)
        .order_by("occurred_on", "pk")
    )
    return cases.annotate(
        persons_counted=persons_counted(user),
        returned_on=Subquery(transfer.values("occurred_on")[:1]),
        returned_on_precision=Subquery(transfer.values("occurred_on_precision")[:1]),
    )


def with_return_dates(cases) -> list:
    """The cases of ``with_return``, read, each with ``returned``: the date of its return at the
    precision known ("December 2009"), or None."""
    cases = list(cases)
    for case in cases:
        case.returned = PartialDate(case.returned_on, case.returned_on_precision) if case.returned_on else None
    return cases


def tally(rows, across: str, down: str, amount: str = "n") -> dict:
    """``{row[across]: {row[down]: row[amount]}}`` from grouped rows."""
    table = defaultdict(dict)
    for row in rows:
        table[row[across]][row[down]] = row[amount]
    return dict(table)


def grand_total(table: dict) -> int:
    """The sum of every number in a tally."""
    return sum(sum(row.values()) for row in table.values())


def returned_persons_rows(cases, user, *per: str):
    """Persons returned, grouped by ``per`` and the means of return (``outcome``), a row each with
    ``n``: ``per`` names ``"year"`` (of the return; None when not dated) and ``"host_country"`` (""
    when not known)."""
    returned = with_return(cases.filter(outcome__in=RETURNS), user)
    if "year" in per:
        returned = returned.annotate(year=ExtractYear("returned_on"))
    return returned.order_by().values(*per, "outcome").annotate(n=Sum("persons_counted"))


def persons_returned(cases, user, per: str) -> dict:
    """Persons returned, ``{per: {outcome: persons}}`` (``returned_persons_rows``)."""
    return tally(returned_persons_rows(cases, user, per), per, "outcome")


def returns_table(user) -> list[dict]:
    """Persons returned per host country, year and means of return, of what ``user`` may see: the
    figures page's two returns charts as one table (undated returns with no year)."""
    rows = returned_persons_rows(visible(m.Case, user), user, "host_country", "year")
    return sorted(rows, key=lambda row: (row["host_country"], row["year"] is None, row["year"] or 0, list(RETURNS).index(row["outcome"])))


def requests_per_country(user) -> dict:
    """Extradition requests per host country and decision, ``{country: {decision: requests}}``."""
    rows = (
        visible(m.ExtraditionRequest, user).order_by()
        .values("case__host_country", "decision").annotate(n=Count("pk"))
    )
    return tally(rows, "case__host_country", "decision")


def notices_per_year(user) -> dict:
    """INTERPOL notices per year of issue and kind, ``{year or None: {kind: notices}}``."""
    rows = visible(m.InterpolNotice, user).order_by().values("kind", year=ExtractYear("issued_on")).annotate(n=Count("pk"))
    return tally(rows, "year", "kind")


def detentions_per_year(user) -> dict:
    """Detentions per year they began, ``{year or None: {"interpol": …, "other": …}}``: in a case
    with an INTERPOL notice the reader may see (or an INTERPOL detention), and the others."""
    detentions = visible(m.Detention, user).order_by()

    def per_year(queryset) -> dict:
        return {row["year"]: row["n"] for row in queryset.values(year=ExtractYear("started_on")).annotate(n=Count("pk"))}

    # DetentionQuerySet.on_interpol_notices's rule, as one IN of the cases with a notice rather than
    # an EXISTS per detention: over the 3,000 detentions of the small synthetic dataset, 45 ms
    # instead of 24 s on SQLite.
    notice_cases = visible(m.InterpolNotice, user).filter(cases__isnull=False).values("cases")
    on_notices = per_year(detentions.filter(Q(case__in=notice_cases) | Q(case__kind=m.CaseKind.INTERPOL_DETENTION)))
    return {
        year: {"interpol": on_notices.get(year, 0), "other": count - on_notices.get(year, 0)}
        for year, count in per_year(detentions).items()
    }


def chart_counts(user) -> dict:
    """Every count the figures and home pages chart, of what ``user`` may see; the public's cached
    until a record changes."""

    def compute() -> dict:
        cases = visible(m.Case, user)
        return {
            "returns_per_year": persons_returned(cases, user, "year"),
            "returns_per_country": persons_returned(cases, user, "host_country"),
            "requests_per_country": requests_per_country(user),
            "notices_per_year": notices_per_year(user),
            "detentions_per_year": detentions_per_year(user),
        }

    return cached_for_public("chart-counts", user, compute)


# --- e-mail alerts --------------------------------------------------------------------------------
# The records an alert names (alerts/mail.py): label, page and what the mail says of them.


def notice_alert_rows(notices, user):
    """Notices by their label, which names the subject."""
    return notices.select_related("subject")


def ruling_alert_rows(rulings, user):
    """Rulings by court, date and decision, without the full text."""
    return rulings.defer("full_text")
