"""Merging two records of the same person: everything moves to the survivor, nothing is lost.

The duplicate's names become the survivor's aliases; its aliases, cases, notices, detentions,
events, breaches, citations, affiliations and citizenships move over; then the duplicate is
deleted. Every change goes through the models, so history keeps each step, and the survivor's
history entry says what was merged into it.
"""

from __future__ import annotations

from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from extraditions.models import Visibility
from sources.models import Citation

from .models import Alias, AliasKind, Breach, CaseEvent, Detention, InterpolNotice, Person, Script
from .search import has_han

CHANGE_REASON_LENGTH = 100
MOVED_LINKS = ((InterpolNotice, "subject"), (Detention, "person"), (CaseEvent, "person"), (Breach, "person"))


def check_mergeable(survivor: Person, duplicate: Person) -> None:
    if survivor.pk == duplicate.pk:
        raise ValidationError("A person cannot be merged into themself.")
    if survivor.is_pseudonym != duplicate.is_pseudonym:
        # Merging would tie a pseudonym to a real name in public.
        raise ValidationError(
            "One of the two is pseudonymous and the other is not: decide first which name the public "
            "may see, and make both records agree."
        )


@transaction.atomic
def merge_persons(survivor: Person, duplicate: Person) -> Counter:
    """Move everything of ``duplicate`` to ``survivor`` and delete it; returns what moved."""
    check_mergeable(survivor, duplicate)
    moved: Counter = Counter()
    known_names = {survivor.name, survivor.name_original, *survivor.aliases.values_list("name", flat=True)}

    for alias in duplicate.aliases.all():
        if alias.name in known_names:
            alias.delete()
            continue
        alias.person = survivor
        alias.save()
        known_names.add(alias.name)
        moved["aliases"] += 1
    for name in (duplicate.name, duplicate.name_original):
        if name and name not in known_names:
            script = Script.HAN_SIMPLIFIED if has_han(name) else Script.LATIN
            Alias.objects.create(person=survivor, name=name, script=script, kind=AliasKind.ALSO_KNOWN_AS,
                                 note=f"Name of a merged duplicate record ({duplicate.slug}).")
            known_names.add(name)
            moved["names"] += 1

    for participation in duplicate.participations.all():
        if survivor.participations.filter(case=participation.case_id).exists():
            participation.delete()
        else:
            participation.person = survivor
            participation.save()
            moved["cases"] += 1
    for model, field in MOVED_LINKS:
        for record in model.objects.filter(**{field: duplicate}):
            setattr(record, field, survivor)
            record.save()
            moved[model._meta.verbose_name_plural] += 1

    person_type = ContentType.objects.get_for_model(Person)
    for citation in Citation.objects.filter(content_type=person_type, object_id=duplicate.pk):
        already = Citation.objects.filter(
            content_type=person_type, object_id=survivor.pk, source=citation.source_id, locator=citation.locator
        )
        if already.exists():
            citation.delete()
        else:
            citation.object_id = survivor.pk
            citation.save()
            moved["citations"] += 1

    survivor.affiliations.add(*duplicate.affiliations.all())
    survivor.citizenships = sorted({*survivor.citizenships, *duplicate.citizenships}, key=str)
    if duplicate.visibility == Visibility.RESTRICTED:
        survivor.visibility = Visibility.RESTRICTED  # the stricter of the two
    # History keeps change reasons of up to 100 characters.
    survivor._change_reason = f"Merged {duplicate.name} ({duplicate.slug}) into this person"[:CHANGE_REASON_LENGTH]
    survivor.save()
    duplicate._change_reason = f"Merged into {survivor.name} ({survivor.slug})"[:CHANGE_REASON_LENGTH]
    duplicate.delete()
    return moved
