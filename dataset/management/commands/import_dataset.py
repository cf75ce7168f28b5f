"""python manage.py import_dataset PATH: restore a bundle written by export_dataset into an empty database."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dataset.backups import BundleError, import_bundle


class Command(BaseCommand):
    help = (
        "Restore a bundle written by export_dataset into an empty, migrated database: its checksums and "
        "schema are checked first, then everything is loaded in one transaction and the search index rebuilt."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The bundle's directory (with manifest.json).")

    def handle(self, *args, path: Path, **options):
        started = time.monotonic()
        try:
            restored = import_bundle(path, progress=self.stdout.write)
        except BundleError as error:
            raise CommandError(str(error)) from None
        indexed = ", ".join(f"{kind} {count:,}" for kind, count in restored.indexed.items())
        self.stdout.write(self.style.SUCCESS(
            f"Restored {sum(restored.records.values()):,} records of {len(restored.records)} kinds from {path} "
            f"in {time.monotonic() - started:.1f}s; search index: {indexed}."
        ))
