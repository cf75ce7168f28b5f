"""``/healthz``: whether this app server can serve, for load balancers and monitoring.

Checks the primary database (a query) and the cache (a round trip when it is Redis). Answers 200
with what it checked when both work, 503 when the database does not (the server cannot serve);
a cache that is down is reported but is not a failure, because the site serves without it.
Cheap, unauthenticated, never cached, and it says nothing about the records.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def database_works(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def cache_works() -> bool:
    checker = getattr(cache, "is_available", None)
    if checker is not None:
        return checker()
    cache.set("extraditions:healthz", "ok", 10)
    return cache.get("extraditions:healthz") == "ok"


@never_cache
@require_GET
def healthz(request):
    started = time.monotonic()
    checks = {alias: "ok" if database_works(alias) else "unavailable" for alias in connections.settings}
    checks["cache"] = "ok" if cache_works() else "unavailable (serving without it)"
    healthy = checks["default"] == "ok"
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": checks,
        "seconds": round(time.monotonic() - started, 3),
    }
    return JsonResponse(body, status=200 if healthy else 503)
