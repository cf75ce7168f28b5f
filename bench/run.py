"""The whole benchmark in one command (``make bench``): PostgreSQL at ``large`` scale, the app served
by gunicorn as in production, wrk for load, side by side with Datasette and with the bare SQL.

Steps: make the benchmark database (created, migrated and filled by generate_synthetic once, then
reused); serve it with gunicorn twice: with every request computed in full (the cache miss) and
as production runs with a shared cache (public answers kept until the data changes: warm); export the same public rows to SQLite and serve them with
Datasette; measure each request with wrk at a fixed concurrency; replay the SQL the app runs for
each request straight through psycopg2 at the same concurrency (the floor); export all cases as
CSV from a one-worker server while watching its memory; import 10,000 rows through the admin's
import path; print a table and write bench/results/latest.json and .md.

Each step's results are written to bench/results/ as it finishes, and a step that fails is
recorded there without stopping the others. Each request is measured for --duration seconds, or
longer (up to MAX_DURATION) until it has MIN_REQUESTS samples, so that its p99 means something.

Options: --scale, --duration (seconds per request), --connections, --workers, --regenerate.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg2

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
APP_PORT, CSV_PORT, DATASETTE_PORT, WARM_PORT = 8710, 8711, 8712, 8713
# The warm server's shared cache, as in production (extraditions/answer_cache.py); emptied first.
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")


def django_env(database_url: str) -> dict:
    return {
        **os.environ, "DATABASE_URL": database_url, "DEBUG": "", "SECRET_KEY": "benchmark-only-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "API_ANONYMOUS_RATE": "", "CONN_MAX_AGE": "600",
        # Every request computed in full, figures and counts included: the cache-miss figures.
        "PUBLIC_ANSWER_CACHE": "0", "FIGURES_CACHE_SECONDS": "0",
    }


def warm_env(env: dict) -> dict:
    """The production setup with a shared cache: public answers kept per data version."""
    return {**env, "REDIS_URL": BENCH_REDIS_URL, "PUBLIC_ANSWER_CACHE": "1", "FIGURES_CACHE_SECONDS": "300",
            "EXPORT_CACHE_DIR": str(RESULTS / "exports")}


def empty_redis() -> None:
    subprocess.run(["redis-cli", "-u", BENCH_REDIS_URL, "FLUSHDB"], check=True, capture_output=True)


def say(message: str) -> None:
    print(message, flush=True)


def side(step: str, *args: str, env: dict) -> dict:
    """Run a step of bench/django_side.py and return its JSON."""
    done = subprocess.run([PYTHON, str(ROOT / "bench" / "django_side.py"), step, *args], env=env, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the database -------------------------------------------------------------------------------

def prepare_database(url: str, scale: str, regenerate: bool, env: dict) -> dict:
    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and regenerate:
            cursor.execute(f'DROP DATABASE "{name}"')
            exists = False
        if not exists:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    report = RESULTS / f"generation-{scale}.txt"
    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_person")
        persons = cursor.fetchone()[0]
    if persons == 0:
        say(f"Generating the {scale} dataset (once; reused by later runs)")
        started = time.monotonic()
        with subprocess.Popen([PYTHON, "manage.py", "generate_synthetic", "--scale", scale], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, text=True) as process:
            lines = []
            for line in process.stdout:
                lines.append(line)
                if "/" not in line or line.split("/")[0].endswith("0000"):  # headings, and every 10,000 rows
                    print("  " + line.rstrip(), flush=True)
        if process.returncode:
            raise SystemExit("generate_synthetic failed")
        RESULTS.mkdir(parents=True, exist_ok=True)
        report.write_text(f"{lines[-1].strip()} Wall time: {time.monotonic() - started:.0f} s.\n")
    return {"generation": report.read_text().strip() if report.exists() else "generated by an earlier run (not recorded)"}


# --- servers ------------------------------------------------------------------------------------

@contextmanager
def server(command: list[str], port: int, env: dict, health: str = "/"):
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{health}", timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit(f"the server on port {port} did not start: {' '.join(command)}")
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def gunicorn(workers: int, port: int) -> list[str]:
    """The production configuration (extraditions/gunicorn_conf.py) on the benchmark's port and workers."""
    return [str(BIN / "gunicorn"), "-c", str(ROOT / "extraditions" / "gunicorn_conf.py"), "extraditions.wsgi",
            "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"]


# --- measuring ----------------------------------------------------------------------------------

# A p99 from a handful of samples is one slow request: a measurement runs until it has this many,
# within MAX_DURATION.
MIN_REQUESTS = 2000
MAX_DURATION = 90


