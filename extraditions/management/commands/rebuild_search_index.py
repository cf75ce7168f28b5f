"""python manage.py rebuild_search_index: index every searchable record from scratch.

Needed once after the search migrations on an existing database; afterwards every write keeps
the index fresh by itself.
"""

import time

from django.core.management.base import BaseCommand

from extraditions.search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the full-text and name index of every searchable record."

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(kind: str, done: int, total: int) -> None:
            self.stdout.write(f"  {kind}: {done}/{total}")

        counts = rebuild(progress)
        summary = ", ".join(f"{kind} {count}" for kind, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Indexed: {summary} ({time.monotonic() - started:.1f}s)."))
