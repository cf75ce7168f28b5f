"""What persons, cases and rulings put in the search index, and which changes touch which documents.

Names written into a case's or ruling's document are those the public may see: public persons
under the name they are published by (the pseudonym, for a pseudonymous person).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import Case as SqlCase
from django.db.models import FloatField, Prefetch, Q, Value, When

from extraditions.search.backends import backend as search_backend
from extraditions.search.backends import is_searchable
from extraditions.search.fields import in_fields
from extraditions.search.indexing import SearchKind, register, touches
from extraditions.search.names import (
    NameKind,
    has_han,
    name_forms,
    query_keys,
    similarity,
)
from extraditions.search.text import REASON_SEPARATOR, fold, parse_query
from extraditions.visibility import PUBLIC, SYSTEM, is_staff_session, matches_in_memory, original_name
from sources.models import Citation, Source, SourceKind
from sources.search import judgments_of, judgments_prefetch, judgments_text, page_hits

from .models import (
    Alias,
    AssuranceAssessment,
    Case,
    CaseParticipant,
    CourtRuling,
    LegalProvision,
    Person,
    PersonName,
)


def public_persons(lookup: str = "persons") -> Prefetch:
    """A case's persons the public may see, by the name they are published under, into ``public_persons``."""
    return Prefetch(lookup, queryset=Person.objects.public().order_by("name"), to_attr="public_persons")


def person_names(persons) -> str:
    return "\n".join(person.name for person in persons)


def person_document(person: Person) -> dict[str, str]:
    names = [person.name, original_name(person, PUBLIC), *(alias.name for alias in person.public_aliases)]
    return {
        "names": "\n".join(name for name in names if name),
        "title": "",
        "summary": "\n".join(filter(None, [person.occupation, person.biography])),
        "body": "",
    }


def person_prefetch() -> list:
    # All aliases make the name forms staff search by; the public ones go into the document.
    return ["aliases", Prefetch("aliases", queryset=Alias.objects.public(), to_attr="public_aliases")]


def case_document(case: Case) -> dict[str, str]:
    return {
        "names": person_names(case.public_persons),
        "title": case.title,
        "summary": "\n".join(filter(None, [case.summary, case.charges, case.group_description])),
        "body": case.aftermath_detail,
    }


def ruling_document(ruling: CourtRuling) -> dict[str, str]:
    title = [ruling.court, ruling.international_body, ruling.docket_number, ruling.parties, ruling.ecli, ruling.case.title]
    return {
        "names": person_names(ruling.case.public_persons),
        "title": "\n".join(filter(None, title)),
        "grounds": "\n".join(ruling_grounds(ruling)),
        "summary": ruling.summary,
        # The judgment itself, where a public copy is attached to a source cited for the ruling.
        "body": "\n\n".join(filter(None, [ruling.full_text, judgments_text(ruling)])),
    }


def ruling_grounds(ruling: CourtRuling) -> list[str]:
    """What the ruling decided and relied on, a line each, as "reason — words": a search matching a
    line's words gives its reason (``extraditions.search.text.line_reasons``). A provision's line holds
    its usual written forms ("Article 3 ECHR", "Art. 3 EMRK") and its vocabulary, so that "torture"
    finds a ruling on ECHR art. 3 whose summary never says the word; an assessment of China's
    assurances makes "assurances" rank the rulings that judged them above those that mention them."""
    lines = [f"decision: {ruling.get_decision_display().lower()}"]
    for provision in ruling.grounds.all():
        named = provision.title and not provision.title.startswith(provision.instrument_name or "\0")
        reason = f"relies on {provision}" + (f" ({provision.title})" if named else "")
        lines.append(REASON_SEPARATOR.join([reason, "; ".join([*provision.written_forms(), *provision.vocabulary_words()])]))
    if ruling.assurance_assessment not in (AssuranceAssessment.NOT_ASSESSED, AssuranceAssessment.UNKNOWN):
        lines.append(f"China's assurances: {ruling.get_assurance_assessment_display().lower()}")
    return lines



def name_forms_of(person: Person) -> list[PersonName]:
    """Every form the person is found by, and whether the public may find them by it."""
    # Whether the public may find the person by a name is the visibility policy's answer for it.
    names = [(person.name, True)]
    if person.name_original:
        names.append((person.name_original, bool(original_name(person, PUBLIC))))
    for alias in person.aliases.all():
        alias.person = person  # already loaded: the policy reads the pseudonym flag from it
        names.append((alias.name, matches_in_memory(alias, Alias.public_condition)))
    rows = {}
    for name, is_public in names:
        for form in name_forms(name):
            existing = rows.get(form.key)
            if existing is None or (is_public and not existing.is_public):
                rows[form.key] = PersonName(
                    person=person, name=form.text, derived_from=name, kind=form.kind, key=form.key,
                    folded=fold(form.text), is_public=is_public,
                )
    return list(rows.values())


