"""Trigram indexes of the upper-case text the staff workspace searches (a case's title, summary and
charges, a person's names, an alias, a ruling's court, docket number and summary, an event's
description, a notice's subject and notes), so that its search (``UPPER(col) LIKE UPPER('%word%')``)
reads the index rather than every row: a name among 100,000 cases took 1.8 s, now about 0.1 s
(docs/performance.md). Built concurrently on PostgreSQL, so the tables keep taking writes; nothing
on SQLite (extraditions/indexes.py).
"""

from django.db import migrations

from extraditions.indexes import contains_search_index
from extraditions.migration_helpers import AddIndexWithoutLocking

SEARCHED = {  # model: the prefix of its indexes' names, the columns searched
    "case": ("case", "title", "slug", "summary", "charges"),
    "caseevent": ("caseevent", "description"),
    "person": ("person", "name", "name_original", "slug"),
    "alias": ("alias", "name"),
    "courtruling": ("ruling", "court", "docket_number", "summary"),
    "interpolnotice": ("ipn", "subject_description", "notes"),
}


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("cases", "0016_declare_indexes_built_by_sql")]

    operations = [
        AddIndexWithoutLocking(model_name=model, index=index)
        for model, (prefix, *columns) in SEARCHED.items()
        for index in contains_search_index(prefix, *columns)
    ]
