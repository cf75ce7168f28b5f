"""python manage.py build_bulk_downloads: make the data page's bulk files for the current data.

The files are otherwise made by the first request for them after the data changed; at hundreds
of thousands of records that takes a while, so run this after publishing (or from cron) to have
them ready. It does nothing when the current files are already made.
"""

import time

from django.core.management.base import BaseCommand

from dataset import bulk


class Command(BaseCommand):
    help = "Build the bulk downloads (SQLite, CSV zip, JSON Lines zip) of every public record."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="localhost", help="The public host name the records' URLs are given with.")
        parser.add_argument("--http", action="store_true", help="URLs with http:// rather than https://.")

    def handle(self, *args, host, http, **options):
        started = time.monotonic()
        bundle = bulk.current_bundle(host, not http, progress=lambda message: self.stdout.write(f"  {message}"))
        files = ", ".join(f"{file['name']} ({file['bytes']:,} bytes)" for file in bundle.files.values())
        self.stdout.write(self.style.SUCCESS(
            f"Bulk downloads of data version {bundle.version}: {bundle.rows:,} records in {len(bundle.tables)} lists; "
            f"{files} ({time.monotonic() - started:.1f}s)."
        ))
