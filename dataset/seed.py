"""Loading the hand-written seed dataset (``fixtures/seed/*.yaml``) into the database.

The format is described in ``docs/seed-format.md``. Loading is idempotent: records are matched
by slug (or by a UUID derived from their key and place in the file), only what differs is
written, and children that vanished from the file are removed. Everything happens in one
transaction: a file with one bad record loads nothing, and the error names the record.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from cases import models as cases
from extraditions.models import PublicationStatus, PublishableModel, Visibility
from extraditions.partial_dates import PartialDate
from extraditions.search import indexing as search_indexing
from sources.models import Citation, ReportedFigure, Source
from treaties.models import Treaty, TreatyStep

SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "seed"
SEED_NAMESPACE = uuid.UUID("7d0f2a44-5f7e-4d1a-9a57-3f1f0c6f1e21")

PROMISES = {
    "no_death_penalty": "promises_no_death_penalty",
    "no_torture": "promises_no_torture",
    "fair_trial": "promises_fair_trial",
    "consular_access": "promises_consular_access",
    "monitoring": "promises_monitoring",
}


class SeedError(Exception):
    """A record in the seed files is invalid; the message says which and why."""


def seed_uid(*parts: str) -> uuid.UUID:
    """A UUID that is the same on every load for the same record."""
    return uuid.uuid5(SEED_NAMESPACE, "/".join(parts))


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, {self.deleted} removed"


@dataclass
class SeedLoader:
    seed_dir: Path = SEED_DIR
    report: Callable[[str], None] = print
    tallies: dict[str, Tally] = field(default_factory=dict)

    # --- entry point ------------------------------------------------------------------------

    def load(self) -> dict[str, Tally]:
        steps = [
            ("sources.yaml", self.load_source),
            ("provisions.yaml", self.load_provision),
            ("treaties.yaml", self.load_treaty),
            ("agreements.yaml", self.load_treaty),
            ("persons.yaml", self.load_person),
            ("cases.yaml", self.load_case),
            ("notices.yaml", self.load_notice),
            ("figures.yaml", self.load_figure),
            ("breaches.yaml", self.load_breach),
        ]
        # The search index is written once per touched record, at the end, not at every save.
        with transaction.atomic(), search_indexing.deferred():
            for filename, load_record in steps:
                records = self.read(filename)
                if records is None:
                    self.report(f"{filename}: not present, skipped")
                    continue
                self.report(f"{filename}: loading {len(records)} records")
                for index, record in enumerate(records, start=1):
                    where = f"{filename} record {index} ({record.get('slug') or record.get('key') or '?'})"
                    try:
                        load_record(record)
                    except SeedError as error:
                        raise SeedError(f"{where}: {error}") from None
                    except ValidationError as error:
                        raise SeedError(f"{where}: {format_validation_error(error)}") from None
                    except (KeyError, ValueError, TypeError) as error:
                        raise SeedError(f"{where}: {error!r}") from None
        return self.tallies

    def read(self, filename: str) -> list[dict] | None:
        path = self.seed_dir / filename
        if not path.exists():
            return None
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(data, list):
            raise SeedError(f"{filename}: expected a list of records")
        return data

    # --- generic upsert -----------------------------------------------------------------------

    def tally(self, model) -> Tally:
        return self.tallies.setdefault(model._meta.verbose_name_plural, Tally())

    def upsert(self, model, lookup: dict, values: dict, m2m: dict | None = None, published: bool = True):
        """Create or update one record, writing only when something differs."""
        if published and issubclass(model, PublishableModel):
            values = {"publication_status": PublicationStatus.PUBLISHED, "visibility": Visibility.PUBLIC, **values}
            if hasattr(model, "visibility_decided"):
                values.setdefault("visibility_decided", True)  # the compiler of the dataset decided it
        values = expand_partial_dates(values)
        instance = model.objects.filter(**lookup).first()
        created = instance is None
        if created:
            instance = model(**lookup)
        changed = created
        for name, value in values.items():
            model_field = model._meta.get_field(name)
            if value is None and not model_field.null:
                value = model_field.get_default()  # left out of the file: the model's default
            if not field_equals(instance, name, value):
                setattr(instance, name, value)
                changed = True
        if changed:
            instance.full_clean(validate_unique=False, validate_constraints=True)
            instance.save()
        m2m_changed = False
        for name, related in (m2m or {}).items():
            manager = getattr(instance, name)
            if set(manager.values_list("pk", flat=True)) != {obj.pk for obj in related}:
                manager.set(related)
                m2m_changed = True
        tally = self.tally(model)
        if created:
            tally.created += 1
        elif changed or m2m_changed:
            tally.updated += 1
        else:
            tally.unchanged += 1
        return instance

    def remove_others(self, queryset, keep: Iterable[models.Model]):
        stale = queryset.exclude(pk__in=[obj.pk for obj in keep])
        count = stale.count()
        if count:
            for obj in stale:
                obj.delete()
            self.tally(queryset.model).deleted += count

    def sync_citations(self, instance, citations: list[dict] | None):
        content_type = ContentType.objects.get_for_model(instance)
        kept = []
        for citation in citations or []:
            source = self.get(Source, citation["source"])
            locator = str(citation.get("locator") or "")
            kept.append(
                self.upsert(
                    Citation,
                    {"content_type": content_type, "object_id": instance.pk, "source": source, "locator": locator},
                    {"note": citation.get("note") or "", "uid": seed_uid("citation", str(instance.uid), source.slug, locator)},
                )
            )
        self.remove_others(Citation.objects.filter(content_type=content_type, object_id=instance.pk), kept)

    def get(self, model, slug: str | None):
        if not slug:
            return None
        try:
            return model.objects.get(slug=slug)
        except model.DoesNotExist:
            raise SeedError(f"no {model._meta.verbose_name} with slug {slug!r}") from None

    # --- one loader per file --------------------------------------------------------------------

    def load_source(self, r: dict):
        self.upsert(
            Source,
            {"slug": r["slug"]},
            pick(r, "kind", "title", "author", "publisher", "url", "archived_url", "language", "notes")
            | partials(r, "published_on")
            | {"uid": seed_uid("source", r["slug"])},
        )

    def load_provision(self, r: dict):
        self.upsert(
            cases.LegalProvision,
            {"slug": r["slug"]},
            pick(r, "instrument", "instrument_name", "article", "title", "country", "vocabulary")
            | {"uid": seed_uid("provision", r["slug"])},
        )

    def load_treaty(self, r: dict):
        flags = {name: r.get(name) for name in ("simplified_procedure", "death_penalty_refusal",
                                                "political_offence_exception", "nationals_refusal")}
        treaty = self.upsert(
            Treaty,
            {"slug": r["slug"]},
            pick(r, "kind", "china_party", "counterpart", "counterpart_organisation", "title", "notes",
                 "known_signed_evidence", "known_in_force_evidence")
            | partials(r, "signed_on", "known_signed_by", "china_approved_on", "counterpart_ratified_on", "in_force_on",
                       "known_in_force_on", "suspended_on", "terminated_on")
            | flags
            | {"uid": seed_uid("treaty", r["slug"])},
        )
        steps = []
        for index, step in enumerate(r.get("steps") or []):
            steps.append(
                self.upsert(
                    TreatyStep,
                    {"uid": seed_uid("treaty", r["slug"], "step", str(index))},
                    {"treaty": treaty, "kind": step["kind"], "description": step.get("description") or "",
                     **partials({"occurred_on": step["date"]}, "occurred_on")},
                )
            )
            self.sync_citations(steps[-1], step.get("citations"))
        self.remove_others(treaty.steps.all(), steps)
        self.sync_citations(treaty, r.get("citations"))

    def load_person(self, r: dict):
        affiliations = [self.get(cases.Affiliation, slug.replace("_", "-")) for slug in r.get("affiliations") or []]
        person = self.upsert(
            cases.Person,
            {"slug": r["slug"]},
            pick(r, "name", "name_original", "original_script", "occupation", "asylum_status", "asylum_country",
                 "current_situation", "biography")
            | {
                "is_pseudonym": bool(r.get("is_pseudonym")),
                "is_unnamed": bool(r.get("is_unnamed")),
                "asylum_by_unhcr": bool(r.get("asylum_by_unhcr")),
                "citizenships": r.get("citizenships") or [],
                "uid": seed_uid("person", r["slug"]),
            }
            | partials(r, "asylum_since"),
            m2m={"affiliations": affiliations},
        )
        aliases = [
            self.upsert(
                cases.Alias,
                {"person": person, "name": alias["name"]},
                pick(alias, "script", "kind", "note") | {
                    "source": self.get(Source, alias.get("source")),
                    "uid": seed_uid("person", r["slug"], "alias", alias["name"]),
                },
            )
            for alias in r.get("aliases") or []
        ]
        self.remove_others(person.aliases.all(), aliases)
        self.sync_citations(person, r.get("citations"))

    def load_case(self, r: dict):
        slug = r["slug"]
        case = self.upsert(
            cases.Case,
            {"slug": slug},
            pick(r, "title", "kind", "requesting_state", "host_country", "group_description", "charges",
                 "charge_category", "outcome", "aftermath", "aftermath_detail", "summary")
            | {"group_size": r.get("group_size"), "treaty": self.get(Treaty, r.get("treaty")), "uid": seed_uid("case", slug)}
            | partials(r, "started_on"),
        )
        self.sync_citations(case, r.get("citations"))

        participants = [
            self.upsert(
                cases.CaseParticipant,
                {"case": case, "person": self.get(cases.Person, p["person"])},
                {"role": p.get("role") or cases.ParticipantRole.SUBJECT, "uid": seed_uid("case", slug, "person", p["person"])},
            )
            for p in r.get("participants") or []
        ]
        self.remove_others(case.participants.all(), participants)

        rulings = []
        for item in r.get("rulings") or []:
            ruling = self.upsert(
                cases.CourtRuling,
                {"slug": item["slug"]},
                pick(item, "court", "country", "international_body", "level", "decision", "assurance_assessment",
                     "docket_number", "parties", "ecli", "review_outcome", "summary", "full_text", "language")
                # The rulings it reviews and relies on are entered before it (earlier in the file).
                | {"case": case, "uid": seed_uid("ruling", item["slug"]), "reviews": self.get(cases.CourtRuling, item.get("reviews"))}
                | partials(item, "decided_on"),
                m2m={
                    "grounds": [self.get(cases.LegalProvision, g) for g in item.get("grounds") or []],
                    "relies_on": [self.get(cases.CourtRuling, other) for other in item.get("relies_on") or []],
                },
            )
            self.sync_citations(ruling, item.get("citations"))
            rulings.append(ruling)
        self.remove_others(case.rulings.all(), rulings)

        self.load_children(case, "detentions", r, cases.Detention, lambda d: (
            pick(d, "place", "conditions")
            | {"person": self.get(cases.Person, d.get("person"))}
            | partials({"started_on": d.get("start"), "ended_on": d.get("end")}, "started_on", "ended_on")
        ))
        self.load_children(case, "events", r, cases.CaseEvent, lambda e: (
            pick(e, "kind", "description")
            | {"person": self.get(cases.Person, e.get("person"))}
            | partials({"occurred_on": e.get("date")}, "occurred_on")
        ))
        self.load_children(case, "requests", r, cases.ExtraditionRequest, lambda q: (
            pick(q, "requesting_authority", "legal_basis", "convention", "offences", "decision", "deciding_body")
            | {"treaty": self.get(Treaty, q.get("treaty"))}
            | partials(q, "requested_on", "decided_on")
        ))
        assurances = self.load_children(case, "assurances", r, cases.DiplomaticAssurance, lambda a: (
            pick(a, "giver", "compliance", "breach_detail")
            | {PROMISES[p]: True for p in a.get("promises") or [] if p in PROMISES}
            | {"other_promises": a.get("promise_detail") or ("; ".join(p for p in a.get("promises") or []
                                                                       if p not in PROMISES))}
            | {"accepted_by_host": a.get("accepted_by_host"),
               "assessed_by": self.get(cases.CourtRuling, a.get("assessed_by"))}
            | partials(a, "given_on")
        ))
        # A breach inside a case that names neither a treaty nor a provision breaks the case's
        # (first) assurance.
        def breaks_assurance(b: dict):
            return assurances[0] if assurances and not (b.get("treaty") or b.get("provision")) else None

        self.load_children(case, "breaches", r, cases.Breach, lambda b: (
            self.breach_values(b) | {"case": case, "assurance": breaks_assurance(b)}
        ))

    def load_children(self, case, key: str, record: dict, model, values_of) -> list:
        children = []
        for index, item in enumerate(record.get(key) or []):
            child = self.upsert(model, {"uid": seed_uid("case", case.slug, key, str(index))}, {"case": case, **values_of(item)})
            self.sync_citations(child, item.get("citations"))
            children.append(child)
        self.remove_others(getattr(case, key).all(), children)
        return children

    def breach_values(self, b: dict) -> dict:
        return (
            pick(b, "kind", "by_whom", "description")
            | {
                "treaty": self.get(Treaty, b.get("treaty")),
                "provision": self.get(cases.LegalProvision, b.get("provision")),
                "person": self.get(cases.Person, b.get("person")),
            }
            | partials(b, "occurred_on")
        )

    def load_notice(self, r: dict):
        notice = self.upsert(
            cases.InterpolNotice,
            {"uid": seed_uid("notice", r["key"])},
            pick(r, "kind", "subject_description", "requesting_bureau", "status", "cancellation_reason", "notes")
            | {"subject": self.get(cases.Person, r.get("subject")), "is_public": r.get("is_public")}
            | partials(r, "issued_on", "cancelled_on"),
            m2m={"cases": [self.get(cases.Case, slug) for slug in r.get("cases") or []]},
        )
        self.sync_citations(notice, r.get("citations"))

    def load_figure(self, r: dict):
        figure = self.upsert(
            ReportedFigure,
            {"uid": seed_uid("figure", r["key"])},
            pick(r, "metric", "metric_detail", "scope_country", "scope_label", "unit", "qualifier", "notes")
            | {"year_from": r.get("year_from"), "year_to": r.get("year_to"), "value": exact(r["value"]),
               "value_high": exact(r.get("value_high"))}
            | partials(r, "as_of"),
        )
        self.sync_citations(figure, r.get("citations"))

    def load_breach(self, r: dict):
        breach = self.upsert(cases.Breach, {"uid": seed_uid("breach", r["key"])}, self.breach_values(r))
        self.sync_citations(breach, r.get("citations"))


# --- helpers ---------------------------------------------------------------------------------


def pick(record: dict, *names: str) -> dict:
    """The named fields of a record; a missing one is None, which stands for the model's default."""
    return {name: record.get(name) for name in names}


