"""The API's most important property: restricted records and drafts do not exist for the public.

Every restricted or draft record below carries a unique marker in its names and texts, and is
linked to public records (a restricted person in a public case, a draft ruling on a public case,
a restricted source cited for a public case, …). Then every public response — each list in JSON
and CSV, with search and every facet, each detail, the countries and the stats — is searched
for the marker.
"""

import pytest

from cases import models as cases
from extraditions.api.urls import router

from .conftest import DRAFT, RESTRICTED, build_hidden_world, build_world

MARKER = "Zqxv"  # in no word of any language the seed or factories use


@pytest.fixture
def hidden(db):
    """A public world, and everything hidden that touches it."""
    return build_hidden_world(MARKER)


def bodies(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.content[:500])
    return b"".join(response.streaming_content) if response.streaming else response.content


def public_responses(anonymous):
    """Every public answer the API gives about the data."""
    for prefix, viewset, _ in router.registry:
        url = f"/api/v1/{prefix}/"
        facets = list(getattr(viewset, "facets", {}))
        yield url, bodies(anonymous, url, **({"facet": facets} if facets else {}))
        yield url + "?format=csv", bodies(anonymous, url, format="csv")
        if prefix != "countries":
            yield url + f"?q={MARKER}", bodies(anonymous, url, q=MARKER)
            for record in anonymous.get(url, {"page_size": 1000}).json()["results"]:
                yield record["url"], bodies(anonymous, record["url"])
        else:
            for country in anonymous.get(url).json()["results"]:
                yield country["url"], bodies(anonymous, country["url"])
    yield "/api/v1/stats/", bodies(anonymous, "/api/v1/stats/")


def test_no_public_response_contains_a_hidden_record(hidden, anonymous):
    checked = 0
    for url, body in public_responses(anonymous):
        assert MARKER.encode() not in body, url
        assert MARKER.lower().encode() not in body.lower(), url
        checked += 1
    assert checked > 100


def test_a_search_for_the_marker_finds_nothing(hidden, anonymous):
    for prefix, _viewset, _ in router.registry:
        if prefix != "countries":
            assert anonymous.get(f"/api/v1/{prefix}/", {"q": MARKER}).json()["count"] == 0, prefix


def test_hidden_records_are_not_found_at_their_urls(hidden, anonymous, viewer):
    from extraditions.api.serializers import api_url

    for record in hidden["hidden"]:
        url = api_url(record, None)
        if url is None:
            continue
        assert anonymous.get(url).status_code == 404, url
        assert viewer.get(url).status_code == 200, url  # staff see everything


def test_a_hidden_record_named_in_a_filter_is_unknown(hidden, anonymous, viewer):
    person = next(r for r in hidden["hidden"] if isinstance(r, cases.Person) and r.slug.startswith(MARKER))
    for url, param in (("/api/v1/cases/", "person"), ("/api/v1/notices/", "subject")):
        hidden_answer = anonymous.get(url, {param: person.slug})
        missing_answer = anonymous.get(url, {param: f"{MARKER}-no-such-person"})
        assert hidden_answer.status_code == missing_answer.status_code == 400
        assert hidden_answer.json()["errors"][param] == [f"No person with id {person.slug!r}."]
        assert viewer.get(url, {param: person.slug}).json()["count"] >= 1
    assert anonymous.get("/api/v1/cases/", {"has_red_notice": "true"}).json()["count"] == 1  # the public notice only


def test_hidden_records_change_no_public_count(db, anonymous):
    build_world("public")
    before = anonymous.get("/api/v1/stats/").json()
    countries_before = anonymous.get("/api/v1/countries/").json()
    build_world(MARKER, **RESTRICTED)
    build_world(f"{MARKER} draft", **DRAFT)
    assert anonymous.get("/api/v1/stats/").json() == before
    assert anonymous.get("/api/v1/countries/").json() == countries_before


def test_staff_see_the_pseudonymous_persons_other_names(hidden, viewer, anonymous):
    public_view = anonymous.get("/api/v1/persons/", {"q": "Pseudonym"}).json()["results"][0]
    assert public_view["name_original"] == "" and public_view["aliases"] == []
    staff_view = viewer.get(public_view["url"]).json()
    assert staff_view["name_original"].startswith(MARKER)
    assert [alias["name"] for alias in staff_view["aliases"]] == [f"{MARKER} real name"]
