"""Settings come from the environment, and production refuses to start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env):
    environment = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.DATABASES; print(settings.DATABASES['default']['ENGINE'], settings.DEBUG)"],
        cwd=ROOT, env={**environment, "DJANGO_SETTINGS_MODULE": "extraditions.settings"},
        capture_output=True, text=True,
    )


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_has_a_development_key_and_sqlite_by_default():
    result = load_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]


def test_database_url_selects_postgresql():
    result = load_settings(SECRET_KEY="k", DATABASE_URL="postgres://u@db.example:5432/tracker")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False"]
