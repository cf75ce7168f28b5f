"""Synthetic data for benchmarks and load tests: realistic in shape, deterministic, fictitious.

Every record goes through the real models (their constraints hold; partial dates are normalised as
a save would) but is written with ``bulk_create``, then the search index is built in bulk.
Slugs start with ``syn-`` and sources are titled "Synthetic …", so synthetic records are never
mistaken for documented ones; the generator refuses a database that already holds records.
History is not written for synthetic records.
"""

from __future__ import annotations

import datetime
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django_countries import countries
from pypinyin import lazy_pinyin

from cases import models as m
from extraditions.models import PublicationStatus, Visibility
from extraditions.partial_dates import normalise_partial_dates
from extraditions.search.indexing import rebuild
from sources.models import Citation, FigureMetric, FigureUnit, ReportedFigure, Source, SourceKind
from treaties.models import Treaty, TreatyKind, TreatyStep, TreatyStepKind


@dataclass(frozen=True)
class Scale:
    persons: int
    cases: int
    rulings: int
    notices: int
    citations: int
    sources: int
    ruling_bytes: int  # the average length of a ruling's full text
    countries: int = 150


SCALES = {
    "tiny": Scale(persons=40, cases=40, rulings=12, notices=30, citations=300, sources=20, ruling_bytes=2_000, countries=12),
    "small": Scale(persons=5_000, cases=5_000, rulings=1_000, notices=5_000, citations=25_000, sources=500, ruling_bytes=8_000),
    "large": Scale(
        persons=100_000, cases=100_000, rulings=20_000, notices=100_000, citations=500_000, sources=5_000,
        ruling_bytes=8_000,
    ),
}

BATCH = 2_000
FIRST_YEAR, LAST_YEAR = 1995, 2026

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红海波鹏宇浩然子轩思雨梓涵文博晓东建业"
UYGHUR_GIVEN = ["Abdulla", "Ablimit", "Adil", "Ahmat", "Alim", "Dilnur", "Gulnar", "Idris", "Mehmet", "Nurmemet",
                "Patigul", "Rahile", "Tursun", "Yusup", "Zumret", "Ekpar", "Memet", "Mihray", "Omer", "Salih"]
UYGHUR_FAMILY = ["Abdurehim", "Hasan", "Tohti", "Qurban", "Osman", "Niyaz", "Yasin", "Rozi", "Kerim", "Emet"]

