"""Production settings as docs/deployment.md gives them: Django's deployment checks pass, every
answer carries the security headers, HTTPS is enforced, static files are served hashed and
compressed by the app server, and /healthz tells a load balancer whether to send traffic."""

import json
import subprocess
import sys

import pytest

from tests.processes import ROOT, run_django

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "ALLOWED_HOSTS": "tracker.example.org",
    "HTTPS": "1",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "DATABASE_URL": "postgres://tracker@127.0.0.1:5432/extraditions",
    "SECRET_KEY": "k3Zp8vQn2-Wc7Xr9Lm4Tg6Yh1Bd5Fs0Ja8Ue3Oi7Pq2Nz6Kx4Vb9Mc1Rt5Ly0Hw",
}


def deployment_check(**environment) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "extraditions.settings", **environment}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                          env=env, capture_output=True, text=True)


def test_the_documented_production_settings_pass_the_deployment_checks():
    done = deployment_check(**PRODUCTION)
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_without_https_the_deployment_checks_complain():
    done = deployment_check(**{**PRODUCTION, "HTTPS": ""})
    assert done.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):  # HSTS, redirect, cookies
        assert check in done.stderr


def test_every_answer_carries_the_security_headers(client, world):
    for path in ["/", f"/cases/{world['case'].slug}/", "/api/v1/cases/", "/admin/login/", "/healthz"]:
        response = client.get(path)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy, path
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_https_is_enforced_behind_the_proxy_but_health_probes_are_not_redirected():
    found = run_django(
        """
        from django.test import Client
        client = Client()
        plain = client.get("/cases/", HTTP_HOST="tracker.example.org")
        secure = client.get("/api/v1/", HTTP_HOST="tracker.example.org", HTTP_X_FORWARDED_PROTO="https")
        probe = client.get("/healthz", HTTP_HOST="tracker.example.org")
        print(json.dumps({
            "plain": [plain.status_code, plain.get("Location")],
            "hsts": secure.get("Strict-Transport-Security"),
            "probe": probe.status_code,
        }))
        """,
        **{**PRODUCTION, "DATABASE_URL": "sqlite:///:memory:", "REDIS_URL": "", "DEBUG": ""},
    )
    assert found["plain"] == [301, "https://tracker.example.org/cases/"]
    assert found["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert found["probe"] in (200, 503)  # answered, not redirected (an in-memory database has no tables)


def test_static_files_are_collected_hashed_and_served_by_the_app(tmp_path):
    env = {**PRODUCTION, "DATABASE_URL": "sqlite:///:memory:", "REDIS_URL": "", "STATIC_ROOT": str(tmp_path)}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, check=True,
                   env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "extraditions.settings", **env})
    found = run_django(
        """
        from django.templatetags.static import static
        from django.test import Client
        url = static("site/site.css")
        response = Client().get(url, HTTP_HOST="tracker.example.org", HTTP_X_FORWARDED_PROTO="https",
                                HTTP_ACCEPT_ENCODING="gzip")
        print(json.dumps({"url": url, "status": response.status_code, "cache": response.get("Cache-Control"),
                          "encoding": response.get("Content-Encoding")}))
        """,
        **env,
    )
    assert found["url"].startswith("/static/site/site.") and found["url"] != "/static/site/site.css"  # hashed
    assert found["status"] == 200
    assert "immutable" in found["cache"]
    assert found["encoding"] == "gzip"


def test_health_reports_the_database_and_the_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok" and body["checks"] == {"default": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_postgresql_connections_never_compile_queries_just_in_time():
    """PostgreSQL's JIT took seconds to compile the visibility filters' queries, which run in
    milliseconds (a CSV export of 5,000 cases: 22 s of SQL, 1.7 s without it)."""
    from django.db import connection

    from extraditions.settings import database

    assert "-c jit=off" in database("postgres://tracker@db.example:5432/extraditions")["OPTIONS"]["options"]
    if connection.vendor == "postgresql":  # and the connection the suite runs on has it
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
