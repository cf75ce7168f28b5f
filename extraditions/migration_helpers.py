"""What migrations share: SQL for one database only (PostgreSQL's index types, SQLite's FTS5).

Here rather than in a migration, so that no migration imports another migration's module (which
ties one migration's history to another's file and breaks when migrations are squashed).
"""

from django.db import NotSupportedError
from django.db.migrations.operations import AddIndex, RemoveIndex


def on_database(statements: dict[str, str]):
    """A RunPython function that runs the statement for the database in use, if it has one."""

    def operation(apps, schema_editor):
        sql = statements.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql)

    return operation


def postgresql_only(sql: str):
    return on_database({"postgresql": sql})


class AddIndexWithoutLocking(AddIndex):
    """An index declared in the migration state on every database, built without blocking writes.

    PostgreSQL builds it ``CONCURRENTLY`` (the migration must say ``atomic = False``: that cannot run
    in a transaction), so a production table keeps taking writes while it is built. Another database
    builds it the ordinary way (a PostgreSQL index type, extraditions/indexes.py, builds nothing there).
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            build(schema_editor, "add_index", model, self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            build(schema_editor, "remove_index", model, self.index)

    def describe(self):
        return f"Create index {self.index.name} on {self.model_name} without locking writes"


class RemoveIndexWithoutLocking(RemoveIndex):
    """An index dropped from the migration state on every database, without blocking writes:
    ``DROP INDEX CONCURRENTLY`` on PostgreSQL (``atomic = False``), the ordinary way elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            index = from_state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
            build(schema_editor, "remove_index", model, index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            index = to_state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
            build(schema_editor, "add_index", model, index)

    def describe(self):
        return f"Remove index {self.name} from {self.model_name} without locking writes"


def build(schema_editor, method: str, model, index) -> None:
    if schema_editor.connection.vendor == "postgresql":
        if schema_editor.connection.in_atomic_block:
            raise NotSupportedError("An index built without locking needs a migration with atomic = False.")
        getattr(schema_editor, method)(model, index, concurrently=True)
    else:
        getattr(schema_editor, method)(model, index)


def batched_update(sql: str, table: str, batch: int = 10_000):
    """A RunPython function that runs ``sql`` (an UPDATE ending in ``WHERE id BETWEEN %s AND %s``)
    over ``table`` one range of ids at a time: in a migration with ``atomic = False`` each batch
    commits on its own, so a large table is never locked whole nor rewritten in one transaction."""

    def operation(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"SELECT MIN(id), MAX(id) FROM {table}")
            low, high = cursor.fetchone()
            if low is None:
                return
            for start in range(low, high + 1, batch):
                cursor.execute(sql, [start, start + batch - 1])

    return operation
