"""Generic tests run over every resource of the API: list, detail, filters, CSV, schema
conformance, permissions and query counts. A new resource registered with the router is
covered without writing a test for it."""

import csv
import io

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from extraditions.api.urls import router

from .conftest import build_world

RESOURCES = [prefix for prefix, viewset, basename in router.registry]
RECORD_RESOURCES = [prefix for prefix, viewset, basename in router.registry if getattr(viewset, "queryset", None) is not None]


def list_url(prefix: str) -> str:
    return f"/api/v1/{prefix}/"


def first_record(client, prefix: str) -> dict:
    results = client.get(list_url(prefix)).json()["results"]
    assert results, f"the world has no {prefix}"
    return results[0]


@pytest.fixture(scope="module")
def openapi():
    return SchemaGenerator().get_schema(request=None, public=True)


def response_schema(openapi, path: str, method: str = "get", status: str = "200") -> dict:
    content = openapi["paths"][path][method]["responses"][status]["content"]
    return {"allOf": [content["application/json"]["schema"]], "components": openapi["components"]}


def assert_conforms(openapi, path: str, body) -> None:
    jsonschema.validate(body, response_schema(openapi, path), cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("prefix", RESOURCES)
def test_list_and_detail_answer_and_conform_to_the_schema(prefix, world, anonymous, viewer, openapi):
    for client in (anonymous, viewer):
        response = client.get(list_url(prefix))
        assert response.status_code == 200, response.content
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert body["count"] == len(body["results"]) >= 1
        assert_conforms(openapi, f"/api/v1/{prefix}/", body)

        record = body["results"][0]
        detail = client.get(record["url"])
        assert detail.status_code == 200, detail.content
        assert detail.json()["id"] == record["id"]
        assert_conforms(openapi, f"/api/v1/{prefix}/{{id}}/", detail.json())


@pytest.mark.parametrize("prefix", RESOURCES)
def test_unknown_parameters_and_malformed_values_are_refused(prefix, world, anonymous):
    response = anonymous.get(list_url(prefix), {"no_such_filter": "x"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "no_such_filter" in response.json()["errors"]

    detail_url = first_record(anonymous, prefix)["url"]
    assert anonymous.get(detail_url, {"kind": "x"}).status_code == 400


@pytest.mark.parametrize("prefix", RECORD_RESOURCES)
def test_updated_since_gives_only_recent_changes(prefix, world, anonymous):
    assert anonymous.get(list_url(prefix), {"updated_since": "2000-01-01T00:00:00Z"}).json()["count"] >= 1
    assert anonymous.get(list_url(prefix), {"updated_since": "2999-01-01T00:00:00Z"}).json()["count"] == 0
    assert anonymous.get(list_url(prefix), {"updated_since": "yesterday"}).status_code == 400


@pytest.mark.parametrize("prefix", RECORD_RESOURCES)
def test_every_facet_and_ordering_answers(prefix, world, anonymous):
    viewset = {p: v for p, v, _ in router.registry}[prefix]
    if viewset.facets:
        body = anonymous.get(list_url(prefix), {"facet": list(viewset.facets)}).json()
        assert set(body["facets"]) == set(viewset.facets)
        for counts in body["facets"].values():
            assert sum(row["count"] for row in counts) >= 1
    for name in viewset.ordering_fields:
        for ordering in (name, f"-{name}"):
            assert anonymous.get(list_url(prefix), {"ordering": ordering}).status_code == 200
    assert anonymous.get(list_url(prefix), {"facet": "no_such_facet"}).status_code == 400
    # A facet's values can be applied: each facet is also a filter of the same name.
    assert set(viewset.facets) <= set(viewset.filterset_class.base_filters)
    assert anonymous.get(list_url(prefix), {"ordering": "no_such_field"}).status_code == 400


@pytest.mark.parametrize("prefix", RESOURCES)
def test_csv_has_the_same_records_as_json(prefix, world, anonymous):
    json_ids = [record["id"] for record in anonymous.get(list_url(prefix)).json()["results"]]
    for response in (
        anonymous.get(list_url(prefix), {"format": "csv"}),
        anonymous.get(list_url(prefix), HTTP_ACCEPT="text/csv"),
    ):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        # Record lists are streamed; the country summaries are one small computed page.
        assert response.streaming == (prefix in RECORD_RESOURCES)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        rows = list(csv.DictReader(io.StringIO(content.decode())))
        assert [row["id"] for row in rows] == json_ids
        assert all(not value.startswith("=") for row in rows for value in row.values())


@pytest.mark.parametrize("prefix", RECORD_RESOURCES)
def test_a_list_costs_the_same_queries_however_many_records(prefix, db, anonymous, viewer):
    build_world("one")

    def queries(client):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(list_url(prefix), {"page_size": 100}).status_code == 200
        return len(captured.captured_queries)

    queries(anonymous), queries(viewer)  # warm the per-process caches (content types) first
    before = {"anonymous": queries(anonymous), "staff": queries(viewer)}
    for n in range(3):
        build_world(f"more{n}")
    after = {"anonymous": queries(anonymous), "staff": queries(viewer)}
    assert after == before


@pytest.mark.parametrize("prefix", RECORD_RESOURCES)
def test_anonymous_users_cannot_write(prefix, world, anonymous):
    record = first_record(anonymous, prefix)
    response = anonymous.post(list_url(prefix), {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert anonymous.patch(record["url"], {}, format="json").status_code == 401
    assert anonymous.delete(record["url"]).status_code == 401


@pytest.mark.parametrize("prefix", RECORD_RESOURCES)
def test_staff_without_the_permission_cannot_write(prefix, world, viewer):
    record = first_record(viewer, prefix)
    response = viewer.post(list_url(prefix), {}, format="json")
    assert response.status_code == 403
    assert response.json()["status"] == 403
    assert viewer.patch(record["url"], {}, format="json").status_code == 403
    assert viewer.delete(record["url"]).status_code == 403


def test_the_schema_is_valid_openapi_and_documents_every_filter(client, db):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    cases = {p["name"]: p for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    for name in ("kind", "outcome", "host_country", "has_red_notice", "updated_since", "started_after", "q", "ordering", "cursor", "facet", "format"):
        assert name in cases, name
    assert "enum" in str(cases["outcome"]["schema"]) or "$ref" in str(cases["outcome"]["schema"])
    assert "outcome" in cases["facet"]["schema"]["items"]["enum"]
    assert {"SE", "TH", "CN"} <= set(cases["host_country"]["schema"]["items"]["enum"])  # the codes a client may send
    treaties = {p["name"] for p in schema["paths"]["/api/v1/treaties/"]["get"]["parameters"]}
    assert {"status_on", "status", "signed_before"} <= treaties
    assert client.get("/api/v1/docs/").status_code == 200


def test_the_schema_generates_without_a_warning(tmp_path, db):
    from django.core.management import call_command

    # --validate checks it against the OpenAPI 3.1 specification; a warning marks an undocumented field.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


@pytest.mark.parametrize("prefix", RESOURCES)
def test_the_browsable_api_renders_for_the_public_and_staff(prefix, world, client, django_user_model):
    """Journalists open API links in a browser: the HTML view of each list and record must render."""
    for logged_in in (False, True):
        if logged_in:
            client.force_login(django_user_model.objects.create_superuser(f"admin-{prefix}", password="x" * 12))
        response = client.get(list_url(prefix), HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        record_url = client.get(list_url(prefix), HTTP_ACCEPT="application/json").json()["results"][0]["url"]
        assert client.get(record_url, HTTP_ACCEPT="text/html").status_code == 200
        assert client.options(list_url(prefix)).status_code == 200


def sample_value(filterset_class, name, filter_):
    """A well-formed value for any filter, taken from the world where it names a record."""
    import django_filters

    from extraditions import filtering as api_filters

    if isinstance(filter_, api_filters.StableIdFilter):
        relation, _, field = filter_.field_name.rpartition("__")
        target = api_filters.related_model(filterset_class._meta.model, relation)
        return str(getattr(target.objects.public().first(), field))
    if isinstance(filter_, api_filters.CountryCodeFilter):
        return "SE"
    if isinstance(filter_, api_filters.PartialDateBoundFilter):
        return "2019-06"
    if isinstance(filter_, django_filters.IsoDateTimeFilter):
        return "2019-06-01T00:00:00Z"
    if isinstance(filter_, django_filters.DateFilter):
        return "2022-02-01"
    if isinstance(filter_, django_filters.BooleanFilter):
        return "true"
    if isinstance(filter_, django_filters.NumberFilter):
        return "2019"
    if isinstance(filter_, django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter):
        choices = filter_.extra["choices"]
        return str(next(iter(choices() if callable(choices) else choices))[0])
    return "x"


@pytest.mark.parametrize("prefix", RECORD_RESOURCES)
def test_every_filter_takes_a_well_formed_value(prefix, world, anonymous, viewer):
    viewset = {p: v for p, v, _ in router.registry}[prefix]
    filterset_class = viewset.filterset_class
    for name, filter_ in filterset_class.base_filters.items():
        value = sample_value(filterset_class, name, filter_)
        for client in (anonymous, viewer):
            response = client.get(list_url(prefix), {name: value, "facet": list(viewset.facets)[:1]})
            assert response.status_code == 200, (name, value, response.content[:300])


def test_the_root_lists_every_resource_and_the_docs(anonymous, db):
    root = anonymous.get("/api/v1/").json()
    assert set(RESOURCES) | {"search", "stats", "schema", "docs"} == set(root)
    for name, url in root.items():
        assert anonymous.get(url, {"q": "x"} if name == "search" else {}).status_code == 200, url
