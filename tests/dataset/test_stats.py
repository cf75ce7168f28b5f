"""Headline figures are computed from visible records, on a date."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dataset.stats import headline_figures
from sources.models import Citation, FigureMetric
from tests.factories import (
    CaseFactory,
    CourtRulingFactory,
    DetentionFactory,
    LegalProvisionFactory,
    PersonFactory,
    ReportedFigureFactory,
    SourceFactory,
    TreatyFactory,
)

D = datetime.date
ON = D(2022, 2, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    TreatyFactory(counterpart="TH", signed_on=D(1993, 8, 26), in_force_on=D(1999, 3, 7), in_force_on_precision="day")
    TreatyFactory(counterpart="FR", signed_on=D(2007, 3, 20), in_force_on=D(2015, 7, 17), in_force_on_precision="day")
    TreatyFactory(counterpart="BE", signed_on=D(2016, 10, 31), in_force_on=D(2020, 12, 16), in_force_on_precision="day")
    TreatyFactory(counterpart="SE", signed_on=D(2021, 6, 1))
    TreatyFactory(counterpart="AU", signed_on=D(2007, 9, 6))
    TreatyFactory(counterpart="NL", signed_on=D(2023, 1, 1))  # after the date: not counted
    TreatyFactory(counterpart="DE", signed_on=D(2010, 1, 1), visibility="restricted")  # never counted publicly
    figure = ReportedFigureFactory(metric=FigureMetric.TREATIES_IN_FORCE, value=43, year_from=None, year_to=None,
                                   as_of=D(2022, 2, 1), as_of_precision="month", unit="treaties")
    Citation.objects.create(source=SourceFactory(title="Returned Without Rights"), record=figure, locator="p. 7")

    art3 = LegalProvisionFactory()
    for country in ("SE", "SE", "PL"):
        CourtRulingFactory(country=country, decided_on=D(2020, 1, 1)).grounds.add(art3)
    CourtRulingFactory(country="CZ", decided_on=D(2023, 1, 1))  # after the date
    CourtRulingFactory(decision="extradition_permitted", country="NZ", decided_on=D(2021, 1, 1))

    CaseFactory(kind="formal_extradition", host_country="SE", outcome="refused")
    CaseFactory(kind="disguised_extradition", host_country="KH", outcome="deported", publication_status="draft")
    PersonFactory(current_situation="executed")
    DetentionFactory(started_on=D(2022, 1, 1), ended_on=D(2022, 1, 11), ended_on_precision="day")
    DetentionFactory(started_on=D(2022, 1, 22))  # ongoing: counted up to the date


def test_treaty_counts_on_a_date(records):
    treaties = headline_figures(ON)["treaties"]
    assert (treaties["in_force"], treaties["signed_not_in_force"]) == (3, 2)
    assert treaties["by_decade_of_signature"] == {
        "1990s": {"signed": 1, "in_force_on_date": 1},
        "2000s": {"signed": 2, "in_force_on_date": 1},
        "2010s": {"signed": 1, "in_force_on_date": 1},
        "2020s": {"signed": 1, "in_force_on_date": 0},
    }
    assert treaties["europe"] == {"signed": 3, "in_force": 2, "countries": {"BE": "in_force", "FR": "in_force",
                                                                             "SE": "signed"}}
    [stated] = treaties["stated_by_sources"]
    assert (stated["metric"], stated["value"], stated["sources"]) == ("treaties_in_force", 43,
                                                                      ["Returned Without Rights, p. 7"])


def test_rulings_cases_persons_and_detention(records):
    figures = headline_figures(ON)
    assert figures["rulings_refusing_extradition"] == {"total": 3, "by_country": {"PL": 1, "SE": 2},
                                                       "by_ground": {"echr-3": 3}}
    assert "disguised_extradition" not in figures["cases"]["by_kind"]  # the draft case is not counted
    assert figures["cases"]["by_host_country"].get("KH") is None
    assert figures["persons_by_current_situation"]["executed"] == 1
    assert figures["detention"] == {"detentions_counted": 2, "total_days": 10 + 10}


def test_report_command_prints_tables_and_json(records):
    out = StringIO()
    call_command("report", on="2022-02-01", stdout=out)
    assert "in force:                    3" in out.getvalue()
    assert "status unknown on the date:  " in out.getvalue()
    assert "stated: treaties_in_force (worldwide, 2022-02) = 43" in out.getvalue()
    out = StringIO()
    call_command("report", on="2022-02-01", json=True, stdout=out)
    assert '"in_force": 3' in out.getvalue()
    with pytest.raises(CommandError, match="--on must be a date"):
        call_command("report", on="February")
