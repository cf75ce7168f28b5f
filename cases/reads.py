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

from django.db.models import Prefetch

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
