"""The treaty map made usable: insets where small countries cluster, each country one tab stop with
its name, the PRC drawn as itself, undated statuses explained and counted, steps through time, the
date written as everywhere on the site, and a per-year chart with its axes."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from extraditions.choices import ChineseParty
from extraditions.models import PublicationStatus
from tests import factories as f
from treaties.maps import PRC, clip, extradition_treaties, world_map, year_steps
from treaties.views import timeline

NEW_YEAR_2015 = datetime.date(2015, 1, 1)


def drawn(on=NEW_YEAR_2015) -> dict:
    """The map of ``on`` as the public sees it: each drawing's places, by code."""
    treaty_map = world_map(list(extradition_treaties(AnonymousUser(), on)), on)
    return treaty_map | {"by_map": {m["key"]: {p["code"]: p for p in m["places"]} for m in treaty_map["drawings"]}}


@pytest.fixture
def caribbean_treaties(db):
    # Barbados and Grenada are too small for the 110m shapes: they are drawn as points.
    f.TreatyFactory(counterpart="BB", signed_on=datetime.date(2010, 1, 1))
    f.TreatyFactory(counterpart="GD", signed_on=datetime.date(2010, 1, 1), in_force_on=datetime.date(2012, 1, 1),
                    in_force_on_precision="day")


def test_the_insets_hold_the_small_countries_of_europe_and_the_caribbean(caribbean_treaties):
    by_map = drawn()["by_map"]
    for code in ("LU", "BE", "NL", "CH", "SI", "ME", "MK", "AL", "MD", "AM"):
        assert by_map["europe"][code]["focusable"], code
        assert not by_map["world"][code]["focusable"], f"{code} is reached in Europe, once"
    for code in ("JM", "HT", "DO", "PR", "TT", "SV", "BZ"):
        assert by_map["caribbean"][code]["focusable"], code
    barbados = by_map["caribbean"]["BB"]
    assert barbados["d"] == "" and barbados["category"] == "signed" and barbados["focusable"]  # a point
    assert by_map["world"]["GD"]["category"] == "in_force" and not by_map["world"]["GD"]["focusable"]
    assert "QA" in by_map["middle-east"] and "GM" in by_map["west-africa"]
    assert "FR" not in by_map["caribbean"]  # French Guiana is not in the box: only what an inset shows


def test_each_country_is_one_tab_stop_and_the_table_lists_only_what_is_not_drawn(db):
    f.TreatyFactory(counterpart="TV")  # Tuvalu: neither a shape nor a point
    treaty_map = drawn()
    stops = [p["code"] for m in treaty_map["drawings"] for p in m["places"] if p["focusable"]]
    assert len(stops) == len(set(stops)) == treaty_map["tab_stops"]
    assert PRC not in stops
    assert [row["code"] for row in treaty_map["not_on_map"]] == ["TV"]


def test_an_inset_carries_only_the_outline_it_shows():
    ring = [(0, 0), (10, 0), (10, 10), (0, 10)]
    assert sorted(clip(ring, (5, -5, 20, 5))) == sorted([(5, 0), (10, 0), (10, 5), (5, 5)])
    assert clip(ring, (20, 20, 30, 30)) == []


def test_the_prc_is_drawn_as_itself_and_not_as_a_country_without_a_treaty(client, db):
    # A Hong Kong SAR agreement is not a PRC treaty: the United Kingdom stays without one here.
    f.TreatyFactory(counterpart="GB", china_party=ChineseParty.HKSAR)
    treaty_map = drawn()
    china = treaty_map["by_map"]["world"][PRC]
    assert china["category"] == "prc" and not china["focusable"]
    assert (china["name"], china["label"]) == ("People's Republic of China", "the other party to every treaty on this map")
    assert treaty_map["by_map"]["world"]["GB"]["category"] == "none"
    # Taiwan is drawn like every shape, by the PRC treaties recorded with it: none.
    assert treaty_map["by_map"]["world"]["TW"]["category"] == "none"
    assert PRC not in [row["code"] for row in treaty_map["rows"]]
    html = client.get("/treaties/map/").content.decode()
    assert 'class="status-prc"' in html
    assert 'aria-label="People&#x27;s Republic of China: the other party to every treaty on this map"' in html
    assert "/countries/CN/" not in html and "<title>China: No extradition treaty</title>" not in html


