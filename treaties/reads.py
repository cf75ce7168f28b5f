"""The shapes treaties are read in, for the API and the site (see ``cases/reads.py``)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch, Q

from cases import reads as case_reads
from cases.models import Case, CourtRuling, Detention, RulingDecision
from extraditions.choices import ChineseParty
from sources.models import listed_citations

from .models import Treaty, TreatyKind, TreatyStep
from .status import EVIDENCE_FIELDS, describe_status, more_advanced, status_evidence


def treaty_rows(treaties, user):
    """The API's treaties: steps and sources."""
    return treaties.prefetch_related("steps", listed_citations(user))


def treaty_step_rows(steps, user):
    return steps.select_related("treaty").prefetch_related(listed_citations(user))


def treaty_page(treaties, user, on):
    """A treaty's page: its status on ``on``, its steps with their sources, the cases that invoked it, its sources."""
    return treaties.with_status(on).prefetch_related(
        Prefetch("steps", queryset=TreatyStep.objects.prefetch_related(listed_citations(user))),
        Prefetch("cases", queryset=Case.objects.visible_to(user).order_by("-started_on", "title")),
        listed_citations(user),
    )


def country_page(code: str, user, on) -> dict:
    """What a country's page shows that the reader may see: its treaties with China (status on
    ``on``, steps), its cases (with their persons and dates of return), its rulings and the
    detentions there that an INTERPOL notice led to."""
    cases = Case.objects.visible_to(user).filter(host_country=code)
    return {
        "treaties": Treaty.objects.visible_to(user).filter(counterpart=code).with_status(on).prefetch_related("steps"),
        "cases": case_reads.with_return(cases, user).order_by("-started_on", "title"),
        "returns_per_year": case_reads.persons_returned(cases, user, "year"),
        "rulings": CourtRuling.objects.visible_to(user).filter(country=code).select_related("case").order_by("-decided_on"),
        "detentions": (
            Detention.objects.visible_to(user).filter(case__host_country=code).on_interpol_notices(user)
            .select_related("case", "person").order_by("-started_on")
        ),
    }


def country_index(user, on) -> dict[str, dict]:
    """Every country with a record the reader may see (a treaty with China, a case there, a ruling of
    its courts), with its cases, persons returned, rulings (those refusing extradition), treaties and
    the status on ``on`` of its extradition treaty with the PRC, as the map describes it (None:
    none). One query per kind of record, however many countries."""
    index = defaultdict(
        lambda: {"cases": 0, "returned": 0, "rulings": 0, "refusals": 0, "treaties": 0, "status": None, "status_label": ""}
    )
    cases = Case.objects.visible_to(user).exclude(host_country="")
    for row in cases.order_by().values("host_country").annotate(n=Count("pk")):
        index[row["host_country"]]["cases"] = row["n"]
    for code, by_means in case_reads.persons_returned(cases, user, "host_country").items():
        index[code]["returned"] = sum(by_means.values())
    refusing = Q(decision=RulingDecision.EXTRADITION_REFUSED)
    rulings = CourtRuling.objects.visible_to(user).exclude(country="").order_by().values("country")
    for row in rulings.annotate(n=Count("pk"), refusals=Count("pk", filter=refusing)):
        index[row["country"]].update(rulings=row["n"], refusals=row["refusals"])
    treaties = Treaty.objects.visible_to(user).exclude(counterpart="").with_status(on)
    for treaty in treaties.order_by().values("counterpart", "kind", "china_party", "status", *EVIDENCE_FIELDS):
        entry, status = index[treaty["counterpart"]], treaty["status"]
        entry["treaties"] += 1
        is_extradition = (treaty["kind"], treaty["china_party"]) == (TreatyKind.EXTRADITION, ChineseParty.PRC)
        if is_extradition and more_advanced(status, than=entry["status"]):
            evidence = status_evidence(status, on, **{f: treaty[f] for f in EVIDENCE_FIELDS})
            entry.update(status=status, status_label=describe_status(status, evidence))
    return dict(index)