def wrk(base: str, paths: list[str], duration: int, connections: int, header: str = "") -> dict:
    """wrk for ``duration`` seconds, then longer if that gave too few requests for a p99."""
    result = wrk_once(base, paths, duration, connections, header)
    if result["requests"] < MIN_REQUESTS and duration < MAX_DURATION and result["rps"]:
        longer = min(MAX_DURATION, round(MIN_REQUESTS / result["rps"] * 1.1) + 1)
        if longer > duration:
            result = wrk_once(base, paths, longer, connections, header)
            result["seconds"] = longer
    result.setdefault("seconds", duration)
    return result


def wrk_once(base: str, paths: list[str], duration: int, connections: int, header: str = "") -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(paths) + "\n")
    env = {**os.environ, "PATHS": listing.name, "HEADER": header}
    done = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
                           "-s", str(ROOT / "bench" / "report.lua"), base], env=env, capture_output=True, text=True, check=True)
    os.unlink(listing.name)
    return json.loads(done.stdout.strip().splitlines()[-1])


def warm_up(base: str, paths: list[str], header: str = "") -> None:
    """One request per path, so that what the server caches is cached before it is measured warm."""
    headers = dict([header.split(": ", 1)]) if header else {}
    for path in paths:
        urllib.request.urlopen(urllib.request.Request(base + path, headers=headers), timeout=600).read()


