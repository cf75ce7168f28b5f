"""The benchmark's steps that need Django, run as ``python bench/django_side.py STEP`` against the
benchmark database (DATABASE_URL); each prints one JSON document for bench/run.py.

- ``targets``: the requests to measure, chosen from the data (a public case, filter values that
  match rows, realistic searches, a cursor deep into the case list).
- ``queries URL…``: for each URL, the SQL the app runs to answer it (count and statements).
- ``session``: a researcher's session cookie, for the admin's case list.
- ``token``: a researcher's API token, for the load run's writes (bench/load.py).
- ``import``: imports 10,000 persons from a CSV through the admin's import path, timed, rolled back.
- ``export-sqlite PATH``: the public cases, persons and rulings as a SQLite file for Datasette.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "extraditions.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cases.models import Alias, Case, CourtRuling, Person  # noqa: E402

RULING_QUERIES = ["torture assurance", '"real risk"', "tortyr", "extradition -granted", "consular access monitoring"]


def targets() -> dict:
    case = Case.objects.public().exclude(host_country="").order_by("pk")[Case.objects.public().count() // 2]
    chinese = Person.objects.public().filter(is_pseudonym=False).exclude(name_original="").order_by("pk").first()
    alias = Alias.objects.public().filter(kind="transliteration").order_by("pk").first()
    misspelt = swap_letters(Person.objects.public().filter(is_pseudonym=False).order_by("-pk").first().name)
    position = min(DEEP_POSITION, Case.objects.public().count() // 2 // 1000 * 1000)  # half way at small scale
    filters = {"kind": case.kind, "host_country": case.host_country.code, "outcome": case.outcome}
    return {
        "case": {"slug": case.slug, "id": case.pk},
        "filters": filters,
        "facets": ["kind", "outcome"],
        "ruling_queries": RULING_QUERIES,
        "person_queries": {"alias": alias.name, "chinese": chinese.name_original, "misspelling": misspelt},
        "deep_cursor": deep_cursor(position),
        "deep_position": position,
    }


DEEP_POSITION = 50_000


def swap_letters(name: str) -> str:
    """A typist's slip: two letters of the name swapped."""
    return name[:1] + name[2] + name[1] + name[3:] if len(name) > 3 else name


def deep_cursor(position: int) -> str:
    """The cursor of the page starting at ``position`` in the public case list, found by walking it."""
    client, url, walked = Client(), "/api/v1/cases/?page_size=1000&count=false", 0
    while walked < position:
        page = client.get(url, HTTP_HOST="localhost").json()
        walked += len(page["results"])
        url = page["next"].replace("http://localhost", "")
    return url.replace("page_size=1000", "page_size=50")


def queries(urls: list[str], cookie: str = "") -> dict:
    client = Client()
    if cookie:
        client.cookies["sessionid"] = cookie
    found = {}
    for url in urls:
        client.get(url, HTTP_HOST="localhost")  # warm caches as a running server has them
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, HTTP_HOST="localhost")
            if getattr(response, "streaming", False):
                for _ in response.streaming_content:
                    pass
        found[url] = {"status": response.status_code, "sql": [q["sql"] for q in captured.captured_queries]}
    return found


def session() -> dict:
    from django.contrib.auth.models import Group, User

    from extraditions.roles import RESEARCHER

    user, _ = User.objects.get_or_create(username="bench-researcher", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=RESEARCHER))
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


def token() -> dict:
    from django.contrib.auth.models import Group, User

    from extraditions.roles import RESEARCHER
    from extraditions.tokens import issue_token

    user, _ = User.objects.get_or_create(username="load-researcher", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=RESEARCHER))
    return {"token": issue_token(user, "load run", days=1)[1]}


