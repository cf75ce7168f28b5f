"""A treaty's status on a given date, derived from the dates of its steps.

This is the one definition of treaty status. :func:`treaty_status_on` decides it for one treaty
in Python; :func:`treaty_status_expression` is the same rule as an SQL expression, so that
querysets can filter and count by status. Tests hold the two to the same answers.

A step counts from the first day of the period it is known to (a treaty "in force since 2011"
counts as in force from 1 January 2011), which is how partial dates are stored.
"""

import datetime

from django.db import models
from django.db.models import Case, Q, Value, When


class TreatyStatus(models.TextChoices):
    NOT_SIGNED = "not_signed", "Not yet signed"
    SIGNED = "signed", "Signed, awaiting ratification"
    IN_FORCE = "in_force", "In force"
    SUSPENDED = "suspended", "Suspended"
    TERMINATED = "terminated", "Terminated"
    UNKNOWN = "unknown", "Unknown"


def _happened(step: datetime.date | None, on: datetime.date) -> bool:
    return step is not None and step <= on


def treaty_status_on(
    on: datetime.date,
    *,
    signed_on: datetime.date | None,
    in_force_on: datetime.date | None,
    known_in_force_on: datetime.date | None = None,
    suspended_on: datetime.date | None = None,
    terminated_on: datetime.date | None = None,
) -> TreatyStatus:
    """The status on ``on``: the latest step that had happened by then wins.

    Termination outranks suspension, suspension outranks entry into force. A treaty that a source
    shows in force on ``known_in_force_on`` without the date it entered into force is in force from
    that date and of unknown status between its signature and then. A treaty with no
    known signature date and no later step that had happened is "unknown" rather than "not yet
    signed": we do not know that it was not signed.
    """
    if _happened(terminated_on, on):
        return TreatyStatus.TERMINATED
    if _happened(suspended_on, on):
        return TreatyStatus.SUSPENDED
    if _happened(in_force_on, on) or _happened(known_in_force_on, on):
        return TreatyStatus.IN_FORCE
    if signed_on is not None and on < signed_on:
        return TreatyStatus.NOT_SIGNED
    if signed_on is None or (in_force_on is None and known_in_force_on is not None):
        return TreatyStatus.UNKNOWN  # e.g. in force by a later date, since a date we do not know
    return TreatyStatus.SIGNED


def treaty_status_expression(on: datetime.date) -> Case:
    """:func:`treaty_status_on` as a database expression over the Treaty columns."""
    return Case(
        When(terminated_on__lte=on, then=Value(TreatyStatus.TERMINATED.value)),
        When(suspended_on__lte=on, then=Value(TreatyStatus.SUSPENDED.value)),
        When(Q(in_force_on__lte=on) | Q(known_in_force_on__lte=on), then=Value(TreatyStatus.IN_FORCE.value)),
        When(signed_on__gt=on, then=Value(TreatyStatus.NOT_SIGNED.value)),
        When(
            Q(signed_on__isnull=True) | Q(in_force_on__isnull=True, known_in_force_on__isnull=False),
            then=Value(TreatyStatus.UNKNOWN.value),
        ),
        default=Value(TreatyStatus.SIGNED.value),
        output_field=models.CharField(max_length=12),
    )


# When a country has several treaties of a kind with China, the most advanced status speaks for it.
STATUS_PRECEDENCE = (
    TreatyStatus.IN_FORCE, TreatyStatus.SIGNED, TreatyStatus.SUSPENDED, TreatyStatus.TERMINATED,
    TreatyStatus.UNKNOWN, TreatyStatus.NOT_SIGNED,
)


def more_advanced(status: str, than: str | None) -> bool:
    """Whether ``status`` speaks for a country rather than ``than`` (None: no status yet)."""
    return than is None or STATUS_PRECEDENCE.index(status) < STATUS_PRECEDENCE.index(than)
