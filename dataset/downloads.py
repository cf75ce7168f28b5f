"""The data page and the bulk downloads it offers (``dataset/bulk.py``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import FileResponse, Http404
from django.views import View
from django.views.generic import TemplateView

from extraditions.identifiers import api_lists
from extraditions.pages import SitePageMixin

from . import bulk

FORMATS = {
    "sqlite": ("SQLite database", "application/vnd.sqlite3", "Every list as a table with full-text search: open it in Datasette, DB Browser for SQLite or any SQL tool."),
    "csv": ("CSV files (zip)", "application/zip", "One CSV per list, as the API gives it, with a data package (datapackage.json) and a data dictionary."),
    "jsonl": ("JSON Lines (zip)", "application/zip", "One JSON Lines file per list: each line a record as the API's JSON gives it."),
}


def dated_name(bundle: bulk.Bundle, file_format: str) -> str:
    """``extraditions-tracker_csv_2026-12-01.zip``: what it is and when it was made."""
    name = bundle.files[file_format]["name"]
    stem, _, extension = name.partition(".")
    day = datetime.datetime.fromisoformat(bundle.made_at).date().isoformat()
    return f"{stem}_{day}.{extension}"


class DataPageView(SitePageMixin, TemplateView):
    """Everything public in bulk, each list as CSV and JSON, with row counts, checksums, dates,
    the licence and a guide to every column."""

    template_name = "site/downloads.html"
    page_title = "Data downloads"
    page_description = "Every published record of the extraditions tracker as SQLite, CSV and JSON Lines, with a column guide, row counts and checksums."

    def get_context_data(self, **kwargs):
        bundle = bulk.current_bundle(self.request.get_host(), self.request.is_secure())
        files = [
            {"format": key, "label": label, "about": about, "name": dated_name(bundle, key), **bundle.files[key]}
            for key, (label, _, about) in FORMATS.items()
        ]
        urls = dict(api_lists())
        lists = [{"name": name, "url": urls[name], **table} for name, table in bundle.tables.items() if name in urls]
        return {
            **super().get_context_data(**kwargs),
            "bundle": bundle, "files": files, "lists": lists, "licence": settings.DATA_LICENCE, "publisher": settings.SITE_PUBLISHER,
            "made_at": datetime.datetime.fromisoformat(bundle.made_at),
            "last_updated": datetime.datetime.fromisoformat(bundle.last_updated) if bundle.last_updated else None,
        }


class BulkFileView(View):
    """A bulk file of the current data version (built first if the data changed since the last)."""

    def get(self, request, file_format: str):
        if file_format not in FORMATS:
            raise Http404("No such download.")
        bundle = bulk.current_bundle(request.get_host(), request.is_secure())
        response = FileResponse(
            open(bundle.path(file_format), "rb"),  # noqa: SIM115 (the response closes it once sent)
            as_attachment=True, filename=dated_name(bundle, file_format),
            content_type=FORMATS[file_format][1],
        )
        # Revalidated on every use: a record restricted now must not be served from a kept copy.
        response["Cache-Control"] = "no-cache"
        response["ETag"] = f'"{bundle.files[file_format]["sha256"]}"'
        response["Digest"] = f"sha-256={bundle.files[file_format]['sha256']}"
        return response
