"""Charts drawn on the server as SVG: a value axis with "nice" ticks and its unit, bars (one series,
side by side, or stacked) or dots, and every value written next to its mark.

A chart is computed here as geometry (marks, lines, texts) that ``templates/site/chart.html``
draws, with the same numbers as a table beside it. Nothing here knows the domain: callers give
categories (years, countries), series of numbers, a unit and the words that describe them. Why
server-side SVG rather than a charting library: README, "Dependencies and why".

Honesty rules the shape: bars always start at zero; values whose differences are small next to
their size (conviction rates of 99.95 and 99.96 %) are drawn as dots on an axis that does not
start at zero, and the chart says so.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal

FONT_SIZE = 12  # of every text, in the SVG's own units (one unit is one CSS pixel at full width)
CHAR_WIDTH = 7.6  # what one character takes at FONT_SIZE, generously (DejaVu Sans is wide): labels that fit never touch
WIDTH = 400  # the drawing's width: scaled to 90 % on a phone's 360 pixels, to 112 % beside a table on a desktop
PLOT_HEIGHT = 180  # of a column chart's plot area
ROW = 22  # a bar chart's band per category: a 14-unit bar and its gap
PALETTE_SIZE = 6  # classes series-0 … series-5 in charts.css, each 4.5:1 with white text on it
MAX_TICKS = 5


# --- scales ---------------------------------------------------------------------------------------


def nice_step(span: float, max_ticks: int = MAX_TICKS, *, integer: bool = False) -> float:
    """The smallest step of 1, 2 or 5 times a power of ten that cuts ``span`` into at most
    ``max_ticks`` intervals; at least 1 for counts (no tick at 2.5 persons)."""
    if span <= 0:
        return 1.0
    raw = span / max(max_ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if raw <= m * magnitude * (1 + 1e-9))
    return max(1.0, float(math.ceil(step))) if integer else step


def decimals_of(step: float) -> int:
    """Decimals that write every multiple of ``step`` exactly (0.05 → 2, 20 → 0)."""
    decimals = 0
    while decimals < 10 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-9:
        decimals += 1
    return decimals


def nice_ticks(lo: float, hi: float, max_ticks: int = MAX_TICKS, *, integer: bool = False) -> list[float]:
    """Evenly spaced round values from at or below ``lo`` to at or above ``hi``."""
    lo, hi = min(lo, hi), max(lo, hi)
    if lo == hi:  # one value: an interval around it (or 0 to 1 for zero)
        hi = lo + (abs(lo) * 0.01 or 1)
    step = nice_step(hi - lo, max_ticks, integer=integer)
    decimals = decimals_of(step)
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [round(n * step, decimals) for n in range(first, last + 1)]


@dataclass(frozen=True)
class Scale:
    """Values from ``lo`` to ``hi`` placed from ``start`` to ``end`` (for a vertical axis ``end`` is
    above ``start``: SVG's y grows downwards)."""

    lo: float
    hi: float
    start: float
    end: float
    ticks: tuple[float, ...]
    suffix: str = ""

    def __call__(self, value: float) -> float:
        return round(self.start + (value - self.lo) / (self.hi - self.lo) * (self.end - self.start), 2)

    @property
    def decimals(self) -> int:
        return decimals_of(self.ticks[1] - self.ticks[0]) if len(self.ticks) > 1 else 0

    def label(self, value: float) -> str:
        return format_number(value, self.decimals, self.suffix)


def linear_scale(values: Iterable[float], start: float, end: float, *, from_zero: bool = True, integer: bool = False,
                 ceiling: float | None = None, suffix: str = "") -> Scale:
    """A scale over ``values`` (and zero, ``from_zero``), ending on nice ticks; none above ``ceiling``
    (100 for a percentage)."""
    values = list(values) or [0.0]
    lo, hi = min(values), max(values)
    if from_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    else:  # room around the dots, so that none sits on the frame
        pad = (hi - lo) * 0.25 or abs(hi) * 0.001 or 1
        lo, hi = lo - pad, hi + pad
    ticks = nice_ticks(lo, hi, integer=integer)
    if ceiling is not None and ticks[-1] > ceiling:
        ticks = [t for t in ticks if t <= ceiling]
        ticks = ticks if len(ticks) > 1 and ticks[-1] >= max(values) else [*ticks, ceiling]
    return Scale(ticks[0], ticks[-1], start, end, tuple(ticks), suffix)


def zero_hides_differences(values: Sequence[float]) -> bool:
    """Whether bars from zero would draw different values as the same bar: all positive, and they
    differ by less than a twentieth of the largest (conviction rates of 99.95 and 99.96 %, not
    shares of 48 and 52 %, which bars show as they are)."""
    return bool(values) and min(values) > 0 and max(values) - min(values) < 0.05 * max(values)


def format_number(value: float | Decimal, decimals: int | None = None, suffix: str = "") -> str:
    """``1,234``, ``99.95%``; ``decimals`` None: as many as the value has (up to four)."""
    if decimals is None:
        exponent = Decimal(str(value)).normalize().as_tuple().exponent
        decimals = min(max(-exponent, 0), 4) if isinstance(exponent, int) else 0
    return f"{value:,.{decimals}f}{suffix}"


# --- what a chart shows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    """A place on the category axis (a year, a country) and its row in the table."""

    label: str
    url: str = ""


@dataclass(frozen=True)
class Series:
    """Values of one kind, one per category (None: no value, which is not zero), and how each is
    written when not as the bare number ("at least 200")."""

    label: str
    values: tuple[float | None, ...]
    texts: tuple[str, ...] | None = None
    key: str = ""  # what the caller's counts call it (an unplotted row's values are by key)

    def text(self, index: int, suffix: str = "") -> str:
        if self.texts:
            return self.texts[index]
        value = self.values[index]
        return "—" if value is None else format_number(value, suffix=suffix)


@dataclass(frozen=True)
class TableRow:
    category: Category
    cells: tuple[str, ...]
    plotted: bool = True  # False: in the table only ("Year not known")


@dataclass(frozen=True)
class Table:
    category_heading: str
    headings: tuple[str, ...]
    rows: tuple[TableRow, ...]
    left_out: int = 0  # categories with nothing (a year without any): charted as zero, not listed


class Rounded:
    """Coordinates to a hundredth of a unit: a shorter SVG, and no 26.799999999999997 in it."""

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, float):
                object.__setattr__(self, f.name, round(value, 2))


