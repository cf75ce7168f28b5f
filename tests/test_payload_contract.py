"""The payload contract: the exact fields every answer of the API gives, to the public and to staff.

For every resource of the API's router (found there, not listed here), the keys of a list page and
of a detail answer, recursively, as dotted paths with ``[]`` for lists
(``results[].persons[].person.label``), and the header rows of its CSV, for an anonymous caller and
for a member of staff; the same for the figures (/api/v1/stats/) and the search (/api/v1/search/).
They are kept in tests/payload_contract/<resource>.json. A field that appears or disappears is a
change to review, never a silent leak: the test fails and says which field, on which resource, for
whom. After review, the files are written again with

    UPDATE_PAYLOAD_CONTRACT=1 .venv/bin/python -m pytest tests/test_payload_contract.py

The world the answers are read from fills every optional nested field (a breach with an assurance
and a provision, a request on a treaty, a cited treaty step, a figure the stats quote, searches
that find every kind, every facet asked for); the test fails if a nested field is left empty, as
its keys would then be missing from the contract.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import os
from pathlib import Path

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIClient

from cases import models as cases
from extraditions.api.urls import router
from sources.models import FigureMetric, FigureUnit
from tests import factories as f
from tests.api.conftest import (
    build_world,
    viewer,  # noqa: F401  (a fixture: a member of staff's API client)
)

CONTRACT = Path(__file__).parent / "payload_contract"
UPDATE = os.environ.get("UPDATE_PAYLOAD_CONTRACT") == "1"
REGENERATE = "UPDATE_PAYLOAD_CONTRACT=1 .venv/bin/python -m pytest tests/test_payload_contract.py"
WORD = "contract"  # in every name and text of the world, so that a search finds every kind
RESOURCES = [prefix for prefix, _, _ in router.registry]
ENDPOINTS = ["stats", "search"]  # not records: answers computed over them

# Objects whose keys are values, not fields ({"SE": 3}): their keys are written "*".
MAPS = {
    "countries": {"results[].cases_by_outcome", "cases_by_outcome"},
    "stats": {
        "treaties.by_decade_of_signature", "treaties.europe.countries", "rulings_refusing_extradition.by_country",
        "rulings_refusing_extradition.by_ground", "cases.by_kind", "cases.by_host_country", "cases.by_outcome",
        "persons_by_current_situation",
    },
}


def build_contract_world() -> dict:
    """build_world, and what it leaves empty: a breach of an assurance under a provision, a request
    on a treaty, a cited treaty step, a treaty figure for this month (the stats quote it), an appeal
    ruling."""
    world = build_world(WORD)
    f.BreachFactory(
        treaty=world["treaty"], assurance=world["assurance"], provision=world["provision"], case=world["case"],
        person=world["person"], description=f"Breach {WORD}",
    )
    f.ExtraditionRequestFactory(case=world["case"], legal_basis=cases.LegalBasis.TREATY, treaty=world["treaty"])
    f.CitationFactory(source=world["source"], record=world["treaty"].steps.get(), note=f"Cited {WORD}")
    figure = f.ReportedFigureFactory(
        metric=FigureMetric.TREATIES_IN_FORCE, unit=FigureUnit.TREATIES, year_from=None, year_to=None,
        as_of=timezone.localdate().replace(day=1), as_of_precision="month", metric_detail=f"Counted {WORD}",
    )
    f.CitationFactory(source=world["source"], record=figure, note=f"Cited {WORD}")
    # An appeal of the world's ruling, relying on it: every ruling has a chain and authorities.
    appeal = f.CourtRulingFactory(
        case=world["case"], court=f"Appeal court {WORD}", summary=f"Upheld {WORD}", reviews=world["ruling"],
        review_outcome=cases.ReviewOutcome.UPHELD,
    )
    appeal.relies_on.add(world["ruling"])
    world["ruling"].relies_on.add(appeal)  # so that each ruling of the list fills both lists
    return world


# --- reading the shape of an answer -------------------------------------------------------------------


def key_paths(data, maps=(), prefix: str = "") -> set[str]:
    """Every key of ``data``, recursively: ``results[].persons[].person.label``."""
    paths = set()
    if isinstance(data, dict):
        for key, value in data.items():
            name = "*" if prefix in maps else key
            path = f"{prefix}.{name}" if prefix else name
            paths.add(path)
            paths |= key_paths(value, maps, path)
    elif isinstance(data, list):
        for item in data:
            paths |= key_paths(item, maps, f"{prefix}[]")
    return paths


def csv_header(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return next(csv.reader(io.StringIO(body.decode())))


def answer(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, params, response.status_code, response.content[:300])
    return response.json()


def shape_of_resource(client, prefix: str, viewset) -> dict:
    """The keys of the resource's list (with and without a search, with every facet) and of every
    one of its records' details, and the header of its CSV and of a detail's."""
    url, maps = f"/api/v1/{prefix}/", MAPS.get(prefix, set())
    if prefix == "countries":  # one page of every country; no search, no facets
        pages = [answer(client, url)]
    else:
        facets = {"facet": list(viewset.facets)} if viewset.facets else {}
        pages = [answer(client, url, {"page_size": 1000, **facets}), answer(client, url, {"page_size": 1000, "q": WORD, **facets})]
    records = pages[0]["results"]
    assert records, f"the contract world has no {prefix} for this caller"
    details = [answer(client, record["url"]) for record in records]
    return {
        "list": sorted(set().union(*(key_paths(page, maps) for page in pages))),
        "detail": sorted(set().union(*(key_paths(detail, maps) for detail in details))),
        "csv": csv_header(client.get(url, {"format": "csv"})),
        "detail_csv": csv_header(client.get(records[0]["url"], {"format": "csv"})),
    }


def shape_of_endpoint(client, name: str) -> dict:
    if name == "stats":
        return {"answer": sorted(key_paths(answer(client, "/api/v1/stats/"), MAPS["stats"]))}
    found = answer(client, "/api/v1/search/", {"q": WORD})
    assert all(found["results"].values()), {kind: len(hits) for kind, hits in found["results"].items()}
    return {"answer": sorted(key_paths(found))}


# --- is every nested field filled? ----------------------------------------------------------------------


def is_nested(field) -> bool:
    """Whether a serializer field shows a record or a list of them (and so has keys of its own)."""
    if isinstance(field, (serializers.BaseSerializer, serializers.RelatedField, serializers.ManyRelatedField)):
        return True
    if isinstance(field, serializers.SerializerMethodField):
        method = getattr(field.parent, field.method_name)
        hint = getattr(method, "_spectacular_annotation", None) or inspect.signature(method).return_annotation
    else:
        hint = getattr(type(field), "_spectacular_annotation", None)
    if isinstance(hint, dict):  # drf-spectacular's @extend_schema_field
        hint = hint.get("field")
    if isinstance(hint, serializers.BaseSerializer) or (isinstance(hint, type) and issubclass(hint, serializers.BaseSerializer)):
        return True
    return "dict" in str(hint)


def nested_paths(serializer, prefix: str = "") -> list[str]:
    paths = []
    for name, field in serializer.fields.items():
        if field.write_only or not is_nested(field):
            continue
        path = f"{prefix}{name}"
        paths.append(path)
        inner = field.child if isinstance(field, serializers.ListSerializer) else field
        if isinstance(inner, serializers.Serializer):
            paths += nested_paths(inner, f"{path}[]." if inner is not field else f"{path}.")
    return paths


def empty_nested_fields(viewset, shape: dict) -> list[str]:
    """The nested fields of the resource's serializers that no answer of the world filled."""
    if getattr(viewset, "queryset", None) is None:
        return []
    empty = []
    for part, serializer_class, prefix in (
        ("list", viewset.serializer_class, "results[]."),
        ("detail", viewset.detail_serializer_class or viewset.serializer_class, ""),
    ):
        keys = shape[part]
        for path in nested_paths(serializer_class(context={}), prefix):
            if part == "detail" and path == "match":
                continue  # how a record matched ?q=: lists only
            if not any(key.startswith((f"{path}.", f"{path}[].")) for key in keys):
                empty.append(f"{part}: {path}")
    return empty