def import_rows(rows: int = 10_000) -> dict:
    """The admin's import path (django-import-export, all or nothing), timed, then rolled back."""
    import tablib

    from cases.resources import PersonResource

    dataset = tablib.Dataset(headers=["slug", "name", "name_original", "citizenships", "biography"])
    for n in range(rows):
        dataset.append([f"bench-import-{n}", f"Imported Person {n}", "", "CN", "Imported by the benchmark."])
    started = time.monotonic()
    with transaction.atomic():
        result = PersonResource().import_data(dataset, dry_run=False, raise_errors=False, use_transactions=True)
        seconds = time.monotonic() - started
        outcome = {"rows": rows, "seconds": round(seconds, 2), "errors": result.has_errors(),
                   "invalid_rows": len(result.invalid_rows), "totals": dict(result.totals)}
        transaction.set_rollback(True)  # leave the benchmark database as it was
    return outcome


def export_sqlite(path: str) -> dict:
    """The public rows Datasette serves in the comparison, with full-text indexes as a journalist would add."""
    target = Path(path)
    target.unlink(missing_ok=True)
    db = sqlite3.connect(target)
    db.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY, slug TEXT, title TEXT, kind TEXT, host_country TEXT, "
               "outcome TEXT, started_on TEXT, summary TEXT)")
    db.execute("CREATE TABLE persons (id INTEGER PRIMARY KEY, slug TEXT, name TEXT, name_original TEXT, aliases TEXT)")
    db.execute("CREATE TABLE rulings (id INTEGER PRIMARY KEY, slug TEXT, court TEXT, country TEXT, level TEXT, "
               "decision TEXT, decided_on TEXT, summary TEXT, full_text TEXT)")
    cases = Case.objects.public().order_by("pk").values_list("pk", "slug", "title", "kind", "host_country", "outcome",
                                                              "started_on", "summary")
    db.executemany("INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   ((*row[:6], row[6] and row[6].isoformat(), row[7]) for row in cases.iterator(chunk_size=5000)))
    aliases: dict[int, list[str]] = {}
    for person_id, name in Alias.objects.public().values_list("person_id", "name").iterator(chunk_size=5000):
        aliases.setdefault(person_id, []).append(name)
    persons = Person.objects.public().filter(is_pseudonym=False).order_by("pk").values_list("pk", "slug", "name", "name_original")
    db.executemany("INSERT INTO persons VALUES (?, ?, ?, ?, ?)",
                   ((*row, " ".join(aliases.get(row[0], []))) for row in persons.iterator(chunk_size=5000)))
    rulings = CourtRuling.objects.public().order_by("pk").values_list("pk", "slug", "court", "country", "level", "decision",
                                                                      "decided_on", "summary", "full_text")
    db.executemany("INSERT INTO rulings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   ((*row[:6], row[6] and row[6].isoformat(), *row[7:]) for row in rulings.iterator(chunk_size=1000)))
    for column in ("kind", "host_country", "outcome"):
        db.execute(f"CREATE INDEX cases_{column} ON cases ({column})")
    db.commit()
    db.close()
    import sqlite_utils

    database = sqlite_utils.Database(target)
    database["cases"].enable_fts(["title", "summary"], create_triggers=False)
    database["persons"].enable_fts(["name", "name_original", "aliases"], create_triggers=False)
    database["rulings"].enable_fts(["court", "summary", "full_text"], create_triggers=False)
    database.execute("VACUUM")
    return {"path": str(target), "cases": database["cases"].count, "persons": database["persons"].count,
            "rulings": database["rulings"].count}


if __name__ == "__main__":
    step, *rest = sys.argv[1:]
    if step == "targets":
        out = targets()
    elif step == "queries":
        cookie = os.environ.get("BENCH_SESSION", "")
        out = queries(rest, cookie)
    elif step == "session":
        out = session()
    elif step == "token":
        out = token()
    elif step == "import":
        out = import_rows()
    elif step == "export-sqlite":
        out = export_sqlite(rest[0])
    else:
        raise SystemExit(f"unknown step {step}")
    print(json.dumps(out, default=str))
