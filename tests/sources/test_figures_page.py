"""The figures page: its contents first; the charts of what the records count, each with axes,
values, its table and links to its records; the figures as the sources report them, a chart only
for a series of comparable figures, and close percentages never drawn as full bars."""

import datetime
import re

import pytest

from cases.models import CaseEventKind, CaseOutcome, RequestDecision
from sources.models import FigureMetric, FigureUnit
from tests import factories as f
from tests.pages import page

D = datetime.date
pytestmark = pytest.mark.django_db


def values_in(svg: str) -> list[str]:
    return re.findall(r'class="value">([^<]+)</text>', svg)


def chart_of(html: str, chart_id: str) -> str:
    """The SVG of one chart, by its id."""
    match = re.search(rf'<svg class="chart-plot"[^>]*aria-labelledby="{chart_id}-title[^"]*">(.*?)</svg>', html, re.S)
    assert match, f"no chart {chart_id}"
    return match.group(1)


def figure(metric, year, value, *, detail="", unit=FigureUnit.NOTICES, source=None, **fields):
    made = f.ReportedFigureFactory(metric=metric, year_from=year, year_to=year, value=value, unit=unit,
                                   metric_detail=detail, **fields)
    f.CitationFactory(record=made, source=source or f.SourceFactory(title=f"Report of {year}"), locator="p. 4")
    return made


def test_the_contents_come_first_and_lead_to_every_section(client):
    figure(FigureMetric.RED_NOTICES_ISSUED, 2016, 612)
    figure(FigureMetric.CONVICTION_RATE, 2015, 99.95, unit=FigureUnit.PERCENT)
    html = page(client, "/figures/")
    contents = html.split('<nav class="toc"')[1].split("</nav>")[0]
    assert html.index('<nav class="toc"') < html.index('<h2 id="counted">')
    targets = re.findall(r'href="#([^"]+)"', contents)
    assert {"counted", "reported", "returns-per-year", "requests-per-country", "notices-per-year",
            "detentions-per-year", "metric-red_notices_issued", "metric-conviction_rate"} <= set(targets)
    for target in targets:
        assert f'id="{target}"' in html, target


def test_what_the_records_count_is_charted_with_axes_values_a_table_and_its_records(client):
    case = f.CaseFactory(outcome=CaseOutcome.DEPORTED, host_country="ES", group_size=94)
    f.CaseEventFactory(case=case, kind=CaseEventKind.TRANSFER, occurred_on=D(2019, 1, 1), occurred_on_precision="year")
    f.ExtraditionRequestFactory(case=case, decision=RequestDecision.GRANTED)
    f.InterpolNoticeFactory(issued_on=D(2017, 1, 1), issued_on_precision="year").cases.add(case)
    f.DetentionFactory(case=case, started_on=D(2018, 1, 1))
    html = page(client, "/figures/")
    returns = chart_of(html, "returns-per-year")
    assert 'class="unit">persons</text>' in returns and 'class="value">94</text>' in returns
    assert 'class="tick">100</text>' in returns and 'class="category">2019</text>' in returns
    by_country = chart_of(html, "returns-per-country")
    assert 'text-anchor="end" class="category">Spain</text>' in by_country and values_in(by_country) == ["94"]
    assert '<th scope="row"><a href="/countries/ES/">Spain</a></th><td class="number">94</td>' in html
    assert "<title>Spain: 1</title>" in chart_of(html, "requests-per-country")
    assert 'class="unit">notices</text>' in chart_of(html, "notices-per-year")
    assert 'class="unit">detentions</text>' in chart_of(html, "detentions-per-year")
    assert ('href="/cases/?outcome=extradited&amp;outcome=deported&amp;outcome=returned_involuntarily&amp;outcome=returned"'
            in html)
    assert "/api/v1/extradition-requests/?format=csv" in html


def test_only_comparable_figures_share_a_chart(client):
    """Red Notices in circulation: the PRC's active ones and those publicly listed are two series,
    each charted on its own; a count over several years is in the table only."""
    active, listed = "Active Red Notices originating from the PRC", "Red Notices requested by the PRC that were publicly listed"
    figure(FigureMetric.RED_NOTICES_IN_CIRCULATION, 2014, 503, detail=active, scope_country="CN")
    figure(FigureMetric.RED_NOTICES_IN_CIRCULATION, 2015, 650, detail=active, scope_country="CN")
    figure(FigureMetric.RED_NOTICES_IN_CIRCULATION, 2018, 83, detail=listed, scope_country="CN")
    figure(FigureMetric.RED_NOTICES_IN_CIRCULATION, 2021, 35, detail=listed, scope_country="CN")
    figure(FigureMetric.RED_NOTICES_IN_CIRCULATION, 2017, 52103, detail="Red Notices in circulation worldwide")
    f.ReportedFigureFactory(metric=FigureMetric.RED_NOTICES_IN_CIRCULATION, year_from=1984, year_to=2014, value=400)
    html = page(client, "/figures/")
    first = chart_of(html, "chart-red_notices_in_circulation-1")
    second = chart_of(html, "chart-red_notices_in_circulation-2")
    assert (values_in(first), values_in(second)) == (["503", "650"], ["83", "35"])
    drawn = re.findall(r"<svg.*?</svg>", html.split('id="reported"')[1], re.S)
    assert len(drawn) == 2 and not any("52,103" in svg for svg in drawn)  # alone in its series: in the table only
    assert "<td>2017</td><td>52,103</td>" in html
    assert f'<h4 class="chart-title">{active} (China)</h4>' in html
    assert "<td>1984–2014</td><td>400</td>" in html


def test_close_percentages_are_dots_on_a_marked_axis_never_full_bars(client):
    for year, value in ((2015, "99.95"), (2019, "99.96")):
        figure(FigureMetric.CONVICTION_RATE, year, value, unit=FigureUnit.PERCENT, detail="Conviction rate", scope_country="CN")
    html = page(client, "/figures/")
    rates = chart_of(html, "chart-conviction_rate-1")
    assert "<rect" not in rates and rates.count("<circle") == 2
    assert values_in(rates) == ["99.95%", "99.96%"]
    ticks = re.findall(r'class="tick">([^<]+)</text>', rates)
    assert ticks[0] != "0%" and all(float(t.rstrip("%")) <= 100 for t in ticks)
    assert f"The vertical axis starts at {ticks[0]}, not at zero" in html
    assert "<td>2015</td><td>99.95%</td>" in html  # and in the table, with its source
    assert "Report of 2015</a>, p. 4" in html
