"""Dataset bundles: everything the NGO has recorded, written out and read back
(``manage.py export_dataset`` / ``import_dataset``; docs/deployment.md, "Backups").

A bundle is a directory:

- ``manifest.json``: the format and its version, when and from which schema (the last migration
  of each app) it was written, and for each model its file, number of records and SHA-256;
- one JSON Lines file per model, records in primary-key order, written by Django's serializer
  with natural keys for content types, permissions, groups and users, so that they match the
  database restored into.

It holds every record whatever its publication status or visibility (restricted records are
what is most worth keeping), staff accounts and their groups (password hashes included, never
sessions or second-factor secrets: staff enrol their authenticator again), API tokens as the
database keeps them (keyed hashes, usable again only under the same ``SECRET_KEY``; see
extraditions/tokens.py), the audit of restricted views, the alerts' subscribers, webhooks and the
snapshot of the public record they are compared with (a restored tracker announces nothing
twice), and with ``--with-history`` every
record's history. Derived data (the search index) is rebuilt on import rather than stored. A
bundle is as sensitive as the database: store it encrypted (docs/security.md).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from extraditions.serialization import LosslessJSONEncoder
from sources.models import file_sha256

FORMAT = "extraditions-dataset"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
RECORD_APPS = ("sources", "treaties", "cases", "extraditions", "alerts")
DERIVED_MODELS = {"extraditions.searchdocument", "cases.personname"}  # rebuilt by the search index
OPERATIONAL_MODELS = {"extraditions.job"}  # the job queue's log: what the worker did, not what was recorded
ACCOUNT_MODELS = ("auth.group", "auth.user")
# Rows a fresh database already has (data migrations, roles set up after migrating): replaced by
# the bundle's on import, so the restored database holds exactly what was exported.
PRESET_MODELS = {"cases.affiliation", "auth.group"}
CHUNK = 2000

Progress = Callable[[str], None]


class BundleError(Exception):
    """A bundle that cannot be restored, or a database it cannot be restored into."""


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def is_history(model) -> bool:
    return label(model).split(".")[1].startswith("historical")


def bundled_models(with_history: bool) -> list[type[models.Model]]:
    """The models a bundle holds, each after those it refers to."""
    chosen = [apps.get_model(name) for name in ACCOUNT_MODELS]
    for app_label in RECORD_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if label(model) in DERIVED_MODELS | OPERATIONAL_MODELS or (is_history(model) and not with_history):
                continue
            chosen.append(model)
    ordered = serializers.sort_dependencies([(None, chosen)], allow_cycles=True)
    return [model for model in ordered if model in chosen]


def schema() -> dict[str, str]:
    """The last migration applied in each app whose data the bundle holds."""
    applied = MigrationRecorder(connection).applied_migrations()
    last: dict[str, str] = {}
    for app_label, name in sorted(applied):
        if app_label in (*RECORD_APPS, "auth", "contenttypes"):
            last[app_label] = max(last.get(app_label, ""), name)
    return last


def sha256_of(path: Path) -> str:
    with path.open("rb") as stream:
        return file_sha256(File(stream))


# --- writing ------------------------------------------------------------------------------------


def records_of(model) -> Iterator[models.Model]:
    queryset = model._default_manager.order_by("pk")
    if label(model) == "auth.user":
        queryset = queryset.prefetch_related("groups", "user_permissions")
    return queryset.iterator(chunk_size=CHUNK)


class Counted:
    """Records passed through while counting them, with a line of progress every 20,000."""

    def __init__(self, records, name: str, progress: Progress):
        self.records, self.name, self.progress, self.count = records, name, progress, 0

    def __iter__(self):
        for record in self.records:
            self.count += 1
            if self.count % 20_000 == 0:
                self.progress(f"  {self.name}: {self.count:,}")
            yield record


def export_bundle(directory: Path, with_history: bool = False, progress: Progress = print) -> dict:
    """Write every record into ``directory`` (new or empty), in one consistent snapshot."""
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise BundleError(f"{directory} is not empty: give a new directory for the bundle.")
    files = []
    # One snapshot: on PostgreSQL, a read-only repeatable-read transaction sees no write that
    # lands during the export, so references between files always resolve.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for model in bundled_models(with_history):
            name = f"{label(model)}.jsonl"
            path = directory / name
            counted = Counted(records_of(model), label(model), progress)
            with path.open("w", encoding="utf-8") as stream:
                serializers.serialize("jsonl", counted, stream=stream, cls=LosslessJSONEncoder,
                                      use_natural_foreign_keys=True,
                                      use_natural_primary_keys=label(model) == "auth.group")
            count = counted.count
            files.append({"model": label(model), "file": name, "records": count, "sha256": sha256_of(path)})
            progress(f"{label(model)}: {count:,} records")
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": connection.vendor,
            "schema": schema(),
            "with_history": with_history,
            "files": files,
        }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


# --- reading ------------------------------------------------------------------------------------


@dataclass
class Restored:
    records: dict[str, int]
    indexed: dict[str, int]


def read_manifest(directory: Path) -> dict:
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BundleError(f"No {MANIFEST} in {directory}: not a dataset bundle.") from None
    except json.JSONDecodeError as error:
        raise BundleError(f"{MANIFEST} is not valid JSON: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BundleError(f"Not a dataset bundle (format {manifest.get('format')!r}).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BundleError(f"Bundle format version {manifest.get('format_version')}; this version reads {FORMAT_VERSION}.")
    return manifest


def check_bundle(directory: Path, manifest: dict) -> None:
    """Every file is there and unchanged, and the bundle's schema is this database's."""
    for entry in manifest["files"]:
        path = directory / entry["file"]
        if not path.is_file():
            raise BundleError(f"{entry['file']} is missing from the bundle.")
        if sha256_of(path) != entry["sha256"]:
            raise BundleError(f"{entry['file']} does not match its checksum: the bundle is damaged or was altered.")
    here = schema()
    different = {app: (theirs, here.get(app)) for app, theirs in manifest["schema"].items() if here.get(app) != theirs}
    if different:
        details = "; ".join(f"{app}: bundle {theirs}, database {ours}" for app, (theirs, ours) in different.items())
        raise BundleError(
            f"The bundle was written with another schema ({details}). Restore it with the version of the "
            "application that wrote it, then upgrade (migrate)."
        )


def check_empty(manifest: dict) -> None:
    occupied = [
        entry["model"]
        for entry in manifest["files"]
        if entry["model"] not in PRESET_MODELS and apps.get_model(entry["model"])._default_manager.exists()
    ]
    if occupied:
        raise BundleError(
            "The database already holds records (" + ", ".join(occupied[:5]) + "): a bundle is restored into an "
            "empty, migrated database only, so that nothing is mixed or overwritten."
        )


def import_bundle(directory: Path, progress: Progress = print) -> Restored:
    """Restore a bundle into an empty database: all of it, in one transaction, or nothing."""
    from extraditions.caching import new_data_version
    from extraditions.search import indexing

    manifest = read_manifest(directory)
    check_bundle(directory, manifest)
    restored: dict[str, int] = {}
    with transaction.atomic(), indexing.deferred():
        check_empty(manifest)
        clear_presets()
        indexing.clear()  # an empty database's index is empty, or left over: it is rebuilt below
        # As loaddata does: references are checked once everything is in, so that records
        # referring to each other (in either order) load.
        with connection.constraint_checks_disabled():
            for entry in manifest["files"]:
                restored[entry["model"]] = load_file(directory / entry["file"], entry, progress)
        models_restored = [apps.get_model(name) for name in restored]
        connection.check_constraints(table_names=[model._meta.db_table for model in models_restored])
        reset_sequences(models_restored)
    progress("Rebuilding the search index")
    indexed = indexing.rebuild()
    new_data_version()
    return Restored(restored, indexed)


def clear_presets() -> None:
    """Remove the rows a fresh database starts with, and the history their removal wrote: the
    bundle brings its own (the database is otherwise empty, so that history is all there is)."""
    for model_label in PRESET_MODELS:
        model = apps.get_model(model_label)
        model._default_manager.all().delete()
        if hasattr(model, "history"):
            model.history.all().delete()


def load_file(path: Path, entry: dict, progress: Progress) -> int:
    count, waiting = 0, []
    with path.open(encoding="utf-8") as stream:
        for deserialized in serializers.deserialize("jsonl", stream, handle_forward_references=True):
            deserialized.save()
            if deserialized.deferred_fields:
                waiting.append(deserialized)  # refers to a record later in the file
            count += 1
    for deserialized in waiting:
        deserialized.save_deferred_fields()
    if count != entry["records"]:
        raise BundleError(f"{entry['file']}: read {count} records, the manifest says {entry['records']}.")
    progress(f"{entry['model']}: {count:,} records")
    return count


def reset_sequences(model_list) -> None:
    """Primary keys came from the bundle: the next new record must not collide with them."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
