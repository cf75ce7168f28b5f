"""The database-specific half of the full-text index.

PostgreSQL: a GIN index on the documents' tsvector. SQLite: an FTS5 table mirroring the
documents' text (its rowid is the document's id). Fill both with `manage.py rebuild_search_index`.
"""

from django.db import migrations

from extraditions.migration_helpers import on_database

POSTGRES_FORWARD = "CREATE INDEX extraditions_searchdocument_vector_gin ON extraditions_searchdocument USING GIN (vector)"
POSTGRES_BACKWARD = "DROP INDEX IF EXISTS extraditions_searchdocument_vector_gin"
SQLITE_FORWARD = (
    "CREATE VIRTUAL TABLE extraditions_search_fts USING fts5(names, title, summary, body, tokenize='unicode61')"
)
SQLITE_BACKWARD = "DROP TABLE IF EXISTS extraditions_search_fts"


class Migration(migrations.Migration):
    dependencies = [("extraditions", "0001_initial")]

    operations = [
        migrations.RunPython(
            on_database({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            on_database({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
