"""Running Django in a separate process, configured by its environment as in production.

For what a test process cannot be reconfigured into after start-up: another set of databases,
a cache that is down, production settings. The code given runs after ``django.setup()`` and
reports by printing one JSON document as its last line.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_django(code: str, timeout: float = 120, **environment: str) -> dict:
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URLS", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "extraditions.settings",
        "SECRET_KEY": "a-test-process-secret-key-that-is-long-enough-for-django-checks-0123456789",
        "ALLOWED_HOSTS": "testserver,localhost",
        **environment,
    }
    script = "import django, json\ndjango.setup()\n" + textwrap.dedent(code)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
