import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.models import (
    AliasKind,
    CancellationReason,
    Instrument,
    LegalBasis,
    NoticeStatus,
    RequestDecision,
)
from tests.factories import (
    AliasFactory,
    BreachFactory,
    CaseFactory,
    CourtRulingFactory,
    DetentionFactory,
    DiplomaticAssuranceFactory,
    ExtraditionRequestFactory,
    InterpolNoticeFactory,
    LegalProvisionFactory,
    PersonFactory,
    TreatyFactory,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def refused(factory, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**fields)


class TestDetention:
    def test_database_refuses_an_end_before_the_start(self):
        refused(DetentionFactory, started_on=D(2019, 2, 1), ended_on=D(2019, 1, 31), ended_on_precision="day")

    def test_duration_is_derived_from_the_dates(self):
        detention = DetentionFactory(started_on=D(2019, 2, 1), ended_on=D(2019, 3, 1), ended_on_precision="day")
        assert detention.duration_days == 28
        assert not detention.is_ongoing

    def test_an_open_detention_counts_to_today(self):
        detention = DetentionFactory(started_on=D(2019, 2, 1))
        assert detention.is_ongoing
        assert detention.duration_days == (datetime.date.today() - D(2019, 2, 1)).days

    def test_unknown_start_has_no_duration(self):
        assert DetentionFactory(started_on=None, started_on_precision="").duration_days is None


class TestExtraditionRequest:
    def test_treaty_basis_needs_a_treaty(self):
        refused(ExtraditionRequestFactory, legal_basis=LegalBasis.TREATY)

    def test_a_treaty_is_named_only_for_a_treaty_basis(self):
        refused(ExtraditionRequestFactory, legal_basis=LegalBasis.RECIPROCITY, treaty=TreatyFactory())

    def test_treaty_basis_with_treaty_is_accepted(self):
        assert ExtraditionRequestFactory(legal_basis=LegalBasis.TREATY, treaty=TreatyFactory()).pk

    def test_decision_cannot_precede_the_request(self):
        refused(
            ExtraditionRequestFactory, requested_on=D(2019, 5, 1), requested_on_precision="day",
            decision=RequestDecision.REFUSED, decided_on=D(2019, 4, 1), decided_on_precision="day",
        )

    def test_a_pending_request_has_no_decision_date(self):
        refused(ExtraditionRequestFactory, decision=RequestDecision.PENDING, decided_on=D(2019, 4, 1),
                decided_on_precision="day")


class TestInterpolNotice:
    def test_cancellation_details_only_on_a_cancelled_notice(self):
        refused(InterpolNoticeFactory, status=NoticeStatus.ACTIVE, cancellation_reason=CancellationReason.WITHDRAWN)

    def test_cancelled_notice_keeps_its_reason(self):
        notice = InterpolNoticeFactory(
            status=NoticeStatus.CANCELLED, cancellation_reason=CancellationReason.CONSTITUTION_ARTS_2_3,
            issued_on=D(2017, 1, 1), issued_on_precision="year", cancelled_on=D(2021, 8, 1), cancelled_on_precision="month",
        )
        assert str(notice.cancelled) == "August 2021"

    def test_cancellation_cannot_precede_issue(self):
        refused(
            InterpolNoticeFactory, status=NoticeStatus.CANCELLED, issued_on=D(2017, 1, 1), issued_on_precision="day",
            cancelled_on=D(2016, 1, 1), cancelled_on_precision="day",
        )

    def test_an_unnamed_subject_must_be_described(self):
        refused(InterpolNoticeFactory, subject=None, subject_description="")
        assert InterpolNoticeFactory(subject=None, subject_description="A Uyghur student").pk


class TestRulings:
    def test_a_ruling_needs_a_country_or_an_international_body(self):
        refused(CourtRulingFactory, country="", international_body="")
        assert CourtRulingFactory(country="", international_body="European Court of Human Rights").pk

    def test_one_docket_number_per_court(self):
        CourtRulingFactory(docket_number="Ö 1419-19")
        refused(CourtRulingFactory, docket_number="Ö 1419-19")
        # Rulings without a docket number do not collide.
        CourtRulingFactory(docket_number="")
        CourtRulingFactory(docket_number="")

    def test_grounds_reference_provisions(self):
        ruling = CourtRulingFactory()
        ruling.grounds.add(LegalProvisionFactory())
        assert [str(ground) for ground in ruling.grounds.all()] == ["ECHR art. 3"]


class TestPersonsAndCases:
    def test_a_person_is_not_both_pseudonymous_and_unnamed(self):
        refused(PersonFactory, is_pseudonym=True, is_unnamed=True)

    def test_an_alias_is_recorded_once_per_person(self):
        alias = AliasFactory(name="Qiao Jian-jun")
        refused(AliasFactory, person=alias.person, name="Qiao Jian-jun", kind=AliasKind.TRANSLITERATION)

    def test_several_citizenships(self):
        person = PersonFactory(citizenships=["CN", "SE"])
        person.refresh_from_db()
        assert [country.code for country in person.citizenships] == ["CN", "SE"]

    def test_group_size_is_positive(self):
        refused(CaseFactory, group_size=0)
        assert CaseFactory(group_size=22).is_group


class TestAssurancesAndBreaches:
    def test_an_assurance_promises_something(self):
        refused(DiplomaticAssuranceFactory, promises_no_death_penalty=False)

    def test_promise_labels(self):
        assurance = DiplomaticAssuranceFactory(promises_fair_trial=True)
        assert assurance.promise_labels == ["no death penalty", "fair trial"]

    def test_a_breach_is_of_a_treaty_an_assurance_or_a_provision(self):
        refused(BreachFactory, treaty=None, assurance=None)
        assert BreachFactory(treaty=None, assurance=DiplomaticAssuranceFactory()).pk
        assert BreachFactory(treaty=None, provision=LegalProvisionFactory(
            slug="vccr-36", instrument=Instrument.OTHER, instrument_name="Vienna Convention on Consular Relations", article="36"
        )).pk

    def test_model_validation_names_the_violated_rule(self):
        breach = BreachFactory.build(treaty=None, assurance=None)
        with pytest.raises(ValidationError, match="A breach is of a treaty, an assurance or a legal provision"):
            breach.full_clean()
