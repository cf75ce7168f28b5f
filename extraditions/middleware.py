"""What every request and answer goes through: security headers, refusing NUL characters, idle sessions."""

from __future__ import annotations

import time

from django.conf import settings

from .api.errors import error_answer


def policy_header(policy: dict[str, list[str]]) -> str:
    return "; ".join(f"{directive} {' '.join(sources)}".strip() for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """The ``Content-Security-Policy`` of ``settings.CONTENT_SECURITY_POLICY`` on every response.

    The site, the staff workspace and the API docs run no inline script, so one fixed policy
    serves them all (Django 6's own middleware does the same and adds nonces, which nothing here
    needs; this one also runs on the Django 5.2 used with Python 3.11). A view may widen the
    policy for its own answer with ``response.csp_overrides = {directive: [sources]}``.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = policy_header(settings.CONTENT_SECURITY_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            overrides = getattr(response, "csp_overrides", None)
            header = policy_header({**settings.CONTENT_SECURITY_POLICY, **overrides}) if overrides else self.header
            response["Content-Security-Policy"] = header
        return response


class RefuseNullCharactersMiddleware:
    """A NUL character in the query string is a 400: no text in the tracker contains one, and
    PostgreSQL refuses it in any string, so it could only end in a database error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            return error_answer(request, 400, "The query string contains a NUL character.")
        return self.get_response(request)


class IdleSessionMiddleware:
    """Sessions that end ``SESSION_COOKIE_AGE`` after the last request, written at most once every
    ``SESSION_REFRESH_SECONDS`` rather than on every request.

    ``SESSION_SAVE_EVERY_REQUEST`` would give the same idle limit with a database write (and its
    transaction) on every page a researcher opens. Here a request that changes nothing in the
    session moves its expiry only once the last move is that old: the session still ends after
    the idle time, at most that many seconds early. Placed just after Django's
    ``SessionMiddleware`` (which the deployment checks look for by name), so that it marks the
    session before that one decides whether to save it.
    """

    REFRESHED_KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.modified and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.REFRESHED_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[self.REFRESHED_KEY] = now  # modified: saved, with a new expiry
        return response
