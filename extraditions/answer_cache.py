"""Public answers served from the cache until the data changes.

Most requests are the public reading the same lists, records and searches. An answer to a public
read is stored whole (status, headers, body) under the current *data version*
(:mod:`extraditions.caching`), which every committed change to a record replaces: the next change
makes every stored answer unreachable at once, so a record that is restricted, unpublished or
corrected leaves every cached list, page, search and export with it, without any list of which
answers it appeared in.

What is stored is decided by what the request and the answer are, never by the URL:

- only a ``GET`` with no session cookie and no ``Authorization`` header, from a user who is not
  logged in: anything a session or a token could change (staff views, a researcher's drafts, a
  flash message) is never stored, and such a request is never answered from the cache either;
- only a ``200`` that sets no cookie (a page with a form carries a CSRF token that is the
  visitor's own) and is not marked ``private`` or ``no-store``;
- only an answer computed outside a transaction: inside one it may read rows that are then
  rolled back (and in the test suite, whose tests each run in a transaction, nothing is stored).

The key is the absolute URL (scheme, host, path, query), the ``Accept`` and ``Accept-Language``
headers and the data version: a view whose public answer depends on anything else (another
header, a cookie other than the session's, the time of day) must mark it ``Cache-Control:
private``. A stored answer carries its ``ETag``, so a client that already holds
it gets a 304 from ``ConditionalGetMiddleware`` without the body being hashed again.

A streamed answer (a CSV export of a whole list, which can run to hundreds of megabytes) is not
kept in the cache but written to a file in ``EXPORT_CACHE_DIR`` as it is sent, and kept only once
the last byte is written: the next request for it is served from the file, at disk speed, with
flat memory, until the data changes. Files of older data versions are removed when a newer one is
stored.

With read replicas, an answer that will be stored is computed on the primary: a replica that lags
would otherwise store rows older than the version they are filed under.

Turned on by ``PUBLIC_ANSWER_CACHE`` (by default when ``REDIS_URL`` gives a shared cache: with
several processes and a per-process cache, one process would not see another's change).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, HttpResponse

from .caching import data_version, in_transaction
from .routers import reading_the_primary

ANSWER_KEY_PREFIX = "extraditions:answer"
CACHE_STATUS_HEADER = "X-Answer-Cache"  # "hit" or "miss": for the benchmark and for operators
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")
NOT_STORED_HEADERS = {"set-cookie", "date"}


def may_answer_from_cache(request) -> bool:
    return (
        getattr(settings, "PUBLIC_ANSWER_CACHE", False)
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "Authorization" not in request.headers
        and not request.user.is_authenticated
    )


def may_store(request, response) -> bool:
    cache_control = response.get("Cache-Control", "").lower()
    return (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES)
        and not in_transaction()
    )


def answer_key(request, version: str) -> str:
    described = "\n".join(
        [request.build_absolute_uri(), request.headers.get("Accept", ""), request.headers.get("Accept-Language", "")]
    )
    return f"{ANSWER_KEY_PREFIX}:{version}:{hashlib.sha256(described.encode()).hexdigest()}"


class PublicAnswerCacheMiddleware:
    """After authentication (it must know the user), before the views and their middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_answer_from_cache(request):
            return self.get_response(request)
        version = data_version()
        key = answer_key(request, version)
        stored = cache.get(key)
        answer = rebuilt(stored, version) if stored is not None else None
        if answer is not None:
            if within_rate_limit(request):
                return answer
            answer.close()
        with reading_the_primary():
            response = self.get_response(request)
        if not may_store(request, response):
            return response
        if not response.streaming and not response.has_header("ETag"):
            response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        headers = [(name, value) for name, value in response.items() if name.lower() not in NOT_STORED_HEADERS]
        if response.streaming:  # written to a file as it is sent, filed once complete
            response.streaming_content = kept_while_sent(response.streaming_content, key, version, headers)
        else:
            cache.set(key, (response.status_code, headers, response.content), timeout=settings.FIGURES_CACHE_SECONDS)
        response[CACHE_STATUS_HEADER] = "miss"
        return response


def rebuilt(stored, version: str) -> HttpResponse | None:
    status, headers, content = stored
    if isinstance(content, ExportFile):
        try:
            response = FileResponse(open(content.path(version), "rb"), status=status)  # noqa: SIM115 (closed by the response)
        except FileNotFoundError:  # removed meanwhile, or stored by another server: make it again
            return None
    else:
        response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[CACHE_STATUS_HEADER] = "hit"
    return response


def within_rate_limit(request) -> bool:
    """A stored API answer still counts against the public's rate limit.

    When the limit refuses, the request goes on to the view, whose throttle answers the 429 in the
    API's error format.
    """
    if not request.path.startswith("/api/"):
        return True
    from .api.throttling import AnonymousRateThrottle

    return AnonymousRateThrottle().allow_request(request, None)


class ExportFile(str):
    """In the cache, in place of a body: the name of the file the body was written to."""

    def path(self, version: str) -> Path:
        return export_dir(version) / self


def export_dir(version: str) -> Path:
    return Path(settings.EXPORT_CACHE_DIR) / version


def kept_while_sent(chunks, key: str, version: str, headers):
    """Yield ``chunks`` and write them to a file; once all are written, file it under ``key``.

    A download broken off (the client goes away, the database fails mid-way) leaves no file.
    """
    directory = export_dir(version)
    directory.mkdir(parents=True, exist_ok=True)
    descriptor, partial = tempfile.mkstemp(dir=directory, suffix=".partial")
    complete = False
    try:
        with os.fdopen(descriptor, "wb") as file:
            for chunk in chunks:
                chunk = chunk if isinstance(chunk, bytes) else str(chunk).encode()
                file.write(chunk)
                yield chunk
        name = ExportFile(key.rsplit(":", 1)[1])
        try:
            os.replace(partial, name.path(version))
        except OSError:  # its directory removed meanwhile: the data changed, the file is stale anyway
            return
        complete = True
        cache.set(key, (200, headers, name), timeout=settings.FIGURES_CACHE_SECONDS)
        remove_older_exports(version)
    finally:
        if not complete:
            Path(partial).unlink(missing_ok=True)


def remove_older_exports(current: str) -> None:
    for directory in Path(settings.EXPORT_CACHE_DIR).iterdir():
        if directory.name != current and directory.is_dir():
            shutil.rmtree(directory, ignore_errors=True)