def floor(url: str, statements: list[list[str]], duration: int, connections: int) -> dict:
    """The SQL the app runs for these requests, replayed through psycopg2 by ``connections`` threads."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def worker(offset: int) -> None:
        db = psycopg2.connect(url, options="-c jit=off")  # as the app's connections (extraditions/settings.py)
        db.autocommit = True
        mine, n = [], offset
        with db.cursor() as cursor:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                for sql in statements[n % len(statements)]:
                    cursor.execute(sql)
                    cursor.fetchall() if cursor.description else None
                mine.append((time.perf_counter() - started) * 1000)
                n += 1
        db.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
    return {"p50": round(pick(0.50), 2), "p95": round(pick(0.95), 2), "p99": round(pick(0.99), 2),
            "rps": round(len(latencies) / duration, 1)}


def vm_peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    listing = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in listing.read_text().split()] if listing.exists() else []


def download(url: str) -> dict:
    """Read a CSV as it streams; rows are counted as CSV records (texts hold line breaks)."""
    started = time.monotonic()
    with urllib.request.urlopen(url, timeout=1200) as response:
        text = io.TextIOWrapper(response, encoding="utf-8", newline="")
        rows = sum(1 for _ in csv.reader(text)) - 1  # without the header
    seconds = time.monotonic() - started
    return {"seconds": round(seconds, 2), "rows": rows, "rows_per_second": round(rows / seconds)}


# --- the run ------------------------------------------------------------------------------------

def requests(targets: dict) -> list[dict]:
    """What is measured: name, the app's paths, Datasette's comparable paths (if any), and a header."""
    case, filters = targets["case"], targets["filters"]
    facets = "&".join(f"facet={name}" for name in targets["facets"])
    ds_facets = "&".join(f"_facet={name}" for name in targets["facets"])
    persons = targets["person_queries"]
    return [
        {"name": "list, first page", "app": ["/api/v1/cases/"], "datasette": ["/bench/cases.json?_size=50"]},
        {"name": "list, 3 filters + 2 facets", "app": [f"/api/v1/cases/?{urlencode(filters)}&{facets}"],
         "datasette": [f"/bench/cases.json?{urlencode(filters)}&{ds_facets}&_size=50"]},
        {"name": "detail", "app": [f"/api/v1/cases/{case['slug']}/"], "datasette": [f"/bench/cases/{case['id']}.json"]},
        {"name": f"list, cursor at row {targets['deep_position']:,}", "app": [targets["deep_cursor"]],
         "datasette": [f"/bench/cases.json?_next={targets['deep_position']}&_size=50"]},
        {"name": "rulings full text (5 queries)", "app": [f"/api/v1/rulings/?q={quote(q)}" for q in targets["ruling_queries"]],
         "datasette": [f"/bench/rulings.json?_search={quote(q)}&_size=50" for q in targets["ruling_queries"]]},
        {"name": "person by alias", "app": [f"/api/v1/persons/?q={quote(persons['alias'])}"],
         "datasette": [f"/bench/persons.json?_search={quote(persons['alias'])}"]},
        {"name": "person by Chinese characters", "app": [f"/api/v1/persons/?q={quote(persons['chinese'])}"],
         "datasette": [f"/bench/persons.json?_search={quote(persons['chinese'])}"]},
        {"name": "person by a misspelling", "app": [f"/api/v1/persons/?q={quote(persons['misspelling'])}"], "datasette": []},
        {"name": "stats", "app": ["/api/v1/stats/"], "datasette": []},
        {"name": "public case page (HTML)", "app": [f"/cases/{case['slug']}/"], "datasette": [f"/bench/cases/{case['id']}"]},
        {"name": "admin case list (researcher)", "app": ["/admin/cases/case/"], "datasette": [], "staff": True},
    ]


class Run:
    """The results so far, written to bench/results/latest.{json,md} as each step finishes, so that a
    step that fails (or a run stopped halfway) loses nothing measured before it."""

    def __init__(self, settings: dict):
        self.results: dict = {"settings": settings, "failed_steps": {}}
        RESULTS.mkdir(parents=True, exist_ok=True)

    def save(self) -> None:
        (RESULTS / "latest.json").write_text(json.dumps(self.results, indent=2))
        (RESULTS / "latest.md").write_text(report(self.results))

    @contextmanager
    def step(self, name: str):
        say(name)
        started = time.monotonic()
        try:
            yield
        except (Exception, KeyboardInterrupt) as failure:  # recorded, and the run goes on
            self.results["failed_steps"][name] = f"{type(failure).__name__}: {failure}"[:2000]
            say(f"  failed: {self.results['failed_steps'][name][:300]}")
            if isinstance(failure, KeyboardInterrupt):
                self.save()
                raise
        finally:
            self.results.setdefault("step_seconds", {})[name] = round(time.monotonic() - started, 1)
            self.save()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/extraditions_bench"))
    parser.add_argument("--scale", default="large")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per request kind")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--regenerate", action="store_true", help="drop the benchmark database and generate it again")
    options = parser.parse_args()
    env = django_env(options.database_url)
    run = Run({k: v for k, v in vars(options).items() if k != "database_url"})
    results = run.results
    with run.step("Preparing the benchmark database"):
        results.update(prepare_database(options.database_url, options.scale, options.regenerate, env))
    if "Preparing the benchmark database" in results["failed_steps"]:
        raise SystemExit("no database to measure: see bench/results/latest.json")
    with run.step("Collecting the static files, as a deployment does (hashed names, served by whitenoise)"):
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)

    say("Choosing the requests from the data")
    targets = side("targets", env=env)
    cookie = side("session", env=env)["sessionid"]
    measured = requests(targets)

    say("Counting the SQL of each request")
    public_paths = [path for request in measured if not request.get("staff") for path in request["app"]]
    staff_paths = [path for request in measured if request.get("staff") for path in request["app"]]
    sql = {**side("queries", *public_paths, env=env), **side("queries", *staff_paths, env={**env, "BENCH_SESSION": cookie})}

    sqlite_path = RESULTS / "bench.db"
    with run.step("Exporting the public rows to SQLite for Datasette"):
        results["datasette_export"] = side("export-sqlite", str(sqlite_path), env=env)

    # Datasette as a journalist would run it for speed: no facet suggestions computed on every list.
    datasette = [str(BIN / "datasette"), "serve", "-i", str(sqlite_path), "-p", str(DATASETTE_PORT),
                 "--setting", "sql_time_limit_ms", "10000", "--setting", "facet_time_limit_ms", "10000",
                 "--setting", "suggest_facets", "off"]
    results["requests"] = []
    empty_redis()
    with server(gunicorn(options.workers, APP_PORT), APP_PORT, env, "/api/v1/"), \
            server(gunicorn(options.workers, WARM_PORT), WARM_PORT, warm_env(env), "/api/v1/"), \
            server(datasette, DATASETTE_PORT, os.environ, "/-/versions.json"):
        for request in measured:
            with run.step(f"Measuring: {request['name']}"):
                header = f"Cookie: sessionid={cookie}" if request.get("staff") else ""
                app = wrk(f"http://127.0.0.1:{APP_PORT}", request["app"], options.duration, options.connections, header)
                warm_up(f"http://127.0.0.1:{WARM_PORT}", request["app"], header)
                warm = wrk(f"http://127.0.0.1:{WARM_PORT}", request["app"], options.duration, options.connections, header)
                statements = [sql[path]["sql"] for path in request["app"]]
                row = {
                    "name": request["name"], "app": app, "warm": warm,
                    "queries": max(len(s) for s in statements),
                    "status": sorted({sql[path]["status"] for path in request["app"]}),
                    "floor": floor(options.database_url, statements, max(3, options.duration // 2), options.connections),
                }
                if request["datasette"]:
                    row["datasette"] = wrk(f"http://127.0.0.1:{DATASETTE_PORT}", request["datasette"], options.duration,
                                           options.connections)
                results["requests"].append(row)

    with run.step("Exporting every case as CSV from a one-worker server"):
        empty_redis()
        with server(gunicorn(1, CSV_PORT), CSV_PORT, warm_env(env), "/api/v1/") as master:
            worker = children(master.pid)[0]
            before = vm_peak_kb(worker)
            # The first download makes the export (a miss) and keeps it as a file; the second reads the file.
            export = download(f"http://127.0.0.1:{CSV_PORT}/api/v1/cases/?format=csv")
            export["warm"] = download(f"http://127.0.0.1:{CSV_PORT}/api/v1/cases/?format=csv")
            export.update({"worker_peak_mb": round(vm_peak_kb(worker) / 1024, 1),
                           "worker_peak_before_mb": round(before / 1024, 1)})
        with server(datasette, DATASETTE_PORT, os.environ, "/-/versions.json") as ds:
            ds_export = download(f"http://127.0.0.1:{DATASETTE_PORT}/bench/cases.csv?_stream=on&_size=max")
            ds_export["server_peak_mb"] = round(vm_peak_kb(ds.pid) / 1024, 1)
        results["csv_export"] = {"app": export, "datasette": ds_export}

    with run.step("Importing 10,000 persons through the admin's import path"):
        results["import"] = side("import", env=env)
    print(report(results))


def report(results: dict) -> str:
    """The results table; parts not measured (yet, or because their step failed) are left out."""
    lines = [
        "| request | SQL queries | miss p50 / p95 / p99 ms | miss req/s (requests) | SQL floor p50 ms | miss ÷ floor | "
        "warm p50 / p99 ms | warm req/s | Datasette p50 ms | Datasette req/s | miss ÷ Datasette req/s | warm ÷ Datasette req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in results.get("requests", []):
        app, low, ds, warm = row["app"], row["floor"], row.get("datasette"), row.get("warm")
        ratio = f"{app['p50'] / low['p50']:.1f}×" if low["p50"] else "–"
        warm_cells = f"{warm['p50']:.1f} / {warm['p99']:.1f} | {warm['rps']:.0f}" if warm else "– | –"
        ds_cells = (f"{ds['p50']:.1f} | {ds['rps']:.0f} | {app['rps'] / ds['rps']:.2f}× | "
                    + (f"{warm['rps'] / ds['rps']:.2f}×" if warm else "–") if ds and ds["rps"] else "– | – | – | –")
        failed = sum(run.get("non2xx", 0) + run.get("errors", 0) for run in (app, warm) if run)
        errors = f" ({failed} errors)" if failed else ""
        lines.append(f"| {row['name']}{errors} | {row['queries']} | {app['p50']:.1f} / {app['p95']:.1f} / {app['p99']:.1f} | "
                     f"{app['rps']:.0f} ({app.get('requests', 0):,}) | {low['p50']:.2f} | {ratio} | {warm_cells} | {ds_cells} |")
    if "csv_export" in results:
        csv, ds_csv = results["csv_export"]["app"], results["csv_export"]["datasette"]
        lines += [
            "",
            f"CSV export of every public case: {csv['rows']:,} rows in {csv['seconds']} s ({csv['rows_per_second']:,} rows/s) "
            + (f"made afresh, then {csv['warm']['seconds']} s ({csv['warm']['rows_per_second']:,} rows/s) from the kept file; "
               if "warm" in csv else "")
            + f"server worker peak memory {csv['worker_peak_mb']} MB (before the export: {csv['worker_peak_before_mb']} MB). "
            f"Datasette: {ds_csv['rows']:,} rows in {ds_csv['seconds']} s ({ds_csv['rows_per_second']:,} rows/s), "
            f"peak {ds_csv['server_peak_mb']} MB.",
        ]
    if "import" in results:
        lines += [
            "",
            f"Import of {results['import']['rows']:,} persons through the admin's import path: {results['import']['seconds']} s, "
            f"errors: {results['import']['errors']}, totals: {results['import']['totals']}.",
        ]
    if "generation" in results:
        lines += ["", f"Dataset: {results['generation']}"]
    for step, failure in results.get("failed_steps", {}).items():
        lines += ["", f"**Failed step** {step}: {failure}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
