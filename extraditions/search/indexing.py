"""Keeping the index fresh: every write to a record re-indexes the documents it appears in.

Each app registers, in its ``search.py``, the kinds it indexes (a :class:`SearchKind`: how a
record becomes a document) and the kinds of records whose change touches other documents (a
person's new name changes their cases' and rulings' documents). Saving or deleting any of them
re-indexes what they touch, in the same transaction as the write.

Bulk writers (the seed loader) wrap their work in :func:`deferred`: changes are collected and
each touched document is written once at the end.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from .backends import backend, content_type
from .models import SearchDocument


@dataclass(frozen=True)
class SearchKind:
    """A searchable kind of record: ``document`` gives its parts (names, title, summary, body)."""

    name: str  # "ruling", "case", … as the API's search names it
    model: type[Model]
    document: Callable[[Model], dict[str, str]]
    after_index: Callable[[Model], None] | None = None  # e.g. rebuild a person's name forms
    after_unindex: Callable[[int], None] | None = None  # e.g. drop them, given the deleted record's pk


KINDS: dict[type[Model], SearchKind] = {}
# For a changed record: the searchable records whose documents include something of it.
TOUCHES: dict[type[Model], Callable[[Model], Iterable[Model]]] = {}

_pending = threading.local()


def register(kind: SearchKind) -> None:
    KINDS[kind.model] = kind
    touches(kind.model, lambda record: [record])


def touches(model: type[Model], affected: Callable[[Model], Iterable[Model]]) -> None:
    """When a ``model`` record changes, re-index ``affected(record)`` too."""
    previous = TOUCHES.get(model)
    if previous is None:
        TOUCHES[model] = affected
        _connect(model)
    else:
        TOUCHES[model] = lambda record: [*previous(record), *affected(record)]


def index(record: Model) -> None:
    """Write the document of one searchable record (the record must be saved)."""
    kind = KINDS[type(record)]
    document, _ = SearchDocument.objects.update_or_create(
        content_type=content_type(type(record)), object_id=record.pk, defaults=kind.document(record)
    )
    backend().store(document)
    if kind.after_index:
        kind.after_index(record)


def unindex(model: type[Model], pk: int) -> None:
    documents = SearchDocument.objects.filter(content_type=content_type(model), object_id=pk)
    backend().forget(list(documents.values_list("pk", flat=True)))
    documents.delete()


def refresh(records: Iterable[Model]) -> None:
    """Re-index each record, once, reading it afresh from the database."""
    by_model: dict[type[Model], set[int]] = {}
    for record in records:
        if type(record) in KINDS and record.pk is not None:
            by_model.setdefault(type(record), set()).add(record.pk)
    for model, pks in by_model.items():
        found = {obj.pk: obj for obj in model._default_manager.filter(pk__in=pks)}
        for pk in pks:
            if pk in found:
                index(found[pk])
            else:
                unindex(model, pk)


@contextmanager
def deferred():
    """Collect the records touched inside the block and index each once at its end."""
    if getattr(_pending, "records", None) is not None:  # already deferring: the outer block indexes
        yield
        return
    _pending.records = []
    try:
        yield
        with transaction.atomic():
            refresh(_pending.records)
    finally:
        _pending.records = None


def _changed(record: Model) -> None:
    affected = list(TOUCHES[type(record)](record))
    if getattr(_pending, "records", None) is not None:
        _pending.records.extend(affected)
    else:
        refresh(affected)


def _on_save(sender, instance, raw=False, **kwargs):
    if not raw:
        _changed(instance)


def _on_delete(sender, instance, **kwargs):
    kind = KINDS.get(type(instance))
    _changed(instance)
    if kind is not None:
        # Last, after the cascade: deleting a person's aliases first re-indexed the person.
        unindex(type(instance), instance.pk)
        if kind.after_unindex:
            kind.after_unindex(instance.pk)


def _on_m2m(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and type(instance) in TOUCHES:
        _changed(instance)


def _connect(model: type[Model]) -> None:
    uid = f"search-{model._meta.label}"
    post_save.connect(_on_save, sender=model, dispatch_uid=uid)
    post_delete.connect(_on_delete, sender=model, dispatch_uid=uid)
    for field in model._meta.many_to_many:
        m2m_changed.connect(_on_m2m, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}")


def rebuild(progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Index every searchable record from scratch; returns the count per kind."""
    counts = {}
    with transaction.atomic():
        stale = list(SearchDocument.objects.values_list("pk", flat=True))
        backend().forget(stale)
        SearchDocument.objects.all().delete()
        for kind in KINDS.values():
            total = kind.model._default_manager.count()
            for done, record in enumerate(kind.model._default_manager.iterator(chunk_size=500), start=1):
                index(record)
                if progress and (done % 200 == 0 or done == total):
                    progress(kind.name, done, total)
            counts[kind.name] = total
    return counts
