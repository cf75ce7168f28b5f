"""Keeping the index fresh: every write to a record re-indexes the documents it appears in.

Each app registers, in its ``search.py``, the kinds it indexes (a :class:`SearchKind`: how a
record becomes a document) and the kinds of records whose change touches other documents (a
person's new name changes their cases' and rulings' documents). Saving or deleting any of them
re-indexes what they touch, in the same transaction as the write.

Bulk writers (the seed loader) wrap their work in :func:`deferred`: changes are collected and
each touched document is written once at the end; an import's, by the job worker once it has
committed (``deferred(in_the_worker=True)``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from huey.contrib.djhuey import db_task

from .backends import backend, batched, content_type
from .models import SearchDocument


@dataclass(frozen=True)
class PageHit:
    """A page of an attached document that a query matched."""

    document: str  # the source's title
    label: str  # the page as printed ("16"); "1" for a document of one page
    url: str  # opens the document at that page
    snippet: str  # HTML-escaped, the matches in <mark>
    words: tuple[str, ...]  # the words matched, as written
    single_page: bool = False  # an HTML or text document: no page to name

    @property
    def page(self) -> str | None:
        return None if self.single_page else self.label


@dataclass(frozen=True)
class SearchKind:
    """A searchable kind of record: ``document`` gives its parts (names, title, summary, body).

    ``select`` and ``prefetch`` name what ``document`` reads of other records, so that a batch of
    records is indexed in a fixed number of queries.
    """

    name: str  # "ruling", "case", … as the API's search names it
    model: type[Model]
    document: Callable[[Model], dict[str, str]]
    select: tuple[str, ...] = ()
    prefetch: Callable[[], list] = list  # fresh Prefetch objects each time
    after_index: Callable[[list[Model]], None] | None = None  # e.g. rebuild persons' name forms
    after_unindex: Callable[[int], None] | None = None  # e.g. drop them, given the deleted record's pk
    # Where the body's attached documents are: for records' keys and a query, each record's pages
    # the query matches (a source's own document, a ruling's judgments), to say on which page.
    page_hits: Callable[[list[int], str], dict[int, list[PageHit]]] | None = None

    def records(self, pks: list[int]):
        """The records with these keys, with what their documents read."""
        records = self.model._default_manager.filter(pk__in=pks).prefetch_related(*self.prefetch())
        return list(records.select_related(*self.select) if self.select else records)


KINDS: dict[type[Model], SearchKind] = {}
# For changed records of a model: the searchable records whose documents include something of them.
TOUCHES: dict[type[Model], Callable[[list[Model]], Iterable[Model]]] = {}

_pending = threading.local()
logger = logging.getLogger(__name__)


def register(kind: SearchKind) -> None:
    KINDS[kind.model] = kind
    touches(kind.model, lambda records: records)


def touches(model: type[Model], affected: Callable[[list[Model]], Iterable[Model]]) -> None:
    """When ``model`` records change, re-index ``affected(records)`` too."""
    previous = TOUCHES.get(model)
    if previous is None:
        TOUCHES[model] = affected
        _connect(model)
    else:
        TOUCHES[model] = lambda records: [*previous(records), *affected(records)]


def touched_by(records: Iterable[Model]) -> list[Model]:
    """The searchable records whose documents these records are part of, a query or two per model."""
    by_model: dict[type[Model], list[Model]] = {}
    for record in records:
        if record.pk is not None:
            by_model.setdefault(type(record), []).append(record)
    return [touched for model, group in by_model.items() for touched in TOUCHES[model](group)]


def index(kind: SearchKind, records: list[Model]) -> None:
    """Write the documents of saved records of one kind, replacing any they had, in bulk."""
    if not records:
        return
    content = content_type(kind.model)
    forget(kind.model, [record.pk for record in records])
    documents = SearchDocument.objects.bulk_create(
        [
            SearchDocument(content_type=content, kind=kind.model._meta.label_lower, object_id=record.pk, **kind.document(record))
            for record in records
        ]
    )
    backend().store(documents)
    if kind.after_index:
        kind.after_index(records)


def forget(model: type[Model], pks: list[int]) -> None:
    documents = SearchDocument.objects.filter(content_type=content_type(model), object_id__in=pks)
    backend().forget(list(documents.values_list("pk", flat=True)))
    documents.delete()


def unindex(model: type[Model], pk: int) -> None:
    forget(model, [pk])


def refresh(records: Iterable[Model]) -> None:
    """Re-index each record, once, reading it afresh from the database."""
    by_model: dict[type[Model], set[int]] = {}
    for record in records:
        if type(record) in KINDS and record.pk is not None:
            by_model.setdefault(type(record), set()).add(record.pk)
    for model, pks in by_model.items():
        kind = KINDS[model]
        for batch in batched(sorted(pks), BATCH_SIZE):
            found = kind.records(batch)
            index(kind, found)
            for pk in set(batch) - {record.pk for record in found}:
                unindex(model, pk)


BATCH_SIZE = 1000


@contextmanager
def deferred(in_the_worker: bool = False):
    """Collect the records saved or touched inside the block and index each once at its end:
    what saved records touch is looked up then too, for all of them at once.

    ``in_the_worker``: not at the block's end but by a job, once the block's transaction commits
    (an import of thousands of drafts, which only staff search: its transaction stays short, and a
    rolled-back import indexes nothing). If the queue cannot be reached, the records are indexed
    at once instead of being left unsearchable."""
    if getattr(_pending, "records", None) is not None:  # already deferring: the outer block indexes
        yield
        return
    _pending.records, _pending.saved = [], []
    try:
        yield
        if in_the_worker:
            keys = ([_key(record) for record in _pending.records], [_key(record) for record in _pending.saved])
            transaction.on_commit(lambda: _enqueue_refresh(*keys))
        else:
            with transaction.atomic():
                refresh([*_pending.records, *touched_by(_pending.saved)])
    finally:
        _pending.records = _pending.saved = None


def _key(record: Model) -> tuple[str, int]:
    return record._meta.label, record.pk


def _records(keys: list[tuple[str, int]]) -> list[Model]:
    """The records of ``keys`` still in the database, a query per model and thousand."""
    by_model: dict[str, set[int]] = {}
    for label, pk in keys:
        if pk is not None:
            by_model.setdefault(label, set()).add(pk)
    found = []
    for label, pks in by_model.items():
        model = apps.get_model(label)
        for batch in batched(sorted(pks), BATCH_SIZE):
            found.extend(model._default_manager.filter(pk__in=batch))
    return found


@db_task(retries=3, retry_delay=10)
def refresh_later(records: list[tuple[str, int]], saved: list[tuple[str, int]]) -> None:
    """The job of a ``deferred(in_the_worker=True)`` block: what it saved and touched, indexed."""
    with transaction.atomic():
        refresh([*_records(records), *touched_by(_records(saved))])


def _enqueue_refresh(records: list[tuple[str, int]], saved: list[tuple[str, int]]) -> None:
    try:
        refresh_later(records, saved)
    except Exception:  # the queue is down: index now rather than leave the records unsearchable
        logger.exception("could not enqueue the search index's refresh; indexing now")
        refresh_later.call_local(records, saved)


def _deferring() -> bool:
    return getattr(_pending, "records", None) is not None


def changed(record: Model) -> None:
    """Re-index what ``record`` is part of, after a change the signals do not see (rows derived
    from it written in bulk): at once, or at the end of a :func:`deferred` block."""
    _on_save(type(record), record)


def _on_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if _deferring():
        _pending.saved.append(instance)
    else:
        refresh(touched_by([instance]))


def _changed_now(record: Model) -> None:
    """For a deletion: what it touches must be found before the cascade removes the links."""
    affected = touched_by([record])
    if _deferring():
        _pending.records.extend(affected)
    else:
        refresh(affected)


def _on_delete(sender, instance, **kwargs):
    kind = KINDS.get(type(instance))
    _changed_now(instance)
    if kind is not None:
        # Last, after the cascade: deleting a person's aliases first re-indexed the person.
        unindex(type(instance), instance.pk)
        if kind.after_unindex:
            kind.after_unindex(instance.pk)


def _on_m2m(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and type(instance) in TOUCHES:
        _on_save(type(instance), instance)


def _connect(model: type[Model]) -> None:
    uid = f"search-{model._meta.label}"
    post_save.connect(_on_save, sender=model, dispatch_uid=uid)
    post_delete.connect(_on_delete, sender=model, dispatch_uid=uid)
    for field in model._meta.many_to_many:
        m2m_changed.connect(_on_m2m, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}")


def clear() -> None:
    """Empty the index, whatever is in it."""
    backend().forget_all()
    SearchDocument.objects.all().delete()


def rebuild(progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Index every searchable record from scratch, a batch at a time; returns the count per kind."""
    counts = {}
    with transaction.atomic():
        clear()
        for kind in KINDS.values():
            total, done = kind.model._default_manager.count(), 0
            pks = kind.model._default_manager.order_by("pk").values_list("pk", flat=True)
            for batch in batched(pks.iterator(chunk_size=BATCH_SIZE), BATCH_SIZE):
                index(kind, kind.records(batch))
                done += len(batch)
                if progress:
                    progress(kind.name, done, total)
            counts[kind.name] = total
    return counts
