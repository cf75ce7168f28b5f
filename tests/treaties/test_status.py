"""The one definition of treaty status, in Python and in SQL, over all its branches."""

import datetime

import pytest

from tests.factories import TreatyFactory
from treaties.models import Treaty
from treaties.status import StatusEvidence, TreatyStatus, describe_status, status_evidence, treaty_status_on

D = datetime.date
SIGNED, APPROVED, IN_FORCE, SUSPENDED, TERMINATED = D(2005, 3, 1), D(2006, 1, 1), D(2008, 6, 1), D(2019, 7, 1), D(2021, 1, 1)

# (dates the treaty has, the day asked about, the expected status)
CASES = [
    ({"signed_on": SIGNED}, D(2005, 2, 28), TreatyStatus.NOT_SIGNED),
    ({"signed_on": SIGNED}, SIGNED, TreatyStatus.SIGNED),
    ({"signed_on": SIGNED, "in_force_on": IN_FORCE}, D(2008, 5, 31), TreatyStatus.SIGNED),
    ({"signed_on": SIGNED, "in_force_on": IN_FORCE}, IN_FORCE, TreatyStatus.IN_FORCE),
    ({"signed_on": SIGNED, "in_force_on": IN_FORCE}, D(2030, 1, 1), TreatyStatus.IN_FORCE),
    ({"signed_on": SIGNED, "in_force_on": IN_FORCE, "suspended_on": SUSPENDED}, D(2019, 6, 30), TreatyStatus.IN_FORCE),
    ({"signed_on": SIGNED, "in_force_on": IN_FORCE, "suspended_on": SUSPENDED}, SUSPENDED, TreatyStatus.SUSPENDED),
    (
        {"signed_on": SIGNED, "in_force_on": IN_FORCE, "suspended_on": SUSPENDED, "terminated_on": TERMINATED},
        TERMINATED,
        TreatyStatus.TERMINATED,
    ),
    (
        {"signed_on": SIGNED, "in_force_on": IN_FORCE, "suspended_on": SUSPENDED, "terminated_on": TERMINATED},
        D(2020, 12, 31),
        TreatyStatus.SUSPENDED,
    ),
    # Terminated without ever entering into force.
    ({"signed_on": SIGNED, "terminated_on": TERMINATED}, D(2022, 1, 1), TreatyStatus.TERMINATED),
    ({"signed_on": SIGNED, "terminated_on": TERMINATED}, D(2020, 1, 1), TreatyStatus.SIGNED),
    # No known signature date: in force once it is, unknown before.
    ({"in_force_on": IN_FORCE}, D(2009, 1, 1), TreatyStatus.IN_FORCE),
    ({"in_force_on": IN_FORCE}, D(2007, 1, 1), TreatyStatus.UNKNOWN),
    ({}, D(2022, 2, 1), TreatyStatus.UNKNOWN),
    # A source shows it in force on a date, not since when: in force from then, unknown between.
    ({"signed_on": SIGNED, "known_in_force_on": IN_FORCE}, D(2005, 2, 28), TreatyStatus.NOT_SIGNED),
    ({"signed_on": SIGNED, "known_in_force_on": IN_FORCE}, D(2007, 1, 1), TreatyStatus.UNKNOWN),
    ({"signed_on": SIGNED, "known_in_force_on": IN_FORCE}, IN_FORCE, TreatyStatus.IN_FORCE),
    ({"known_in_force_on": IN_FORCE}, D(2007, 1, 1), TreatyStatus.UNKNOWN),
    ({"signed_on": SIGNED, "known_in_force_on": IN_FORCE, "suspended_on": SUSPENDED}, SUSPENDED,
     TreatyStatus.SUSPENDED),
    # The evidence adds nothing once the date of entry into force is known.
    ({"signed_on": SIGNED, "in_force_on": APPROVED, "known_in_force_on": IN_FORCE}, D(2007, 1, 1),
     TreatyStatus.IN_FORCE),
    # Known to be signed by a date, not since when: signed from then, unknown before.
    ({"known_signed_by": APPROVED}, D(2005, 12, 31), TreatyStatus.UNKNOWN),
    ({"known_signed_by": APPROVED}, APPROVED, TreatyStatus.SIGNED),
    ({"known_signed_by": APPROVED, "known_in_force_on": IN_FORCE}, D(2007, 1, 1), TreatyStatus.UNKNOWN),
    ({"known_signed_by": APPROVED, "known_in_force_on": IN_FORCE}, IN_FORCE, TreatyStatus.IN_FORCE),
    # Only a signed treaty can be approved or ratified: either shows it signed by then.
    ({"china_approved_on": APPROVED}, D(2005, 12, 31), TreatyStatus.UNKNOWN),
    ({"china_approved_on": APPROVED}, APPROVED, TreatyStatus.SIGNED),
    ({"counterpart_ratified_on": APPROVED}, APPROVED, TreatyStatus.SIGNED),
    ({"counterpart_ratified_on": APPROVED, "in_force_on": IN_FORCE}, D(2007, 1, 1), TreatyStatus.SIGNED),
]
FIELDS = ("signed_on", "in_force_on", "known_in_force_on", "suspended_on", "terminated_on", "known_signed_by",
          "china_approved_on", "counterpart_ratified_on")


