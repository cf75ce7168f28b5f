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

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from .visibility import is_staff_session

DATA_VERSION_KEY = "extraditions:data-version"
TRACKED_APPS = {"cases", "treaties", "sources"}

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


def records_changed(sender, using=None, **kwargs) -> None:
    """Receiver for post_save, post_delete and m2m_changed."""
    if sender._meta.app_label not in TRACKED_APPS:
        return
    pending = connections[using or DEFAULT_DB_ALIAS].run_on_commit
    if not any(callback is new_data_version for _, callback, _ in pending):  # once per transaction
        transaction.on_commit(new_data_version, using=using)


def cached_for_public(name: str, user, compute: Callable[[], T], *key_parts) -> T:
    """``compute()``, cached for the public under ``name`` and ``key_parts`` until the data changes."""
    if is_staff_session(user):
        return compute()
    key = ":".join(["extraditions", name, data_version(), *map(str, key_parts)])
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout=settings.FIGURES_CACHE_SECONDS)
    return found