@dataclass(frozen=True)
class Mark(Rounded):
    """A bar (``rect``: x, y, width, height) or a dot (``circle``: centre x, y and radius r), with its tooltip."""

    shape: str
    css: str
    title: str
    x: float
    y: float
    width: float = 0
    height: float = 0
    r: float = 0


@dataclass(frozen=True)
class Line(Rounded):
    x1: float
    y1: float
    x2: float
    y2: float
    css: str  # "grid", or "axis" for the zero line


@dataclass(frozen=True)
class Text(Rounded):
    x: float
    y: float
    text: str
    css: str  # "tick", "category", "unit", "value", "inside" (white, on a bar)
    anchor: str = "middle"


@dataclass
class Chart:
    """What ``site/chart.html`` draws: the SVG's geometry, its legend and notes, and the table."""

    id: str  # unique in its page: the ids of its title and description derive from it
    title: str
    description: str
    unit: str
    table: Table
    width: float = WIDTH
    height: float = 0
    marks: list[Mark] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (css class, label)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing to draw (no value, or only zeros): the page says so and shows the table, if any."""
        return not self.marks


def series_from_counts(counts: Mapping, keys: Mapping[str, str], categories: Sequence) -> list[Series]:
    """One series per key that has a value somewhere in ``{category: {key: number}}``, in the order
    of ``keys``, which gives each key's label."""
    found = {key for row in counts.values() for key, value in row.items() if value}
    return [
        Series(label, tuple(counts.get(category, {}).get(key, 0) for category in categories), key=key)
        for key, label in keys.items() if key in found
    ]


