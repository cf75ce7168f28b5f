"""The public website's pages for sources and the figures they report."""

from __future__ import annotations

from collections import defaultdict

from django.views.generic import TemplateView

from cases.views import FacetedSearchView
from extraditions.pages import RecordPageView, SitePageMixin

from . import reads
from .filtersets import SourceFilterSet
from .models import FigureMetric, Source

CHART_HEIGHT = 120
BAR_WIDTH = 8


class SourceListView(FacetedSearchView):
    """The documents behind the facts, searchable, by kind, language and publisher."""

    page_title = "Sources"
    model = Source
    filterset_class = SourceFilterSet
    site_facets = ("kind", "language")
    date_filter = "published"
    date_filter_label = "Published"
    default_ordering = ("-published_on", "title")
    template_name = "site/source_list.html"
    record_noun = "source"


class SourceDetailView(RecordPageView):
    """A source, where to read it, and every record the user may see that cites it, with where."""

    model = Source
    template_name = "site/source_detail.html"
    context_object_name = "source"

    def get_context_data(self, **kwargs):
        citations = reads.source_page_citations(self.object, self.request.user)
        return {**super().get_context_data(**kwargs), "citations": citations}


class FiguresView(SitePageMixin, TemplateView):
    """Figures as each source reports them, per metric: conflicting sources side by side."""

    template_name = "site/figures.html"
    page_title = "Reported figures"

    def get_context_data(self, **kwargs):
        figures = reads.figures_page(self.request.user)
        by_metric = defaultdict(list)
        for figure in figures:
            figure.sources = "; ".join(
                f"{c.source.title}{', ' + c.locator if c.locator else ''}" for c in figure.citations.all()
            )
            by_metric[figure.metric].append(figure)
        labels = dict(FigureMetric.choices)
        metrics = [
            {"key": key, "label": labels.get(key, key), "figures": rows, "chart": yearly_chart(rows)}
            for key, rows in by_metric.items()
        ]
        return {**super().get_context_data(**kwargs), "metrics": metrics}


def yearly_chart(figures) -> dict | None:
    """Bars per single-year figure, several sources for one year side by side; None if fewer than two years."""
    yearly = [f for f in figures if f.year_from and (f.year_to in (None, f.year_from))]
    years = sorted({f.year_from for f in yearly})
    if len(years) < 2:
        return None
    top = max(float(f.value) for f in yearly) or 1
    bars, x = [], 0
    for year in years:
        for figure in (f for f in yearly if f.year_from == year):
            height = round(float(figure.value) / top * CHART_HEIGHT)
            bars.append({"x": x, "y": CHART_HEIGHT - height, "height": height, "title": f"{year}: {figure.value_label} ({figure.sources})"})
            x += BAR_WIDTH + 1
        x += BAR_WIDTH  # a gap between years
    return {"bars": bars, "width": x, "height": CHART_HEIGHT, "first": years[0], "last": years[-1]}
