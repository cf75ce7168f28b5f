"""No path by which a researcher alone changes what an anonymous visitor sees.

For every resource of the API and every field its detail serializer lets staff write, a
researcher (the real role, with every add/change permission) changes that field of a published
record — to another value of its kind, and for a link to another record, to a public one and to a
hidden one — and creates a copy of each record. Before and after each write, every row the public may see is taken as the database gives it (every field, every
many-to-many link) — and, at the start and the end, every public list of the API. They must be
identical, whatever the
write's answer (200, 202 held for an editor, 400, 403). The one exception is restricting a record,
which protects someone at once: then the public sees less, never something new or changed.
"""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from rest_framework import serializers
from rest_framework.test import APIClient

from extraditions.api.routers import router
from extraditions.api.serializers import SummaryField, SummaryListField, stable_id
from extraditions.changes import recorded_model
from extraditions.models import PublicationStatus, Visibility
from extraditions.roles import RESEARCHER, setup_roles
from extraditions.visibility import public_records
from tests.api.conftest import build_world, client_for, staff_user

pytestmark = pytest.mark.django_db


def public_rows() -> dict:
    """Every row the public may see, every field and many-to-many link, by model."""
    snapshot = {}
    for model in apps.get_models():
        if not recorded_model(model):
            continue
        m2m = [f.name for f in model._meta.many_to_many]
        rows = {}
        for obj in public_records(model._default_manager.all()).prefetch_related(*m2m):
            values = {f.attname: f.value_to_string(obj) for f in model._meta.concrete_fields if f.name != "updated_at"}
            values.update({name: sorted(o.pk for o in getattr(obj, name).all()) for name in m2m})
            rows[obj.pk] = values
        snapshot[model._meta.label] = rows
    return snapshot


def resources():
    import extraditions.api.urls  # noqa: F401  (registers every resource with the router)

    return [(prefix, viewset) for prefix, viewset, _ in router.registry if getattr(viewset, "queryset", None) is not None]


def public_lists(client) -> dict:
    return {prefix: client.get(f"/api/v1/{prefix}/?page_size=1000").content for prefix, _ in resources()}


def anonymous_view(client) -> tuple:
    return public_rows(), public_lists(client)


def other_values(field, current, hidden, public):
    """Values to write into ``field`` in place of ``current``."""
    if isinstance(field, SummaryListField):
        target = field.child_relation.summary_serializer.Meta.model
        return [[], [stable_id(o) for o in (hidden.get(target), public.get(target)) if o is not None]]
    if isinstance(field, SummaryField):
        target = field.summary_serializer.Meta.model
        return [stable_id(o) for o in (hidden.get(target), public.get(target)) if o is not None] + [None]
    if isinstance(field, serializers.BooleanField):
        return [not current]
    if isinstance(field, serializers.ChoiceField):
        return [choice for choice in field.choices if choice != current][:3]
    if isinstance(field, serializers.ListField):
        return [[], ["FR"]]
    if isinstance(field, (serializers.IntegerField, serializers.DecimalField, serializers.FloatField)):
        return [(current or 0) + 1]
    if isinstance(field, (serializers.DateField,)):
        return ["1999-01-02"]
    if isinstance(field, serializers.DateTimeField):
        return [datetime.datetime(1999, 1, 2).isoformat()]
    if isinstance(field, serializers.CharField):
        return ["changed-by-researcher", ""]
    return ["2001", "2001-02-03", None]  # partial dates and anything else


@pytest.fixture
def world():
    setup_roles()
    published = build_world("public")
    hidden = build_world("hidden", publication_status=PublicationStatus.DRAFT)
    other_public = build_world("other")
    by_model = lambda w: {type(record): record for record in w.values()}  # noqa: E731
    return by_model(published), by_model(hidden), by_model(other_public)


def researcher_client():
    user = staff_user("real-researcher")
    user.groups.add(Group.objects.get(name=RESEARCHER))
    return client_for(type(user).objects.get(pk=user.pk))


def test_every_writable_field_and_link_of_every_resource(world):
    published, hidden, other_public = world
    researcher, anonymous = researcher_client(), APIClient()
    before = anonymous_view(anonymous)
    tried = 0
    for prefix, viewset in resources():
        model = viewset.queryset.model
        record = published.get(model)
        if record is None:
            continue
        url = f"/api/v1/{prefix}/{stable_id(record)}/"
        current = researcher.get(url).json()
        fields = viewset.detail_serializer_class or viewset.serializer_class
        for name, field in fields(context={"request": None}).fields.items():
            if field.read_only or name in ("publication_status",):
                continue
            for value in other_values(field, current.get(name), hidden, other_public):
                response = researcher.patch(url, {name: value}, format="json")
                assert response.status_code < 500, (prefix, name, value, response.content[:300])
                tried += 1
                after = public_rows()  # every public row and field: the lists are compared at the end
                if name == "visibility" and value == Visibility.RESTRICTED:
                    rows_before, rows_after = before[0], after
                    for label, rows in rows_after.items():
                        assert set(rows) <= set(rows_before[label]), (prefix, name, label)
                        for pk, row in rows.items():
                            assert row == rows_before[label][pk], (prefix, name, label, pk)
                    record.__class__.objects.filter(pk=record.pk).update(visibility=Visibility.PUBLIC)
                    continue
                assert after == before[0], f"a researcher changed the public's view: PATCH {url} {name}={value!r}"
        # A copy of the record, created by the researcher.
        copy = {k: v for k, v in current.items() if k not in ("id", "url", "uid", "slug", "created_at", "updated_at")}
        if "slug" in current:
            copy["slug"] = f"{current['slug']}-copy"
        response = researcher.post(f"/api/v1/{prefix}/", copy, format="json")
        assert response.status_code < 500, (prefix, "create", response.content[:300])
        assert public_rows() == before[0], f"a researcher's new {prefix} record changed the public's view"
    assert tried > 100
    assert anonymous_view(anonymous) == before
