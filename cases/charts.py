"""The charts of what the published records count, on the figures, home and country pages: persons
returned per year and per country by means of return, extradition requests by decision, INTERPOL
notices and detentions per year (the numbers from ``cases.reads.chart_counts``, drawn by
``extraditions.charts``)."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from django.urls import reverse
from django_countries import countries

from extraditions import charts
from extraditions.identifiers import api_list_url

from . import models as cases
from . import reads as case_reads

PERSONS_COUNTED = "A group counts for its size; any other case for the persons it seeks (named or not, at least one)."
RETURNS_DESCRIPTION = (
    "Persons in cases that ended in their return to China, by the year of their transfer to China in the case's "
    f"timeline, and by the means of return. {PERSONS_COUNTED}"
)
TOP_COUNTRIES = 15  # bars of a chart per country; the other countries are summed in its table


def returns_per_year_chart(counts: dict, *, id: str, title: str) -> charts.Chart:
    """Persons returned per year, stacked by the means of return: on the figures, home and country pages."""
    return charts.column_chart(
        id, title=title, description=RETURNS_DESCRIPTION, unit="persons", stacked=True,
        **charts.yearly(counts, case_reads.RETURNS),
    )


def country_category(code: str) -> charts.Category:
    if not code:
        return charts.Category("Country not known")
    return charts.Category(countries.name(code), reverse("site:country-detail", args=[code]))


def per_country(counts: dict, keys: dict) -> dict:
    """A bar chart's categories, series and table rows from ``{country: {key: number}}``: the
    countries with the most first, past ``TOP_COUNTRIES`` summed in the table."""
    order = sorted(counts, key=lambda code: (-sum(counts[code].values()), not code, countries.name(code)))
    shown, rest = order[:TOP_COUNTRIES], order[TOP_COUNTRIES:]
    others = defaultdict(int)
    for code in rest:
        for key, value in counts[code].items():
            others[key] += value
    return {
        "categories": [country_category(code) for code in shown],
        "series": charts.series_from_counts(counts, keys, shown),
        "unplotted": [(charts.Category(f"{len(rest)} other countries", reverse("site:country-list")), others)] if rest else [],
    }


def listing(*links: tuple[str, str]) -> list[dict]:
    return [{"label": label, "url": url} for label, url in links]


def counted_charts(counts: dict) -> list[dict]:
    """The charts of what the records count, each with the lists and CSV files of its records."""
    returned = urlencode({"outcome": list(case_reads.RETURNS)}, doseq=True)
    cases_csv = f"{api_list_url(cases.Case)}?{returned}&format=csv"
    return_links = listing(
        ("the returned cases", f"{reverse('site:case-list')}?{returned}"), ("as CSV", cases_csv),
        ("persons returned per country, year and means, as one CSV", reverse("site:returns-table")),
    )
    return [
        {
            "chart": returns_per_year_chart(counts["returns_per_year"], id="returns-per-year",
                                            title="Persons returned to China per year, by means of return"),
            "records": return_links,
        },
        {
            "chart": charts.bar_chart(
                "returns-per-country", title="Persons returned to China, by host country and means of return",
                description="Persons in cases that ended in their return to China, by the country they were returned from "
                f"and the means of return, in every year (undated returns included). {PERSONS_COUNTED}",
                unit="persons", stacked=True, **per_country(counts["returns_per_country"], case_reads.RETURNS),
            ),
            "records": return_links + listing(("every country", reverse("site:country-list"))),
        },
        {
            "chart": charts.bar_chart(
                "requests-per-country", title="Extradition requests by host country and decision",
                description="Formal extradition requests in the published cases, by the country they were made to "
                "and the decision on them.",
                unit="requests", stacked=True,
                **per_country(counts["requests_per_country"], dict(cases.RequestDecision.choices)),
            ),
            "records": listing(("the requests as CSV", f"{api_list_url(cases.ExtraditionRequest)}?format=csv")),
        },
        {
            "chart": charts.column_chart(
                "notices-per-year", title="INTERPOL notices per year of issue",
                description="Red Notices and Diffusions in the published records, by the year they were issued.",
                unit="notices", stacked=True, **charts.yearly(counts["notices_per_year"], dict(cases.NoticeKind.choices)),
            ),
            "records": listing(("the notices", reverse("site:notice-list")),
                               ("as CSV", f"{api_list_url(cases.InterpolNotice)}?format=csv")),
        },
        {
            "chart": charts.column_chart(
                "detentions-per-year", title="Detentions per year they began",
                description="Detentions abroad in the published cases, by the year they began: in a case with an "
                "INTERPOL notice (or on a notice without a request), and the others.",
                unit="detentions", stacked=True,
                **charts.yearly(counts["detentions_per_year"],
                                {"interpol": "With an INTERPOL notice", "other": "Other detentions"}),
            ),
            "records": listing(("the detentions as CSV", f"{api_list_url(cases.Detention)}?format=csv")),
        },
    ]


