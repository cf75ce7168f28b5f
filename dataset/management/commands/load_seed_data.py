"""python manage.py load_seed_data: load fixtures/seed/*.yaml, idempotently, in one transaction."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dataset.seed import SEED_DIR, SeedError, SeedLoader, summary_lines


class Command(BaseCommand):
    help = "Load the seed dataset (fixtures/seed/*.yaml). Loading twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=SEED_DIR, help="Directory of the seed YAML files.")

    def handle(self, *args, dir: Path, **options):
        started = time.monotonic()
        loader = SeedLoader(seed_dir=dir, report=lambda line: self.stdout.write(line))
        try:
            tallies = loader.load()
        except SeedError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        for line in summary_lines(tallies):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Seed data loaded in {time.monotonic() - started:.1f}s."))
