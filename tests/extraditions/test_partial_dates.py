import datetime

import pytest
from django.db import IntegrityError, transaction

from extraditions.partial_dates import DatePrecision, PartialDate, truncate
from tests.factories import CaseFactory, DetentionFactory


@pytest.mark.parametrize(
    ("text", "date", "precision", "shown", "iso"),
    [
        ("2011", datetime.date(2011, 1, 1), DatePrecision.YEAR, "2011", "2011"),
        ("2021-07", datetime.date(2021, 7, 1), DatePrecision.MONTH, "July 2021", "2021-07"),
        ("2021-7", datetime.date(2021, 7, 1), DatePrecision.MONTH, "July 2021", "2021-07"),
        ("2021-07-19", datetime.date(2021, 7, 19), DatePrecision.DAY, "19 July 2021", "2021-07-19"),
        (" 2020-02-29 ", datetime.date(2020, 2, 29), DatePrecision.DAY, "29 February 2020", "2020-02-29"),
    ],
)
def test_parse_and_display_at_precision(text, date, precision, shown, iso):
    partial = PartialDate.parse(text)
    assert partial.date == date
    assert partial.precision == precision
    assert str(partial) == shown
    assert partial.isoformat() == iso


@pytest.mark.parametrize("text", ["", "July 2021", "21-07", "2021-13", "2021-02-30", "2021/07/01"])
def test_parse_rejects_malformed_dates(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_a_plain_date_is_known_to_the_day():
    assert PartialDate.parse(datetime.date(2019, 12, 5)) == PartialDate(datetime.date(2019, 12, 5), DatePrecision.DAY)


def test_constructing_truncates_to_the_precision():
    partial = PartialDate(datetime.date(2021, 7, 19), DatePrecision.MONTH)
    assert partial.date == datetime.date(2021, 7, 1)
    assert str(partial) == "July 2021"


@pytest.mark.parametrize(
    ("text", "last"),
    [("2020", datetime.date(2020, 12, 31)), ("2020-02", datetime.date(2020, 2, 29)), ("2021-02", datetime.date(2021, 2, 28)),
     ("2021-02-03", datetime.date(2021, 2, 3))],
)
def test_period_bounds(text, last):
    partial = PartialDate.parse(text)
    assert partial.first_day == truncate(partial.date, partial.precision)
    assert partial.last_day == last


@pytest.mark.django_db
class TestOnModels:
    def test_assigning_a_string_sets_both_columns_and_reads_back(self):
        detention = DetentionFactory()
        detention.started = "2021-07"
        detention.ended = "2022"
        detention.save()
        detention.refresh_from_db()
        assert (detention.started_on, detention.started_on_precision) == (datetime.date(2021, 7, 1), "month")
        assert (detention.ended_on, detention.ended_on_precision) == (datetime.date(2022, 1, 1), "year")
        assert str(detention.started) == "July 2021"
        assert str(detention.ended) == "2022"

    def test_assigning_none_clears_both_columns(self):
        detention = DetentionFactory(ended_on=datetime.date(2020, 1, 1), ended_on_precision="day")
        detention.ended = None
        detention.save()
        detention.refresh_from_db()
        assert detention.ended is None
        assert detention.ended_on_precision == ""

    def test_save_normalises_a_date_to_its_precision_and_defaults_to_day(self):
        case = CaseFactory(started_on=datetime.date(2019, 5, 17), started_on_precision="year")
        assert case.started_on == datetime.date(2019, 1, 1)
        other = CaseFactory(started_on=datetime.date(2019, 5, 17), started_on_precision="")
        other.refresh_from_db()
        assert other.started_on_precision == "day"

    def test_database_refuses_a_precision_without_a_date(self):
        case = CaseFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            type(case).objects.filter(pk=case.pk).update(started_on=None, started_on_precision="year")

    def test_database_refuses_a_date_without_a_precision(self):
        case = CaseFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            type(case).objects.filter(pk=case.pk).update(started_on=datetime.date(2020, 1, 1), started_on_precision="")
