"""The public treaty map and timeline: each country coloured by the status of its extradition
treaty with the PRC on any date, drawn server-side as SVG from Natural Earth shapes."""

from __future__ import annotations

import datetime
from collections import Counter

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from django_countries import countries

from extraditions.pages import RecordPageView, SitePageMixin

from . import reads
from .maps import extradition_treaties, world_map
from .models import Treaty


class TreatyMapView(SitePageMixin, TemplateView):
    template_name = "site/treaty_map.html"
    page_title = "Extradition treaties with China: map and timeline"

    def chosen_date(self) -> tuple[datetime.date, str]:
        raw = self.request.GET.get("on", "")
        try:
            return (datetime.date.fromisoformat(raw), "") if raw else (timezone.localdate(), "")
        except ValueError:
            return timezone.localdate(), f"“{raw}” is not a date (YYYY-MM-DD): the map shows today."

    def get_context_data(self, **kwargs):
        on, error = self.chosen_date()
        treaties = list(extradition_treaties(self.request.user, on))
        return {
            **super().get_context_data(**kwargs),
            "date_error": error,
            "map": world_map(treaties, on),
            "timeline": timeline(treaties),
        }


def timeline(treaties) -> dict:
    """Treaties signed and entered into force per year, for a bar chart and its table."""
    signed = Counter(t.signed_on.year for t in treaties if t.signed_on)
    in_force = Counter(t.in_force_on.year for t in treaties if t.in_force_on)
    years = sorted(set(signed) | set(in_force))
    if not years:
        return {"years": [], "max": 0}
    rows = [{"year": y, "signed": signed.get(y, 0), "in_force": in_force.get(y, 0)} for y in range(years[0], years[-1] + 1)]
    top = max(max(r["signed"], r["in_force"]) for r in rows)
    for index, row in enumerate(rows):  # bar geometry for the SVG chart (CHART_HEIGHT high, 12 per year)
        row["x"] = index * 12
        row["signed_height"] = round(row["signed"] / top * CHART_HEIGHT)
        row["in_force_height"] = round(row["in_force"] / top * CHART_HEIGHT)
        row["signed_y"] = CHART_HEIGHT - row["signed_height"]
        row["in_force_y"] = CHART_HEIGHT - row["in_force_height"]
    return {"years": rows, "max": top, "width": len(rows) * 12, "height": CHART_HEIGHT}


CHART_HEIGHT = 120


class TreatyDetailView(RecordPageView):
    """A treaty with its steps, its status today and the cases that invoked it."""

    model = Treaty
    template_name = "site/treaty_detail.html"
    context_object_name = "treaty"

    def optimise(self, queryset):
        return reads.treaty_page(queryset, self.request.user, timezone.localdate())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "status_label": self.object.describe_status_on(self.object.status_date)}


class CountryView(SitePageMixin, TemplateView):
    """One country: its treaties with China and their steps, its cases by outcome, its rulings and
    the detentions there that an INTERPOL notice led to."""

    template_name = "site/country_detail.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.code = kwargs["code"].upper()

    def get_page_title(self) -> str:
        return countries.name(self.code)

    def get_record_id(self) -> str:
        return self.code

    def get_context_data(self, **kwargs):
        if self.code not in dict(countries):
            raise Http404("No such country.")
        code, today = self.code, timezone.localdate()
        page = reads.country_page(code, self.request.user, today)
        treaties, cases, rulings = list(page["treaties"]), list(page["cases"]), list(page["rulings"])
        for treaty in treaties:
            treaty.status_label = treaty.describe_status_on(today)
        by_outcome = Counter(case.get_outcome_display() for case in cases)
        return {
            **super().get_context_data(**kwargs),
            "code": code,
            "name": countries.name(code),
            "treaties": treaties,
            "cases": cases,
            "by_outcome": sorted(by_outcome.items(), key=lambda item: -item[1]),
            "rulings": rulings,
            "detentions": page["detentions"],
            "today": today,
            # The API summarises countries with treaties, cases or rulings; a page may have none.
            "api_url": reverse("api:country-detail", args=[code]) if treaties or cases or rulings else None,
        }
