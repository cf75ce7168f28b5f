"""Keyset pagination: walking a list page by page, forward and back, gives every row once, in order,
with ties and empty (null) values in the ordering column."""

import base64
import datetime
import json
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from extraditions.api.pagination import OrderingTerm, cursor_signer
from extraditions.api.urls import router
from tests import factories as f
from tests.api.conftest import build_world

DATES = [None, datetime.date(2019, 1, 1), datetime.date(2020, 6, 1), datetime.date(2020, 6, 1), datetime.date(2021, 3, 1)]


@pytest.fixture
def cases(db):
    for n in range(37):
        day = DATES[n % len(DATES)]
        f.CaseFactory(title=f"Case {n % 7}", started_on=day, started_on_precision="day" if day else "")


def walk(client, url: str, direction: str = "next") -> list[str]:
    ids = []
    while url:
        page = client.get(url).json()
        ids += [row["id"] for row in page["results"]] if direction == "next" else [row["id"] for row in reversed(page["results"])]
        url = page[direction]
    return ids


@pytest.mark.parametrize("ordering", ["-started", "started", "title", "-title", "-started,title"])
def test_walking_forward_and_back_gives_every_row_once_in_order(client, cases, ordering):
    everything = [row["id"] for row in client.get("/api/v1/cases/", {"ordering": ordering, "page_size": 1000}).json()["results"]]
    assert len(everything) == 37
    forward = walk(client, f"/api/v1/cases/?ordering={ordering}&page_size=4")
    assert forward == everything
    # From the last page back to the first, by the "previous" links.
    last = f"/api/v1/cases/?ordering={ordering}&page_size=4"
    while (page := client.get(last).json())["next"]:
        last = page["next"]
    backward = walk(client, page["previous"], "previous") if page["previous"] else []
    assert backward[::-1] + [row["id"] for row in page["results"]] == everything


def test_nulls_come_last_going_forward_and_a_page_can_straddle_them(client, cases):
    rows = client.get("/api/v1/cases/", {"ordering": "-started", "page_size": 1000}).json()["results"]
    started = [row["started"] for row in rows]
    nulls = started.count(None)
    assert nulls == 8 and started[-nulls:] == [None] * nulls
    boundary = walk(client, "/api/v1/cases/?ordering=-started&page_size=6")  # page 5 holds the last dates and the first nulls
    assert boundary == [row["id"] for row in rows]


# --- cursors that cannot be forged ------------------------------------------------------------
# Every list of the router is tried with forged cursors; each must be a 400 in the problem format,
# never a server error. ``world`` and ``anonymous`` come from tests/conftest.py and tests/api/conftest.py.

LISTS = [(prefix, viewset) for prefix, viewset, basename in router.registry]


def old_style(payload) -> str:
    """A cursor as the API made them before they were signed: base64 of JSON."""
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


def flipped(cursor: str, position: int) -> str:
    """``cursor`` with one character changed, for another of the same URL-safe alphabet."""
    position %= len(cursor)
    char = cursor[position]
    return cursor[:position] + ("B" if char == "A" else "A") + cursor[position + 1:]


def default_terms(viewset) -> list[OrderingTerm]:
    names = getattr(viewset, "default_ordering", ())
    return [OrderingTerm(viewset.ordering_fields[n.lstrip("-")], n.startswith("-")) for n in names] + [OrderingTerm("pk")]


def forged_payloads(length: int) -> list:
    """Cursor contents no list ever made: the values of a real one are replaced by hostile ones."""
    return [
        {"v": [None] * length, "f": True},
        {"v": ["2021-02-30"] * length, "f": True},  # an impossible date
        {"v": ["2021-01-01"] * (length - 1) + ["not-a-number"], "f": True},  # a non-numeric id
        {"v": [1e308] * length, "f": False},
        {"v": [10**30] * length, "f": True},
        {"v": ["a\x00b"] * length, "f": True},  # PostgreSQL refuses NUL in a string
        {"v": [[1], {"a": 1}][:length] + [True] * (length - 2), "f": True},  # wrong types
        {"v": [0] * length, "f": "yes"},
        {"v": [0] * (length + 1), "f": True},  # one value too many
        {"v": "everything", "f": True},
        {"f": True},
        ["v", "f"],
    ]


def next_cursor(client, prefix: str, ordering: str | None = None) -> str | None:
    query = {"page_size": 1, **({"ordering": ordering} if ordering else {})}
    following = client.get(f"/api/v1/{prefix}/", query).json().get("next")
    return parse_qs(urlsplit(following).query)["cursor"][0] if following else None


def assert_cursor_refused(response, what: str) -> None:
    assert response.status_code == 400, f"{what}: {response.status_code} {response.content[:300]!r}"
    assert response["Content-Type"] == "application/problem+json", what
    body = response.json()
    assert body["status"] == 400 and body["title"] == "Bad Request", what
    assert "cursor" in body.get("errors", {}) or "Traceback" not in str(body), what


@pytest.fixture
def two_worlds(db):
    """Two records of every kind, so that every list has a next page at page_size=1."""
    build_world("first")
    build_world("second")
    f.LegalProvisionFactory(slug="cat-3", instrument="cat", article="3", title="No return to torture")


