"""The public website's pages for sources and the figures they report."""

from __future__ import annotations

from collections import defaultdict

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from cases import reads as case_reads
from cases.charts import counted_charts
from cases.views import FacetedSearchView
from extraditions import charts
from extraditions.models import RestrictedRecordView
from extraditions.pages import RecordPageView, SitePageMixin
from extraditions.visibility import is_public, log_restricted_view

from . import documents, reads
from .listings import SOURCES
from .models import FigureMetric, FigureUnit, Source
from .search import document_search


class SourceListView(FacetedSearchView):
    """The documents behind the facts, searchable, by kind, language and publisher."""

    page_title = "Sources"
    listing = SOURCES
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
        query = self.request.GET.get("q", "").strip()
        return {
            **super().get_context_data(**kwargs), "citations": citations,
            "query": query, "page_hits": document_search([self.object], query),
        }


class SourceFileView(View):
    """An attached document, for whoever may see its source (``MEDIA_URL`` points here: no file is
    served but through the visibility policy, the admin's links included).

    Served as what its first bytes say it is, never as what the uploader claimed; an HTML
    document in a sandbox (no script of it runs, no cookie of this site is read)."""

    def get(self, request, name: str):
        source = get_object_or_404(Source.objects.visible_to(request.user), file=name)
        log_restricted_view(request, source, RestrictedRecordView.Channel.SITE)
        try:
            file = source.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404("The document is not on the server.") from missing
        media_type = source.media_type or documents.OTHER
        inline = media_type in documents.MEDIA_TYPES_WITH_TEXT
        response = FileResponse(file, content_type=media_type, as_attachment=not inline, filename=name.rsplit("/", 1)[-1])
        if media_type != documents.PDF:  # a PDF keeps the site's policy: a sandbox stops browsers' PDF viewers
            response.headers["Content-Security-Policy"] = "sandbox"
        response.headers["X-Content-Type-Options"] = "nosniff"
        # Kept by no shared cache (nor the app's answer cache): a source restricted now must not be
        # served from a copy; a file is read from disk at no cost anyway.
        response.headers["Cache-Control"] = "private, max-age=0" if is_public(source) else "private, no-store"
        return response


class SourcePageView(View):
    """``/sources/<id>/pages/<page>/``: the source's PDF opened at the page printed ``<page>``
    (a citation's "p. 16"), which is not always the 16th page of the file."""

    def get(self, request, id: str, label: str):
        source = get_object_or_404(Source.objects.visible_to(request.user), slug=id)
        if not source.file:
            raise Http404("This source has no attached document.")
        page = source.pages.filter(label=label).order_by("number").first()
        number = page.number if page else int(label) if label.isdigit() else 1
        return redirect(source.page_url(min(number, source.page_count or number)))


class FiguresView(SitePageMixin, TemplateView):
    """The figures: counted from the published records, in charts; and as each source reports them,
    per metric, conflicting sources side by side, each comparable series charted."""

    template_name = "site/figures.html"
    page_title = "Figures"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "counted": counted_charts(case_reads.chart_counts(user)),
            "metrics": reported_metrics(reads.figures_page(user)),
        }


# --- as the sources report them -------------------------------------------------------------------


def reported_metrics(figures) -> list[dict]:
    """Per metric: its figures with their sources, and a chart of each series of comparable figures."""
    by_metric = defaultdict(list)
    for figure in figures:
        figure.sources = "; ".join(
            f"{c.source.title}{', ' + c.locator if c.locator else ''}" for c in figure.citations.all()
        )
        by_metric[figure.metric].append(figure)
    labels = dict(FigureMetric.choices)
    return [
        {"key": key, "label": labels.get(key, key), "figures": rows, "charts": series_charts(key, labels.get(key, key), rows)}
        for key, rows in by_metric.items()
    ]


def scope_of(figure) -> str:
    return figure.scope_label or (figure.scope_country.name if figure.scope_country else "worldwide")


def series_charts(metric: str, label: str, figures) -> list[charts.Chart]:
    """A chart per series of comparable figures: the same metric, unit, scope and thing counted, each
    for one year, in two years or more; several sources for one year side by side. Figures over
    several years, at no year, or alone in their series are in the table only."""
    series = defaultdict(list)
    for figure in figures:
        if figure.year_from and figure.year_to in (None, figure.year_from):
            series[(figure.unit, scope_of(figure), figure.metric_detail)].append(figure)
    charted = [(key, rows) for key, rows in series.items() if len({f.year_from for f in rows}) >= 2]
    return [
        yearly_figures_chart(f"chart-{metric}-{number}", label, key, rows)
        for number, (key, rows) in enumerate(charted, start=1)
    ]


def yearly_figures_chart(id: str, label: str, key: tuple, figures) -> charts.Chart:
    """One series of comparable figures per year, a series of values per source; its axis in the
    figures' unit (a percentage never above 100)."""
    unit, scope, counted = key
    percent = unit == FigureUnit.PERCENT
    years = list(range(min(f.year_from for f in figures), max(f.year_from for f in figures) + 1))
    lanes: list[tuple[str, dict]] = []  # (sources, {year: figure}): a series per source, two if it gives a year twice
    for figure in figures:
        lane = next((by_year for sources, by_year in lanes if sources == figure.sources and figure.year_from not in by_year), None)
        if lane is None:
            lanes.append((figure.sources, lane := {}))
        lane[figure.year_from] = figure
    series = [
        charts.Series(
            sources or "Source not public",
            tuple(float(by_year[y].value) if y in by_year else None for y in years),
            texts=tuple(by_year[y].value_label if y in by_year else "—" for y in years),
        )
        for sources, by_year in lanes
    ]
    title = counted or label
    if scope.lower() not in title.lower():
        title = f"{title} ({scope})"
    return charts.column_chart(
        id, title=title, unit="number" if unit == FigureUnit.OTHER else FigureUnit(unit).label.lower(),
        description=f"{title}, per year, as each source reports it.",
        categories=[charts.Category(str(y)) for y in years], series=series,
        suffix="%" if percent else "", ceiling=100 if percent else None,
    )
