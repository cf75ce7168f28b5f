"""Caching of figures computed over every record, invalidated by any change to the records.

The cache key carries a *data version*: a value replaced whenever a record of the tracker's apps
is saved or deleted (signals, connected in :mod:`extraditions.apps`), and by the bulk writers
that bypass signals (the synthetic generator, the dataset import). A change therefore makes every
cached figure stale at once, without listing which figures it touches. The version is replaced
once the change is committed, once per transaction: replaced before, a request in between would
cache figures of the old records under the new version.

Only what the public sees is cached: staff see unpublished records, which differ by user and
must always be current. With several app servers the cache must be shared (``REDIS_URL``,
docs/deployment.md); with the per-process default a change reaches the other processes' caches
when their entries expire (``FIGURES_CACHE_SECONDS``).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.dispatch import Signal

from .routers import reading_the_primary

DATA_VERSION_KEY = "extraditions:data-version"
TRACKED_APPS = {"cases", "treaties", "sources"}
TRACKED_MODELS = {"extraditions.searchdocument"}  # what search answers are read from

T = TypeVar("T")


def data_version() -> str:
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        version = new_data_version()
    return version


def new_data_version(**_signal_arguments) -> str:
    # A fresh value rather than an increment: an increment of a key evicted meanwhile would
    # start again from a number already used.
    version = str(time.time_ns())
    cache.set(DATA_VERSION_KEY, version, timeout=None)
    return version


# Sent once a change to the records is committed (once per transaction): what reacts to changes
# outside a request (alerts/: feeds' and alerts' detection, bulk downloads) listens to it.
records_committed = Signal()


_migrating = False  # a migration's writes renew the version but are not news to announce


def migration_started(**_signal_arguments) -> None:
    global _migrating
    _migrating = True


def migration_finished(**_signal_arguments) -> None:
    global _migrating
    _migrating = False


def commit_data_change() -> None:
    new_data_version()
    if not _migrating:
        records_committed.send(sender=None)


def records_changed(sender, using=None, **kwargs) -> None:
    """Receiver for post_save, post_delete and m2m_changed."""
    if sender._meta.app_label in TRACKED_APPS or sender._meta.label_lower in TRACKED_MODELS:
        renew_data_version_on_commit(using)


def renew_data_version_on_commit(using: str | None = None) -> None:
    pending = connections[using or DEFAULT_DB_ALIAS].run_on_commit
    if not any(callback is commit_data_change for _, callback, _ in pending):  # once per transaction
        transaction.on_commit(commit_data_change, using=using)


class DataVersionQuerySet(models.QuerySet):
    """Bulk writes renew the data version too: they send no post_save or post_delete signal.

    Every model of the tracked apps uses it (tests/extraditions/test_answer_cache.py checks), so a
    later ``.update()`` cannot leave the public a cached answer that shows what it changed.
    """

    def update(self, **kwargs):
        renew_data_version_on_commit(self.db)
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        renew_data_version_on_commit(self.db)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        renew_data_version_on_commit(self.db)
        return super().bulk_update(objs, *args, **kwargs)

    def _raw_delete(self, using):  # the fast delete, taken when no signal would be sent
        renew_data_version_on_commit(using)
        return super()._raw_delete(using)


def in_transaction() -> bool:
    """Whether a transaction is open: what is read in one may be rolled back, so it is never cached
    (and in the test suite, whose tests each run in a transaction, nothing is)."""
    return any(connection.in_atomic_block for connection in connections.all(initialized_only=True))


def cached_for(user) -> bool:
    """Whether what ``user`` reads now may be cached: the public's, outside a transaction."""
    from .visibility import is_staff_session  # the policy module reads the models, which use this one

    return not is_staff_session(user) and not in_transaction()


def cached_for_public(name: str, user, compute: Callable[[], T], *key_parts) -> T:
    """``compute()``, cached for the public under ``name`` and ``key_parts`` until the data changes."""
    if not cached_for(user):
        return compute()
    key = ":".join(["extraditions", name, data_version(), *map(str, key_parts)])
    found = cache.get(key)
    if found is None:
        with reading_the_primary():
            found = compute()
        cache.set(key, found, timeout=settings.FIGURES_CACHE_SECONDS)
    return found


def query_key(queryset) -> str | None:
    """A digest of the SQL a queryset runs, with its parameters: the same for the same question.
    None for a queryset that needs no SQL (it can match nothing)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return None
    return hashlib.sha256(repr((queryset.db, sql, params)).encode()).hexdigest()


def cached_query_result(name: str, queryset, user, compute: Callable[[], T]) -> T:
    """``compute()`` for a question asked of ``queryset`` (its count, its facet counts), cached for the
    public per data version: a cursor walking a list, or the same filter with another ordering or
    page size, does not count the same rows again. The queryset already holds only what the public
    may see; staff's are never cached (their querysets differ, and must be current)."""
    if not cached_for(user) or (key := query_key(queryset)) is None:  # no key needed, none computed
        return compute()
    return cached_for_public(name, user, compute, key)
