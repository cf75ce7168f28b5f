"""Rate limits for anonymous clients, read from settings at each request so they can be tuned live."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """``API_ANONYMOUS_RATE`` (e.g. "120/minute"); empty turns the limit off."""

    def get_rate(self):
        return getattr(settings, "API_ANONYMOUS_RATE", None) or None
