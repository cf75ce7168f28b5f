"""Index types only PostgreSQL has, declared in the models and the migration state everywhere.

Django's PostgreSQL index classes write SQL (``USING gin``, operator classes) that SQLite refuses,
and SQLite needs none of them: its full-text search has an index of its own (FTS5) and misspelt
names are compared in Python (docs/search.md). On another database these indexes build nothing,
wherever Django builds them: a migration's ``AddIndex``, or a table SQLite rebuilds to alter it.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.backends.ddl_references import Statement
from django.db.models import F, Index, Q
from django.db.models.expressions import OrderBy
from django.db.models.functions import Upper


class PostgreSQLOnly:
    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return nothing()
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return nothing()
        return super().remove_sql(model, schema_editor, **kwargs)


class PostgreSQLGinIndex(PostgreSQLOnly, GinIndex):
    """A GIN index (full-text vectors, trigrams) on PostgreSQL; nothing elsewhere."""


def nothing() -> Statement:
    return Statement("SELECT 1")  # the schema editor runs whatever it is given; this changes nothing


class NullsLastIndex(Index):
    """An index in a list's order, nulls last whichever the direction.

    PostgreSQL needs ``NULLS LAST`` spelt out for the index to serve ``ORDER BY … DESC NULLS LAST``;
    SQLite refuses the words in an index and already puts nulls last when descending.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        index = self if schema_editor.connection.vendor == "postgresql" else self.without_nulls_order()
        return super(NullsLastIndex, index).create_sql(model, schema_editor, using=using, **kwargs)

    def without_nulls_order(self) -> Index:
        expressions = [
            OrderBy(e.expression, descending=e.descending) if isinstance(e, OrderBy) else e for e in self.expressions
        ]
        return NullsLastIndex(*expressions, condition=self.condition, name=self.name)


def public_list_index(column: str, *, descending: bool, name: str) -> NullsLastIndex:
    """A public list's default order over the rows the public may see, then ``id`` (the tie-break):
    its first page, count and a cursor deep into it read the index instead of sorting the table.
    The condition is the one ``public_q`` gives a record without links to other records."""
    order = F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
    return NullsLastIndex(order, F("id"), condition=Q(publication_status="published", visibility="public"), name=name)


def contains_search_index(prefix: str, *columns: str) -> list[PostgreSQLGinIndex]:
    """For each column, a trigram index of its upper-case text, named ``<prefix>_<column>_trgm``:
    it answers the staff workspace's search (Django's ``icontains``: ``UPPER(col) LIKE
    UPPER('%word%')``, extraditions/admin.py) from the index instead of reading every row, for
    words of three letters or more."""
    indexes = []
    for column in columns:
        name = f"{prefix}_{column}_trgm"
        assert len(name) <= 30, f"{name}: index names have at most 30 characters"
        indexes.append(PostgreSQLGinIndex(OpClass(Upper(column), name="gin_trgm_ops"), name=name))
    return indexes
