"""Search entries are found by their unique (content type, object) key, not by (kind, object): that
index let PostgreSQL match a broad search by testing every entry of the kind's whole vector instead
of asking the kind's full-text index (264 -> 156 ms for a search matching most of 20,000 rulings,
its count 218 -> 8 ms). Dropped concurrently: a production table keeps taking writes."""

from django.db import migrations

from extraditions.migration_helpers import RemoveIndexWithoutLocking


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("extraditions", "0008_search_document_kind")]

    operations = [
        RemoveIndexWithoutLocking(model_name="searchdocument", name="search_kind_object"),
    ]
