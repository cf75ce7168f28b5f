"""Whole public answers served from the cache (extraditions/answer_cache.py): never to anyone but
the public, never anything but what a fresh computation would give.

The tests commit (``transaction=True``): an answer computed inside a transaction is never stored,
and the data version is renewed when a change commits.
"""

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from extraditions.caching import TRACKED_APPS, TRACKED_MODELS, DataVersionQuerySet
from extraditions.models import Visibility
from extraditions.tokens import issue_token
from tests import factories as f
from tests.api.conftest import build_public_world, staff_user
from tests.conftest import verify_second_factor
from tests.test_leak_crawl import MARKER, anonymous_answers

committing = pytest.mark.django_db(transaction=True)
CACHE = "X-Answer-Cache"


@pytest.fixture(autouse=True)
def answer_cache_on(settings):
    settings.PUBLIC_ANSWER_CACHE = True


def test_every_tracked_model_renews_the_version_on_bulk_writes():
    """``.update()`` and ``bulk_create()`` send no signal: the queryset itself renews the version."""
    for model in apps.get_models():
        if model._meta.app_label in TRACKED_APPS or model._meta.label_lower in TRACKED_MODELS:
            if model.__name__.startswith("Historical"):  # history is written with the record it follows
                continue
            assert issubclass(type(model._default_manager.get_queryset()), DataVersionQuerySet), model


@committing
def test_a_public_read_is_answered_from_the_cache_without_a_query(client):
    f.CaseFactory(title="Cached case")
    first = client.get("/api/v1/cases/")
    assert first[CACHE] == "miss"
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/cases/")
    assert again[CACHE] == "hit" and len(queries) == 0
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] and again["ETag"] == first["ETag"]
    assert again["Content-Security-Policy"]  # the outer middleware still applies
    # A client holding the answer is told it has not changed.
    assert client.get("/api/v1/cases/", headers={"if-none-match": first["ETag"]}).status_code == 304
    page = client.get("/cases/")
    assert page[CACHE] == "miss" and client.get("/cases/")[CACHE] == "hit"


@committing
def test_the_key_is_the_whole_request(client):
    f.CaseFactory(title="Cached case")
    assert client.get("/api/v1/cases/")[CACHE] == "miss"
    assert client.get("/api/v1/cases/?page_size=1")[CACHE] == "miss"
    assert client.get("/api/v1/cases/", headers={"accept": "text/csv"}).get(CACHE) != "hit"
    assert client.get("/api/v1/cases/", headers={"host": "other.example"}).get(CACHE) != "hit"


@committing
@pytest.mark.parametrize("how", ["save", "update"])
def test_cached_answers_are_what_a_fresh_computation_gives_after_a_change(client, how):
    """Every public answer about many records, cached; then every public record that can be
    restricted is restricted, by ``save()`` or by a bulk ``update()``: each answer given from then
    on is the one computed afresh, and differs from before."""
    public, _ = build_public_world(MARKER)
    before = anonymous_answers(client)
    assert client.get("/cases/")[CACHE] == "hit"  # the answers are stored
    restrictable = [record for record in public.values() if hasattr(record, "visibility")]
    for record in restrictable:
        if how == "save":
            record.visibility = Visibility.RESTRICTED
            record.save()
        else:
            type(record).objects.filter(pk=record.pk).update(visibility=Visibility.RESTRICTED)
    after = anonymous_answers(client)
    cache.clear()
    assert after == anonymous_answers(client)
    assert after != before
    assert public["person"].name not in str(after)


@committing
def test_staff_answers_are_neither_stored_nor_answered_from_the_cache(client):
    f.CaseFactory(title="Published case")
    f.CaseFactory(title="Draft case", publication_status="draft")
    assert b"Draft case" not in client.get("/api/v1/cases/").content  # the public's answer, stored
    verify_second_factor(client, staff_user("viewer", "cases.view_case"))
    staff = client.get("/api/v1/cases/")
    assert CACHE not in staff and b"Draft case" in staff.content
    staff_page = client.get("/cases/")
    assert CACHE not in staff_page
    client.logout()
    public = client.get("/api/v1/cases/")
    assert public[CACHE] == "hit" and b"Draft case" not in public.content


@committing
def test_a_token_request_is_never_answered_from_the_cache():
    f.CaseFactory(title="Draft case", publication_status="draft")
    anonymous = APIClient()
    assert anonymous.get("/api/v1/cases/")[CACHE] == "miss"
    _, secret = issue_token(staff_user("reader", "cases.view_case"), name="test")
    staff = APIClient(headers={"authorization": f"Bearer {secret}"})
    answer = staff.get("/api/v1/cases/")
    assert CACHE not in answer and b"Draft case" in answer.content


@committing
def test_an_answer_that_sets_a_cookie_is_not_stored(client):
    """A page with a form carries the visitor's own CSRF token."""
    for _ in range(2):
        response = client.get("/admin/login/")
        assert response.status_code == 200 and CACHE not in response


@pytest.mark.django_db
def test_nothing_computed_inside_a_transaction_is_stored(client):
    f.CaseFactory()
    assert CACHE not in client.get("/api/v1/cases/")


@committing
def test_an_answer_from_the_cache_still_counts_against_the_rate_limit(client, settings):
    settings.API_ANONYMOUS_RATE = "2/minute"
    assert client.get("/api/v1/cases/").status_code == 200
    assert client.get("/api/v1/cases/")[CACHE] == "hit"
    refused = client.get("/api/v1/cases/")
    assert refused.status_code == 429 and refused["Content-Type"] == "application/problem+json"


@committing
def test_off_by_default_without_a_shared_cache(client, settings):
    settings.PUBLIC_ANSWER_CACHE = False
    f.CaseFactory()
    assert CACHE not in client.get("/api/v1/cases/")


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@committing
def test_a_streamed_export_is_kept_as_a_file_once_complete_and_served_from_it(client, settings, tmp_path):
    settings.EXPORT_CACHE_DIR = tmp_path
    f.CaseFactory(title="Exported case")
    first = client.get("/api/v1/cases/?format=csv")
    assert first[CACHE] == "miss" and first.streaming
    content = body(first)
    assert b"Exported case" in content
    again = client.get("/api/v1/cases/?format=csv")
    assert again[CACHE] == "hit" and body(again) == content
    for header in ("Content-Type", "Content-Disposition"):
        assert again[header] == first[header]
    # A change: the next export is made afresh, and the old version's file is removed.
    f.CaseFactory(title="Second case")
    fresh = client.get("/api/v1/cases/?format=csv")
    assert fresh[CACHE] == "miss" and b"Second case" in body(fresh)
    assert len(list(tmp_path.iterdir())) == 1


@committing
def test_an_export_broken_off_is_not_kept(client, settings, tmp_path):
    settings.EXPORT_CACHE_DIR = tmp_path
    f.CaseFactory.create_batch(3)
    response = client.get("/api/v1/cases/?format=csv")
    chunks = iter(response.streaming_content)
    next(chunks)
    response.close()  # the client went away
    assert client.get("/api/v1/cases/?format=csv")[CACHE] == "miss"
    assert not list(tmp_path.rglob("*.partial"))
