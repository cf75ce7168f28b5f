"""Bulk downloads of everything public, made afresh for each data version and kept until the next.

Three files, each holding every public record of every list of the API, exactly as the public
reads them there (the same read path, visibility and columns: a restricted record is in none):

- ``extraditions-tracker.sqlite``: one table per list, with the CSV's columns, and a full-text
  index (FTS5) over each table's text columns that Datasette finds by itself
  (``datasette extraditions-tracker.sqlite``, then search any table);
- ``extraditions-tracker_csv.zip``: one CSV per list, as ``?format=csv`` gives it, with
  ``datapackage.json`` (a Frictionless Data package: every column with its description, from the
  API's field help, and each file's rows, bytes and SHA-256) and ``data-dictionary.csv``;
- ``extraditions-tracker_jsonl.zip``: one JSON Lines file per list, each line a record as the
  API's JSON gives it.

The files are built the first time they are asked for after the data changed (every committed
write renews the data version, ``extraditions/caching.py``), one process at a time (a file lock),
into ``EXPORT_CACHE_DIR/<version>/bulk``; older versions are removed then. ``manage.py
build_bulk_downloads`` builds them ahead, e.g. after an editor publishes.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.test import RequestFactory
from django.utils import timezone
from rest_framework import serializers
from rest_framework.request import Request

from extraditions.api.renderers import Column, csv_columns, csv_lines, csv_rows
from extraditions.caching import data_version

NAME = "extraditions-tracker"
FILES = {
    "sqlite": f"{NAME}.sqlite",
    "csv": f"{NAME}_csv.zip",
    "jsonl": f"{NAME}_jsonl.zip",
}
MANIFEST = "manifest.json"
# Lists that are not records of their own: the countries are computed from the others.
LEFT_OUT = {"countries"}


@dataclass
class Table:
    name: str  # the API list's prefix: "cases", "court rulings" are "rulings"
    columns: list[Column]
    descriptions: dict[str, str]
    searched: list[str]  # the columns of its full-text index
    rows: int = 0
    last_updated: str = ""  # the latest change to any of its records

    def summary(self) -> dict:
        return {
            "rows": self.rows, "last_updated": self.last_updated,
            "columns": [[column.header, self.descriptions[column.header]] for column in self.columns],
        }


@dataclass
class Bundle:
    """What was built for one data version: the files with their sizes and checksums."""

    version: str
    made_at: str
    tables: dict[str, dict] = field(default_factory=dict)  # per list: rows, last update, columns described
    files: dict[str, dict] = field(default_factory=dict)  # format → {name, bytes, sha256}

    @property
    def rows(self) -> int:
        return sum(table["rows"] for table in self.tables.values())

    @property
    def last_updated(self) -> str:
        return max((table["last_updated"] for table in self.tables.values()), default="")

    def path(self, file_format: str) -> Path:
        return bundle_dir(self.version) / FILES[file_format]


def bundle_dir(version: str) -> Path:
    return Path(settings.EXPORT_CACHE_DIR) / version / "bulk"


def current_bundle(host: str = "localhost", secure: bool = True, progress: Callable[[str], None] | None = None) -> Bundle:
    """The bundle of the current data version, built first if there is none yet.

    If the data changed while it was built, it is built again: a record restricted meanwhile may
    have been read before, and is in no bundle served after its restriction."""
    while True:
        bundle = bundle_of(data_version(), host, secure, progress)
        if data_version() == bundle.version:
            return bundle


def bundle_of(version: str, host: str, secure: bool, progress: Callable[[str], None] | None) -> Bundle:
    directory = bundle_dir(version)
    manifest = directory / MANIFEST
    if manifest.exists():
        return Bundle(**json.loads(manifest.read_text()))
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder; the others wait and read what it built
        if manifest.exists():
            return Bundle(**json.loads(manifest.read_text()))
        bundle = build(version, directory, host, secure, progress or (lambda message: None))
        partial = directory / f".{MANIFEST}.partial"
        partial.write_text(json.dumps(asdict(bundle), indent=2))
        os.replace(partial, manifest)  # the manifest last: its presence means every file is whole
    remove_older_bundles(version)
    return bundle


def remove_older_bundles(current: str) -> None:
    root = Path(settings.EXPORT_CACHE_DIR)
    for directory in root.glob("*/bulk"):
        if directory.parent.name != current:
            shutil.rmtree(directory, ignore_errors=True)


# --- reading the public lists ------------------------------------------------------------------


def public_lists() -> list[tuple[str, type]]:
    from extraditions.api.urls import router  # registers every resource

    return [(prefix, viewset) for prefix, viewset, _ in router.registry if prefix not in LEFT_OUT]


def public_view(viewset_class, host: str, secure: bool):
    """A list view of the API as an anonymous reader's request makes it."""
    http_request = RequestFactory().get("/", secure=secure)
    http_request.get_host = lambda: host  # given by us (the page's own host, or the command's), not by a client
    request = Request(http_request)
    request.user = AnonymousUser()
    view = viewset_class(action="list", request=request, format_kwarg=None, args=(), kwargs={})
    view.headers = {}
    return view


def records(view) -> Iterator[dict]:
    queryset = view.filter_queryset(view.get_queryset())
    for chunk in view.record_chunks(queryset):
        yield from chunk


# What a column derived from a field holds beyond the field's own description.
DERIVED_COLUMNS = {
    "label": " — the label (of each related record)",
    "country_name": " — the country's name",
    "choice_label": " — the label of the code",
    "precision": " — how precisely the date is known: year, month or day",
    "first_day": " — the first day the date may be (YYYY-MM-DD)",
    "last_day": " — the last day the date may be (YYYY-MM-DD)",
}


