"""Keyset pagination: walking a list page by page, forward and back, gives every row once, in order,
with ties and empty (null) values in the ordering column."""

import datetime

import pytest

from tests import factories as f

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
