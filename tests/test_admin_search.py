"""The staff workspace's search finds exactly what Django's own search finds, for every model,
without joining the searched tables into the list (no DISTINCT over every column)."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from extraditions import admin as extraditions_admin
from tests.api.conftest import build_world

pytestmark = pytest.mark.django_db

SEARCHABLE = sorted(
    (model_admin for model, model_admin in admin.site._registry.items()
     if model._meta.app_label in {"sources", "treaties", "cases"} and model_admin.search_fields),
    key=lambda model_admin: model_admin.model._meta.label,
)
TERMS = [
    "person", "Person alpha", "alpha", "ALPHA", '"Person alpha"', "beta", "person -", "nothing-like-it",
    "treaty notes", "report", "biography alpha", "a",
]


@pytest.fixture
def worlds(db):
    return [build_world("alpha"), build_world("beta", visibility="restricted"), build_world("gamma")]


def request_for(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    return request


def djangos_own(model_admin, request, term) -> set[int]:
    found, may_have_duplicates = admin.ModelAdmin.get_search_results(
        model_admin, request, model_admin.get_queryset(request), term
    )
    return set((found.distinct() if may_have_duplicates else found).values_list("pk", flat=True))


def ours(model_admin, request, term) -> set[int]:
    found, may_have_duplicates = model_admin.get_search_results(request, model_admin.get_queryset(request), term)
    assert not may_have_duplicates or len(found) == len(set(found.values_list("pk", flat=True)))
    return set(found.values_list("pk", flat=True))


@pytest.mark.parametrize("model_admin", SEARCHABLE, ids=lambda model_admin: model_admin.model._meta.label)
def test_the_same_records_as_djangos_search(model_admin, worlds, admin_user, monkeypatch):
    request = request_for(admin_user)
    if hasattr(model_admin, "also_found") and type(model_admin).also_found is not extraditions_admin.BaseAdmin.also_found:
        extra = lambda term: set(model_admin.also_found(request, term) or ())  # noqa: E731
    else:
        extra = lambda term: set()  # noqa: E731
    for term in TERMS:
        expected = djangos_own(model_admin, request, term) | (extra(term) & set(model_admin.get_queryset(request).values_list("pk", flat=True)))
        assert ours(model_admin, request, term) == expected, term
        # and past the number of ids listed, where a common word is left to Django's way
        monkeypatch.setattr(extraditions_admin, "SEARCH_IDS_LISTED", 0)
        assert ours(model_admin, request, term) == expected, term
        monkeypatch.undo()


def test_a_case_found_through_its_persons_names_lists_without_distinct(admin_client, worlds):
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get("/admin/cases/case/", {"q": "Person alpha"})
    assert response.status_code == 200
    assert [case.pk for case in response.context["cl"].result_list] == [worlds[0]["case"].pk]
    listing = [q["sql"] for q in queries.captured_queries if 'FROM "cases_case"' in q["sql"]]
    assert listing and not any("DISTINCT" in sql and "DATE_TRUNC" not in sql.upper() for sql in listing), listing