LANGUAGES = {
    "en": ["the", "court", "extradition", "request", "risk", "torture", "assurance", "china", "applicant", "held", "detention", "article", "convention", "found", "evidence", "treaty", "trial", "fair", "guarantee", "consular", "access", "authorities", "prison", "sentence", "appeal", "refused", "granted", "ground", "human", "rights", "protection", "return", "deportation", "notice", "interpol", "real", "risk", "ill-treatment", "reliable", "monitoring", "diplomatic", "independent", "judiciary", "death", "penalty", "prosecutor", "offence", "charged", "fraud", "corruption", "political", "opinion", "religious", "minority", "uyghur", "family", "pressure", "report", "expert", "witness", "hearing"],
    "sv": ["domstolen", "utlämning", "begäran", "risk", "tortyr", "försäkran", "kina", "sökande", "häktad", "artikel", "konventionen", "bevis", "avtal", "rättegång", "rättvis", "garanti", "myndigheterna", "fängelse", "dom", "överklagande", "avslogs", "beviljades", "skäl", "mänskliga", "rättigheter", "skydd", "återsändande", "interpol", "verklig", "risk", "misshandel", "tillförlitlig", "övervakning", "åklagare", "brott"],
    "cs": ["soud", "vydání", "žádost", "riziko", "mučení", "záruka", "čína", "žadatel", "vazba", "článek", "úmluva", "důkazy", "smlouva", "proces", "spravedlivý", "orgány", "vězení", "rozsudek", "odvolání", "zamítnuto", "povoleno", "důvod", "lidská", "práva", "ochrana", "navrácení", "interpol", "skutečné", "nebezpečí", "špatné", "zacházení", "spolehlivé", "sledování", "státní", "zástupce", "trestný", "čin", "podvod"],
    "pl": ["sąd", "ekstradycja", "wniosek", "ryzyko", "tortury", "zapewnienie", "chiny", "wnioskodawca", "areszt", "artykuł", "konwencja", "dowody", "umowa", "proces", "rzetelny", "organy", "więzienie", "wyrok", "apelacja", "odmowa", "zgoda", "podstawa", "prawa", "człowieka", "ochrona", "wydanie", "interpol", "rzeczywiste", "niebezpieczeństwo", "złe", "traktowanie", "wiarygodne", "monitorowanie", "prokurator"],
    "es": ["el", "tribunal", "extradición", "solicitud", "riesgo", "tortura", "garantía", "china", "solicitante", "detenido", "artículo", "convención", "pruebas", "tratado", "juicio", "justo", "autoridades", "prisión", "sentencia", "apelación", "denegada", "concedida", "motivo", "derechos", "humanos", "protección", "devolución", "interpol", "riesgo", "real", "malos", "tratos", "fiable", "supervisión", "fiscal", "delito"],
    "fr": ["la", "cour", "extradition", "demande", "risque", "torture", "assurance", "chine", "requérant", "détenu", "article", "convention", "preuves", "traité", "procès", "équitable", "autorités", "prison", "peine", "appel", "refusée", "accordée", "motif", "droits", "de", "l'homme", "protection", "renvoi", "interpol", "risque", "réel", "mauvais", "traitements", "fiable", "surveillance", "procureur", "infraction"],
    "de": ["das", "gericht", "auslieferung", "ersuchen", "gefahr", "folter", "zusicherung", "china", "antragsteller", "haft", "artikel", "konvention", "beweise", "vertrag", "verfahren", "fair", "behörden", "gefängnis", "urteil", "berufung", "abgelehnt", "bewilligt", "grund", "menschenrechte", "schutz", "rückführung", "interpol", "tatsächliche", "gefahr", "misshandlung", "verlässlich", "überwachung", "staatsanwalt"],
}
COUNTRY_LANGUAGE = {"SE": "sv", "CZ": "cs", "PL": "pl", "ES": "es", "PE": "es", "MX": "es", "AR": "es", "CL": "es",
                    "FR": "fr", "BE": "fr", "MA": "fr", "DE": "de", "AT": "de", "CH": "de"}
PROVISIONS = [
    ("echr-2", m.Instrument.ECHR, "2", "Right to life"), ("echr-3", m.Instrument.ECHR, "3", "Prohibition of torture"),
    ("echr-5", m.Instrument.ECHR, "5", "Right to liberty"), ("echr-6", m.Instrument.ECHR, "6", "Right to a fair trial"),
    ("eu-charter-4", m.Instrument.EU_CHARTER, "4", "Prohibition of torture"),
    ("eu-charter-19", m.Instrument.EU_CHARTER, "19", "Protection in the event of removal"),
    ("cat-3", m.Instrument.CAT, "3", "Non-refoulement"), ("iccpr-7", m.Instrument.ICCPR, "7", "Prohibition of torture"),
    ("iccpr-14", m.Instrument.ICCPR, "14", "Fair trial"), ("refugee-convention-33", m.Instrument.REFUGEE_CONVENTION, "33", "Non-refoulement"),
]


