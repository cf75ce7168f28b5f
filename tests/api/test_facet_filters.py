"""Every facet value is a filter that gives exactly its count, "Unknown" included (``none``).

Walks every facet of every list of the API, over public records with and without values and a
hidden world beside them: a journalist who clicks a count gets that many records, never the whole
list because the value was empty.
"""

from __future__ import annotations

import pytest

from extraditions.api.urls import router
from extraditions.filtering import NO_VALUE
from tests import factories as f
from tests.api.conftest import build_hidden_world, build_world

FACETED = sorted(
    (prefix, name)
    for prefix, viewset, _ in router.registry
    for name in (getattr(viewset, "facets", None) or {})
)


@pytest.fixture
def mixed_world(db):
    build_world("full")
    build_hidden_world("secret")
    # Records with most values left empty: no grounds, no date, no country, no language, …
    f.CourtRulingFactory(country="", international_body="UN Committee against Torture")
    f.CaseFactory(host_country="")
    f.InterpolNoticeFactory()
    f.SourceFactory()
    f.TreatyFactory()
    f.PersonFactory()


@pytest.mark.parametrize("prefix, name", FACETED)
def test_each_facet_value_filters_to_its_count(mixed_world, anonymous, prefix, name):
    url = f"/api/v1/{prefix}/"
    response = anonymous.get(url, {"facet": name})
    assert response.status_code == 200, response.content
    rows = response.json()["facets"][name]
    assert rows, f"{prefix}: no {name} facet rows"
    for row in rows:
        value = NO_VALUE if row["value"] in (None, "") else str(row["value"])
        filtered = anonymous.get(url, {name: value})
        assert filtered.status_code == 200, (prefix, name, value, filtered.content)
        assert filtered.json()["count"] == row["count"], (prefix, name, row)


def test_unknown_adds_to_the_values_given_and_keeps_the_search(mixed_world, anonymous):
    unknown = anonymous.get("/api/v1/rulings/", {"country": NO_VALUE}).json()["count"]
    swedish = anonymous.get("/api/v1/rulings/", {"country": "SE"}).json()["count"]
    assert unknown and swedish
    both = anonymous.get("/api/v1/rulings/", {"country": [NO_VALUE, "SE"]}).json()["count"]
    assert both == unknown + swedish
    assert anonymous.get("/api/v1/rulings/", {"q": "torture", "country": NO_VALUE}).json()["count"] == 1
