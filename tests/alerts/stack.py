"""The whole application as a deployment runs it, on this machine: its own database (an SQLite file,
or a new PostgreSQL database on the suite's server), the app under gunicorn, the job queue's
worker as a separate process (``manage.py run_huey``) on the queue a deployment would use (the
SQLite file by default; Redis when the suite runs on PostgreSQL, as in production), with mail
sent to a real SMTP server and webhooks called over HTTP.

The test drives it from outside, as people do: HTTP requests with an editor's API token.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from tests.processes import ROOT, free_port, run_django

GUNICORN_CONFIG = ROOT / "extraditions" / "gunicorn_conf.py"
REDIS_QUEUE = "redis://127.0.0.1:6379/9"  # a database of its own: the cache tests use 15 and below, one per worker


def wait_for(condition: Callable[[], object], timeout: float = 60, what: str = "the condition"):
    """``condition()``'s first true value, asked every 0.2 s for at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


class Database:
    """A database of the stack's own, of the kind the suite runs on (``DATABASE_URL``)."""

    def __init__(self, directory: Path):
        suite = os.environ.get("DATABASE_URL", "")
        self.postgres = suite.startswith(("postgres://", "postgresql://"))
        if self.postgres:
            parts = urllib.parse.urlsplit(suite)
            self.name = f"{parts.path.lstrip('/') or 'extraditions'}_stack_{os.getpid()}"
            self.server = parts._replace(path="/postgres").geturl()
            self.url = parts._replace(path=f"/{self.name}").geturl()
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"', f'CREATE DATABASE "{self.name}"')
            self.queue = REDIS_QUEUE
        else:
            self.url = f"sqlite:///{directory / 'db.sqlite3'}"
            self.queue = f"sqlite:///{directory / 'jobs.sqlite3'}"

    def _admin(self, *statements: str) -> None:
        import psycopg2

        connection = psycopg2.connect(self.server)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        finally:
            connection.close()

    def drop(self) -> None:
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Stack:
    def __init__(self, directory: Path, smtp_port: int):
        self.database = Database(directory)
        self.port = free_port()
        self.env = {
            "DATABASE_URL": self.database.url,
            "JOB_QUEUE_URL": self.database.queue,
            # A queue of this stack's own: two test workers may each run a stack on the one Redis.
            "JOB_QUEUE_NAME": f"stack{os.getpid()}p{self.port}",  # letters and digits: as huey names its keys
            "JOB_POLL_SECONDS": "0.5",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "1",  # the receiver listens on 127.0.0.1
            "WEBHOOK_RETRY_SECONDS": "1",
            "BULK_DOWNLOADS_PREBUILD": "0",  # tested on its own; here it would only slow the worker
            "EXPORT_CACHE_DIR": str(directory / "exports"),
            "MEDIA_ROOT": str(directory / "media"),
            "STATIC_ROOT": str(directory / "static"),
            "API_ANONYMOUS_RATE": "",
        }
        self.logs = directory / "logs"
        self.logs.mkdir()
        self.server: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.manage("migrate", "--no-input", "-v0")
        self.manage("collectstatic", "--no-input", "-v0")  # as a release does: hashed names in a manifest

    # --- processes -------------------------------------------------------------------------

    def process_env(self) -> dict:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "extraditions.settings",
            "SECRET_KEY": "a-test-process-secret-key-that-is-long-enough-for-django-checks-0123456789",
            "REDIS_URL": "",
            **self.env,
        }

    def manage(self, *command: str) -> None:
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=self.process_env(), capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-3000:]

    def django(self, code: str) -> dict:
        """``code`` run in a process of the stack's (Django set up); its last line prints JSON."""
        return run_django(code, **{key: value for key, value in self.process_env().items() if key != "PATH"})

    def start_server(self) -> None:
        command = [
            sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG), "extraditions.wsgi",
            "--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--access-logfile", "/dev/null",
        ]
        self.server = self._spawn("server", command)
        wait_for(lambda: self._answers("/healthz"), 30, "the app server")

    def start_worker(self) -> None:
        self.worker = self._spawn("worker", [sys.executable, "manage.py", "run_huey", "--workers", "2"])

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        """``command`` started in the stack's environment, its output appended to ``logs/<name>.log``."""
        with open(self.logs / f"{name}.log", "a") as log:  # the child keeps its own copy of the file
            return subprocess.Popen(command, cwd=ROOT, env=self.process_env(), stdout=log, stderr=subprocess.STDOUT)

    def log(self, name: str) -> str:
        """The end of a process's log, to show with a failure."""
        path = self.logs / f"{name}.log"
        return path.read_text()[-5000:] if path.exists() else ""

    def stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.terminate()  # huey finishes the job at hand, then stops
            self.worker.wait(timeout=60)
            self.worker = None

    def stop(self) -> None:
        self.stop_worker()
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)
        with suppress(Exception):
            self.database.drop()
        if self.database.queue.startswith("redis://"):  # the stack's queue, left empty on the shared Redis
            import redis

            connection = redis.Redis.from_url(self.database.queue)
            for key in connection.scan_iter(f"*{self.env['JOB_QUEUE_NAME']}*"):
                connection.delete(key)

    # --- HTTP ------------------------------------------------------------------------------

    def _answers(self, path: str) -> bool:
        try:
            return self.request("GET", path)[0] == 200
        except OSError:
            return False

    def request(self, method: str, path: str, body=None, token: str = "", form: bool = False) -> tuple[int, dict, bytes]:
        """(status, headers, body) of one request to the app server."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        payload = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            if form:
                payload = urllib.parse.urlencode(body).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                payload = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()
