"""The fast read path (extraditions/api/projection.py) gives exactly what the serializers give.

Every resource of the API's router, for the public and for staff, over the hidden world (restricted
and draft records linked to public ones, a pseudonymous person): its CSV, its list pages and its
records read as rows of columns are byte for byte what DRF gives on model instances, headers
included (ETag, Last-Modified), and each record the plan builds equals the serializer's. Which serializers compile is stated, so that a resource silently falling back to
the slow path is a failing test, not a slower export.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate

from extraditions.api import projection
from extraditions.api.projection import RowPlan
from extraditions.api.urls import router
from extraditions.visibility import hide_invisible_links
from tests import factories as f
from tests.api.conftest import build_hidden_world, build_world, client_for, staff_user

RESOURCES = {prefix: viewset for prefix, viewset, _ in router.registry if hasattr(viewset, "stream_csv")}

# Serializers with a field that needs the model instance (a method field, a property): DRF's path.
NOT_COMPILED = {
    "citations",  # record: the cited record of any kind
    "treaties",  # status on a date: a method field
}


@pytest.fixture
def hidden_world(db):
    world = build_hidden_world("secret")
    build_world("second")  # a second public record of every kind: lists of several rows
    f.LegalProvisionFactory(slug="echr-6", article="6", title="Right to a fair trial")  # the world has one
    return world


@pytest.fixture(params=["public", "staff"])
def reader(request, db):
    """(who, their API client): every answer is compared for the public and for staff."""
    return request.param, APIClient() if request.param == "public" else client_for(staff_user("reader"))


def force_drf_path(monkeypatch):
    monkeypatch.setattr(RowPlan, "compile", classmethod(lambda cls, serializer: None))


def list_view(viewset, request):
    """The resource's list view as a request would set it up (its serializer, context and queryset)."""
    view = viewset(action_map={"get": "list"}, format_kwarg=None, args=(), kwargs={})
    view.request = view.initialize_request(request)
    return view


def csv_of(client, prefix: str, **params) -> bytes:
    response = client.get(f"/api/v1/{prefix}/", {"format": "csv", **params})
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content)


def test_the_compiled_resources_are_those_stated(db):
    request = APIRequestFactory().get("/")
    compiled = set()
    for prefix, viewset in RESOURCES.items():
        view = list_view(viewset, request)
        if RowPlan.compile(view.get_serializer()) is not None:
            compiled.add(prefix)
    assert set(RESOURCES) - compiled == NOT_COMPILED


@pytest.mark.parametrize("prefix", sorted(set(RESOURCES) - NOT_COMPILED))
def test_csv_read_as_rows_is_the_serializers_csv(hidden_world, monkeypatch, prefix, reader):
    who, client = reader
    fast = csv_of(client, prefix)
    force_drf_path(monkeypatch)
    assert fast == csv_of(client, prefix)
    assert fast.count(b"\n") > 2  # a header and several records
    if who == "public":
        assert b"secret" not in fast.lower()  # every hidden record's text carries the marker


@pytest.mark.parametrize("prefix", ["cases", "persons", "notices", "rulings", "sources"])
def test_a_searched_and_filtered_csv_is_the_serializers(hidden_world, monkeypatch, prefix, anonymous):
    query = {"q": "public"}
    fast = csv_of(anonymous, prefix, **query)
    force_drf_path(monkeypatch)
    assert fast == csv_of(anonymous, prefix, **query)
    assert b"secret" not in fast


@pytest.mark.parametrize("prefix", sorted(set(RESOURCES) - NOT_COMPILED))
def test_each_record_equals_the_serializers(hidden_world, prefix):
    request = APIRequestFactory().get(f"/api/v1/{prefix}/")
    for user in (None, staff_user("reader")):
        if user is not None:
            force_authenticate(request, user=user)
        view = list_view(RESOURCES[prefix], request)
        queryset = view.get_queryset().order_by("pk")
        serializer = view.get_serializer()
        fast = [record for chunk in RowPlan.compile(serializer).chunks(queryset, serializer.context) for record in chunk]
        records = list(queryset)
        hide_invisible_links(records, view.request.user)
        slow = view.get_serializer(records, many=True).data
        assert fast == [dict(record) for record in slow]


def test_a_csv_costs_the_same_queries_however_many_records(db, anonymous):
    def queries_for_csv():
        with CaptureQueriesContext(connection) as captured:
            csv_of(anonymous, "cases")
        return len(captured)

    build_world("one")
    once = queries_for_csv()
    for n in range(5):
        world = build_world(f"more{n}")
        f.CaseParticipantFactory(case=world["case"], person=f.PersonFactory())
    assert queries_for_csv() == once



def answers_of(client, prefix: str) -> list:
    """A list's pages and each record's detail, with the headers a cache keys on."""
    answers, url = [], f"/api/v1/{prefix}/?page_size=2"
    while url:
        page = client.get(url)
        assert page.status_code == 200, page.content[:500]
        answers.append((url, page.content, page.get("ETag"), page.get("Last-Modified")))
        body = page.json()
        for record in body["results"]:
            detail = client.get(record["url"]) if record.get("url") else None
            if detail is not None:
                assert detail.status_code == 200
                answers.append((record["url"], detail.content, detail.get("ETag"), detail.get("Last-Modified")))
        url = body["next"]
    return answers


@pytest.mark.parametrize("prefix", sorted(set(RESOURCES) - NOT_COMPILED))
def test_lists_and_records_read_as_rows_are_the_serializers(hidden_world, monkeypatch, prefix, reader):
    who, client = reader
    fast = answers_of(client, prefix)
    force_drf_path(monkeypatch)
    assert fast == answers_of(client, prefix)
    assert len(fast) > 2
    if who == "public":
        assert not [url for url, body, _, _ in fast if b"secret" in body.lower()]


@pytest.mark.parametrize("chunk_size", [1, 2, 3])
def test_a_csv_read_in_many_chunks_forgetting_its_summaries_is_the_same(hidden_world, monkeypatch, anonymous, chunk_size):
    """Chunk boundaries and the summaries forgotten between chunks (to keep memory flat) change nothing."""
    shared = f.SourceFactory(title="Shared report")
    for n in range(4):  # each chunk needs a source an earlier one read, and one of its own
        case = f.CaseFactory(title=f"Chunked case {n}")
        f.CitationFactory(source=shared, record=case)
        f.CitationFactory(source=f.SourceFactory(title=f"Own report {n}"), record=case)
    whole = csv_of(anonymous, "cases")
    monkeypatch.setattr(RowPlan, "chunk_size", chunk_size)
    monkeypatch.setattr(projection, "SUMMARIES_KEPT", 0)
    assert csv_of(anonymous, "cases") == whole


def test_a_csv_of_persons_found_only_by_their_biography(hidden_world, monkeypatch, anonymous):
    """Every match scores the same (no name matched): the relevance the list is ordered by is a
    constant, which PostgreSQL refuses in an ORDER BY unless it is selected."""
    query = {"q": "Biography"}
    fast = csv_of(anonymous, "persons", **query)
    force_drf_path(monkeypatch)
    assert fast == csv_of(anonymous, "persons", **query)
    assert fast.count(b"\n") > 2
