"""python manage.py generate_synthetic --scale small|large [--seed N]: fictitious data for benchmarks.

Deterministic for a seed, written in bulk through the real models, with the search index built at
the end. Refuses a database that already holds persons or cases: synthetic records must never mix
with documented ones.
"""

from django.core.management.base import BaseCommand, CommandError

from cases.models import Case, Person
from dataset.synthetic import SCALES, Generator
from extraditions.caching import new_data_version


class Command(BaseCommand):
    help = "Fill an empty database with synthetic persons, cases, rulings, notices and citations, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small",
                            help="tiny (tests), small (thousands of records) or large (100,000 persons and cases, ...).")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same data.")

    def handle(self, *args, scale: str, seed: int, **options):
        if Person.objects.exists() or Case.objects.exists():
            raise CommandError(
                "This database already holds persons or cases. Synthetic data goes into an empty database "
                "only (create one and migrate it), so that it never mixes with documented records."
            )
        self.stdout.write(f"Generating the {scale} synthetic dataset (seed {seed})")
        counts = Generator(SCALES[scale], seed=seed, report=self.stdout.write).run()
        new_data_version()  # bulk writes send no signals: cached figures must go stale by hand
        seconds = counts.pop("seconds")
        summary = ", ".join(f"{label} {count:,}" for label, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Created {summary} in {seconds:.1f}s."))
