"""The public treaty map: each country coloured by its treaty's status on the chosen date, with a table."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from extraditions.models import Visibility
from tests import factories as f


@pytest.fixture
def treaties(db):
    f.TreatyFactory(counterpart="FR", signed_on=datetime.date(2007, 3, 20), in_force_on=datetime.date(2015, 7, 17),
                    in_force_on_precision="day")
    f.TreatyFactory(counterpart="AU", signed_on=datetime.date(2007, 9, 6))
    f.TreatyFactory(counterpart="NO", signed_on=datetime.date(2010, 1, 1), title="Zqxv secret", visibility=Visibility.RESTRICTED)


def test_the_map_shows_each_status_on_the_chosen_date(client, treaties):
    html = client.get("/treaties/map/", {"on": "2022-02-01"}).content.decode()
    assert '<title>France: In force</title>' in html and '<title>Australia: Signed, awaiting ratification</title>' in html
    assert "In force (1)" in html and "Signed, awaiting ratification (1)" in html
    assert '<td><a href="/countries/FR/">France</a></td><td>In force</td>' in html  # the same data as a table
    before = client.get("/treaties/map/", {"on": "2010-01-01"}).content.decode()
    assert '<title>France: Signed, awaiting ratification</title>' in before
    assert "2007" in before and "2015" in before  # the timeline's years


def test_restricted_treaties_are_not_on_the_map(client, treaties):
    html = client.get("/treaties/map/").content.decode()
    assert "Zqxv" not in html and '<title>Norway: No extradition treaty</title>' in html


def test_a_bad_date_says_so_and_shows_today(client, treaties):
    html = client.get("/treaties/map/", {"on": "01/02/2022"}).content.decode()
    assert "is not a date" in html and '<title>France: In force</title>' in html


def test_the_map_costs_one_query(client, treaties):
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/treaties/map/").status_code == 200
    assert len(captured.captured_queries) == 1


def test_a_country_page_gives_its_treaties_steps_cases_and_rulings(client, treaties):
    case = f.CaseFactory(host_country="FR", title="A case in France", outcome="refused")
    f.CourtRulingFactory(case=case, country="FR", court="Cour de cassation")
    html = client.get("/countries/fr/").content.decode()
    assert "Signed 20 March 2007" in html and "In force since 17 July 2015" in html
    assert "A case in France" in html and "Refused: 1" in html and "Cour de cassation" in html
    assert client.get("/countries/XX/").status_code == 404
    assert "Zqxv" not in client.get("/countries/NO/").content.decode()


def test_a_treaty_page_gives_its_steps_status_and_cases(client, db):
    from tests.api.conftest import build_world

    world = build_world("public")
    treaty = world["treaty"]
    html = client.get(f"/treaties/{treaty.slug}/").content.decode()
    assert treaty.title in html and "Vote public" in html and world["case"].get_absolute_url() in html
    assert "/countries/SE/" in html and f"record {treaty.slug}" in html
    assert treaty.get_absolute_url() in client.get("/countries/SE/").content.decode()


def test_a_country_page_lists_its_detentions_on_interpol_notices(client, db):
    from tests.api.conftest import build_world

    world = build_world("public")  # its case in Sweden has a notice
    world["detention"].ended_on, world["detention"].ended_on_precision = datetime.date(2020, 1, 31), "day"
    world["detention"].started_on, world["detention"].started_on_precision = datetime.date(2020, 1, 1), "day"
    world["detention"].save()
    without_notice = f.DetentionFactory(case=f.CaseFactory(host_country="SE", kind="formal_extradition"), place="Elsewhere")
    html = client.get("/countries/SE/").content.decode()
    section = html.split("Detentions on INTERPOL notices")[1]
    assert world["case"].get_absolute_url() in section and "<td>30</td>" in section
    assert without_notice.case.get_absolute_url() not in section


def test_a_status_resting_on_undated_evidence_says_so_on_the_map_and_the_pages(client, db):
    inferred = f.TreatyFactory(
        counterpart="LT", signed_on=datetime.date(2002, 6, 17), known_in_force_on=datetime.date(2018, 9, 1),
        known_in_force_on_precision="month", known_in_force_evidence="official_count",
        notes="Counted by inference from the ministry's count.",
    )
    f.TreatyFactory(counterpart="KE", signed_on=None, signed_on_precision="", known_signed_by=datetime.date(2018, 10, 1),
                    known_signed_by_precision="month", known_signed_evidence="weak_list")
    html = client.get("/treaties/map/", {"on": "2022-02-01"}).content.decode()
    assert '<title>Lithuania: In force (inferred from an official count)</title>' in html
    assert '<title>Kenya: Signed, awaiting ratification (only an unofficial list shows it)</title>' in html
    assert 'class="status-in_force undated"' in html and "not on a dated step (2;" in html
    page = client.get(inferred.get_absolute_url()).content.decode()
    assert "In force (inferred from an official count)" in page
    assert "known to be in force by September 2018" in page and "inferred from an official count of treaties" in page
    assert "Counted by inference from the ministry" in page  # the notes, where the reason is given
    country = client.get("/countries/KE/").content.decode()
    assert "known to be signed by October 2018" in country and "unofficial or unreliable status list" in country
