"""The chart module: nice ticks, scales, honest shapes (bars from zero, dots when bars would hide the
differences), every value written, the table beside, and nothing drawn for nothing."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from extraditions import charts
from extraditions.charts import Category, Series


def years(*labels) -> list[Category]:
    return [Category(str(label)) for label in labels]


def texts(chart, css: str) -> list[str]:
    return [t.text for t in chart.texts if t.css == css]


# --- ticks and scales -----------------------------------------------------------------------------


@pytest.mark.parametrize(("lo", "hi", "integer", "expected"), [
    (0, 94, True, [0, 20, 40, 60, 80, 100]),
    (0, 3, True, [0, 1, 2, 3]),
    (0, 2, True, [0, 1, 2]),  # no tick at half a person
    (0, 52103, False, [0, 20000, 40000, 60000]),
    (0, 0.35, False, [0, 0.1, 0.2, 0.3, 0.4]),
    (99.9475, 99.9625, False, [99.945, 99.95, 99.955, 99.96, 99.965]),
    (-3, 7, True, [-4, -2, 0, 2, 4, 6, 8]),
])
def test_ticks_are_round_evenly_spaced_and_cover_the_values(lo, hi, integer, expected):
    ticks = charts.nice_ticks(lo, hi, integer=integer)
    assert ticks == pytest.approx(expected)
    assert ticks[0] <= lo and ticks[-1] >= hi
    assert len(ticks) <= charts.MAX_TICKS + 2


def test_one_value_or_none_still_has_an_axis():
    assert charts.nice_ticks(0, 0) == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1])
    assert charts.nice_ticks(0, 0, integer=True) == [0, 1]
    five = charts.nice_ticks(5, 5, integer=True)
    assert five[0] <= 5 < five[-1]


@pytest.mark.parametrize(("step", "decimals"), [(20, 0), (1, 0), (0.5, 1), (0.05, 2), (0.005, 3)])
def test_a_scale_writes_its_ticks_with_the_decimals_their_step_needs(step, decimals):
    assert charts.decimals_of(step) == decimals


def test_a_scale_places_values_between_its_ends():
    scale = charts.linear_scale([22, 49, 94], start=210, end=30, integer=True)
    assert (scale.lo, scale.hi) == (0, 100)
    assert (scale(0), scale(100), scale(50)) == (210, 30, 120)
    assert [scale.label(t) for t in scale.ticks] == ["0", "20", "40", "60", "80", "100"]


def test_a_percentage_axis_never_passes_a_hundred():
    scale = charts.linear_scale([99.99, 100], start=200, end=30, from_zero=False, ceiling=100, suffix="%")
    assert scale.hi == 100 and scale.lo < 99.99
    assert all(t <= 100 for t in scale.ticks)
    assert scale.label(scale.hi) == "100.000%"


def test_bars_would_hide_differences_only_between_close_positive_values():
    assert charts.zero_hides_differences([99.95, 99.96, 99.96])
    assert not charts.zero_hides_differences([48, 52, 48])  # bars show about half, as it is
    assert not charts.zero_hides_differences([0, 1])
    assert not charts.zero_hides_differences([])


@pytest.mark.parametrize(("value", "kwargs", "written"), [
    (1234, {}, "1,234"),
    (1234.0, {}, "1,234"),
    (Decimal("99.9500"), {"suffix": "%"}, "99.95%"),
    (0.5, {"decimals": 2}, "0.50"),
    (52103, {}, "52,103"),
])
def test_numbers_are_written_as_a_reader_writes_them(value, kwargs, written):
    assert charts.format_number(value, **kwargs) == written


# --- charts ---------------------------------------------------------------------------------------


def test_nothing_to_draw_is_an_empty_chart_with_its_table():
    nothing = charts.column_chart("empty", title="T", description="D", unit="persons", categories=[], series=[])
    assert nothing.empty and not nothing.lines and not nothing.texts and nothing.table.rows == ()
    zeros = charts.column_chart("zeros", title="T", description="D", unit="persons", categories=years(2019, 2020),
                                series=[Series("Returned", (0, 0))])
    assert zeros.empty
    undated = charts.column_chart(
        "undated", title="T", description="D", unit="persons",
        **charts.yearly({None: {"deported": 3}}, {"deported": "Deported"}),
    )
    assert undated.empty and [row.category.label for row in undated.table.rows] == ["Year not known"]
    assert undated.table.rows[0].cells == ("3",) and not undated.table.rows[0].plotted


def test_yearly_counts_fill_the_years_between_and_keep_the_undated_for_the_table():
    arguments = charts.yearly(
        {2009: {"deported": 22}, 2012: {"extradited": 49}, None: {"extradited": 3}},
        {"extradited": "By extradition", "deported": "By deportation", "returned": "By means not known"},
    )
    assert [c.label for c in arguments["categories"]] == [str(y) for y in range(2009, 2013)]
    assert [(s.label, s.values) for s in arguments["series"]] == [
        ("By extradition", (0, 0, 0, 49)), ("By deportation", (22, 0, 0, 0)),
    ]  # a means that has nothing has no series
    assert arguments["unplotted"] == [(Category("Year not known"), {"extradited": 3})]


def returns_chart():
    return charts.column_chart(
        "returns", title="Persons returned per year", description="Persons returned.", unit="persons", stacked=True,
        **charts.yearly({2009: {"deported": 22}, 2012: {"extradited": 40, "deported": 9}, None: {"extradited": 3}},
                        {"extradited": "By extradition", "deported": "By deportation"}),
    )


def test_a_stacked_chart_has_axes_values_totals_and_a_table():
    chart = returns_chart()
    assert texts(chart, "unit") == ["persons"]
    assert texts(chart, "tick") == ["0", "10", "20", "30", "40", "50"]
    assert texts(chart, "category") == ["2009", "2010", "2011", "2012"]
    assert texts(chart, "value") == ["22", "49"]  # each stack's total at its top
    assert texts(chart, "inside") == ["40", "9"]  # the segments of a stack of two, inside them
    assert [m.title for m in chart.marks] == ["2009, By deportation: 22", "2012, By extradition: 40", "2012, By deportation: 9"]
    assert [line.css for line in chart.lines].count("axis") == 1  # the zero line
    assert chart.legend == [("series-0", "By extradition"), ("series-1", "By deportation")]
    assert chart.table.headings == ("By extradition", "By deportation", "Total")
    assert [(r.category.label, r.cells, r.plotted) for r in chart.table.rows] == [
        ("2009", ("0", "22", "22"), True), ("2012", ("40", "9", "49"), True), ("Year not known", ("3", "0", "3"), False),
    ]
    assert chart.table.left_out == 2  # 2010 and 2011: zero in the chart, not listed


def test_bars_start_at_zero_and_their_length_is_their_value():
    chart = charts.column_chart("c", title="T", description="D", unit="notices", categories=years(2016, 2017),
                                series=[Series("Diffusions", (26645, 50530))])
    scale_zero = next(line.y1 for line in chart.lines if line.css == "axis")
    first, second = chart.marks
    assert first.y + first.height == second.y + second.height == scale_zero
    assert second.height / first.height == pytest.approx(50530 / 26645, rel=0.01)
    assert texts(chart, "value") == ["26,645", "50,530"]


def test_close_percentages_are_dots_on_a_marked_axis_not_full_bars():
    chart = charts.column_chart(
        "rates", title="Conviction rate", description="D", unit="percent", suffix="%", ceiling=100,
        categories=years(2015, 2016, 2017, 2018, 2019),
        series=[Series("Report", (99.95, None, None, None, 99.96), texts=("99.95%", "—", "—", "—", "at least 99.96%"))],
    )
    assert {m.shape for m in chart.marks} == {"circle"}
    assert texts(chart, "value") == ["99.95%", "at least 99.96%"]
    ticks = texts(chart, "tick")
    assert ticks[0] != "0%" and ticks[-1] in ("99.965%", "99.970%")
    assert chart.notes == [f"The vertical axis starts at {ticks[0]}, not at zero: the differences are small next to the values."]


def test_sources_for_one_year_stand_side_by_side():
    chart = charts.column_chart("s", title="T", description="D", unit="notices", categories=years(2018, 2019),
                                series=[Series("Report", (100, 120)), Series("Another NGO", (None, 140))])
    assert len(chart.marks) == 3
    report_2019, ngo_2019 = chart.marks[1], chart.marks[2]
    assert report_2019.x + report_2019.width == pytest.approx(ngo_2019.x)


def test_a_bar_chart_has_a_row_per_category_shortened_when_long():
    chart = charts.bar_chart(
        "countries", title="T", description="D", unit="persons",
        categories=[Category("Cambodia", "/countries/KH/"), Category("United States of America and a much longer name")],
        series=[Series("Returned", (98, 1))],
    )
    labels = texts(chart, "category")
    assert labels[0] == "Cambodia" and labels[1].endswith("…")
    assert chart.table.rows[1].category.label == "United States of America and a much longer name"
    assert texts(chart, "value") == ["98", "1"]
    assert chart.marks[0].width / chart.marks[1].width == pytest.approx(98, rel=0.01)
    assert chart.table.rows[0].category.url == "/countries/KH/"


def test_crowded_columns_name_every_few_years_and_leave_the_values_to_the_table():
    chart = charts.column_chart("long", title="T", description="D", unit="notices",
                                categories=years(*range(1980, 2021)), series=[Series("Notices", tuple(range(1000, 1041)))])
    named = texts(chart, "category")
    assert named[-1] == "2020" and len(named) < 41
    assert texts(chart, "value") == []
    assert "they are in the table" in chart.notes[0]


def test_coordinates_are_rounded():
    chart = returns_chart()
    numbers = [getattr(item, f) for item in chart.marks + chart.lines + chart.texts
               for f in ("x", "y", "x1", "y1", "width", "height") if isinstance(getattr(item, f, None), float)]
    assert numbers and all(round(n, 2) == n for n in numbers)


def test_the_template_draws_an_image_with_a_name_a_description_and_the_table_beside():
    html = render_to_string("site/chart.html", {"chart": returns_chart()})
    assert '<svg class="chart-plot" viewBox="0 0 400 234"' in html
    assert 'role="img" aria-labelledby="returns-title returns-desc"' in html
    assert '<title id="returns-title">Persons returned per year</title>' in html
    assert '<desc id="returns-desc">Persons returned. The same numbers are in the table beside the chart.</desc>' in html
    assert '<caption id="returns-table">Persons returned per year, in persons</caption>' in html
    assert '<tr class="unplotted"><th scope="row">Year not known</th>' in html
    assert 'class="key series-1" aria-hidden="true"></span>By deportation' in html
    assert "style=" not in html  # the Content-Security-Policy allows no inline style
    alone = render_to_string("site/chart.html", {"chart": returns_chart(), "no_table": True})
    assert "<table" not in alone and "table beside" not in alone
    empty = charts.column_chart("e", title="T", description="D", unit="persons", categories=[], series=[])
    assert "<svg" not in render_to_string("site/chart.html", {"chart": empty})
