"""Rate limits for anonymous clients, read from settings at each request so they can be tuned live."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from extraditions.visibility import is_staff_session


class AnonymousRateThrottle(AnonRateThrottle):
    """``API_ANONYMOUS_RATE`` (e.g. "120/minute"); empty turns the limit off.

    Everyone but staff counts as anonymous here, as everywhere (extraditions/visibility.py): a
    session that logged in without a required second factor is limited like the public it is.
    """

    def get_rate(self):
        return getattr(settings, "API_ANONYMOUS_RATE", None) or None

    def get_cache_key(self, request, view):
        if is_staff_session(request.user):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
