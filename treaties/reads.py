"""The shapes treaties are read in, for the API and the site (see ``cases/reads.py``)."""

from __future__ import annotations

from django.db.models import Prefetch

from cases.models import Case, CourtRuling, Detention
from sources.models import listed_citations

from .models import Treaty, TreatyStep


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
    ``on``, steps), its cases, its rulings and the detentions there that an INTERPOL notice led to."""
    return {
        "treaties": Treaty.objects.visible_to(user).filter(counterpart=code).with_status(on).prefetch_related("steps"),
        "cases": Case.objects.visible_to(user).filter(host_country=code).order_by("-started_on", "title"),
        "rulings": CourtRuling.objects.visible_to(user).filter(country=code).select_related("case").order_by("-decided_on"),
        "detentions": (
            Detention.objects.visible_to(user).filter(case__host_country=code).on_interpol_notices(user)
            .select_related("case", "person").order_by("-started_on")
        ),
    }
