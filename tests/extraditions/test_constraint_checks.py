"""Check constraints validated in one query give exactly Django's errors, one query per model."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from cases.models import Detention, ExtraditionRequest, InterpolNotice, Person
from tests import factories as f

pytestmark = pytest.mark.django_db

EARLY, LATE = datetime.date(2020, 1, 1), datetime.date(2021, 1, 1)


def errors_of(validate) -> dict | None:
    try:
        validate()
    except ValidationError as error:
        return error.message_dict
    return None


def djangos_own(instance, exclude=None) -> dict | None:
    return errors_of(lambda: models.Model.validate_constraints(instance, exclude=exclude))


def ours(instance, exclude=None) -> dict | None:
    return errors_of(lambda: instance.validate_constraints(exclude=exclude))


def broken_records():
    case = f.CaseFactory()
    yield Detention(case=case, started_on=LATE, started_on_precision="day", ended_on=EARLY, ended_on_precision="")
    yield Detention(case=case, started_on=LATE, started_on_precision="day", ended_on=EARLY, ended_on_precision="day")
    yield Detention(case=case, started_on=None, started_on_precision="year")
    yield ExtraditionRequest(case=case, requested_on=LATE, requested_on_precision="day", decided_on=EARLY,
                             decided_on_precision="month")
    yield InterpolNotice(kind="red", issued_on=LATE, issued_on_precision="", cancelled_on=EARLY,
                         cancelled_on_precision="")
    yield Person(name="Someone", slug="someone", asylum_since=None, asylum_since_precision="day")
    # and records that break nothing, including a NULL date, which passes as in SQL
    yield Detention(case=case, started_on=EARLY, started_on_precision="day", ended_on=None, ended_on_precision="")
    yield Person(name="Someone else", slug="someone-else")


def test_the_same_errors_as_djangos_one_query_per_constraint():
    for record in broken_records():
        assert ours(record) == djangos_own(record), record
    assert ours(next(broken_records())) is not None


def test_a_constraint_on_an_excluded_field_is_not_checked():
    record = Detention(case=f.CaseFactory(), started_on=LATE, started_on_precision="day", ended_on=EARLY,
                       ended_on_precision="")
    for exclude in ({"ended_on"}, {"ended_on_precision"}, {"started_on", "ended_on"}):
        assert ours(record, exclude) == djangos_own(record, exclude)
    assert "cannot be before" not in str(ours(record, {"ended_on"}))


def test_every_check_of_a_record_in_one_query():
    record = Detention(case=f.CaseFactory(), started_on=LATE, started_on_precision="day", ended_on=EARLY,
                       ended_on_precision="day")
    assert len([c for c in Detention._meta.constraints if isinstance(c, models.CheckConstraint)]) == 3
    with CaptureQueriesContext(connection) as queries:
        ours(record)
    checks = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(checks) == 1, checks
    with CaptureQueriesContext(connection) as queries:
        djangos_own(record)
    assert len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]) == 3