@pytest.mark.parametrize("prefix, viewset", LISTS, ids=[prefix for prefix, _ in LISTS])
def test_a_forged_cursor_is_a_400_on_every_list(prefix, viewset, two_worlds, anonymous):
    url = f"/api/v1/{prefix}/"
    length = len(default_terms(viewset)) if hasattr(viewset, "ordering_fields") else 2
    forged = {f"old-style {payload!r}": old_style(payload) for payload in forged_payloads(length)}
    forged |= {
        "empty signature": old_style({"v": [None] * length, "f": True}) + ".",
        "invented signature": old_style({"v": [1] * length, "f": True}) + ".c2lnbmF0dXJl",
        "only dots": "...",
        "a NUL": "\x00",
        "a long string": "A" * 5000,
        "not ASCII": "курсор.подпись",
    }
    others = [other for other, _ in LISTS if other != prefix]
    for other in others:
        if cursor := next_cursor(anonymous, other):
            forged[f"a cursor of /{other}/"] = cursor
    own = next_cursor(anonymous, prefix)
    if hasattr(viewset, "ordering_fields"):
        assert own, f"/{prefix}/ has a next page"
        payload, signature = own.split(".")
        forged |= {f"one character changed at {n}": flipped(own, n) for n in (0, len(payload) // 2, len(payload) - 1)}
        forged |= {f"one character changed in the signature at {n}": flipped(own, len(payload) + 1 + n) for n in (0, 10, -1)}
        forged["the signature of another cursor"] = old_style({"v": [1] * length, "f": True}) + "." + signature
        default = ",".join(viewset.default_ordering)
        for ordering in ("-updated", "updated", "-created"):
            if ordering != default:
                forged[f"a cursor of ordering={default} given with ordering={ordering}"] = (own, ordering)
        reversed_order = next_cursor(anonymous, prefix, "updated" if default != "updated" else "-updated")
        forged["a cursor of another ordering given with the default one"] = reversed_order
    for what, cursor in forged.items():
        cursor, ordering = cursor if isinstance(cursor, tuple) else (cursor, None)
        query = {"cursor": cursor, **({"ordering": ordering} if ordering else {})}
        assert_cursor_refused(anonymous.get(url, query), f"{url} with {what}")


@pytest.mark.parametrize("prefix, viewset", [(p, v) for p, v in LISTS if hasattr(v, "ordering_fields")],
                         ids=[p for p, v in LISTS if hasattr(v, "ordering_fields")])
def test_a_signed_cursor_with_values_its_columns_cannot_hold_is_a_400(prefix, viewset, two_worlds, anonymous):
    """Defence in depth, as if the signing key had leaked: each value of a cursor is checked
    against its ordering column; what the database could not compare is refused, not a 500."""
    url = f"/api/v1/{prefix}/"
    terms = default_terms(viewset)
    signer = cursor_signer(SimpleNamespace(basename=viewset_basename(prefix)), terms)
    good = signer.unsign_object(next_cursor(anonymous, prefix))
    assert anonymous.get(url, {"cursor": signer.sign_object(good)}).status_code == 200
    hostile = [None, "2021-02-30", "not-a-number", 1e308, 10**30, "a\x00b", [1], {"a": 1}, True, "NaN", -(2**63) - 1]
    for position in range(len(terms)):
        for value in hostile:
            values = list(good["v"])
            values[position] = value
            response = anonymous.get(url, {"cursor": signer.sign_object({"v": values, "f": good["f"]})})
            what = f"{url} with {values!r}"
            assert response.status_code in (200, 400), f"{what}: {response.status_code} {response.content[:300]!r}"
            if response.status_code == 400:
                assert_cursor_refused(response, what)
    # What no column of the API can hold.
    for values in ([*good["v"][:-1], None], [*good["v"][:-1], "1"], [*good["v"][:-1], 2**63], [*good["v"][:-1], 1.5]):
        assert_cursor_refused(anonymous.get(url, {"cursor": signer.sign_object({"v": values, "f": True})}), repr(values))


def viewset_basename(prefix: str) -> str:
    return next(basename for p, _, basename in router.registry if p == prefix)


@pytest.mark.django_db
def test_walking_a_search_ranked_by_relevance_gives_every_match_once(client):
    """Ordered by relevance (an annotation, not a column): the last page is short, and must not fail."""
    for n in range(7):
        f.CaseFactory(title=f"Torture case {n}", summary="torture " * (n % 3 + 1))
    f.CaseFactory(title="Unrelated")
    url, seen = "/api/v1/cases/?q=torture&page_size=3", []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        seen += [record["id"] for record in response.json()["results"]]
        url = response.json()["next"]
    assert len(seen) == len(set(seen)) == 7


@pytest.mark.parametrize("matches, count, exact", [(2, 2, True), (3, 2, False)])
def test_a_search_counts_its_matches_up_to_the_cap(client, db, monkeypatch, matches, count, exact):
    from extraditions.api.pagination import KeysetPagination

    monkeypatch.setattr(KeysetPagination, "search_count_cap", 2)
    for n in range(matches):
        f.CaseFactory(title=f"Deportation {n}", summary="A disguised extradition")
    f.CaseFactory(title="Something else")
    page = client.get("/api/v1/cases/", {"q": "disguised", "page_size": 1}).json()
    assert (page["count"], page["count_exact"]) == (count, exact)
    assert len(walk(client, "/api/v1/cases/?q=disguised&page_size=1")) == matches  # every match is still listed
    unsearched = client.get("/api/v1/cases/").json()
    assert (unsearched["count"], unsearched["count_exact"]) == (matches + 1, True)  # a list without q: exact
    assert client.get("/api/v1/cases/", {"q": "disguised", "count": "false"}).json()["count_exact"] is None