def test_a_status_not_known_says_why_and_is_counted(client, db):
    # In force by 2018 by the sources, since a date they do not give: not known in 2015.
    f.TreatyFactory(counterpart="MN", signed_on=datetime.date(1997, 8, 19), known_in_force_on=datetime.date(2018, 2, 1),
                    known_in_force_on_precision="month", known_in_force_evidence="weak_list")
    f.TreatyFactory(counterpart="KE", signed_on=None, signed_on_precision="", known_signed_by=datetime.date(2018, 10, 1),
                    known_signed_by_precision="month", known_signed_evidence="weak_list")
    f.TreatyFactory(counterpart="AM", signed_on=None, signed_on_precision="")
    treaty_map = drawn()
    labels = {row["code"]: row["label"] for row in treaty_map["rows"]}
    assert labels == {
        "AM": "Status not known (none of its steps is dated in our sources)",
        "KE": "Status not known (known to be signed by October 2018, but not when)",
        "MN": "Status not known (signed 19 August 1997; known to be in force by February 2018, but not since when)",
    }
    assert treaty_map["not_known"] == 3
    assert {"key": "unknown", "label": "Status not known", "count": 3, "counted": True} in treaty_map["legend"]
    html = client.get("/treaties/map/", {"on": "2015-01-01"}).content.decode()
    assert "<strong>Status not known (3):</strong> a treaty is known to exist" in html
    assert "already in force, on 1 January 2015 cannot be stated" in html
    assert "<td>Status not known (signed 19 August 1997; known to be in force by February 2018" in html
    today = client.get("/treaties/map/", {"on": "2018-03-01"}).content.decode()
    assert "<title>Mongolia: In force (only an unofficial list shows it)</title>" in today


def test_drafts_and_restricted_treaties_are_neither_drawn_nor_counted(client, db):
    f.TreatyFactory(counterpart="MN", signed_on=None, signed_on_precision="", publication_status=PublicationStatus.DRAFT)
    f.TreatyFactory(counterpart="MX", signed_on=None, signed_on_precision="", visibility="restricted")
    assert drawn()["not_known"] == 0
    html = client.get("/treaties/map/", {"on": "2015-01-01"}).content.decode()
    assert "<title>Mongolia: No extradition treaty</title>" in html and "Status not known (0)" in html


@pytest.mark.parametrize(("on", "previous", "following"), [
    (datetime.date(2015, 1, 1), datetime.date(2014, 1, 1), datetime.date(2016, 1, 1)),
    (datetime.date(2016, 2, 29), datetime.date(2015, 2, 28), datetime.date(2017, 2, 28)),
    (datetime.date(1993, 6, 1), None, datetime.date(1994, 6, 1)),  # the first year with a treaty
    (datetime.date(2026, 6, 1), datetime.date(2025, 6, 1), None),  # this year
])
def test_year_steps_give_the_same_day_a_year_before_and_after(on, previous, following):
    steps = year_steps(on, first_year=1993, last_year=2026)
    assert (steps["previous"], steps["next"], steps["first"], steps["last"]) == (previous, following, 1993, 2026)


def test_the_page_steps_through_years_and_writes_the_date_as_the_site_does(client, db):
    f.TreatyFactory(counterpart="FR", signed_on=datetime.date(2007, 3, 20))
    html = client.get("/treaties/map/", {"on": "2015-01-01"}).content.decode()
    assert 'The map on <time datetime="2015-01-01">1 January 2015</time>' in html
    assert '<a href="?on=2014-01-01" rel="prev">' in html and "1 January 2016" in html
    assert '<input id="year" name="year" type="range" min="2007"' in html and 'value="2015"' in html
    assert "<caption>Countries with an extradition treaty, on 1 January 2015</caption>" in html
    assert "01/01/2015" not in html
    moved = client.get("/treaties/map/", {"on": "2016-02-29", "year": "2009"}).content.decode()
    assert 'The map on <time datetime="2009-02-28">28 February 2009</time>' in moved
    assert "<title>France: Signed, awaiting ratification</title>" in moved
    bad = client.get("/treaties/map/", {"on": "2015-01-01", "year": "soon"}).content.decode()
    assert "“soon” is not a year: the map shows 1 January 2015." in bad


def test_the_chart_has_its_axes_values_and_a_name(client, db):
    for year in (1995, 1995, 1995, 2001, 2010):
        f.TreatyFactory(counterpart="FR", signed_on=datetime.date(year, 1, 1), in_force_on=datetime.date(2012, 1, 1),
                        in_force_on_precision="day")
    chart = timeline(list(extradition_treaties(AnonymousUser(), datetime.date(2020, 1, 1))))
    assert [tick["value"] for tick in chart["ticks"]] == [0, 1, 2, 3, 4, 5]
    assert [row["year"] for row in chart["years"] if row["written"]] == [1995, 2000, 2005, 2010]
    assert chart["ticks"][-1]["y"] == chart["top"] and chart["ticks"][0]["y"] == chart["baseline"]
    html = client.get("/treaties/map/").content.decode()
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in html
    assert "signed and entered into force per year, 1995–2012</title>" in html
    assert '<text class="year-label"' in html and ">2010</text>" in html
    assert '<text x="26" ' in html  # the value axis's labels, left of it
    assert "<title>2012: 5 entered into force</title>" in html and 'class="value">5</text>' in html
    assert "<tr><td>1995</td><td>3</td><td>0</td></tr>" in html  # the same data as a table