def as_kwargs(dates):
    return {field: dates.get(field) for field in FIELDS}


@pytest.mark.parametrize(("dates", "on", "expected"), CASES)
def test_status_function(dates, on, expected):
    assert treaty_status_on(on, **as_kwargs(dates)) == expected


@pytest.mark.django_db
def test_database_expression_agrees_with_the_function_on_every_branch():
    treaties = []
    for index, (dates, _on, _expected) in enumerate(CASES):
        fields = {"signed_on": None, "signed_on_precision": "", **dates}
        for field, value in dates.items():
            fields[f"{field}_precision"] = "day" if value else ""
        if dates.get("known_signed_by"):
            fields["known_signed_evidence"] = "treaty_source"
        if dates.get("known_in_force_on"):
            fields["known_in_force_evidence"] = "treaty_source"
        treaties.append(TreatyFactory(title=f"Treaty {index}", **fields))
    for _dates, on, _expected in CASES:
        annotated = dict(Treaty.objects.with_status(on).values_list("pk", "status"))
        for treaty in treaties:
            assert annotated[treaty.pk] == treaty.status_on(on), (treaty.title, on)
    # And the branches themselves, through the model.
    for treaty, (_dates, on, expected) in zip(treaties, CASES, strict=True):
        assert treaty.status_on(on) == expected


@pytest.mark.django_db
def test_in_force_and_signed_querysets_count_on_a_date():
    TreatyFactory(signed_on=D(2000, 1, 1), in_force_on=D(2001, 1, 1), in_force_on_precision="day")
    TreatyFactory(signed_on=D(2016, 10, 31))
    TreatyFactory(signed_on=D(2023, 1, 1))
    TreatyFactory(
        signed_on=D(2000, 1, 1), in_force_on=D(2001, 1, 1), in_force_on_precision="day",
        terminated_on=D(2021, 1, 1), terminated_on_precision="day",
    )
    on = D(2022, 2, 1)
    assert Treaty.objects.in_force(on).count() == 1
    assert Treaty.objects.signed_not_in_force(on).count() == 1
    assert Treaty.objects.status_on(TreatyStatus.NOT_SIGNED, on).count() == 1
    assert Treaty.objects.status_on(TreatyStatus.TERMINATED, on).count() == 1


@pytest.mark.django_db
def test_a_step_known_only_to_the_year_counts_from_the_start_of_that_year():
    treaty = TreatyFactory(signed_on=D(2009, 1, 1), signed_on_precision="year", in_force_on=D(2011, 6, 1),
                           in_force_on_precision="year")
    assert treaty.in_force_on == D(2011, 1, 1)
    assert treaty.status_on(D(2011, 1, 1)) == TreatyStatus.IN_FORCE
    assert treaty.status_on(D(2010, 12, 31)) == TreatyStatus.SIGNED
    assert str(treaty.in_force) == "2011"


# (status on the day, the evidence fields, the day) -> what the status rests on
@pytest.mark.parametrize(("dates", "on", "expected"), [
    ({"signed_on": SIGNED, "in_force_on": IN_FORCE}, IN_FORCE, StatusEvidence.DATED),
    ({"signed_on": SIGNED, "in_force_on": IN_FORCE}, APPROVED, StatusEvidence.DATED),  # signed, dated
    ({"signed_on": SIGNED, "known_in_force_on": IN_FORCE, "known_in_force_evidence": "official_count"}, IN_FORCE,
     StatusEvidence.OFFICIAL_COUNT),
    ({"known_signed_by": APPROVED, "known_signed_evidence": "weak_list"}, APPROVED, StatusEvidence.WEAK_LIST),
    ({"china_approved_on": APPROVED, "known_signed_by": SIGNED, "known_signed_evidence": "weak_list"}, APPROVED,
     StatusEvidence.DATED),  # an approval a source dates outranks the weaker evidence
    ({}, IN_FORCE, StatusEvidence.NONE),
])
def test_status_evidence_says_what_a_status_rests_on(dates, on, expected):
    status = treaty_status_on(on, **as_kwargs(dates))
    evidence = status_evidence(
        status, on, **{f: dates.get(f) for f in ("signed_on", "in_force_on", "china_approved_on", "counterpart_ratified_on")},
        known_signed_evidence=dates.get("known_signed_evidence", ""),
        known_in_force_evidence=dates.get("known_in_force_evidence", ""),
    )
    assert evidence == expected


def test_a_status_on_undated_evidence_is_qualified_where_it_is_shown():
    assert describe_status(TreatyStatus.IN_FORCE, StatusEvidence.DATED) == "In force"
    assert describe_status(TreatyStatus.IN_FORCE, StatusEvidence.OFFICIAL_COUNT) == "In force (inferred from an official count)"
    assert describe_status(TreatyStatus.SIGNED, StatusEvidence.WEAK_LIST) == (
        "Signed, awaiting ratification (only an unofficial list shows it)"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("fields", [
    {"known_in_force_on": D(2018, 9, 1), "known_in_force_on_precision": "month"},
    {"known_in_force_evidence": "official_count"},
    {"known_signed_by": D(2018, 10, 1), "known_signed_by_precision": "month"},
    {"known_signed_evidence": "weak_list"},
])
def test_undated_evidence_needs_its_date_and_its_basis_in_the_database(fields):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        TreatyFactory(**fields)
