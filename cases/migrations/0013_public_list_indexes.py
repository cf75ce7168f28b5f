"""Indexes on the public lists' default orders, over the rows the public may see: their first page,
their count and a cursor deep into them are read from the index instead of sorting the table.

Not declared in the models' Meta because the databases differ: PostgreSQL needs "DESC NULLS LAST"
spelt out to match the lists' order, while SQLite refuses NULLS LAST in an index and already puts
nulls last when descending.
"""

from django.db import migrations
from django.db.models import F, Index, Q

PUBLIC = Q(publication_status="published", visibility="public")
INDEXES = [  # model, index name, column, descending
    ("case", "cases_case_public_started", "started_on", True),
    ("courtruling", "cases_ruling_public_decided", "decided_on", True),
    ("interpolnotice", "cases_notice_public_issued", "issued_on", True),
    ("person", "cases_person_public_name", "name", False),
]


def index(column: str, descending: bool, name: str, vendor: str) -> Index:
    if vendor == "postgresql":
        order = F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
    else:
        order = F(column).desc() if descending else F(column).asc()
    return Index(order, F("id"), condition=PUBLIC, name=name)


def create(apps, schema_editor):
    for model_name, name, column, descending in INDEXES:
        model = apps.get_model("cases", model_name)
        schema_editor.add_index(model, index(column, descending, name, schema_editor.connection.vendor))


def drop(apps, schema_editor):
    for model_name, name, column, descending in INDEXES:
        model = apps.get_model("cases", model_name)
        schema_editor.remove_index(model, index(column, descending, name, schema_editor.connection.vendor))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_person_visibility_decided"),
    ]

    operations = [migrations.RunPython(create, drop)]
