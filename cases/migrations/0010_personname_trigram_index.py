"""On PostgreSQL, misspelt names are matched by trigram similarity (pg_trgm) through a GIN index.

SQLite has no trigram index: the same similarity is computed in Python (docs/search.md).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from extraditions.migration_helpers import postgresql_only

FORWARD = "CREATE INDEX cases_personname_folded_trgm ON cases_personname USING GIN (folded gin_trgm_ops)"
BACKWARD = "DROP INDEX IF EXISTS cases_personname_folded_trgm"


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_personname")]

    operations = [
        TrigramExtension(),  # does nothing on other databases
        migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD)),
    ]
