"""Migrations a production database can apply, and that stay correct as the project moves on."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from extraditions.migration_helpers import build
from tests.processes import ROOT


def migration_files() -> list[Path]:
    return sorted(path for path in ROOT.glob("*/migrations/[0-9]*.py"))


def test_no_migration_imports_another_migrations_module():
    """A migration that imports another's module ties its meaning to that file: squashing or
    editing the other changes it. Shared code lives in extraditions/migration_helpers.py."""
    offenders = []
    for path in migration_files():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "import_module":
                names = [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
            offenders += [f"{path.relative_to(ROOT)}: {name}" for name in names
                          if ".migrations." in name and not name.startswith("django.")]
    assert migration_files() and offenders == []


PROJECT_APPS = {"cases", "treaties", "sources", "extraditions"}


def collecting_editor():
    """A schema editor that only writes down its SQL (not entered: SQLite's refuses a transaction)."""
    return connection.SchemaEditorClass(connection, collect_sql=True)


def declared_index_names(model) -> set[str]:
    """The indexes Django would build for ``model`` from its state: its fields' and its Meta's."""
    statements = collecting_editor()._model_indexes_sql(model)
    return {str(statement.parts["name"]).strip('"`') for statement in statements if "name" in statement.parts}


@pytest.mark.django_db
def test_every_index_in_the_database_is_declared_in_the_migration_state():
    """An index made by raw SQL only is invisible to Django: a later migration can neither see nor
    change it, and a new database built another way lacks it. Each must be in the state (built by a
    RunPython of its own, it is declared with SeparateDatabaseAndState)."""
    undeclared = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label not in PROJECT_APPS:
                continue
            declared = declared_index_names(model)
            for name, info in connection.introspection.get_constraints(cursor, model._meta.db_table).items():
                if info["index"] and not info["unique"] and not info["primary_key"] and name not in declared:
                    undeclared.append(f"{model._meta.db_table}.{name}")
    assert undeclared == []


@pytest.mark.django_db
def test_postgresql_index_types_build_nothing_elsewhere_and_lists_sort_nulls_last_on_each_database():
    from cases.models import Case, PersonName

    editor = collecting_editor()
    for index in PersonName._meta.indexes:
        editor.add_index(PersonName, index)
    editor.add_index(Case, next(i for i in Case._meta.indexes if i.name == "cases_case_public_started"))
    trigram, _, public_list = editor.collected_sql
    if connection.vendor == "postgresql":
        assert "gin_trgm_ops" in trigram and "NULLS LAST" in public_list
    else:
        assert trigram == "SELECT 1;" and "NULLS" not in public_list and "DESC" in public_list


def test_an_index_built_without_locking_refuses_a_transaction_on_postgresql():
    from django.db import NotSupportedError

    class Editor:
        class connection:
            vendor = "postgresql"
            in_atomic_block = True

    with pytest.raises(NotSupportedError):
        build(Editor(), "add_index", None, None)
