import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import TreatyFactory
from treaties.models import Treaty, TreatyStep, TreatyStepKind

D = datetime.date
pytestmark = pytest.mark.django_db


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        TreatyFactory(**fields)


@pytest.mark.parametrize(
    "step",
    ["in_force_on", "china_approved_on", "counterpart_ratified_on", "suspended_on", "terminated_on"],
)
def test_database_refuses_a_step_before_signature(step):
    refused(signed_on=D(2016, 10, 31), **{step: D(2015, 1, 1), f"{step}_precision": "day"})


def test_database_refuses_suspension_before_entry_into_force():
    refused(
        signed_on=D(2000, 1, 1), in_force_on=D(2002, 1, 1), in_force_on_precision="day",
        suspended_on=D(2001, 1, 1), suspended_on_precision="day",
    )


def test_full_clean_reports_the_order_violation_in_words():
    treaty = TreatyFactory.build(signed_on=D(2016, 10, 31), in_force_on=D(2015, 1, 1), in_force_on_precision="day")
    with pytest.raises(ValidationError, match="in_force_on cannot be before signed_on"):
        treaty.full_clean()


def test_steps_on_the_same_day_are_accepted():
    treaty = TreatyFactory(signed_on=D(2016, 10, 31), in_force_on=D(2016, 10, 31), in_force_on_precision="day")
    assert treaty.pk


def test_same_title_twice_for_one_counterpart_is_refused():
    TreatyFactory(title="Treaty on Extradition", counterpart="BE")
    refused(title="Treaty on Extradition", counterpart="BE")


def test_timeline_steps_read_at_their_precision():
    treaty = TreatyFactory()
    step = TreatyStep.objects.create(treaty=treaty, occurred_on=D(2020, 12, 16), kind=TreatyStepKind.GAZETTE_PUBLICATION)
    assert str(step.occurred) == "16 December 2020"
    assert list(treaty.steps.all()) == [step]


def test_status_is_derived_not_stored():
    field_names = {field.name for field in Treaty._meta.get_fields()}
    assert "status" not in field_names
