"""The layout holds: the API and the site are adapters over the domain apps, and neither imports the other.

Read from the source (its imports and calls, by ``ast``), so that a module added later is held
to the same rules:

- no module of an ``api`` package imports a module of the site, and no module of the site imports
  anything from an ``api`` package (stable ids and API addresses come from
  ``extraditions/identifiers.py``, search from the apps' ``search.py``, filters from their
  ``filtersets.py``);
- every filter set is declared in its app's ``filtersets.py`` (the generic ones in
  ``extraditions/filtering.py``);
- how a record is read (``Prefetch``, ``select_related``, ``prefetch_related``) is declared in its
  app's ``reads.py``, never in an API or site view: ``Prefetch`` and ``GenericPrefetch`` are built
  only in ``reads.py``, ``models`` and the search index's ``search.py``;
- each app's ``urls.py`` routes to its own pages only;
- ``extraditions/`` is infrastructure: it imports no domain app and not ``dataset/`` or ``alerts/``
  (what reads across the apps), except the URL confs that assemble them; the domain apps never
  import ``dataset/`` or ``alerts/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cases", "treaties", "sources", "dataset", "alerts", "extraditions")
APPS = ("cases", "treaties", "sources")
# The URL confs that put the apps' routes together: the only infrastructure that names them.
ASSEMBLY = {"extraditions.urls", "extraditions.api.urls", "extraditions.site_urls"}

SITE_MODULES = {
    *(f"{app}.views" for app in APPS),
    *(f"{app}.urls" for app in APPS),
    "dataset.views",
    "dataset.downloads",
    "alerts.views",
    "alerts.feeds",
    "alerts.urls",
    "extraditions.pages",
    "extraditions.site_urls",
}
# Modules that adapt the domain to a channel: they call its read shapes instead of shaping reads.
VIEW_MODULES = {*(f"{app}.views" for app in APPS), "dataset.views", "dataset.downloads", "extraditions.pages", "extraditions.api.views"}
SHAPING_CALLS = {"Prefetch", "GenericPrefetch", "prefetch_related", "select_related"}
PREFETCH_CLASSES = {"Prefetch", "GenericPrefetch"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                found[module_name(path)] = path
    return found


MODULES = modules()


def imported_names(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module a source imports, absolute, anywhere in it (inside functions too); for
    ``from a import b`` both ``a`` and ``a.b``, since ``b`` may be a module."""
    package = module if is_package else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module
            names.add(origin)
            names.update(f"{origin}.{alias.name}" for alias in node.names)
    return names


def imports_of(module: str) -> set[str]:
    path = MODULES[module]
    return imported_names(path.read_text(), module, path.name == "__init__.py")


def is_api(name: str) -> bool:
    parts = name.split(".")
    return parts[0] in PACKAGES and "api" in parts[1:]


def calls_in(module: str) -> list[tuple[str, int]]:
    """(name, line) of every call of a function or method in a module."""
    calls = []
    for node in ast.walk(ast.parse(MODULES[module].read_text())):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name:
                calls.append((name, node.lineno))
    return calls


API_MODULES = sorted(name for name in MODULES if is_api(name))


def test_the_rules_see_the_modules_they_hold():
    assert not SITE_MODULES - set(MODULES)
    assert not VIEW_MODULES - set(MODULES)
    assert {"cases.api.views", "extraditions.api.views", "extraditions.api.urls"} <= set(API_MODULES)
    # Relative imports resolve as Python does.
    assert "cases.api.views" in imported_names("from .api.views import CaseViewSet", "cases.views")
    assert "extraditions.api.routers" in imported_names("from .routers import router", "extraditions.api.views")
    assert "extraditions.pages" in imported_names("from ..pages import SitePageMixin", "extraditions.api.views")
    assert "cases.views" in imported_names("def f():\n    from cases import views", "cases.api.views")
    assert "cases.filtersets" in imported_names("from .. import filtersets", "cases.api.views")


@pytest.mark.parametrize("module", API_MODULES)
def test_no_api_module_imports_the_site(module):
    assert not imports_of(module) & SITE_MODULES


@pytest.mark.parametrize("module", sorted(SITE_MODULES))
def test_no_site_module_imports_the_api(module):
    assert not sorted(name for name in imports_of(module) if is_api(name))


def test_filter_sets_are_declared_in_their_apps_filtersets():
    homes = {f"{app}.filtersets" for app in APPS} | {"extraditions.filtering"}
    declared = [
        (module, node.name)
        for module, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ClassDef) and node.name.endswith("FilterSet")
    ]
    assert len(declared) >= len(APPS), "the rule reads the wrong files"
    assert not [f"{module}.{name}" for module, name in declared if module not in homes]


def test_every_resource_filters_with_its_apps_filter_set():
    from extraditions.api.urls import router

    for prefix, viewset, _ in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        if filterset is not None:
            app = viewset.__module__.partition(".")[0]
            assert filterset.__module__ == f"{app}.filtersets", prefix
            assert viewset.facets is filterset.facets, prefix


@pytest.mark.parametrize("module", sorted(VIEW_MODULES | {name for name in API_MODULES if name.split(".")[0] in APPS}))
def test_views_read_records_in_the_shapes_of_their_apps_reads(module):
    assert not [f"{name}() on line {line}" for name, line in calls_in(module) if name in SHAPING_CALLS]


def test_prefetch_trees_are_built_only_in_reads_models_and_the_search_index():
    def allowed(module: str) -> bool:
        parts = module.split(".")
        return parts[-1] in {"reads", "models", "search"} or "models" in parts[:-1]

    builders = {module for module in MODULES if any(name in PREFETCH_CLASSES for name, _ in calls_in(module))}
    assert builders, "no Prefetch found at all: the rule reads the wrong files"
    assert not sorted(module for module in builders if not allowed(module))


@pytest.mark.parametrize("app", APPS)
def test_each_apps_urls_route_to_its_own_pages(app):
    views = {name for name in imports_of(f"{app}.urls") if name.endswith(".views") or ".views." in name}
    assert views and all(name.startswith(f"{app}.") for name in views), views


def belongs_to(name: str, packages) -> bool:
    return name.split(".")[0] in packages


@pytest.mark.parametrize("module", sorted(name for name in MODULES if belongs_to(name, {"extraditions"}) and name not in ASSEMBLY))
def test_infrastructure_imports_no_domain_app(module):
    assert not sorted(name for name in imports_of(module) if belongs_to(name, {*APPS, "dataset", "alerts"}))


@pytest.mark.parametrize("module", sorted(name for name in MODULES if belongs_to(name, APPS)))
def test_the_domain_apps_do_not_import_what_reads_across_them(module):
    assert not sorted(name for name in imports_of(module) if belongs_to(name, {"dataset", "alerts"}))
