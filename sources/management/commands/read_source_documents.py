"""python manage.py read_source_documents: read the text of every attached document again.

Needed once after the upgrade that made documents searchable (files attached before it have no
pages of text), and after a change to how documents are read. Each source is read and stored in
its own transaction, so that one damaged file is reported and the others are still read.
"""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from sources import documents
from sources.models import Source


class Command(BaseCommand):
    help = "Read the text of every source's attached file, page by page, and index it."

    def add_arguments(self, parser):
        parser.add_argument("--changed-only", action="store_true", help="Only sources whose pages are not their file's.")

    def handle(self, *args, changed_only=False, **options):
        started = time.monotonic()
        sources = Source.objects.exclude(file="").order_by("pk")
        total, counts = sources.count(), {"read": 0, "unchanged": 0, "failed": 0}
        for done, source in enumerate(sources.iterator(chunk_size=100), start=1):
            # A file attached before documents were read has no kind yet: it was never read.
            if changed_only and source.media_type and source.pages.filter(sha256=source.sha256).count() == source.page_count:
                counts["unchanged"] += 1
                continue
            try:
                with source.file.open("rb") as file:
                    document = documents.read_document(file)
            except (OSError, documents.UnreadableDocument) as error:
                counts["failed"] += 1
                self.stderr.write(f"  {source.slug}: {error}")
                continue
            with transaction.atomic():
                source.media_type, source.page_count = document.media_type, len(document.pages)
                Source.objects.filter(pk=source.pk).update(media_type=source.media_type, page_count=source.page_count)
                documents.keep_pages_current(source, document)  # written again, whatever the pages were
            counts["read"] += 1
            if done % 10 == 0 or done == total:
                self.stdout.write(f"  {done}/{total} sources")
        summary = ", ".join(f"{count} {what}" for what, count in counts.items())
        style = self.style.SUCCESS if not counts["failed"] else self.style.WARNING
        self.stdout.write(style(f"Documents of {total} sources: {summary} ({time.monotonic() - started:.1f}s)."))