def exact(number) -> Decimal | None:
    """A YAML number as the decimal it was written as (YAML reads 99.96 as a binary float)."""
    return None if number is None else Decimal(str(number))


def partials(record: dict, *names: str) -> dict:
    """Partial-date fields, read from strings like "2021-07"; missing ones are cleared."""
    return {f"__partial__{name}": record.get(name) for name in names}


def expand_partial_dates(values: dict) -> dict:
    expanded = {}
    for name, value in values.items():
        if not name.startswith("__partial__"):
            expanded[name] = value
            continue
        field_name = name.removeprefix("__partial__")
        if value in (None, ""):
            expanded[field_name], expanded[f"{field_name}_precision"] = None, ""
        else:
            partial = PartialDate.parse(str(value))
            expanded[field_name], expanded[f"{field_name}_precision"] = partial.date, partial.precision.value
    return expanded


def field_equals(instance, name: str, value) -> bool:
    model_field = instance._meta.get_field(name)
    if model_field.many_to_one:
        return getattr(instance, model_field.attname) == getattr(value, "pk", None)
    current = getattr(instance, name)
    if name == "citizenships":
        return [c.code for c in current] == list(value)
    if hasattr(current, "code"):  # a django-countries Country
        return current.code == (value or "")
    if name in ("value", "value_high") and current is not None and value is not None:
        return Decimal(str(current)) == Decimal(str(value))
    return current == value


def format_validation_error(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


def summary_lines(tallies: dict[str, Tally]) -> list[str]:
    total = Counter()
    lines = []
    for name, tally in tallies.items():
        lines.append(f"  {name}: {tally}")
        total.update(vars(tally))
    lines.append(
        f"Total: {total['created']} created, {total['updated']} updated, {total['unchanged']} unchanged, "
        f"{total['deleted']} removed"
    )
    return lines
