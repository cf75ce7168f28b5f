"""Bulk downloads of everything public (dataset/bulk.py): a SQLite file that opens in Datasette
with full-text search working, a zip of CSVs with a data package and a data dictionary, JSON
Lines; row counts, checksums and dates on the data page; nothing hidden in any of them; made
again when the data changes."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import sqlite3
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache

from dataset import bulk
from tests import factories as f
from tests.api.conftest import build_hidden_world

pytestmark = pytest.mark.django_db(transaction=True)  # the bundle is built outside the test's transaction, as in production


@pytest.fixture(autouse=True)
def export_dir(tmp_path, settings):
    settings.EXPORT_CACHE_DIR = tmp_path / "exports"
    cache.clear()


def download(client, file_format: str) -> bytes:
    response = client.get(f"/data/bulk/{file_format}/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_sqlite_file_opens_in_datasette_and_its_search_works(client, world, tmp_path):
    f.CaseFactory(title="Deported from Thailand", summary="Returned on a chartered flight to Urumqi.")
    path = tmp_path / "extraditions.sqlite"
    path.write_bytes(download(client, "sqlite"))
    database = sqlite3.connect(path)
    assert database.execute("SELECT count(*) FROM cases").fetchone() == (2,)
    assert database.execute("SELECT title FROM cases WHERE rowid IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH 'urumqi')").fetchall() == [("Deported from Thailand",)]
    database.close()

    from datasette.app import Datasette

    async def search() -> dict:
        datasette = Datasette([str(path)], immutables=[])
        response = await datasette.client.get(f"/{path.stem}/cases.json?_search=chartered&_shape=objects")
        return response.json()

    # In a thread of its own: a browser test before this one may have left this thread's event loop running.
    with ThreadPoolExecutor(max_workers=1) as thread:
        found = thread.submit(asyncio.run, search()).result()
    assert [row["title"] for row in found["rows"]] == ["Deported from Thailand"]


def test_the_csv_zip_has_every_list_with_a_data_package_and_a_dictionary(client, world):
    archive = zipfile.ZipFile(io.BytesIO(download(client, "csv")))
    names = set(archive.namelist())
    assert {"cases.csv", "rulings.csv", "persons.csv", "datapackage.json", "data-dictionary.csv"} <= names
    assert archive.read("cases.csv") == b"".join(client.get("/api/v1/cases/?format=csv").streaming_content)
    package = json.loads(archive.read("datapackage.json"))
    cases = next(resource for resource in package["resources"] if resource["name"] == "cases")
    assert cases["rows"] == 1 and cases["path"] == "cases.csv"
    described = {field["name"]: field["description"] for field in cases["schema"]["fields"]}
    assert "how precisely the date is known" in described["started_precision"]
    assert all(described.values())
    dictionary = list(csv.DictReader(io.StringIO(archive.read("data-dictionary.csv").decode())))
    assert {"file": "cases.csv", "column": "outcome_label", "description": described["outcome_label"]} in dictionary
    assert package["licenses"][0]["name"] == "CC-BY-4.0"


def test_json_lines_hold_each_record_as_the_api_gives_it(client, world, anonymous_json):
    archive = zipfile.ZipFile(io.BytesIO(download(client, "jsonl")))
    lines = archive.read("cases.jsonl").decode().splitlines()
    assert [json.loads(line) for line in lines] == anonymous_json("/api/v1/cases/")["results"]  # the list's records


@pytest.fixture
def anonymous_json(client):
    def read(url):
        return client.get(url, HTTP_ACCEPT="application/json").json()

    return read


def test_the_data_page_gives_counts_checksums_dates_and_the_licence(client, world):
    page = client.get("/data/").content.decode()
    bundle = bulk.current_bundle("testserver", False)
    sqlite_file = bundle.files["sqlite"]
    assert sqlite_file["sha256"] == hashlib.sha256(bundle.path("sqlite").read_bytes()).hexdigest()
    assert f"<code class=\"checksum\">{sqlite_file['sha256']}</code>" in page
    assert "Creative Commons Attribution 4.0 International" in page and 'rel="license"' in page
    assert f"{bundle.rows} records" in page and "last updated" in page
    assert "<code>started_last_day</code>" in page  # the column guide
    response = client.get("/data/bulk/csv/")
    day = bundle.made_at[:10]
    assert response["Content-Disposition"] == f'attachment; filename="extraditions-tracker_csv_{day}.zip"'
    assert response["Cache-Control"] == "no-cache"


def test_a_change_makes_the_files_again_and_old_ones_are_removed(client, world):
    first = bulk.current_bundle("testserver", False)
    assert bulk.current_bundle("testserver", False).made_at == first.made_at  # kept while nothing changes
    f.CaseFactory(title="Another case")
    second = bulk.current_bundle("testserver", False)
    assert second.version != first.version and second.tables["cases"]["rows"] == first.tables["cases"]["rows"] + 1
    assert not bulk.bundle_dir(first.version).exists()


def test_nothing_hidden_is_in_any_bulk_file(client):
    marker = "Qzvx"
    build_hidden_world(marker)
    for file_format in bulk.FILES:
        content = download(client, file_format)
        if file_format != "sqlite":
            archive = zipfile.ZipFile(io.BytesIO(content))
            content = b"".join(archive.read(name) for name in archive.namelist())
        assert marker.encode() not in content and marker.lower().encode() not in content, file_format


def test_the_command_builds_them_ahead_and_says_what_it_made(world):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("build_bulk_downloads", "--host", "tracker.example.org", stdout=out)
    bundle = bulk.current_bundle()
    assert f"{bundle.rows:,} records in {len(bundle.tables)} lists" in out.getvalue()
    assert "  cases: 1 rows" in out.getvalue()
    database = sqlite3.connect(bundle.path("sqlite"))
    assert database.execute("SELECT url FROM cases").fetchone()[0].startswith("https://tracker.example.org/api/v1/cases/")