def field_descriptions(serializer) -> dict[str, str]:
    """Each CSV column's description: the serializer field's help (the schema's description), and
    what a derived column adds to it."""
    descriptions = {}
    for column in csv_columns(serializer):
        help_text = str(serializer.fields[column.name].help_text or "").strip() or column.name.replace("_", " ").capitalize()
        descriptions[column.header] = help_text + DERIVED_COLUMNS.get(column.part, "")
    return descriptions


# --- building ---------------------------------------------------------------------------------


def build(version: str, directory: Path, host: str, secure: bool, progress: Callable[[str], None]) -> Bundle:
    bundle = Bundle(version=version, made_at=timezone.now().isoformat(timespec="seconds"))
    with tempfile.TemporaryDirectory(dir=directory) as scratch:
        scratch = Path(scratch)
        database = sqlite3.connect(scratch / FILES["sqlite"])
        csv_zip = zipfile.ZipFile(scratch / FILES["csv"], "w", zipfile.ZIP_DEFLATED)
        jsonl_zip = zipfile.ZipFile(scratch / FILES["jsonl"], "w", zipfile.ZIP_DEFLATED)
        tables = []
        for prefix, viewset in public_lists():
            view = public_view(viewset, host, secure)
            serializer = view.get_serializer()
            columns = csv_columns(serializer)
            table = Table(prefix, columns, field_descriptions(serializer), searched_columns(serializer, columns))
            create_table(database, table)
            with csv_zip.open(f"{prefix}.csv", "w") as csv_file, jsonl_zip.open(f"{prefix}.jsonl", "w") as jsonl_file:
                csv_file.write(next(csv_lines(table.columns, [])).encode())  # the header
                for chunk in batches(records(view)):
                    for line in csv_lines(table.columns, chunk, header=False):
                        csv_file.write(line.encode())
                    for record in chunk:
                        jsonl_file.write(json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False).encode() + b"\n")
                    insert_rows(database, table, chunk)
                    table.rows += len(chunk)
                    table.last_updated = max([table.last_updated, *(str(r.get("updated_at") or "") for r in chunk)])
            add_full_text_index(database, table)
            bundle.tables[prefix] = table.summary()
            tables.append(table)
            progress(f"{prefix}: {table.rows} rows")
        database.commit()
        database.execute("VACUUM")
        database.close()
        csv_zip.writestr("datapackage.json", json.dumps(data_package(tables, bundle, csv_zip), indent=2, ensure_ascii=False))
        csv_zip.writestr("data-dictionary.csv", data_dictionary(tables))
        csv_zip.close()
        jsonl_zip.close()
        for file_format, name in FILES.items():
            os.replace(scratch / name, directory / name)
            bundle.files[file_format] = {"name": name, "bytes": (directory / name).stat().st_size, "sha256": sha256_of(directory / name)}
    return bundle


def batches(rows: Iterator[dict], size: int = 2000) -> Iterator[list[dict]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table(database, table: Table) -> None:
    columns = ", ".join(f"{quoted(column.header)} TEXT" for column in table.columns)
    database.execute(f"CREATE TABLE {quoted(table.name)} ({columns})")


def insert_rows(database, table: Table, rows: list[dict]) -> None:
    """The rows as their CSV cells: one value per column, in the same words as the CSV file."""
    marks = ", ".join("?" * len(table.columns))
    database.executemany(f"INSERT INTO {quoted(table.name)} VALUES ({marks})", csv_rows(table.columns, rows))


def searched_columns(serializer, columns: list[Column]) -> list[str]:
    """What a reader searches a table by: its free text, and the names of the records it links to
    (a case by its persons' names), not its codes, identifiers, addresses or dates."""
    searched = []
    for column in columns:
        field_ = serializer.fields[column.name]
        free_text = isinstance(field_, serializers.CharField) and not isinstance(field_, serializers.URLField | serializers.SlugField)
        if column.part == "label" or (column.part == "value" and free_text and column.header not in ("id", "uid")):
            searched.append(column.header)
    return searched


def add_full_text_index(database, table: Table) -> None:
    """An FTS5 index over the table's text columns, named and linked as Datasette expects
    (``<table>_fts``, ``content="<table>"``), so that its search box works on the file as it is."""
    if not table.searched:
        return
    fts = quoted(f"{table.name}_fts")
    names = ", ".join(quoted(name) for name in table.searched)
    database.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content={quoted(table.name)})")
    database.execute(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')")


def data_package(tables: list[Table], bundle: Bundle, archive: zipfile.ZipFile) -> dict:
    """A Frictionless Data package descriptor: every file with its columns and their descriptions."""
    resources = []
    for table in tables:
        info = archive.getinfo(f"{table.name}.csv")
        resources.append({
            "name": table.name, "path": f"{table.name}.csv", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "bytes": info.file_size,
            "schema": {"fields": [{"name": c.header, "type": "string", "description": table.descriptions[c.header]} for c in table.columns]},
            "rows": table.rows,
        })
    return {
        "name": NAME, "title": "Extraditions tracker: every published record",
        "created": bundle.made_at, "version": bundle.version, "resources": resources,
        "licenses": [{"name": settings.DATA_LICENCE["name"], "path": settings.DATA_LICENCE["url"], "title": settings.DATA_LICENCE["title"]}],
    }


def data_dictionary(tables: list[Table]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["file", "column", "description"])
    for table in tables:
        for column in table.columns:
            writer.writerow([f"{table.name}.csv", column.header, table.descriptions[column.header]])
    return buffer.getvalue()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