def yearly(counts: Mapping[int | None, Mapping[str, float]], keys: Mapping[str, str]) -> dict:
    """A chart's categories, series and unplotted rows from ``{year: {key: number}}``: every year
    from the first to the last (a year without any is a zero, not a gap), and what has no year
    (key None) in the table only, as "Year not known"."""
    years = sorted(year for year in counts if year is not None)
    span = list(range(years[0], years[-1] + 1)) if years else []
    series = series_from_counts(counts, keys, span)
    undated = counts.get(None, {})
    return {
        "categories": [Category(str(year)) for year in span],
        "series": series,
        "unplotted": [(Category("Year not known"), undated)] if any(undated.values()) else [],
    }


def column_chart(id: str, *, title: str, description: str, unit: str, categories: Sequence[Category],
                 series: Sequence[Series], stacked: bool = False, category_heading: str = "Year", suffix: str = "",
                 ceiling: float | None = None, unplotted: Sequence[tuple[Category, Mapping]] = ()) -> Chart:
    """Vertical bars per category (years), side by side or ``stacked``, from zero; or dots on an
    axis that does not start at zero when bars would hide the differences (never when stacked)."""
    chart = Chart(id, title, description, unit, make_table(category_heading, categories, series, stacked, suffix, unplotted))
    Drawing(chart, categories, series, stacked=stacked, suffix=suffix, vertical=True).draw(ceiling)
    return chart


def bar_chart(id: str, *, title: str, description: str, unit: str, categories: Sequence[Category],
              series: Sequence[Series], stacked: bool = False, category_heading: str = "Country", suffix: str = "",
              unplotted: Sequence[tuple[Category, Mapping]] = ()) -> Chart:
    """Horizontal bars, one row per category: for long labels (countries) and many categories."""
    chart = Chart(id, title, description, unit, make_table(category_heading, categories, series, stacked, suffix, unplotted))
    Drawing(chart, categories, series, stacked=stacked, suffix=suffix, vertical=False).draw(None)
    return chart


def make_table(category_heading: str, categories, series, stacked: bool, suffix: str, unplotted) -> Table:
    """The chart's numbers as a table: a row per category that has any (the chart shows the zeros),
    a column per series (and their total when stacked), then the rows the chart leaves out."""
    with_total = stacked and len(series) > 1
    headings = tuple(s.label for s in series) + (("Total",) if with_total else ())

    def row(category, cells, numbers, plotted=True) -> TableRow:
        total = (format_number(sum(n or 0 for n in numbers), suffix=suffix),) if with_total else ()
        return TableRow(category, tuple(cells) + total, plotted)

    rows = [
        row(category, [s.text(i, suffix) for s in series], [s.values[i] for s in series])
        for i, category in enumerate(categories) if any(s.values[i] for s in series)
    ]
    left_out = len(categories) - len(rows)
    for category, values in unplotted:
        numbers = [values.get(s.key, 0) for s in series]
        rows.append(row(category, [format_number(n, suffix=suffix) for n in numbers], numbers, plotted=False))
    return Table(category_heading, headings, tuple(rows), left_out)


