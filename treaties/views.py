"""The public treaty map and timeline: each country coloured by the status of its extradition
treaty with the PRC on any date, drawn server-side as SVG from Natural Earth shapes."""

from __future__ import annotations

import datetime
from collections import Counter

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.generic import TemplateView
from django_countries import countries

from cases import reads as case_reads
from cases.charts import returns_per_year_chart
from cases.models import RulingDecision
from extraditions import charts
from extraditions.choices import ChineseParty
from extraditions.pages import RecordPageView, SitePageMixin

from . import reads
from .maps import extradition_treaties, same_day_in, world_map, year_steps
from .models import Treaty, TreatyKind
from .status import STATUS_PRECEDENCE


class TreatyMapView(SitePageMixin, TemplateView):
    template_name = "site/treaty_map.html"
    page_title = "Extradition treaties with China: map and timeline"

    def chosen_date(self) -> tuple[datetime.date, str]:
        """The date asked for (``on``; ``year`` moves it to the same day of that year), or today."""
        today, raw, year = timezone.localdate(), self.request.GET.get("on", ""), self.request.GET.get("year", "")
        try:
            on = datetime.date.fromisoformat(raw) if raw else today
        except ValueError:
            return today, f"“{raw}” is not a date (YYYY-MM-DD): the map shows today."
        if not year:
            return on, ""
        if not (year.isdigit() and datetime.MINYEAR <= int(year) <= datetime.MAXYEAR):
            return on, f"“{year}” is not a year: the map shows {date_format(on, 'j F Y')}."
        return same_day_in(int(year), on), ""

    def get_context_data(self, **kwargs):
        on, error = self.chosen_date()
        treaties = list(extradition_treaties(self.request.user, on))
        chart = timeline(treaties)
        first_year = chart["years"][0]["year"] if chart["years"] else on.year
        return {
            **super().get_context_data(**kwargs),
            "date_error": error,
            "map": world_map(treaties, on),
            "steps": year_steps(on, first_year, timezone.localdate().year),
            "timeline": chart,
        }


# The per-year chart's geometry in its SVG's units: an axis of counts on the left, two bars a year
# (signed, entered into force), every fifth year written under them, room above for the values.
AXIS_WIDTH, BAR_WIDTH, YEAR_WIDTH, PLOT_HEIGHT, TOP_MARGIN, BOTTOM_MARGIN = 30, 7, 18, 120, 14, 24


def timeline(treaties) -> dict:
    """Treaties signed and entered into force per year, for a bar chart (with its axes) and its table.

    Drawn here rather than by ``extraditions.charts.column_chart``: with two bars for each of 30 and
    more years, that chart's drawing has no room to write the values, which this one writes (a
    phone scrolls it sideways)."""
    signed = Counter(t.signed_on.year for t in treaties if t.signed_on)
    in_force = Counter(t.in_force_on.year for t in treaties if t.in_force_on)
    years = sorted(set(signed) | set(in_force))
    if not years:
        return {"years": [], "max": 0}
    rows = [{"year": y, "signed": signed.get(y, 0), "in_force": in_force.get(y, 0)} for y in range(years[0], years[-1] + 1)]
    top = max(max(r["signed"], r["in_force"]) for r in rows)
    ticks = [int(tick) for tick in charts.nice_ticks(0, top, integer=True)]
    axis_top, baseline = ticks[-1], TOP_MARGIN + PLOT_HEIGHT

    def bar(value: int, x: float) -> dict:
        height = round(value / axis_top * PLOT_HEIGHT, 1)
        return {"value": value, "x": x, "y": round(baseline - height, 1), "height": height, "middle": x + BAR_WIDTH / 2}

    for index, row in enumerate(rows):
        left = AXIS_WIDTH + index * YEAR_WIDTH + (YEAR_WIDTH - 2 * BAR_WIDTH) / 2
        row["bars"] = [bar(row["signed"], left) | {"kind": "signed", "verb": "signed"},
                       bar(row["in_force"], left + BAR_WIDTH) | {"kind": "in-force", "verb": "entered into force"}]
        row["middle"] = left + BAR_WIDTH
        row["written"] = row["year"] % 5 == 0  # the years named under the axis
    return {
        "years": rows,
        "max": top,
        "ticks": [{"value": v, "y": round(baseline - v / axis_top * PLOT_HEIGHT, 1)} for v in ticks],
        "width": AXIS_WIDTH + len(rows) * YEAR_WIDTH + 4,
        "height": baseline + BOTTOM_MARGIN,
        "axis_x": AXIS_WIDTH,
        "bar_width": BAR_WIDTH,
        "baseline": baseline,
        "top": TOP_MARGIN,
        "first": rows[0]["year"],
        "last": rows[-1]["year"],
    }


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
    """One country at a glance: how many people were returned from it, when, how and with what
    outcome (its counts, a chart per year, its cases with their dates); its treaties with China and
    their steps, its rulings and the detentions there that an INTERPOL notice led to."""

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
        treaties, rulings = list(page["treaties"]), list(page["rulings"])
        cases = case_reads.with_return_dates(page["cases"])
        for treaty in treaties:
            treaty.status_label = treaty.describe_status_on(today)
        extradition = [t for t in treaties if (t.kind, t.china_party) == (TreatyKind.EXTRADITION, ChineseParty.PRC)]
        best = min(extradition, key=lambda t: STATUS_PRECEDENCE.index(t.status), default=None)
        by_outcome = Counter(case.get_outcome_display() for case in cases)
        returns = page["returns_per_year"]
        name = countries.name(code)
        return {
            **super().get_context_data(**kwargs),
            "code": code,
            "name": name,
            "treaties": treaties,
            "treaty_status": best.status_label if best else "",
            "cases": cases,
            "return_outcomes": list(case_reads.RETURNS),
            "returned": case_reads.grand_total(returns),
            "returns_chart": returns_per_year_chart(
                returns, id="country-returns", title=f"Persons returned to China from {name}, per year"
            ),
            "by_outcome": sorted(by_outcome.items(), key=lambda item: -item[1]),
            "rulings": rulings,
            "refusals": sum(r.decision == RulingDecision.EXTRADITION_REFUSED for r in rulings),
            "detentions": page["detentions"],
            "today": today,
            # The API summarises countries with treaties, cases or rulings; a page may have none.
            "api_url": reverse("api:country-detail", args=[code]) if treaties or cases or rulings else None,
        }


class CountryListView(SitePageMixin, TemplateView):
    """Every country with a published record, with its counts and the status of its extradition
    treaty with the PRC today, each leading to its page."""

    template_name = "site/country_list.html"
    page_title = "Countries"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        index = reads.country_index(self.request.user, today)
        rows = sorted(({"code": code, "name": countries.name(code), **counts} for code, counts in index.items()),
                      key=lambda row: row["name"])
        totals = {key: sum(row[key] for row in rows) for key in ("cases", "returned", "rulings", "refusals")}
        return {**super().get_context_data(**kwargs), "countries": rows, "totals": totals, "today": today}