class Generator:
    """Writes one scale of synthetic data; ``report`` receives progress lines."""

    def __init__(self, scale: Scale, seed: int = 1, report: Callable[[str], None] = print):
        self.scale, self.rng, self.report = scale, random.Random(seed), report
        self.counts: dict[str, int] = {}
        self.vocabularies = {language: self.vocabulary(words) for language, words in LANGUAGES.items()}

    # --- helpers ----------------------------------------------------------------------------------

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def date(self, first: int = FIRST_YEAR, last: int = LAST_YEAR, after: datetime.date | None = None):
        """A date and its precision, as sources give them: mostly to the day, some to the month or year."""
        start = after or datetime.date(first, 1, 1)
        end = max(start, datetime.date(last, 12, 31))
        day = start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))
        precision = self.rng.choices(("day", "month", "year"), weights=(60, 25, 15))[0]
        return day, precision

    def publication(self) -> dict:
        status = self.rng.choices(list(PublicationStatus), weights=(5, 3, 92))[0]
        visibility = Visibility.RESTRICTED if self.rng.random() < 0.03 else Visibility.PUBLIC
        return {"publication_status": status, "visibility": visibility}

    def vocabulary(self, words: list[str]):
        # Zipf-like: the first words are the commonest, as in real text.
        weights = [1 / (rank + 1) for rank in range(len(words))]
        total, cumulative = 0.0, []
        for weight in weights:
            total += weight
            cumulative.append(total)
        return words, cumulative

    def text(self, language: str, length: int) -> str:
        """Paragraphs of sentences in ``language``, about ``length`` characters long."""
        words, cumulative = self.vocabularies[language]
        paragraphs, size = [], 0
        while size < length:
            sentences = []
            for _ in range(self.rng.randint(3, 7)):
                sentence = " ".join(self.rng.choices(words, cum_weights=cumulative, k=self.rng.randint(8, 22)))
                number = self.rng.randint(1, 9999)
                sentences.append(f"{sentence.capitalize()} ({number}).")
            paragraph = " ".join(sentences)
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
        return "\n\n".join(paragraphs)

    def save(self, model, objects: list, label: str) -> list:
        """Bulk-insert ``objects`` (normalising partial dates as ``save`` would) and count them."""
        for obj in objects:
            normalise_partial_dates(obj)
        created = model.objects.bulk_create(objects, batch_size=BATCH)
        self.counts[label] = self.counts.get(label, 0) + len(created)
        return created

    def in_batches(self, total: int, label: str, make: Callable[[int], object], model, after=None) -> list[int]:
        """Make and insert ``total`` records a batch at a time; returns their primary keys."""
        pks = []
        for start in range(0, total, BATCH):
            batch = self.save(model, [make(n) for n in range(start, min(total, start + BATCH))], label)
            if after:
                after(batch)
            pks += [obj.pk for obj in batch]
            self.report(f"  {label}: {len(pks)}/{total}")
        return pks

    # --- the records ------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        started = time.monotonic()
        with transaction.atomic():
            self.countries = self.pick_countries()
            self.sources = self.make_sources()
            self.provisions = self.make_provisions()
            self.treaties = self.make_treaties()
            self.persons = self.make_persons()
            self.cases = self.make_cases()
            self.make_case_children()
            self.rulings = self.make_rulings()
            self.notices = self.make_notices()
            self.make_figures()
            self.make_citations()
            if connection.vendor == "postgresql":
                # Statistics of the rows written so far, which autovacuum cannot see before the
                # commit: without them the indexer's prefetch queries were planned for empty tables
                # and took seconds each.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            self.report("Building the search index")
            rebuild(lambda kind, done, total: self.report(f"  index {kind}: {done}/{total}") if done % 20_000 == 0 or done == total else None)
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner, and the visibility map that index-only counts need
            # (VACUUM cannot run inside a transaction, as when a test calls the generator).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.counts["seconds"] = round(time.monotonic() - started, 1)
        return self.counts

    def pick_countries(self) -> list[str]:
        codes = sorted(code for code in dict(countries) if code not in ("CN", "HK", "MO", "TW"))
        return sorted(self.rng.sample(codes, min(self.scale.countries, len(codes))))

    def make_sources(self) -> list[int]:
        kinds = list(SourceKind)
        publishers = ["Synthetic Watch", "Synthetic Defenders", "Synthetic Times", "Synthetic Courts Service", "UN synthetic desk"]

        def source(n: int) -> Source:
            day, precision = self.date(2005)
            return Source(
                uid=self.uid(), slug=f"syn-source-{n}", kind=self.rng.choice(kinds), title=f"Synthetic report {n} on returns to China",
                publisher=self.rng.choice(publishers), published_on=day, published_on_precision=precision,
                url=f"https://example.org/synthetic/source-{n}", language=self.rng.choice(list(LANGUAGES)),
                publication_status=PublicationStatus.PUBLISHED, visibility=Visibility.PUBLIC,
            )

        return self.in_batches(self.scale.sources, "sources", source, Source)

    def make_provisions(self) -> list[m.LegalProvision]:
        existing = {p.slug: p for p in m.LegalProvision.objects.all()}
        missing = [
            m.LegalProvision(uid=self.uid(), slug=slug, instrument=instrument, article=article, title=title)
            for slug, instrument, article, title in PROVISIONS if slug not in existing
        ]
        self.save(m.LegalProvision, missing, "legal provisions")
        return list(m.LegalProvision.objects.all())

    def make_treaties(self) -> dict[str, int]:
        treaties, steps = [], []
        for code in self.countries:
            if self.rng.random() > 0.6:
                continue
            signed, precision = self.date(1993, 2024)
            in_force = self.rng.random() < 0.7
            treaties.append(Treaty(
                uid=self.uid(), slug=f"syn-treaty-{code.lower()}", kind=TreatyKind.EXTRADITION, counterpart=code,
                title=f"Synthetic extradition treaty between China and {countries.name(code)}",
                signed_on=signed, signed_on_precision=precision,
                in_force_on=signed + datetime.timedelta(days=self.rng.randint(200, 3000)) if in_force else None,
                in_force_on_precision="day" if in_force else "", **self.publication(),
            ))
        created = self.save(Treaty, treaties, "treaties")
        for treaty in created:
            when = treaty.signed_on + datetime.timedelta(days=self.rng.randint(30, 600))
            steps.append(TreatyStep(uid=self.uid(), treaty=treaty, occurred_on=when, occurred_on_precision="day",
                                    kind=self.rng.choice(list(TreatyStepKind)), description="A synthetic step."))
        self.save(TreatyStep, steps, "treaty steps")
        return {treaty.counterpart.code: treaty.pk for treaty in created}

    def person_name(self) -> tuple[str, str, str]:
        """A romanised name, the name in its original script (if any) and that script."""
        if self.rng.random() < 0.25:
            return f"{self.rng.choice(UYGHUR_GIVEN)} {self.rng.choice(UYGHUR_FAMILY)}", "", m.Script.LATIN
        han = self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=self.rng.randint(1, 2)))
        syllables = lazy_pinyin(han)
        return f"{syllables[0].capitalize()} {''.join(syllables[1:]).capitalize()}", han, m.Script.HAN_SIMPLIFIED

    def make_persons(self) -> list[int]:
        situations = list(m.CurrentSituation)
        names: dict[int, tuple[str, str]] = {}

        def person(n: int) -> m.Person:
            name, original, script = self.person_name()
            pseudonym = self.rng.random() < 0.02
            if pseudonym:
                name = f"Witness {n}"
            names[n] = (name, original)
            return m.Person(
                uid=self.uid(), slug=f"syn-person-{n}", name=name, name_original=original, original_script=script if original else "",
                is_pseudonym=pseudonym, citizenships=["CN"] if self.rng.random() < 0.85 else ["TW"],
                occupation=self.rng.choice(["businessman", "official", "activist", "student", "engineer", "journalist", ""]),
                current_situation=self.rng.choice(situations), biography=self.text("en", 300),
                visibility_decided=True, **self.publication(),
            )

        affiliations = list(m.Affiliation.objects.all())
        through = m.Person.affiliations.through

        def aliases_and_affiliations(batch: list[m.Person]) -> None:
            aliases, links = [], []
            for person in batch:
                n = int(person.slug.rsplit("-", 1)[1])
                name, original = names.pop(n)
                others = {}  # other spellings, each once and none the same as the name
                if original:
                    others[" ".join(lazy_pinyin(original)).title()] = m.AliasKind.TRANSLITERATION
                if self.rng.random() < 0.3:
                    others.setdefault(name.replace("i", "y", 1).replace("u", "ou", 1), m.AliasKind.SPELLING_VARIANT)
                aliases += [m.Alias(uid=self.uid(), person=person, name=other, script=m.Script.LATIN, kind=kind)
                            for other, kind in others.items() if other != name]
                if affiliations and self.rng.random() < 0.6:
                    links.append(through(person_id=person.pk, affiliation_id=self.rng.choice(affiliations).pk))
            self.save(m.Alias, aliases, "aliases")
            through.objects.bulk_create(links, batch_size=BATCH)

        return self.in_batches(self.scale.persons, "persons", person, m.Person, after=aliases_and_affiliations)

    def make_cases(self) -> list[int]:
        kinds = list(m.CaseKind)
        outcomes = list(m.CaseOutcome)
        charges = list(m.ChargeCategory)
        self.case_country: dict[int, str] = {}
        self.case_person: dict[int, int] = {}

        def case(n: int) -> m.Case:
            country = self.rng.choice(self.countries)
            kind = self.rng.choices(kinds, weights=(30, 15, 15, 5, 5, 5, 15, 10))[0]
            started, precision = self.date(2000)
            treaty = self.treaties.get(country) if kind == m.CaseKind.FORMAL_EXTRADITION else None
            return m.Case(
                uid=self.uid(), slug=f"syn-case-{n}", title=f"Synthetic case {n}: {kind.label.lower()} from {countries.name(country)}",
                kind=kind, host_country=country, started_on=started, started_on_precision=precision,
                charges=self.rng.choice(["embezzlement", "fraud", "separatism", "bribery", "smuggling", "unknown"]),
                charge_category=self.rng.choice(charges), outcome=self.rng.choice(outcomes),
                treaty_id=treaty, summary=self.text("en", 400), **self.publication(),
            )

        def participants(batch: list[m.Case]) -> None:
            rows = []
            for case_ in batch:
                person = self.persons[self.rng.randrange(len(self.persons))]
                self.case_country[case_.pk], self.case_person[case_.pk] = case_.host_country.code, person
                rows.append(m.CaseParticipant(uid=self.uid(), case=case_, person_id=person, role=m.ParticipantRole.SUBJECT))
            self.save(m.CaseParticipant, rows, "case participants")

        return self.in_batches(self.scale.cases, "cases", case, m.Case, after=participants)

    def make_case_children(self) -> None:
        events, detentions, requests, assurances = [], [], [], []
        event_kinds = list(m.CaseEventKind)
        for case_pk in self.cases:
            for _ in range(self.rng.randint(1, 5)):
                day, precision = self.date(2000)
                events.append(m.CaseEvent(uid=self.uid(), case_id=case_pk, occurred_on=day, occurred_on_precision=precision,
                                          kind=self.rng.choice(event_kinds), description=self.text("en", 120)))
            if self.rng.random() < 0.6:
                start, _ = self.date(2000)
                ended = start + datetime.timedelta(days=self.rng.randint(1, 1500)) if self.rng.random() < 0.7 else None
                detentions.append(m.Detention(uid=self.uid(), case_id=case_pk, person_id=self.case_person[case_pk],
                                              started_on=start, started_on_precision="day", ended_on=ended,
                                              ended_on_precision="day" if ended else "", place="Synthetic detention centre"))
            if self.rng.random() < 0.3:
                day, precision = self.date(2000)
                treaty = self.treaties.get(self.case_country[case_pk])
                basis = m.LegalBasis.TREATY if treaty else self.rng.choice([m.LegalBasis.CONVENTION, m.LegalBasis.RECIPROCITY])
                requests.append(m.ExtraditionRequest(uid=self.uid(), case_id=case_pk, requested_on=day, requested_on_precision=precision,
                                                     legal_basis=basis, treaty_id=treaty, offences="fraud",
                                                     decision=self.rng.choice(list(m.RequestDecision))))
            if self.rng.random() < 0.1:
                day, precision = self.date(2005)
                assurances.append(m.DiplomaticAssurance(uid=self.uid(), case_id=case_pk, given_on=day, given_on_precision=precision,
                                                        giver="Synthetic embassy", promises_no_death_penalty=True,
                                                        promises_no_torture=self.rng.random() < 0.7,
                                                        compliance=self.rng.choice(list(m.AssuranceCompliance))))
            if len(events) >= BATCH:
                self.save(m.CaseEvent, events, "case events")
                self.report(f"  case events: {self.counts['case events']}")
                events = []
        self.save(m.CaseEvent, events, "case events")
        self.save(m.Detention, detentions, "detentions")
        self.save(m.ExtraditionRequest, requests, "extradition requests")
        self.save(m.DiplomaticAssurance, assurances, "diplomatic assurances")

    def make_rulings(self) -> list[int]:
        levels = list(m.CourtLevel)
        decisions = list(m.RulingDecision)
        assessments = list(m.AssuranceAssessment)
        grounds = m.CourtRuling.grounds.through

        def ruling(n: int) -> m.CourtRuling:
            case_pk = self.cases[self.rng.randrange(len(self.cases))]
            country = self.case_country[case_pk]
            language = COUNTRY_LANGUAGE.get(country, "en")
            level = self.rng.choice(levels)
            day, precision = self.date(2000)
            size = self.rng.randint(self.scale.ruling_bytes // 2, self.scale.ruling_bytes * 3 // 2)
            return m.CourtRuling(
                uid=self.uid(), slug=f"syn-ruling-{n}", case_id=case_pk, court=f"{level.label} court of {countries.name(country)}",
                country=country, level=level, decided_on=day, decided_on_precision=precision, decision=self.rng.choice(decisions),
                assurance_assessment=self.rng.choice(assessments), docket_number=f"SYN-{n}", summary=self.text("en", 500),
                full_text=self.text(language, size), language=language, **self.publication(),
            )

        def ground_links(batch: list[m.CourtRuling]) -> None:
            links = []
            for ruling_ in batch:
                for provision in self.rng.sample(self.provisions, k=min(len(self.provisions), self.rng.randint(1, 3))):
                    links.append(grounds(courtruling_id=ruling_.pk, legalprovision_id=provision.pk))
            grounds.objects.bulk_create(links, batch_size=BATCH)

        return self.in_batches(self.scale.rulings, "court rulings", ruling, m.CourtRuling, after=ground_links)

    def make_notices(self) -> list[int]:
        reasons = list(m.CancellationReason)
        cases_through = m.InterpolNotice.cases.through
        person_cases: dict[int, int] = {person: case for case, person in self.case_person.items()}

        def notice(n: int) -> m.InterpolNotice:
            issued, precision = self.date(2000)
            cancelled = self.rng.random() < 0.15
            named = self.rng.random() < 0.8
            return m.InterpolNotice(
                uid=self.uid(), kind=self.rng.choices(list(m.NoticeKind), weights=(80, 20))[0],
                subject_id=self.persons[self.rng.randrange(len(self.persons))] if named else None,
                subject_description="" if named else f"Unnamed person {n}", issued_on=issued, issued_on_precision=precision,
                status=m.NoticeStatus.CANCELLED if cancelled else self.rng.choice([m.NoticeStatus.ACTIVE, m.NoticeStatus.UNKNOWN]),
                cancelled_on=issued + datetime.timedelta(days=self.rng.randint(30, 2000)) if cancelled else None,
                cancelled_on_precision="day" if cancelled else "",
                cancellation_reason=self.rng.choice(reasons) if cancelled else "", **self.publication(),
            )

        def case_links(batch: list[m.InterpolNotice]) -> None:
            links = [cases_through(interpolnotice_id=n.pk, case_id=person_cases[n.subject_id])
                     for n in batch if n.subject_id in person_cases]
            cases_through.objects.bulk_create(links, batch_size=BATCH)

        return self.in_batches(self.scale.notices, "INTERPOL notices", notice, m.InterpolNotice, after=case_links)

    def make_figures(self) -> None:
        figures = []
        for year in range(2000, 2025):
            for source in range(2):
                value = 200 + (year - 2000) * 40 + self.rng.randint(-30, 30) * (source + 1)
                figures.append(ReportedFigure(uid=self.uid(), metric=FigureMetric.RED_NOTICES_ISSUED, year_from=year, value=value,
                                              unit=FigureUnit.NOTICES, notes=f"Synthetic figure from source {source}",
                                              publication_status=PublicationStatus.PUBLISHED))
        self.save(ReportedFigure, figures, "reported figures")

    def make_citations(self) -> None:
        """Citations spread over the kinds of records, each unique by source, record and page."""
        targets = [
            (m.Case, self.cases, 35), (m.Person, self.persons, 25), (m.InterpolNotice, self.notices, 20),
            (m.CourtRuling, self.rulings, 10), (m.CaseEvent, list(m.CaseEvent.objects.values_list("pk", flat=True)), 10),
        ]
        content_types = ContentType.objects.get_for_models(*(model for model, _, _ in targets))
        weights = [weight for _, _, weight in targets]
        seen, batch, total = set(), [], self.scale.citations
        while self.counts.get("citations", 0) + len(batch) < total:
            model, pks, _ = self.rng.choices(targets, weights=weights)[0]
            key = (self.rng.choice(self.sources), content_types[model].pk, self.rng.choice(pks), f"p. {self.rng.randint(1, 400)}")
            if key in seen:
                continue
            seen.add(key)
            batch.append(Citation(uid=self.uid(), source_id=key[0], content_type_id=key[1], object_id=key[2], locator=key[3],
                                  locator_kind="page"))
            if len(batch) == BATCH * 5:
                self.save(Citation, batch, "citations")
                self.report(f"  citations: {self.counts['citations']}/{total}")
                batch = []
        self.save(Citation, batch, "citations")
        self.report(f"  citations: {self.counts['citations']}/{total}")
