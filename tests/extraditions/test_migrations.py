"""Migrations a production database can apply, and that stay correct as the project moves on."""

import ast
from pathlib import Path

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