def rebuild_name_forms(persons: list[Person]) -> None:
    with transaction.atomic():
        PersonName.objects.filter(person__in=persons).delete()
        PersonName.objects.bulk_create([form for person in persons for form in name_forms_of(person)], batch_size=2000)


def with_rulings(cases) -> list:
    """These cases (those that still exist) and their rulings."""
    cases = list(cases)
    return [*cases, *CourtRuling.objects.filter(case__in=cases)]


def register_search() -> None:
    register(
        SearchKind(
            "person", Person, person_document, prefetch=person_prefetch, after_index=rebuild_name_forms,
            after_unindex=lambda pk: PersonName.objects.filter(person_id=pk).delete(),
        )
    )
    register(SearchKind("case", Case, case_document, prefetch=lambda: [public_persons()]))
    register(
        SearchKind(
            "ruling", CourtRuling, ruling_document, select=("case",),
            prefetch=lambda: [public_persons("case__persons"), "grounds", judgments_prefetch()],
            page_hits=lambda pks, query: page_hits(judgments_of(CourtRuling, pks), query),
        )
    )
    # A person's name or visibility shows in their cases' and rulings' documents.
    touches(Person, lambda persons: with_rulings(Case.objects.filter(participants__person__in=persons).distinct()))
    touches(Alias, lambda aliases: list(Person.objects.filter(pk__in={alias.person_id for alias in aliases})))
    touches(CaseParticipant, lambda participants: with_rulings(Case.objects.filter(pk__in={p.case_id for p in participants})))
    touches(Case, lambda cases: list(CourtRuling.objects.filter(case__in=cases)))
    # A provision's names and vocabulary are in the documents of the rulings relying on it.
    touches(LegalProvision, lambda provisions: list(CourtRuling.objects.filter(grounds__in=provisions).distinct()))
    # A judgment's text is in the documents of the rulings it is cited for, while it is public
    # (a report cited for thousands of rulings is not a judgment: its changes touch none of them).
    touches(Source, lambda sources: list(CourtRuling.objects.filter(
        citations__source__in=[s for s in sources if s.kind == SourceKind.COURT_DECISION or s.page_count]
    ).distinct()))
    touches(Citation, lambda citations: list(CourtRuling.objects.filter(
        pk__in=[c.object_id for c in citations if ContentType.objects.get_for_id(c.content_type_id).model_class() is CourtRuling]
    )))



# --- finding persons by name ----------------------------------------------------------------------

SIMILARITY_THRESHOLD = 0.3  # pg_trgm's default for the % operator
PARTIAL_MATCH_MIN_LENGTH = 3  # "li" would be part of half the names


SCORES = {"same": 1.0, "part": 0.8}  # a misspelling scores its similarity, scaled below these
SIMILAR_WEIGHT = 0.75
DUPLICATE_MIN_SIMILARITY = 0.5  # warn of a duplicate from this similarity up


@dataclass(frozen=True)
class PersonMatch:
    person_id: int
    how: str  # "same" name, "part" of a name, or a "similar" spelling
    score: float
    reason: str
    similarity: float = 1.0


def reason_for(form: PersonName, how: str, similarity: float | None = None) -> str:
    if form.kind == NameKind.AS_ENTERED:
        shown = f"“{form.name}”"
    elif form.kind == NameKind.PINYIN:
        shown = f"“{form.name}”, the pinyin of {form.derived_from}"
    else:
        shown = f"“{form.name}”, {form.derived_from} in {form.kind} characters"
    if how == "same":
        return f"same name as {shown}"
    if how == "part":
        return f"part of {shown}"
    return f"spelt like {shown} (similarity {similarity:.2f})"


def find_persons(query: str, user=None, limit: int | None = 500) -> list[PersonMatch]:
    """Persons ``user`` may see whose names match ``query``, best first, each with its best reason.

    "Qiao Jianjun or 伊德里斯" looks for either name; excluded words play no part in a name.
    """
    forms = PersonName.objects.filter(person__in=Person.objects.visible_to(user))
    if not is_staff_session(user):
        forms = forms.filter(is_public=True)
    best: dict[int, PersonMatch] = {}
    for name in names_in(query):
        for match in name_matches(forms, name):
            if match.person_id not in best or match.score > best[match.person_id].score:
                best[match.person_id] = match
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.person_id))
    return ranked[:limit] if limit else ranked


