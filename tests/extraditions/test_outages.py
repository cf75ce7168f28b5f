"""When the database or the cache is down: fast, clear answers, never a hang or a traceback.

Each test runs the app in its own process pointed at a database or a Redis that does not answer
(a port where nothing listens), as in an outage; the load-and-fault run with a real PostgreSQL
stopped and started again is bench/faults.py (docs/deployment.md).
"""

import pytest

from tests.processes import run_django

NOTHING_LISTENS = "127.0.0.1:9"  # the discard port: refused at once
DATABASE_DOWN = f"postgres://postgres@{NOTHING_LISTENS}/extraditions"

pytestmark = pytest.mark.django_db  # the cache tests use the suite's database


def answers(paths: list[str], **environment) -> dict:
    return run_django(
        f"""
        import time
        from django.test import Client
        client, found = Client(raise_request_exception=False), {{}}
        for path in {paths!r}:
            started = time.monotonic()
            response = client.get(path)
            found[path] = {{
                "status": response.status_code, "type": response.get("Content-Type", ""),
                "retry_after": response.get("Retry-After"), "seconds": time.monotonic() - started,
                "body": b"".join(response.streaming_content if response.streaming else [response.content]).decode(),
            }}
        print(json.dumps(found))
        """,
        **environment,
    )


def test_without_the_database_the_api_answers_503_problem_details_at_once():
    found = answers(
        ["/api/v1/cases/", "/api/v1/cases/?format=csv", "/api/v1/stats/", "/api/v1/persons/?q=wang"], DATABASE_URL=DATABASE_DOWN
    )
    for path, answer in found.items():
        assert answer["status"] == 503, path
        assert answer["type"] == "application/problem+json"
        assert '"status": 503' in answer["body"] and "Traceback" not in answer["body"]
        assert answer["retry_after"] == "10"
        assert answer["seconds"] < 5


def test_without_the_database_pages_answer_503_and_health_says_so():
    found = answers(["/", "/cases/", "/healthz"], DATABASE_URL=DATABASE_DOWN)
    assert found["/"]["status"] == found["/cases/"]["status"] == 503
    assert "The database is unavailable for a moment" in found["/cases/"]["body"]
    assert "Traceback" not in found["/"]["body"]
    assert found["/healthz"]["status"] == 503
    assert '"default": "unavailable"' in found["/healthz"]["body"]
