"""Headline figures computed from the records, never typed in.

:func:`headline_figures` is the one computation behind the ``report`` command and the API's
``/stats/`` endpoint. It only counts what ``user`` may see (the public, by default), and puts next
to the computed treaty counts the counts the sources state for the same date, so that
differences show.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, DateField, DurationField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce, Least

from cases.models import Case, CourtRuling, Detention, Person, RulingDecision
from extraditions.caching import cached_for_public
from extraditions.choices import ChineseParty
from extraditions.regions import EUROPE
from sources.models import FigureMetric, ReportedFigure
from treaties.models import Treaty, TreatyKind
from treaties.status import EVIDENCE_FIELDS, StatusEvidence, TreatyStatus, status_evidence

SIGNED_STATUSES = {TreatyStatus.SIGNED, TreatyStatus.IN_FORCE, TreatyStatus.SUSPENDED, TreatyStatus.TERMINATED}


def headline_figures(on: datetime.date, user=None) -> dict:
    """The figures on ``on``; the public's are cached until a record changes."""
    return cached_for_public("headline-figures", user, lambda: compute_headline_figures(on, user), on.isoformat())


def compute_headline_figures(on: datetime.date, user=None) -> dict:
    return {
        "on": on.isoformat(),
        "treaties": treaty_figures(on, user),
        "rulings_refusing_extradition": refusal_figures(on, user),
        "cases": case_figures(on, user),
        "persons_by_current_situation": counts(Person.objects.visible_to(user), "current_situation"),
        "detention": detention_figures(on, user),
    }


def treaty_figures(on: datetime.date, user=None) -> dict:
    treaties = list(
        Treaty.objects.visible_to(user)
        .filter(kind=TreatyKind.EXTRADITION, china_party=ChineseParty.PRC)
        .with_status(on)
        .values("slug", "counterpart", "status", *EVIDENCE_FIELDS)
    )
    status_counts = Counter(t["status"] for t in treaties)
    evidence = defaultdict(Counter)  # status -> what it rests on -> treaties
    for treaty in treaties:
        treaty["evidence"] = status_evidence(treaty["status"], on, **{f: treaty[f] for f in EVIDENCE_FIELDS})
        evidence[treaty["status"]][treaty["evidence"]] += 1
    by_decade = defaultdict(lambda: {"signed": 0, "in_force_on_date": 0})
    for treaty in treaties:
        if treaty["status"] in SIGNED_STATUSES and treaty["signed_on"]:
            decade = f"{treaty['signed_on'].year // 10 * 10}s"
            by_decade[decade]["signed"] += 1
            by_decade[decade]["in_force_on_date"] += treaty["status"] == TreatyStatus.IN_FORCE
    european = [t for t in treaties if t["counterpart"] in EUROPE and t["status"] in SIGNED_STATUSES]
    return {
        "in_force": status_counts[TreatyStatus.IN_FORCE],
        "signed_not_in_force": status_counts[TreatyStatus.SIGNED],
        "by_status": {status.value: status_counts[status] for status in TreatyStatus},
        # How many of those counts rest on undated evidence, and of which strength.
        "by_evidence": {
            status.value: {kind.value: evidence[status][kind] for kind in StatusEvidence if evidence[status][kind]}
            for status in (TreatyStatus.IN_FORCE, TreatyStatus.SIGNED)
        },
        "resting_on_inference": {
            status.value: sorted(t["counterpart"] for t in treaties
                           if t["status"] == status and t["evidence"] == StatusEvidence.OFFICIAL_COUNT)
            for status in (TreatyStatus.IN_FORCE, TreatyStatus.SIGNED)
        },
        "by_decade_of_signature": dict(sorted(by_decade.items())),
        "europe": {
            "signed": len(european),
            "in_force": sum(t["status"] == TreatyStatus.IN_FORCE for t in european),
            "countries": {t["counterpart"]: t["status"] for t in sorted(european, key=lambda t: t["counterpart"])},
        },
        "stated_by_sources": stated_treaty_figures(on, user),
    }


STATED_METRICS = (
    FigureMetric.TREATIES_IN_FORCE,
    FigureMetric.TREATIES_SIGNED_NOT_IN_FORCE,
    FigureMetric.TREATIES_SIGNED,
)


def stated_treaty_figures(on: datetime.date, user=None) -> list[dict]:
    """Treaty counts the sources give for the month of ``on`` (a report dated "February 2022")."""
    month = on.replace(day=1)
    figures = (
        ReportedFigure.objects.visible_to(user)
        .filter(metric__in=STATED_METRICS, as_of__year=month.year, as_of__month__lte=month.month)
        .filter(Q(as_of_precision="year") | Q(as_of__month=month.month))
        .prefetch_related("citations__source")
        .order_by("metric", "scope_label")
    )
    return [
        {
            "metric": figure.metric,
            "scope": figure.scope_label or "worldwide",
            "value": int(figure.value),
            "qualifier": figure.qualifier,
            "as_of": figure.as_of_date.isoformat(),
            "sources": sorted({f"{c.source.title}, {c.locator}".strip(", ") for c in figure.citations.all()}),
        }
        for figure in figures
    ]


def refusal_figures(on: datetime.date, user=None) -> dict:
    refusals = CourtRuling.objects.visible_to(user).filter(
        decision=RulingDecision.EXTRADITION_REFUSED, decided_on__lte=on
    )
    by_country = Counter(
        country or body for country, body in refusals.values_list("country", "international_body")
    )
    by_ground = (
        refusals.filter(grounds__isnull=False)
        .values("grounds__slug")
        .annotate(rulings=Count("pk", distinct=True))
        .order_by("-rulings", "grounds__slug")
    )
    return {
        "total": refusals.count(),
        "by_country": dict(sorted(by_country.items())),
        "by_ground": {row["grounds__slug"]: row["rulings"] for row in by_ground},
    }


def case_figures(on: datetime.date, user=None) -> dict:
    visible = Case.objects.visible_to(user)
    return {
        "total": visible.count(),
        "by_kind": counts(visible, "kind"),
        "by_host_country": counts(visible, "host_country"),
        "by_outcome": counts(visible, "outcome"),
    }


def detention_figures(on: datetime.date, user=None) -> dict:
    """Days spent in custody abroad up to ``on``, over detentions with a known start."""
    # Summed by the database: reading 60,000 detentions into Python took a third of a second.
    until = Least(Coalesce("ended_on", Value(on)), Value(on), output_field=DateField())
    days = ExpressionWrapper(until - F("started_on"), output_field=DurationField())
    found = Detention.objects.visible_to(user).filter(started_on__lte=on).aggregate(total=Sum(days), detentions=Count("pk"))
    total = found["total"] or datetime.timedelta()
    return {"detentions_counted": found["detentions"], "total_days": total.days}


def counts(queryset, field: str) -> dict:
    rows = queryset.order_by().values(field).annotate(n=Count("pk")).order_by("-n", field)
    return {row[field] or "unknown": row["n"] for row in rows}
