"""Who may see what: the one policy every channel calls (API, public site, search, CSV, exports,
sitemaps, feeds and the staff workspace).

- :func:`is_staff_session`: whether a request's user counts as staff — an active staff account
  that has passed the second factor wherever one is required. Everybody else is the public.
- Each model declares where its publication status lives (``visibility_paths``, see
  :mod:`extraditions.models`); :func:`public_q` turns that declaration into a database condition
  and :func:`is_visible` evaluates the *same* condition on a record already in memory, so the
  two cannot disagree.
- :func:`display_name` and :func:`public_label`: a pseudonymous person's other names never reach
  the public, and a record's label shown to the public never holds them.
- :func:`log_restricted_view` and :func:`log_restricted_among`: every time staff read a
  restricted record, on any channel, it is logged.
"""

from __future__ import annotations


def second_factor_required(user) -> bool:
    """Administrators must pass a second factor; other staff must once they have set one up."""
    from django_otp import user_has_device

    from .roles import is_administrator

    return is_administrator(user) or user_has_device(user, confirmed=True)


def is_staff_session(user) -> bool:
    """Whether ``user`` (as authenticated on this request) sees and does what staff may.

    A session that has not passed a required second factor is not a staff session anywhere: the
    admin refuses it, and the API and the site treat it as the public. API tokens are issued to
    staff by administrators and count as having passed it (see extraditions/tokens.py).
    """
    if not (user and user.is_authenticated and user.is_active and user.is_staff):
        return False
    cached = getattr(user, "_staff_session", None)
    if cached is None:
        verified = getattr(user, "is_verified", None)
        cached = (callable(verified) and verified()) or not second_factor_required(user)
        user._staff_session = cached  # asked many times per request; the answer cannot change within it
    return cached