def names_in(query: str) -> list[str]:
    return [" ".join(" ".join(term) for term in clause.terms) for clause in parse_query(query)]


def name_matches(forms, query: str) -> list[PersonMatch]:
    keys = query_keys(query)
    if not keys:
        return []
    best: dict[int, PersonMatch] = {}

    def offer(match: PersonMatch) -> None:
        if match.person_id not in best or match.score > best[match.person_id].score:
            best[match.person_id] = match

    same_or_part = Q(key__in=keys)
    for k in keys:
        if len(k) >= PARTIAL_MATCH_MIN_LENGTH or has_han(k):
            same_or_part |= Q(key__contains=k)
    for form in forms.filter(same_or_part):
        how = "same" if form.key in keys else "part"
        offer(PersonMatch(form.person_id, how, SCORES[how], reason_for(form, how)))

    for form, score in similar_forms(forms, fold(query)):
        offer(PersonMatch(form.person_id, "similar", round(score * SIMILAR_WEIGHT, 4), reason_for(form, "similar", score), score))
    return list(best.values())


def similar_forms(forms, folded_query: str) -> list[tuple[PersonName, float]]:
    """Forms spelt like the query: pg_trgm on PostgreSQL (indexed), the same measure in Python elsewhere."""
    if connection.vendor == "postgresql":
        rows = (
            forms.filter(folded__trigram_similar=folded_query)
            .annotate(similarity=TrigramSimilarity("folded", folded_query))
            .order_by("-similarity")[:1000]
        )
        return [(form, form.similarity) for form in rows]
    scored = ((form, similarity(form.folded, folded_query)) for form in forms.only(*SIMILAR_FIELDS))
    return [(form, score) for form, score in scored if score >= SIMILARITY_THRESHOLD]


SIMILAR_FIELDS = ("person_id", "name", "derived_from", "kind", "folded")


TEXT_MATCH_SCORE = 0.2  # a person found by the words of their biography ranks below any name match


def search_persons(persons, query: str, user) -> tuple:
    """``persons`` found by ``query`` (the lists' ``q``, in the API and on the site): by any form of
    their names as :func:`find_persons` finds them for ``user``, or by the words of their
    biography. Annotated with ``relevance``; returned with the name matches by person id, which
    say why each matched."""
    matches = {match.person_id: match for match in find_persons(query, user)}
    by_text = persons.filter(search_backend().matching(Person, query)).values("pk") if is_searchable(query) else []
    # One branch per score, not per person: hundreds of branches took longer to build than to run.
    by_score = defaultdict(list)
    for pk, match in matches.items():
        by_score[match.score].append(pk)
    relevance = SqlCase(
        *(When(pk__in=pks, then=Value(score)) for score, pks in by_score.items()),
        default=Value(TEXT_MATCH_SCORE),
        output_field=FloatField(),
    )
    return persons.filter(Q(pk__in=list(matches)) | Q(pk__in=by_text)).annotate(relevance=relevance), matches


# INTERPOL notices have no full-text document: a search looks for its words in these fields.
NOTICE_SEARCH_FIELDS = ("subject__name", "subject_description", "notes")


def search_notices(notices, query: str):
    """``notices`` with every word or "phrase" of ``query`` in the subject's name, description or notes."""
    return in_fields(notices, query, NOTICE_SEARCH_FIELDS)


def likely_duplicates(names: list[str], exclude_pk: int | None = None) -> list[dict]:
    """Existing persons that may be the person about to be created, likeliest first, with every reason found."""
    reasons: dict[int, list[str]] = {}
    best: dict[int, float] = {}
    for name in filter(None, names):
        # Among every person, whatever their visibility.
        for match in find_persons(name, user=SYSTEM, limit=20):
            if match.person_id != exclude_pk and match.similarity >= DUPLICATE_MIN_SIMILARITY:
                reasons.setdefault(match.person_id, []).append(f"{name}: {match.reason}")
                best[match.person_id] = max(best.get(match.person_id, 0), match.score)
    persons = Person.objects.in_bulk(list(reasons))
    ranked = sorted(reasons, key=lambda pk: (-best[pk], pk))
    return [{"person": persons[pk], "reasons": reasons[pk]} for pk in ranked if pk in persons]

