"""Search by stems and by a ruling's grounds (extraditions/search/text.py, cases/search.py).

Documents get a fifth part, ``grounds``. The index is written again from the documents' stored
text, now folded *and stemmed*, one batch at a time (``atomic = False``: each batch commits on its
own, so a large index is never rewritten in one transaction): on SQLite the FTS5 table is made
again with the new column; on PostgreSQL the vectors are recomputed. Searches work as soon as this
has run; the ``grounds`` part of existing rulings fills when they are next saved, or at once with
``manage.py rebuild_search_index`` (docs/deployment.md, upgrading).
"""

from django.db import migrations, models

from extraditions.search.backends import FTS_TABLE, backend

PARTS = ("names", "title", "grounds", "summary", "body")  # the parts as of this migration
BATCH = 500


def write_stemmed_index(apps, schema_editor):
    db = schema_editor.connection
    if db.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        schema_editor.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({', '.join(PARTS)}, tokenize='unicode61')")
    elif db.vendor != "postgresql":
        return
    documents = apps.get_model("extraditions", "SearchDocument").objects.using(db.alias).order_by("pk")
    last = 0
    while rows := list(documents.filter(pk__gt=last).values_list("pk", *PARTS)[:BATCH]):
        backend(db).write(db, rows, PARTS)
        last = rows[-1][0]


def restore_unstemmed_table(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":  # empty: rebuild_search_index fills it
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        schema_editor.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(names, title, summary, body, tokenize='unicode61')")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("extraditions", "0009_search_entries_found_by_their_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="grounds",
            field=models.TextField(
                blank=True,
                help_text="What a ruling decided and relied on: one line per legal ground (its names and vocabulary), "
                "the assessment of assurances, the decision. Ranked highest; each line is a reason a ruling matched.",
            ),
        ),
        migrations.RunPython(write_stemmed_index, restore_unstemmed_table),
    ]
