"""Search entries carry their kind (the record's model label), and each kind gets its own full-text
index on PostgreSQL, in place of the one index over every kind.

A kind is the same on every database, where content-type ids are not, so the per-kind partial
indexes can be declared (their condition is a constant). Written to run on a production table
without stopping it: not atomic, the new column filled in batches of ids that each commit, the
indexes built concurrently (extraditions/migration_helpers.py), and the old index, created by raw
SQL in 0002 and never in the migration state, dropped only once its replacements exist.
"""

from django.db import migrations, models

from extraditions.indexes import PostgreSQLGinIndex
from extraditions.migration_helpers import AddIndexWithoutLocking, batched_update, postgresql_only

SEARCHED_KINDS = ("cases.person", "cases.case", "cases.courtruling", "treaties.treaty", "sources.source")
FILL_KINDS = (
    "UPDATE extraditions_searchdocument SET kind = "
    "(SELECT app_label || '.' || model FROM django_content_type WHERE id = content_type_id) "
    "WHERE id BETWEEN %s AND %s"
)
OLD_INDEX = "extraditions_searchdocument_vector_gin"


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("extraditions", "0007_pending_changes"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="kind",
            field=models.CharField(
                default="",
                editable=False,
                max_length=100,
                help_text='The record\'s model label, e.g. "cases.courtruling": the same on every database.',
            ),
            preserve_default=False,
        ),
        migrations.RunPython(batched_update(FILL_KINDS, "extraditions_searchdocument"), migrations.RunPython.noop),
        AddIndexWithoutLocking(
            model_name="searchdocument",
            index=models.Index(fields=["kind", "object_id"], name="search_kind_object"),
        ),
        *(
            AddIndexWithoutLocking(
                model_name="searchdocument",
                index=PostgreSQLGinIndex(
                    fields=["vector"], condition=models.Q(kind=label), name=f"search_vector_{label.split('.')[1]}"
                ),
            )
            for label in SEARCHED_KINDS
        ),
        migrations.RunPython(
            postgresql_only(f"DROP INDEX CONCURRENTLY IF EXISTS {OLD_INDEX}"),
            postgresql_only(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {OLD_INDEX} ON extraditions_searchdocument USING GIN (vector)"),
        ),
    ]
