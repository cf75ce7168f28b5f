"""The public website's pages for sources and the figures they report."""

from __future__ import annotations

from collections import defaultdict

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from cases.views import FacetedSearchView
from extraditions.models import RestrictedRecordView
from extraditions.pages import RecordPageView, SitePageMixin
from extraditions.visibility import is_public, log_restricted_view

from . import documents, reads
from .filtersets import SourceFilterSet
from .models import FigureMetric, Source
from .search import document_search

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
