"""The served OpenAPI schema as client generators and their users read it.

Generators (openapi-python-client, tests/api/test_generated_client.py) refuse an enum that lists a
value twice, and turn every description into the documentation of the generated code: so no enum
anywhere repeats a value, and every field of every component and every query parameter of every
operation says what it is.
"""

import json

import pytest
from django.test import Client

from cases.models import Case


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    with django_db_blocker.unblock():  # read once for the module: serving the schema writes nothing
        response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return json.loads(response.content)


def enums(node, path: str = "#"):
    """Every ``enum`` in the schema, with where it is."""
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list):
            yield path, node["enum"]
        for key, value in node.items():
            yield from enums(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from enums(value, f"{path}/{index}")


def test_no_enum_repeats_a_value(schema):
    found = list(enums(schema))
    repeated = {
        path: sorted({json.dumps(v) for v in values if values.count(v) > 1}) for path, values in found
        if len(values) != len({json.dumps(v) for v in values})
    }
    assert len(found) > 100  # the country and choice enums of every filter and field were walked
    assert not repeated, f"{len(repeated)} enums repeat values: {repeated}"


def test_every_field_and_query_parameter_is_described(schema):
    fields = [
        f"{component}.{name}"
        for component, definition in schema["components"]["schemas"].items()
        for name, field in definition.get("properties", {}).items()
        if not str(field.get("description", "")).strip()
    ]
    parameters = [
        f"{method.upper()} {path} ?{parameter['name']}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if isinstance(operation, dict)
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and not str(parameter.get("description", "")).strip()
    ]
    assert not fields, f"{len(fields)} fields without a description: {', '.join(fields)}"
    assert not parameters, f"{len(parameters)} query parameters without a description: {', '.join(parameters)}"


def test_the_workspace_country_menus_offer_china_and_hong_kong_first_and_once():
    codes = [code for code, _name in Case._meta.get_field("host_country").formfield().choices if code]
    assert codes[:2] == ["CN", "HK"]
    assert len(codes) == len(set(codes))