def text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def shortened(text: str, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` (the table beside has it whole)."""
    fits = int(width // CHAR_WIDTH)
    return text if len(text) <= fits else text[: max(fits - 1, 1)].rstrip() + "…"


class Drawing:
    """Draws a chart's marks, axes and labels. Positions are computed along a *band* axis (the
    categories) and a *value* axis, laid out as columns (``vertical``) or as horizontal bars."""

    def __init__(self, chart: Chart, categories, series, *, stacked: bool, suffix: str, vertical: bool):
        self.chart, self.categories, self.series, self.suffix = chart, list(categories), list(series), suffix
        self.stacked, self.vertical = stacked and len(self.series) > 1, vertical
        self.values = [v for s in self.series for v in s.values if v is not None]
        self.dots = not stacked and zero_hides_differences(self.values)
        if len(self.series) > 1:
            chart.legend = [(self.css(i), s.label) for i, s in enumerate(self.series)]

    @staticmethod
    def css(index: int) -> str:
        return f"series-{index % PALETTE_SIZE}"

    def total(self, index: int) -> float:
        return sum(s.values[index] or 0 for s in self.series)

    def end_text(self, index: int, series_index: int) -> str:
        """What is written at the end of a bar or stack: its value, or a stack's total."""
        if self.stacked:
            return format_number(self.total(index), suffix=self.suffix)
        return self.series[series_index].text(index, self.suffix)

    def draw(self, ceiling: float | None) -> None:
        chart = self.chart
        if not any(self.values) or not self.categories:
            return
        ends = [self.total(i) for i in range(len(self.categories))] if self.stacked else self.values
        integer = all(float(v).is_integer() for v in self.values)
        options = {"from_zero": not self.dots, "integer": integer, "suffix": self.suffix}
        if self.vertical:
            top, bottom = 30, 24
            self.scale = linear_scale(ends, top + PLOT_HEIGHT, top, ceiling=ceiling, **options)
            left = max(text_width(self.scale.label(t)) for t in self.scale.ticks) + 10
            self.band_start, band_end = left, WIDTH - 8
            chart.height = top + PLOT_HEIGHT + bottom
        else:
            top, bottom = 8, 40
            left = min(max(text_width(c.label) for c in self.categories), 150) + 10
            widest = max(text_width(self.end_text(i, s)) for s in range(len(self.series)) for i in range(len(self.categories)))
            self.scale = linear_scale(ends, left, WIDTH - widest - 12, ceiling=ceiling, **options)
            self.band_start, band_end = top, top + ROW * len(self.categories)
            chart.height = band_end + bottom
        self.band = (band_end - self.band_start) / len(self.categories)
        self.draw_axes(band_end, left)
        self.draw_marks()
        if self.dots:
            axis = "vertical" if self.vertical else "horizontal"
            chart.notes.append(f"The {axis} axis starts at {self.scale.label(self.scale.lo)}, not at zero: "
                               "the differences are small next to the values.")

    def place(self, band_from: float, size: float, value_a: float, value_b: float) -> dict:
        """A rectangle's x, y, width and height from its extent along each axis."""
        low, length = min(value_a, value_b), abs(value_a - value_b)
        if self.vertical:
            return {"x": band_from, "y": low, "width": size, "height": length}
        return {"x": low, "y": band_from, "width": length, "height": size}

    def point(self, band: float, value: float) -> tuple[float, float]:
        return (band, value) if self.vertical else (value, band)

    def draw_axes(self, band_end: float, left: float) -> None:
        chart, scale = self.chart, self.scale
        for tick in scale.ticks:
            where, css = scale(tick), "axis" if tick == 0 else "grid"
            if self.vertical:
                chart.lines.append(Line(self.band_start, where, band_end, where, css))
                chart.texts.append(Text(self.band_start - 6, where + 4, scale.label(tick), "tick", "end"))
            else:
                chart.lines.append(Line(where, self.band_start, where, band_end, css))
                chart.texts.append(Text(where, band_end + 16, scale.label(tick), "tick"))
        if self.vertical:
            chart.texts.append(Text(4, 12, chart.unit, "unit", "start"))
            self.draw_column_labels(scale.start + 16)
        else:
            chart.texts.append(Text(scale.start, band_end + 34, chart.unit, "unit", "start"))
            for index, category in enumerate(self.categories):
                middle = self.band_start + self.band * (index + 0.5)
                chart.texts.append(Text(left - 8, middle + 4, shortened(category.label, left - 10), "category", "end"))

    def draw_column_labels(self, y: float) -> None:
        """Under the columns: when all would overlap, every ``k``-th, counted back from the last (the
        latest year is always named)."""
        widest = max(text_width(c.label) for c in self.categories) + 4
        every = next((k for k in (1, 2, 5, 10, 20, 50, 100) if widest <= k * self.band), len(self.categories))
        last = len(self.categories) - 1
        for index, category in enumerate(self.categories):
            if (last - index) % every == 0:
                middle = self.band_start + self.band * (index + 0.5)
                self.chart.texts.append(Text(middle, y, category.label, "category"))

    def draw_marks(self) -> None:
        chart, scale = self.chart, self.scale
        thickness = min(self.band * 0.7, 40) if self.vertical else 14
        lanes = 1 if self.stacked else len(self.series)
        lane = thickness / lanes
        labelled = not self.vertical or self.column_values_fit(thickness, lane)
        if not labelled:
            chart.notes.append("Written on the chart, the values would overlap: they are in the table.")
        zero = scale(max(scale.lo, 0))
        for index, category in enumerate(self.categories):
            band_from = self.band_start + self.band * index + (self.band - thickness) / 2
            stack = 0.0
            segments = sum(1 for series in self.series if series.values[index])
            for s, series in enumerate(self.series):
                value = series.values[index]
                if value is None or (value == 0 and not self.dots):
                    continue
                text = series.text(index, self.suffix)
                title = f"{category.label}, {series.label}: {text}" if len(self.series) > 1 else f"{category.label}: {text}"
                if self.dots:
                    middle = band_from + lane * (s + 0.5)
                    x, y = self.point(middle, scale(value))
                    chart.marks.append(Mark("circle", self.css(s), title, x, y, r=4.5))
                    if labelled:
                        self.value_label(middle, scale(value), text, gap=9)
                elif self.stacked:
                    low, high = scale(stack), scale(stack + value)
                    stack += value
                    chart.marks.append(Mark("rect", self.css(s), title, **self.place(band_from, lane, low, high)))
                    if segments > 1:  # alone, a segment's value is the total written at its end
                        self.inside_label(band_from, lane, low, high, text)
                else:
                    lane_from = band_from + lane * s
                    chart.marks.append(Mark("rect", self.css(s), title, **self.place(lane_from, lane, zero, scale(value))))
                    if labelled:
                        self.value_label(lane_from + lane / 2, scale(value), text)
            if stack and labelled:
                self.value_label(band_from + thickness / 2, scale(stack), format_number(stack, suffix=self.suffix))

    def column_values_fit(self, thickness: float, lane: float) -> bool:
        """Whether the values written above the columns (or their dots) leave room between each
        other and stay in the drawing: a value may reach over an empty neighbour."""
        spans = []
        for index in range(len(self.categories)):
            band_from = self.band_start + self.band * index + (self.band - thickness) / 2
            if self.stacked:
                written = [(band_from + thickness / 2, self.end_text(index, 0))] if self.total(index) else []
            else:
                written = [(band_from + lane * (s + 0.5), series.text(index, self.suffix))
                           for s, series in enumerate(self.series) if series.values[index]]
            spans += [self.column_span(middle, text)[:2] for middle, text in written]
        return all(after[0] - before[1] >= 2 for before, after in itertools.pairwise(spans))

    @staticmethod
    def column_span(middle: float, text: str) -> tuple[float, float, float, str]:
        """Where a value above a column reaches (start, end) and how it is anchored (x, anchor):
        centred, or against the drawing's edge when it would pass it."""
        half = text_width(text) / 2
        if middle + half > WIDTH - 2:
            return WIDTH - 2 - 2 * half, WIDTH - 2, WIDTH - 2, "end"
        if middle - half < 2:
            return 2, 2 + 2 * half, 2, "start"
        return middle - half, middle + half, middle, "middle"

    def value_label(self, middle: float, end: float, text: str, gap: float = 4) -> None:
        """A value beyond the end of its bar (above a column, right of a bar), or beside its dot."""
        if self.vertical:
            *_, x, anchor = self.column_span(middle, text)
            self.chart.texts.append(Text(x, end - gap, text, "value", anchor))
        else:
            self.chart.texts.append(Text(end + gap + 2, middle + 4, text, "value", "start"))

    def inside_label(self, band_from: float, size: float, low: float, high: float, text: str) -> None:
        """A stacked segment's value inside it, when it fits (the total stands at the stack's end)."""
        length = abs(high - low)
        if self.vertical and length >= FONT_SIZE + 4 and text_width(text) + 4 <= size:
            self.chart.texts.append(Text(band_from + size / 2, (low + high) / 2 + 4, text, "inside"))
        elif not self.vertical and length >= text_width(text) + 6:
            self.chart.texts.append(Text((low + high) / 2, band_from + size / 2 + 4, text, "inside"))
