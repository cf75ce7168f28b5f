"""The indexes that 0010, 0013 and 0015 built with SQL of their own, now in the migration state.

They exist already, so the database is not touched: the state learns them, the models declare them
(extraditions/indexes.py says how each database builds them), and a later change to them is an
ordinary, reviewable AddIndex or RemoveIndex.
"""

from django.contrib.postgres.indexes import OpClass
from django.db import migrations
from django.db.models import F

from extraditions.indexes import PostgreSQLGinIndex, public_list_index

PUBLIC_LISTS = [  # model, column, descending, index name: as 0013 built them
    ("case", "started_on", True, "cases_case_public_started"),
    ("courtruling", "decided_on", True, "cases_ruling_public_decided"),
    ("interpolnotice", "issued_on", True, "cases_notice_public_issued"),
    ("person", "name", False, "cases_person_public_name"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_personname_key_trigram_index"),
        ("treaties", "0005_status_evidence"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                *(
                    migrations.AddIndex(model_name=model, index=public_list_index(column, descending=descending, name=name))
                    for model, column, descending, name in PUBLIC_LISTS
                ),
                *(
                    migrations.AddIndex(
                        model_name="personname",
                        index=PostgreSQLGinIndex(
                            OpClass(F(column), name="gin_trgm_ops"), name=f"cases_personname_{column}_trgm"
                        ),
                    )
                    for column in ("folded", "key")
                ),
            ]
        )
    ]
