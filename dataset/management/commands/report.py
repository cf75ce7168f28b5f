"""python manage.py report [--on YYYY-MM-DD] [--json]: the headline figures, computed from the records."""

import datetime
import json as _json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dataset.stats import headline_figures
from treaties.status import StatusEvidence


class Command(BaseCommand):
    help = "Print the headline figures computed from the published records, on a date (default today)."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="The date the figures refer to, YYYY-MM-DD (default: today).")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of tables.")

    def handle(self, *args, on=None, json=False, **options):
        try:
            day = datetime.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError(f"--on must be a date like 2022-02-01, not {on!r}") from None
        figures = headline_figures(day)
        if json:
            self.stdout.write(_json.dumps(figures, indent=2, ensure_ascii=False))
        else:
            self.print_tables(figures)

    def print_tables(self, figures):
        out = self.stdout.write
        treaties = figures["treaties"]
        out(f"Headline figures on {figures['on']} (published records only)\n")
        out("PRC extradition treaties")
        out(f"  in force:                    {treaties['in_force']}{self.resting_on(treaties, 'in_force')}")
        out(f"  signed, not yet in force:    {treaties['signed_not_in_force']}{self.resting_on(treaties, 'signed')}")
        out(f"  status unknown on the date:  {treaties['by_status']['unknown']}")
        out(f"  Europe: signed {treaties['europe']['signed']}, in force {treaties['europe']['in_force']}")
        for figure in treaties["stated_by_sources"]:
            out(f"  stated: {figure['metric']} ({figure['scope']}, {figure['as_of']}) = {figure['value']}"
                f" [{figure['qualifier']}] — {'; '.join(figure['sources'])}")
        out("  by decade of signature (signed / in force on the date):")
        for decade, row in treaties["by_decade_of_signature"].items():
            out(f"    {decade}: {row['signed']} / {row['in_force_on_date']}")
        self.print_counts("Rulings refusing extradition, by country", figures["rulings_refusing_extradition"]["by_country"])
        self.print_counts("Rulings refusing extradition, by ground", figures["rulings_refusing_extradition"]["by_ground"])
        for key in ("by_kind", "by_host_country", "by_outcome"):
            self.print_counts(f"Cases {key.replace('_', ' ')}", figures["cases"][key])
        self.print_counts("Persons by current situation", figures["persons_by_current_situation"])
        detention = figures["detention"]
        out(f"\nDays in detention on China's request: {detention['total_days']} over {detention['detentions_counted']} detentions")

    @staticmethod
    def resting_on(treaties, status) -> str:
        """ "(dated 27, a source without the date 3, unofficial list 5, inferred from an official count 6: AF, …)" """
        by_evidence = treaties["by_evidence"][status]
        if set(by_evidence) <= {"dated"}:
            return ""
        parts = [f"{StatusEvidence(kind).label.lower()} {count}" for kind, count in by_evidence.items()]
        inferred = treaties["resting_on_inference"][status]
        return f"  ({'; '.join(parts)}{': ' + ', '.join(inferred) if inferred else ''})"

    def print_counts(self, title, mapping):
        self.stdout.write(f"\n{title}")
        for key, value in mapping.items():
            self.stdout.write(f"  {key:<32} {value}")
