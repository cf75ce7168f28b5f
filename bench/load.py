"""Load, and faults under load (docs/deployment.md, "Reliability, measured").

    python bench/load.py                  # 50 clients for 60 s against gunicorn + PostgreSQL (+ Redis)
    python bench/load.py --fault postgres # the same, with PostgreSQL stopped for 10 s in the middle
    python bench/load.py --fault redis    # the same, with Redis stopped for 10 s in the middle

The clients mix what the site's users do: public reads (API lists and records, website pages),
searches (rulings' full text, persons by name), CSV downloads of filtered lists, and staff
writes (new cases through the API with a token, each with a unique slug). Afterwards every write
is accounted for in the database: each one acknowledged (201) must be there exactly once, and the
others are listed by what they got.

The database is ``extraditions_load`` (created and filled by ``generate_synthetic --scale small``
once, then reused); gunicorn runs 4 workers as in production, with Redis as the shared cache.
Stopping PostgreSQL or Redis needs the rights to (root on this machine): never run a fault run
against a database that matters. Results go to bench/results/load[-FAULT].{json,md}.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import PYTHON, RESULTS, ROOT, django_env, gunicorn, say, server, side

PORT = 8720
DATABASE = "postgres://postgres@127.0.0.1:5432/extraditions_load"
REDIS = "redis://127.0.0.1:6379/3"
POSTGRES_VERSION = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1] if Path("/etc/postgresql").exists() else ""
FAULTS = {
    "postgres": (
        ["pg_ctlcluster", "--skip-systemctl-redirect", POSTGRES_VERSION, "main", "stop", "-m", "fast"],
        ["pg_ctlcluster", "--skip-systemctl-redirect", POSTGRES_VERSION, "main", "start"],
    ),
    "redis": (
        ["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"],
        ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
         "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log"],
    ),
}
MIX = {"read": 55, "search": 20, "csv": 5, "write": 20}  # percent of requests


@dataclass
class Outcome:
    kind: str
    path: str
    status: int  # 0: no answer (connection refused, timeout)
    started: float
    seconds: float
    problem_json: bool = False
    slug: str = ""


@dataclass
class Run:
    base: str
    token: str
    paths: dict[str, list[str]]
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self, kind: str, path: str, body: dict | None = None, slug: str = "") -> None:
        headers = {"Accept-Encoding": "identity"}
        data = None
        if body is not None:
            headers.update({"Authorization": f"Token {self.token}", "Content-Type": "application/json"})
            data = json.dumps(body).encode()
        started = time.monotonic()
        status, problem = 0, False
        try:
            with urllib.request.urlopen(urllib.request.Request(self.base + path, data=data, headers=headers), timeout=30) as answer:
                answer.read()
                status = answer.status
        except urllib.error.HTTPError as error:
            error.read()
            status, problem = error.code, error.headers.get("Content-Type", "").startswith("application/problem+json")
        except (OSError, http.client.HTTPException):  # refused, timed out, or cut off mid-answer
            status = 0
        outcome = Outcome(kind, path, status, started, time.monotonic() - started, problem, slug)
        with self.lock:
            self.outcomes.append(outcome)

    def client(self, number: int, deadline: float) -> None:
        rng = random.Random(number)
        kinds = [kind for kind, weight in MIX.items() for _ in range(weight)]
        while time.monotonic() < deadline:
            kind = rng.choice(kinds)
            if kind == "write":
                slug = f"load-{uuid.uuid4().hex[:16]}"
                case = {"slug": slug, "title": f"Load test case {slug}", "kind": "formal_extradition",
                        "host_country": rng.choice(["SE", "PL", "TH", "FR"]), "started": "2024-03"}
                self.request("write", "/api/v1/cases/", case, slug)
            else:
                self.request(kind, rng.choice(self.paths[kind]))


def prepare(env: dict) -> None:
    name = DATABASE.rsplit("/", 1)[1]
    admin = psycopg2.connect(DATABASE.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    with psycopg2.connect(DATABASE) as db, db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_person")
        empty = cursor.fetchone()[0] == 0
        cursor.execute("DELETE FROM cases_historicalcase WHERE slug LIKE 'load-%%'")
        cursor.execute("DELETE FROM extraditions_searchdocument d USING cases_case c WHERE c.slug LIKE 'load-%%' "
                       "AND d.object_id = c.id AND d.content_type_id = (SELECT id FROM django_content_type "
                       "WHERE app_label = 'cases' AND model = 'case')")
        cursor.execute("DELETE FROM cases_case WHERE slug LIKE 'load-%%'")  # an earlier run's writes
    if empty:
        say("Generating the small dataset (once)")
        subprocess.run([PYTHON, "manage.py", "generate_synthetic", "--scale", "small"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)


def read_paths(targets: dict) -> dict[str, list[str]]:
    case = targets["case"]["slug"]
    return {
        "read": ["/api/v1/cases/", f"/api/v1/cases/{case}/", "/api/v1/persons/", "/api/v1/rulings/", "/api/v1/stats/",
                 f"/cases/{case}/", "/cases/", "/", "/rulings/", "/treaties/map/"],
        "search": [f"/api/v1/rulings/?q={quote(q)}" for q in targets["ruling_queries"]]
        + [f"/api/v1/persons/?q={quote(q)}" for q in targets["person_queries"].values()]
        + [f"/rulings/?q={quote(targets['ruling_queries'][0])}"],
        "csv": [f"/api/v1/cases/?format=csv&host_country={targets['filters']['host_country']}",
                "/api/v1/rulings/?format=csv&decision=extradition_refused"],
    }


def fault(name: str, start_after: float, outage: float, marks: dict) -> None:
    stop, start = FAULTS[name]
    time.sleep(start_after)
    marks["stopped"] = time.monotonic()
    subprocess.run(stop, check=True, capture_output=True)
    time.sleep(outage)
    subprocess.run(start, check=True, capture_output=True)
    marks["started"] = time.monotonic()


def percentiles(values: list[float]) -> dict:
    values = sorted(values)
    if not values:
        return {}
    pick = lambda q: round(values[min(len(values) - 1, int(q * len(values)))] * 1000, 1)  # noqa: E731
    return {"p50": pick(0.5), "p95": pick(0.95), "p99": pick(0.99), "max": round(values[-1] * 1000, 1)}


def account_for_writes(outcomes: list[Outcome]) -> dict:
    """Each acknowledged write is in the database once; what became of the others."""
    writes = [o for o in outcomes if o.kind == "write"]
    with psycopg2.connect(DATABASE) as db, db.cursor() as cursor:
        cursor.execute("SELECT slug, count(*) FROM cases_case WHERE slug LIKE 'load-%%' GROUP BY slug")
        stored = dict(cursor.fetchall())
    acknowledged = [o.slug for o in writes if o.status == 201]
    failed = [o for o in writes if o.status != 201]
    return {
        "attempted": len(writes),
        "acknowledged": len(acknowledged),
        "acknowledged_missing": sum(1 for slug in acknowledged if slug not in stored),
        "duplicated": sum(1 for count in stored.values() if count > 1),
        "stored_without_acknowledgement": sorted(Counter(o.status for o in failed if o.slug in stored).items()),
        "failed_and_absent": sorted(Counter(o.status for o in failed if o.slug not in stored).items()),
        "unexpected_rows": len(set(stored) - {o.slug for o in writes}),
    }


def summarise(outcomes: list[Outcome], marks: dict, seconds: float) -> dict:
    by_kind = defaultdict(list)
    for o in outcomes:
        by_kind[o.kind].append(o)
    summary = {
        "requests": len(outcomes),
        "requests_per_second": round(len(outcomes) / seconds, 1),
        "statuses": dict(sorted(Counter(o.status for o in outcomes).items())),
        "server_errors": sum(1 for o in outcomes if o.status >= 500 and o.status != 503),
        "kinds": {kind: {"requests": len(items), "statuses": dict(sorted(Counter(o.status for o in items).items())),
                         **percentiles([o.seconds for o in items if o.status and o.status < 500])}
                  for kind, items in sorted(by_kind.items())},
    }
    if marks:
        stopped, started = marks["stopped"], marks["started"]
        during = [o for o in outcomes if stopped <= o.started < started]
        after = sorted((o for o in outcomes if o.started >= started), key=lambda o: o.started)
        first_success = next((o for o in after if o.status in (200, 201)), None)
        summary["outage"] = {
            "seconds": round(started - stopped, 1),
            "requests": len(during),
            "statuses": dict(sorted(Counter(o.status for o in during).items())),
            "unavailable_in_problem_format": sum(1 for o in during if o.status == 503 and (o.problem_json or not o.path.startswith("/api/"))),
            "latency_ms": percentiles([o.seconds for o in during]),
            "first_success_after_restart_s": round(first_success.started - started, 2) if first_success else None,
            "errors_after_recovery": sum(1 for o in after if first_success and o.started > first_success.started + 2 and o.status >= 500),
        }
        summary["before_outage_statuses"] = dict(sorted(Counter(o.status for o in outcomes if o.started < stopped).items()))
        summary["after_restart_by_second"] = {
            second: dict(sorted(Counter(o.status for o in after if int(o.started - started) == second).items()))
            for second in range(0, int(max((o.started for o in after), default=started) - started) + 1)
        }
    return summary


def markdown(name: str, summary: dict, writes: dict, options) -> str:
    lines = [f"Run `{name}` of {time.strftime('%Y-%m-%d')}: {options.clients} clients for {options.duration} s, "
             f"gunicorn with {options.workers} workers, PostgreSQL and Redis on this machine (2 cores), `small` dataset.", "",
             f"- requests: {summary['requests']:,} ({summary['requests_per_second']}/s), statuses {summary['statuses']}",
             f"- server errors other than 503: {summary['server_errors']}",
             f"- writes: {writes['attempted']} attempted, {writes['acknowledged']} acknowledged, "
             f"{writes['acknowledged_missing']} acknowledged but missing, {writes['duplicated']} duplicated, "
             f"stored without acknowledgement {writes['stored_without_acknowledgement']}, failed and absent {writes['failed_and_absent']}", "",
             "| kind | requests | statuses | p50 ms | p95 ms | p99 ms | max ms |", "| --- | ---: | --- | ---: | ---: | ---: | ---: |"]
    for kind, row in summary["kinds"].items():
        lines.append(f"| {kind} | {row['requests']} | {row['statuses']} | {row.get('p50', '–')} | {row.get('p95', '–')} | "
                     f"{row.get('p99', '–')} | {row.get('max', '–')} |")
    if "outage" in summary:
        outage = summary["outage"]
        lines += ["", f"Outage of {outage['seconds']} s: {outage['requests']} requests, statuses {outage['statuses']}, "
                  f"{outage['unavailable_in_problem_format']} answered 503 in the error format; latency during it "
                  f"{outage['latency_ms']} ms; first success {outage['first_success_after_restart_s']} s after the restart, "
                  f"{outage['errors_after_recovery']} errors after recovery."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--fault", choices=sorted(FAULTS))
    parser.add_argument("--outage", type=float, default=10.0)
    options = parser.parse_args()
    env = {**django_env(DATABASE), "REDIS_URL": REDIS, "DATABASE_CONNECT_TIMEOUT": "2"}
    prepare(env)
    targets = side("targets", env=env)
    token = side("token", env=env)["token"]
    base = f"http://127.0.0.1:{PORT}"
    with server(gunicorn(options.workers, PORT), PORT, env, health="/healthz"):
        run = Run(base, token, read_paths(targets))
        marks: dict = {}
        say(f"{options.clients} clients for {options.duration} s" + (f", {options.fault} stopped for {options.outage:.0f} s" if options.fault else ""))
        deadline = time.monotonic() + options.duration
        threads = [threading.Thread(target=run.client, args=(n, deadline)) for n in range(options.clients)]
        if options.fault:
            threads.append(threading.Thread(target=fault, args=(options.fault, options.duration / 3, options.outage, marks)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    summary = summarise(run.outcomes, marks, options.duration)
    writes = account_for_writes(run.outcomes)
    name = "load" + (f"-{options.fault}" if options.fault else "")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps({"summary": summary, "writes": writes}, indent=2) + "\n")
    report = markdown(name, summary, writes, options)
    (RESULTS / f"{name}.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
