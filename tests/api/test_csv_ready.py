"""CSV a journalist uses as it is: a label beside every code, dates as the source gives them with
their precision and bounds, the ids of related records, and a file name that says what and when."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from cases import models as cases
from tests import factories as f

from .conftest import anonymous  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def rows(response) -> list[dict]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode())))


@pytest.fixture
def case():
    person = f.PersonFactory(name="Idris Hasan")
    case = f.CaseFactory(
        slug="ma-idris-hasan", title="Idris Hasan in Morocco", host_country="MA", outcome=cases.CaseOutcome.PENDING,
        started_on=datetime.date(2021, 7, 1), started_on_precision="month",
    )
    f.CaseParticipantFactory(case=case, person=person)
    return case


def test_codes_have_their_labels_and_partial_dates_their_precision_and_bounds(case, anonymous):
    (row,) = rows(anonymous.get("/api/v1/cases/", {"format": "csv"}))
    assert (row["outcome"], row["outcome_label"]) == ("pending", case.get_outcome_display())
    assert (row["kind"], row["kind_label"]) == (case.kind, case.get_kind_display())
    assert (row["host_country"], row["host_country_name"]) == ("MA", "Morocco")
    assert (row["started"], row["started_precision"], row["started_first_day"], row["started_last_day"]) == (
        "2021-07", "month", "2021-07-01", "2021-07-31"
    )


def test_a_year_is_never_read_as_the_first_of_january(anonymous):
    f.CaseFactory(started_on=datetime.date(2018, 1, 1), started_on_precision="year")
    (row,) = rows(anonymous.get("/api/v1/cases/", {"format": "csv"}))
    assert (row["started"], row["started_precision"], row["started_first_day"], row["started_last_day"]) == (
        "2018", "year", "2018-01-01", "2018-12-31"
    )


def test_related_records_are_given_by_their_ids_beside_their_labels(case, anonymous):
    (row,) = rows(anonymous.get("/api/v1/cases/", {"format": "csv"}))
    person = case.persons.get()
    assert row["persons"] == person.slug and row["persons_label"].startswith("Idris Hasan")
    citation_sources = "; ".join(c.source.slug for c in case.citations.order_by("source__title", "locator", "pk"))
    assert row["citations"] == citation_sources


def test_a_downloaded_file_says_what_it_holds_and_when(case, anonymous):
    today = timezone.localdate().isoformat()
    whole = anonymous.get("/api/v1/cases/", {"format": "csv"})
    assert whole["Content-Disposition"] == f'attachment; filename="extraditions-tracker_cases_{today}.csv"'
    narrowed = anonymous.get("/api/v1/cases/", {"format": "csv", "host_country": "MA"})
    assert narrowed["Content-Disposition"] == f'attachment; filename="extraditions-tracker_cases_filtered_{today}.csv"'
    one = anonymous.get(f"/api/v1/cases/{case.slug}/", {"format": "csv"})
    assert one["Content-Disposition"] == f'attachment; filename="extraditions-tracker_{case.slug}_{today}.csv"'
    assert rows(one)[0]["outcome_label"] == case.get_outcome_display()
