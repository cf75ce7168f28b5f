"""The staff workspace's indexes.

Trigram indexes of the upper-case text it searches (a case's title, summary and
charges, a person's names, an alias, a ruling's court, docket number and summary, an event's
description, a notice's subject and notes), so that its search (``UPPER(col) LIKE UPPER('%word%')``)
reads the index rather than every row: a name among 100,000 cases took 1.8 s, now about 0.1 s
(docs/performance.md). Built concurrently on PostgreSQL, so the tables keep taking writes; nothing
on SQLite (extraditions/indexes.py).

And the order of its lists of rulings and notices, whose first and last dates the date hierarchy
asks for (7 ms each, and the page 30-40 ms, sorting every row without them).
"""

from django.db import migrations, models
from django.db.models import F

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
        *(
            AddIndexWithoutLocking(model_name=model, index=index)
            for model, (prefix, *columns) in SEARCHED.items()
            for index in contains_search_index(prefix, *columns)
        ),
        AddIndexWithoutLocking(
            model_name="courtruling",
            index=models.Index(F("decided_on").desc(), F("court"), name="cases_ruling_decided_court"),
        ),
        AddIndexWithoutLocking(model_name="interpolnotice", index=models.Index(F("issued_on").desc(), name="cases_notice_issued")),
    ]
