"""The app under the production server as docs/deployment.md runs it (extraditions/gunicorn_conf.py):
a streamed export that takes longer than the server's timeout still arrives whole.

The answers pause mid-stream for longer than the timeout (tests/settings_pause_mid_stream.py), as a
full export to a slow client does. The control shows that the test catches the failure it guards
against: under sync workers the same export ends as a 200 with a truncated body.
"""

import csv
import http.client
import io
import json
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest

from tests.processes import ROOT, free_port
from tests.settings_pause_mid_stream import PAUSE_SECONDS

CONFIG = ROOT / "extraditions" / "gunicorn_conf.py"
TIMEOUT = 1  # seconds, well under the pause


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    """A seeded SQLite database of its own, and the production settings around it."""
    database = tmp_path_factory.mktemp("production-server") / "db.sqlite3"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "tests.settings_pause_mid_stream",
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "a-test-process-secret-key-that-is-long-enough-for-django-checks-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": "",
    }
    for command in (["migrate", "--no-input", "-v0"], ["load_seed_data", "-v0"]):
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-3000:]
    return env


@contextmanager
def production_server(env, *overrides):
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "extraditions.wsgi", "--bind", f"127.0.0.1:{port}",
               "--workers", "1", "--timeout", str(TIMEOUT), "--access-logfile", "/dev/null", *overrides]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while get(port, "/healthz")[0] != 200:
            assert server.poll() is None and time.monotonic() < deadline, server.stderr.read().decode()[-3000:]
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def get(port: int, path: str) -> tuple[int, bytes, bool]:
    """(status, body, whether the connection delivered it without error); status 0 when nothing
    answers. A body cut off by a killed worker may still look whole to HTTP: without a length or
    chunked encoding, the end of the connection is the end of the body. Count the rows."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=PAUSE_SECONDS * 5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
    except OSError:
        return 0, b"", False
    try:
        return response.status, response.read(), True
    except (http.client.IncompleteRead, OSError) as cut:
        return response.status, getattr(cut, "partial", b""), False
    finally:
        connection.close()


def exported_cases(port) -> tuple[int, list[list[str]], bool]:
    status, body, whole = get(port, "/api/v1/cases/?format=csv")
    return status, list(csv.reader(io.StringIO(body.decode("utf-8", "replace")))), whole


def test_a_full_export_longer_than_the_timeout_arrives_whole(environment):
    with production_server(environment) as port:
        started = time.monotonic()
        status, rows, whole = exported_cases(port)
        took = time.monotonic() - started
        count = json.loads(get(port, "/api/v1/cases/?page_size=1")[1])["count"]
    assert took > PAUSE_SECONDS > TIMEOUT
    assert status == 200 and whole
    assert rows[0][:2] == ["id", "url"] and count > 0 and len(rows) == count + 1  # the header and every case


def test_control_under_sync_workers_the_same_export_is_cut_off(environment):
    # One thread: gunicorn runs a "sync" worker with several threads as gthread.
    with production_server(environment, "--worker-class", "sync", "--threads", "1") as port:
        status, rows, _ = exported_cases(port)
    assert status == 200 and rows[0][:2] == ["id", "url"] and len(rows) == 1  # the header, then nothing
