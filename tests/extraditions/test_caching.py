"""The public's headline figures are cached until a record changes; staff's never are."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dataset.stats import headline_figures
from extraditions.caching import commit_data_change, data_version, new_data_version
from tests.factories import CaseFactory, CourtRulingFactory, LegalProvisionFactory

pytestmark = pytest.mark.django_db
ON = datetime.date(2024, 6, 1)


def public_cases() -> int:
    return headline_figures(ON)["cases"]["total"]


@pytest.mark.django_db(transaction=True)
def test_the_public_figures_are_computed_once_per_data_version():
    CaseFactory()
    first = headline_figures(ON)
    with CaptureQueriesContext(connection) as queries:
        again = headline_figures(ON)
    assert again == first
    assert len(queries) == 0


# Real commits: the version is renewed when a change commits, which a test's rolled-back
# transaction never does.
committing = pytest.mark.django_db(transaction=True)


@committing
def test_a_new_or_deleted_record_makes_the_figures_current():
    case = CaseFactory()
    assert public_cases() == 1
    CaseFactory()
    assert public_cases() == 2
    case.delete()
    assert public_cases() == 1


@committing
def test_a_many_to_many_change_makes_the_figures_current():
    ruling = CourtRulingFactory(decision="extradition_refused", decided_on=datetime.date(2020, 1, 1))
    provision = LegalProvisionFactory()
    assert headline_figures(ON)["rulings_refusing_extradition"]["by_ground"] == {}
    ruling.grounds.add(provision)
    assert headline_figures(ON)["rulings_refusing_extradition"]["by_ground"] == {provision.slug: 1}


@committing
def test_the_version_is_renewed_once_per_transaction_after_it_commits():
    before = data_version()
    with transaction.atomic():
        for _ in range(3):
            CaseFactory()
        # Not before the commit: a request now would cache the old records' figures under the new version.
        assert data_version() == before
        assert [callback for _, callback, _ in connection.run_on_commit].count(commit_data_change) == 1
    assert data_version() != before


@committing
def test_a_rolled_back_change_leaves_the_version_and_the_next_change_renews_it():
    before = data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        CaseFactory()
        raise RuntimeError("rolled back")
    assert data_version() == before
    CaseFactory()
    assert data_version() != before


def test_each_date_has_its_own_figures():
    CaseFactory(started_on=datetime.date(2023, 1, 1))
    assert headline_figures(ON)["on"] == "2024-06-01"
    assert headline_figures(datetime.date(2025, 1, 1))["on"] == "2025-01-01"


def test_staff_figures_are_never_cached_and_include_drafts():
    staff = get_user_model().objects.create_user("researcher", is_staff=True)
    CaseFactory(publication_status="draft")
    assert public_cases() == 0
    with CaptureQueriesContext(connection) as queries:
        assert headline_figures(ON, staff)["cases"]["total"] == 1
    assert len(queries) > 0


def test_bulk_writers_renew_the_version_by_hand():
    before = data_version()
    assert new_data_version() != before
    assert data_version() != before


def count_queries(queries) -> list[str]:
    return [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]


@committing
def test_a_public_list_is_counted_once_per_data_version_and_staff_always_afresh(client):
    from tests.api.conftest import staff_user
    from tests.conftest import verify_second_factor

    CaseFactory.create_batch(3)
    CaseFactory(publication_status="draft")
    first = client.get("/api/v1/cases/?page_size=1").json()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(first["next"]).json()
    assert second["count"] == 3 and count_queries(queries) == []
    client.get("/cases/")
    with CaptureQueriesContext(connection) as queries:
        assert "3 cases" in client.get("/cases/").content.decode()
    assert count_queries(queries) == []
    CaseFactory()
    assert client.get("/api/v1/cases/?page_size=1").json()["count"] == 4
    verify_second_factor(client, staff_user("viewer", "cases.view_case"))
    assert client.get("/api/v1/cases/?page_size=1").json()["count"] == 5