# --- the contract ----------------------------------------------------------------------------------------


def compare(name: str, expected: dict, current: dict) -> list[str]:
    """What changed, each in a sentence that says what to do."""
    problems = []
    for caller, who in (("anonymous", "public"), ("staff", "staff")):
        for part in sorted(set(expected.get(caller, {})) | set(current[caller])):
            before, now = expected.get(caller, {}).get(part, []), current[caller].get(part, [])
            kind = "CSV column" if "csv" in part else "field"
            for path in [p for p in now if p not in before]:
                problems.append(f"new {who} {kind} {path!r} on resource {name!r} ({part}): review it, then regenerate with {REGENERATE}")
            for path in [p for p in before if p not in now]:
                problems.append(f"{who} {kind} {path!r} is gone from resource {name!r} ({part}): if that is intended, regenerate with {REGENERATE}")
            if "csv" in part and set(before) == set(now) and before != now:
                problems.append(f"the {who} CSV columns of {name!r} ({part}) changed order: if that is intended, regenerate with {REGENERATE}")
    return problems


def check_contract(name: str, current: dict) -> None:
    path = CONTRACT / f"{name}.json"
    if UPDATE:
        CONTRACT.mkdir(exist_ok=True)
        path.write_text(json.dumps(current, indent=2, ensure_ascii=False) + "\n")
        return
    assert path.exists(), f"resource {name!r} has no payload contract yet: review its fields, then run {REGENERATE}"
    problems = compare(name, json.loads(path.read_text()), current)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", RESOURCES)
def test_every_resource_answers_the_fields_of_its_contract(prefix, viewer):
    viewset = next(viewset for p, viewset, _ in router.registry if p == prefix)
    build_contract_world()
    current = {"resource": f"/api/v1/{prefix}/"}
    for caller, client in (("anonymous", APIClient()), ("staff", viewer)):
        current[caller] = shape_of_resource(client, prefix, viewset)
        empty = empty_nested_fields(viewset, current[caller])
        assert not empty, f"the contract world leaves these fields of {prefix} empty for {caller}: {empty}; fill them in build_contract_world"
    check_contract(prefix, current)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ENDPOINTS)
def test_the_figures_and_the_search_answer_the_fields_of_their_contract(name, viewer):
    build_contract_world()
    current = {"resource": f"/api/v1/{name}/"}
    for caller, client in (("anonymous", APIClient()), ("staff", viewer)):
        current[caller] = shape_of_endpoint(client, name)
    check_contract(name, current)


def test_every_contract_belongs_to_a_resource():
    """A resource removed from the router takes its contract with it."""
    kept = {path.stem for path in CONTRACT.glob("*.json")}
    assert kept == set(RESOURCES) | set(ENDPOINTS), f"contracts without a resource: {sorted(kept - set(RESOURCES) - set(ENDPOINTS))}"

