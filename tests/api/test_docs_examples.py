"""The example queries of docs/api.md and docs/search.md, run against the seed dataset: the documentation stays true."""

import io
import re
from pathlib import Path

from django.core.management import call_command

DOCS = [Path(__file__).resolve().parents[2] / "docs" / name for name in ("api.md", "search.md")]


def documented_queries() -> list[tuple[str, int | None]]:
    """Each example URL of the docs, with the count its comment states, if any ("(33", "(12)")."""
    queries, stated = [], None
    lines = [line for doc in DOCS for line in doc.read_text().splitlines()]
    for line in lines:
        if line.startswith("# "):
            numbers = re.findall(r"\((\d+)[;:)]", line)
            stated = int(numbers[0]) if numbers else None
        elif line.startswith("/api/v1/"):
            url = line.split("→")[0].strip()  # search.md writes "url → what it finds"
            queries.append((url, stated))
            stated = None
    return queries


def test_the_docs_have_examples():
    assert len(documented_queries()) >= 15


def test_every_documented_query_answers_on_the_seed_data(db, anonymous):
    call_command("load_seed_data", stdout=io.StringIO())
    for url, stated_count in documented_queries():
        response = anonymous.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        body = response.json()
        if "results" in body:
            assert body["count"] > 0, url
            if stated_count is not None:
                assert body["count"] == stated_count, url
