"""What migrations share: SQL for one database only (PostgreSQL's index types, SQLite's FTS5).

Here rather than in a migration, so that no migration imports another migration's module (which
ties one migration's history to another's file and breaks when migrations are squashed).
"""


def on_database(statements: dict[str, str]):
    """A RunPython function that runs the statement for the database in use, if it has one."""

    def operation(apps, schema_editor):
        sql = statements.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql)

    return operation


def postgresql_only(sql: str):
    return on_database({"postgresql": sql})
