"""What the charts count (cases/reads.py): persons returned per year and per country, group sizes
included; requests, notices and detentions per year or country; only what the reader may see."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from cases import reads
from cases.models import Case, CaseEventKind, CaseOutcome, NoticeKind, ParticipantRole, RequestDecision
from tests import factories as f
from tests.api.conftest import DRAFT, RESTRICTED, staff_user

D = datetime.date
PUBLIC = AnonymousUser()
pytestmark = pytest.mark.django_db


def returned(outcome=CaseOutcome.DEPORTED, *, on=None, precision="year", group_size=None, **fields) -> Case:
    """A case that ended in a return, its transfer to China dated ``on`` in its timeline."""
    case = f.CaseFactory(outcome=outcome, group_size=group_size, **fields)
    if on:
        f.CaseEventFactory(case=case, kind=CaseEventKind.TRANSFER, occurred_on=on, occurred_on_precision=precision)
    return case


def test_a_group_counts_for_its_size_and_a_case_for_the_persons_it_seeks():
    returned(on=D(2019, 1, 1), group_size=94, host_country="ES")
    named = returned(CaseOutcome.EXTRADITED, on=D(2019, 5, 1), precision="month", host_country="TH")
    f.CaseParticipantFactory(case=named)
    f.CaseParticipantFactory(case=named, role=ParticipantRole.CO_ACCUSED)
    f.CaseParticipantFactory(case=named, role=ParticipantRole.FAMILY_MEMBER)  # targeted, not returned
    returned(CaseOutcome.RETURNED_INVOLUNTARILY, on=D(2016, 1, 1))  # an unnamed person: one
    returned(CaseOutcome.RETURNED)  # not dated
    f.CaseFactory(outcome=CaseOutcome.REFUSED, group_size=8)  # not returned
    cases = Case.objects.visible_to(PUBLIC)
    assert reads.persons_returned(cases, PUBLIC, "year") == {
        2019: {"deported": 94, "extradited": 2}, 2016: {"returned_involuntarily": 1}, None: {"returned": 1},
    }
    assert reads.persons_returned(cases, PUBLIC, "host_country") == {
        "ES": {"deported": 94}, "TH": {"extradited": 2}, "SE": {"returned_involuntarily": 1, "returned": 1},
    }


def test_a_return_is_dated_by_the_transfer_not_by_the_start_of_the_case():
    case = returned(CaseOutcome.EXTRADITED, on=D(2016, 1, 1), started_on=D(2008, 10, 1), started_on_precision="month")
    f.CaseEventFactory(case=case, kind=CaseEventKind.ARREST, occurred_on=D(2008, 10, 1), occurred_on_precision="month")
    (read,) = reads.with_return_dates(reads.with_return(Case.objects.filter(pk=case.pk), PUBLIC))
    assert str(read.returned) == "2016" and read.persons_counted == 1
    assert reads.persons_returned(Case.objects.all(), PUBLIC, "year") == {2016: {"extradited": 1}}


def test_hidden_records_add_nobody_and_date_nothing():
    case = returned(CaseOutcome.DEPORTED, on=D(2019, 1, 1))
    f.CaseParticipantFactory(case=case)
    hidden_person = f.PersonFactory(**RESTRICTED)
    f.CaseParticipantFactory(case=case, person=hidden_person, role=ParticipantRole.CO_ACCUSED)
    # The earliest transfer names a restricted person: the public does not see its date.
    f.CaseEventFactory(case=case, kind=CaseEventKind.TRANSFER, occurred_on=D(2012, 1, 1), occurred_on_precision="year",
                       person=hidden_person)
    returned(on=D(2019, 1, 1), group_size=50, **RESTRICTED)
    returned(CaseOutcome.EXTRADITED, on=D(2019, 1, 1), **DRAFT)
    public = reads.persons_returned(Case.objects.visible_to(PUBLIC), PUBLIC, "year")
    assert public == {2019: {"deported": 1}}
    staff = staff_user("viewer")
    assert reads.persons_returned(Case.objects.visible_to(staff), staff, "year") == {
        2012: {"deported": 2}, 2019: {"deported": 50, "extradited": 1},
    }


def test_requests_notices_and_detentions_are_counted_per_country_or_year():
    sweden, thailand = f.CaseFactory(host_country="SE"), f.CaseFactory(host_country="TH", kind="interpol_detention")
    f.ExtraditionRequestFactory(case=sweden, decision=RequestDecision.REFUSED, decided_on=D(2019, 7, 9), decided_on_precision="day")
    f.ExtraditionRequestFactory(case=thailand, decision=RequestDecision.PENDING)
    f.ExtraditionRequestFactory(case=f.CaseFactory(host_country="SE", **RESTRICTED))
    f.InterpolNoticeFactory(issued_on=D(2015, 1, 1), issued_on_precision="year").cases.add(sweden)
    f.InterpolNoticeFactory(kind=NoticeKind.DIFFUSION, issued_on=D(2015, 3, 1), issued_on_precision="month")
    f.InterpolNoticeFactory()  # not dated
    f.InterpolNoticeFactory(issued_on=D(2015, 1, 1), issued_on_precision="year", **DRAFT)
    f.DetentionFactory(case=sweden, started_on=D(2019, 2, 1))  # a Red Notice in its case
    f.DetentionFactory(case=thailand, started_on=D(2019, 3, 1))  # an INTERPOL detention
    f.DetentionFactory(case=f.CaseFactory(), started_on=D(2019, 4, 1))
    f.DetentionFactory(case=f.CaseFactory(), started_on=None, started_on_precision="")
    f.DetentionFactory(case=f.CaseFactory(**RESTRICTED), started_on=D(2019, 4, 1))
    assert reads.requests_per_country(PUBLIC) == {"SE": {"refused": 1}, "TH": {"pending": 1}}
    assert reads.notices_per_year(PUBLIC) == {2015: {"red_notice": 1, "diffusion": 1}, None: {"red_notice": 1}}
    assert reads.detentions_per_year(PUBLIC) == {2019: {"interpol": 2, "other": 1}, None: {"interpol": 0, "other": 1}}


@pytest.mark.django_db(transaction=True)  # nothing read inside a transaction is cached
def test_the_publics_counts_are_cached_until_a_record_changes(django_assert_num_queries):
    returned(on=D(2019, 1, 1), group_size=3)
    first = reads.chart_counts(PUBLIC)
    with django_assert_num_queries(0):
        assert reads.chart_counts(PUBLIC) == first
    assert first["returns_per_year"] == {2019: {"deported": 3}}


def test_one_csv_answers_how_many_each_country_returned_by_year_and_means(client):
    import csv
    import io

    returned(on=D(2019, 1, 1), group_size=94, host_country="ES")
    returned(CaseOutcome.EXTRADITED, on=D(2019, 5, 1), host_country="ES")
    returned(CaseOutcome.EXTRADITED, on=D(2016, 1, 1), host_country="TH")
    returned(CaseOutcome.RETURNED, host_country="TH")  # not dated
    returned(CaseOutcome.DEPORTED, on=D(2019, 1, 1), host_country="ES", group_size=7, **RESTRICTED)
    response = client.get("/figures/returns.csv")
    assert response["Content-Disposition"].startswith('attachment; filename="extraditions-tracker_returns-by-country-year-means_')
    rows = [
        (row["host_country"], row["host_country_name"], row["year"], row["means"], row["means_label"], row["persons"])
        for row in csv.DictReader(io.StringIO(response.content.decode()))
    ]
    assert rows == [
        ("ES", "Spain", "2019", "extradited", "Returned by extradition", "1"),
        ("ES", "Spain", "2019", "deported", "Returned by deportation", "94"),
        ("TH", "Thailand", "2016", "extradited", "Returned by extradition", "1"),
        ("TH", "Thailand", "", "returned", "Returned, by means not known", "1"),
    ]
    assert 'href="/figures/returns.csv"' in client.get("/figures/").content.decode()
