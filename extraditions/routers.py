"""Reads from the read replicas, writes to the primary (``DATABASE_REPLICA_URLS``).

Used only when replicas are configured. Replicas serve the public's reads, which are most of the
traffic; everything else stays on the primary, because a replica lags it a little:

- writes, and reads inside a transaction (the admin's forms, the API's writes, imports);
- every request that is not a public read (:class:`PrimaryForStaffMiddleware`): staff must see
  what they just saved, and a conditional write (``If-Match``) must compare with the current row;
- the log-in machinery (sessions, accounts, lock-outs, second factors).

Migrations run on the primary only; the replicas follow through PostgreSQL's replication.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction

PRIMARY = "default"
PRIMARY_ONLY_APPS = {"auth", "sessions", "axes", "otp_totp", "otp_static", "django_otp", "admin", "contenttypes"}

use_primary: ContextVar[bool] = ContextVar("use_primary", default=False)


@contextmanager
def reading_the_primary():
    """Reads inside go to the primary. For what is cached until the data next changes: computed on a
    replica that lags, it would keep rows older than the version it is filed under."""
    token = use_primary.set(True)
    try:
        yield
    finally:
        use_primary.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            use_primary.get()
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or transaction.get_connection(PRIMARY).in_atomic_block
        ):
            return PRIMARY
        replicas = [alias for alias in settings.DATABASES if alias != PRIMARY]
        return random.choice(replicas) if replicas else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every database holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class PrimaryForStaffMiddleware:
    """Sends every request but an anonymous read to the primary."""

    SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        primary = (
            request.method not in self.SAFE_METHODS
            or "Authorization" in request.headers  # an API token: staff
            or request.user.is_authenticated
        )
        token = use_primary.set(primary)
        try:
            return self.get_response(request)
        finally:
            use_primary.reset(token)
