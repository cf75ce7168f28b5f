"""Check constraints judged in memory, or else in one query, give exactly Django's errors."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Detention, ExtraditionRequest, InterpolNotice, Person
from extraditions.constraint_checks import NotInMemory, evaluate, failing_checks
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


def checks_made(validate) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        validate()
    return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]


def test_comparisons_of_the_records_own_fields_need_no_query():
    record = Detention(case=f.CaseFactory(), started_on=LATE, started_on_precision="day", ended_on=EARLY,
                       ended_on_precision="day")
    assert len([c for c in Detention._meta.constraints if isinstance(c, models.CheckConstraint)]) == 3
    assert checks_made(lambda: ours(record)) == []
    assert len(checks_made(lambda: djangos_own(record))) == 3


def test_what_memory_cannot_judge_goes_to_the_database_in_one_query():
    """Text order follows the database's collation, functions are the database's: such checks are
    one query for the record, whatever their number, and fail or pass as the database says."""
    checks = [
        models.CheckConstraint(condition=Q(name__startswith="Zz"), name="starts_with_zz"),
        models.CheckConstraint(condition=Q(name__gt="M"), name="after_m"),
        models.CheckConstraint(condition=Q(slug__contains="-"), name="has_a_dash"),
    ]
    person = Person(name="Aaron", slug="aaron-b")
    made = checks_made(lambda: failing_checks(Person, person, checks, None, "default"))
    assert len(made) == 1
    failing = failing_checks(Person, person, checks, None, "default")
    assert failing == {id(checks[0]), id(checks[1])}
    assert all(Q(check.condition).check(person._get_field_expression_map(Person._meta)) == (id(check) not in failing)
               for check in checks)


def test_sql_logic_in_memory():
    """Unknown (NULL) passes; NOT unknown is unknown; OR with a true side is true."""
    notice = InterpolNotice(kind="red", subject=None, subject_description="", issued_on=None, issued_on_precision="")
    assert evaluate(notice, InterpolNotice, Q(issued_on__gte=EARLY)) is None
    assert evaluate(notice, InterpolNotice, ~Q(issued_on__gte=EARLY)) is None
    assert evaluate(notice, InterpolNotice, Q(issued_on__gte=EARLY) | Q(kind="red")) is True
    assert evaluate(notice, InterpolNotice, Q(issued_on__gte=EARLY) & Q(kind="blue")) is False
    assert evaluate(notice, InterpolNotice, Q(subject__isnull=False) | ~Q(subject_description="")) is False
    with pytest.raises(NotInMemory):
        evaluate(notice, InterpolNotice, Q(kind__gt="a"))  # text order is the collation's


dates = st.one_of(st.none(), st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2030, 1, 1)))
precisions = st.sampled_from(["", "day", "month", "year"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(started=dates, started_precision=precisions, ended=dates, ended_precision=precisions)
def test_in_memory_judges_as_the_database_does(started, started_precision, ended, ended_precision):
    record = Detention(case_id=1, started_on=started, started_on_precision=started_precision, ended_on=ended,
                       ended_on_precision=ended_precision)
    assert ours(record) == djangos_own(record)
    notice = InterpolNotice(kind="red", status="cancelled" if ended_precision == "day" else "active",
                            subject_description=started_precision, issued_on=started,
                            issued_on_precision=started_precision, cancelled_on=ended,
                            cancelled_on_precision=ended_precision, cancellation_reason=ended_precision)
    assert ours(notice) == djangos_own(notice)
