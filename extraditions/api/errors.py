"""One error format for the whole API: RFC 9457 problem details.

Every error answer is ``application/problem+json`` with ``type``, ``title``, ``status`` and
``detail``; a validation error adds ``errors``, the messages per field or query parameter.
Errors raised outside the API's views (an unknown URL, a crash) take the same form under
``/api/``.
"""

from __future__ import annotations

import sys
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.views import defaults
from rest_framework import exceptions
from rest_framework.views import exception_handler

API_PREFIX = "/api/"
PROBLEM_TYPE = "about:blank"  # the HTTP status says all there is to say


def problem(status: int, detail: str, **extra) -> dict:
    return {"type": PROBLEM_TYPE, "title": HTTPStatus(status).phrase, "status": status, "detail": detail, **extra}


def problem_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an API error: a bug, left to handler500
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        body = problem(response.status_code, "The request has invalid values; see errors.", errors=errors)
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else str(response.data)
        body = problem(response.status_code, str(detail))
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            body["retry_after"] = int(exc.wait)
        body.update(getattr(exc, "problem_extra", {}))  # members an error adds, e.g. likely_duplicates
    response.data = body
    return response


def problem_response(status: int, detail: str) -> JsonResponse:
    return JsonResponse(problem(status, detail), status=status, content_type="application/problem+json")


def bad_request(request, exception=None):
    """Refused before any view ran: a body over the size limit (413), too many parameters, a
    forbidden host (400)."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        return error_answer(request, 413, f"The request body is larger than {limit:g} MB.")
    if isinstance(exception, TooManyFieldsSent):
        return error_answer(request, 400, f"More than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} parameters.")
    if request.path.startswith(API_PREFIX):
        return problem_response(400, "The request could not be understood.")
    return defaults.bad_request(request, exception)


def not_found(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return problem_response(404, "There is no such resource or record.")
    return defaults.page_not_found(request, exception)


DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10


def server_error(request):
    # Called while the exception is being handled: a database that cannot be reached is an outage
    # to wait out (503, retry later), not a bug (500).
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return service_unavailable(request)
    if request.path.startswith(API_PREFIX):
        return problem_response(500, "Something went wrong on our side; it has been logged.")
    return defaults.server_error(request)


def service_unavailable(request) -> HttpResponse:
    response = error_answer(request, 503, "The database is unavailable for a moment; nothing was changed. Try again shortly.")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def error_answer(request, status: int, detail: str) -> HttpResponse:
    """An error in the API's format under /api/, else as a bare page: no template, since rendering
    one may need what failed (the database, the request itself)."""
    if request.path.startswith(API_PREFIX):
        return problem_response(status, detail)
    title = HTTPStatus(status).phrase
    return HttpResponse(f"<!doctype html><html lang=en><title>{title}</title><h1>{title}</h1><p>{escape(detail)}</p>",
                        status=status)
