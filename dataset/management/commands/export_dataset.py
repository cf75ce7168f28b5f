"""python manage.py export_dataset PATH [--with-history]: a complete backup bundle (dataset/backups.py)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dataset.backups import BundleError, export_bundle


class Command(BaseCommand):
    help = (
        "Write every record (restricted ones included), staff accounts and the audit of restricted views "
        "into a new directory, with a manifest of checksums. Restore with import_dataset."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A new (or empty) directory for the bundle.")
        parser.add_argument("--with-history", action="store_true", help="Include every record's change history.")

    def handle(self, *args, path: Path, with_history: bool, **options):
        started = time.monotonic()
        try:
            manifest = export_bundle(path, with_history=with_history, progress=self.stdout.write)
        except BundleError as error:
            raise CommandError(str(error)) from None
        records = sum(entry["records"] for entry in manifest["files"])
        self.stdout.write(self.style.SUCCESS(
            f"Exported {records:,} records of {len(manifest['files'])} kinds"
            f"{' with their history' if with_history else ''} to {path} in {time.monotonic() - started:.1f}s."
        ))
