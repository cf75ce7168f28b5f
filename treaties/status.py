"""A treaty's status on a given date, derived from the dates of its steps.

This is the one definition of treaty status. :func:`treaty_status_on` decides it for one treaty
in Python; :func:`treaty_status_expression` is the same rule as an SQL expression, so that
querysets can filter and count by status. Tests hold the two to the same answers.

A step counts from the first day of the period it is known to (a treaty "in force since 2011"
counts as in force from 1 January 2011), which is how partial dates are stored.

Where no source dates a step, a treaty may still be known to have reached it by some date: a
list of pending treaties shows it signed, a court applies it, an official count of treaties in
force only adds up if it is among them. Such evidence is recorded with its date and its strength
(:class:`EvidenceBasis`); :func:`status_evidence` says what a status on a date rests on, so that
figures can say how many of their treaties rest on inference.
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


class EvidenceBasis(models.TextChoices):
    """How an undated step is known, strongest first."""

    TREATY_SOURCE = "treaty_source", "A source on this treaty (an official statement, a court applying it, a list naming it)"
    WEAK_LIST = "weak_list", "An unofficial or unreliable status list naming it"
    OFFICIAL_COUNT = "official_count", "Inferred from an official count of treaties, not from a source naming it"


class StatusEvidence(models.TextChoices):
    """What a treaty's status on a date rests on."""

    DATED = "dated", "Dated by a source"
    TREATY_SOURCE = EvidenceBasis.TREATY_SOURCE.value, "Shown by a source on this treaty, without the date"
    WEAK_LIST = EvidenceBasis.WEAK_LIST.value, "Shown only by an unofficial status list"
    OFFICIAL_COUNT = EvidenceBasis.OFFICIAL_COUNT.value, "Inferred from an official count"
    NONE = "none", "No evidence"


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
    known_signed_by: datetime.date | None = None,
    china_approved_on: datetime.date | None = None,
    counterpart_ratified_on: datetime.date | None = None,
) -> TreatyStatus:
    """The status on ``on``: the latest step that had happened by then wins.

    Termination outranks suspension, suspension outranks entry into force. A treaty that a source
    shows in force on ``known_in_force_on`` without the date it entered into force is in force from
    that date and of unknown status between its signature and then. A treaty is signed once it is
    known to be: by its signing date, by ``known_signed_by``, or by a ratification, which only a
    signed treaty can have. Without any of these by ``on`` its status is "unknown" rather than "not
    yet signed": we do not know that it was not signed.
    """
    if _happened(terminated_on, on):
        return TreatyStatus.TERMINATED
    if _happened(suspended_on, on):
        return TreatyStatus.SUSPENDED
    if _happened(in_force_on, on) or _happened(known_in_force_on, on):
        return TreatyStatus.IN_FORCE
    if signed_on is not None and on < signed_on:
        return TreatyStatus.NOT_SIGNED
    known_signed = any(_happened(step, on) for step in (signed_on, known_signed_by, china_approved_on,
                                                         counterpart_ratified_on))
    if not known_signed or (in_force_on is None and known_in_force_on is not None):
        return TreatyStatus.UNKNOWN  # e.g. in force by a later date, since a date we do not know
    return TreatyStatus.SIGNED


# The Treaty columns status_evidence() reads besides the status and the date.
EVIDENCE_FIELDS = (
    "signed_on", "in_force_on", "china_approved_on", "counterpart_ratified_on",
    "known_signed_evidence", "known_in_force_evidence",
)


def status_evidence(
    status: TreatyStatus,
    on: datetime.date,
    *,
    signed_on: datetime.date | None,
    in_force_on: datetime.date | None,
    china_approved_on: datetime.date | None = None,
    counterpart_ratified_on: datetime.date | None = None,
    known_signed_evidence: str = "",
    known_in_force_evidence: str = "",
) -> StatusEvidence:
    """What ``status`` on ``on`` (from :func:`treaty_status_on`) rests on.

    In force or signed by a step a source dates is "dated"; otherwise the status rests on the
    undated evidence recorded for that step, whose strength is its basis.
    """
    if status == TreatyStatus.IN_FORCE:
        if _happened(in_force_on, on):
            return StatusEvidence.DATED
        return StatusEvidence(known_in_force_evidence or StatusEvidence.NONE)
    if status == TreatyStatus.SIGNED:
        if any(_happened(step, on) for step in (signed_on, china_approved_on, counterpart_ratified_on)):
            return StatusEvidence.DATED
        return StatusEvidence(known_signed_evidence or StatusEvidence.NONE)
    if status in (TreatyStatus.SUSPENDED, TreatyStatus.TERMINATED, TreatyStatus.NOT_SIGNED):
        return StatusEvidence.DATED
    return StatusEvidence.NONE


# How a status resting on undated evidence is qualified wherever it is shown.
EVIDENCE_QUALIFIER = {
    StatusEvidence.TREATY_SOURCE: "a source shows it, without the date",
    StatusEvidence.WEAK_LIST: "only an unofficial list shows it",
    StatusEvidence.OFFICIAL_COUNT: "inferred from an official count",
}


def describe_status(status: str, evidence: str) -> str:
    """The status's label, qualified when it rests on undated evidence: "In force (inferred from an
    official count)"."""
    label = TreatyStatus(status).label
    qualifier = EVIDENCE_QUALIFIER.get(evidence)
    return f"{label} ({qualifier})" if qualifier else label


def treaty_status_expression(on: datetime.date) -> Case:
    """:func:`treaty_status_on` as a database expression over the Treaty columns."""
    return Case(
        When(terminated_on__lte=on, then=Value(TreatyStatus.TERMINATED.value)),
        When(suspended_on__lte=on, then=Value(TreatyStatus.SUSPENDED.value)),
        When(Q(in_force_on__lte=on) | Q(known_in_force_on__lte=on), then=Value(TreatyStatus.IN_FORCE.value)),
        When(signed_on__gt=on, then=Value(TreatyStatus.NOT_SIGNED.value)),
        When(
            ~(Q(signed_on__lte=on) | Q(known_signed_by__lte=on) | Q(china_approved_on__lte=on)
              | Q(counterpart_ratified_on__lte=on))
            | Q(in_force_on__isnull=True, known_in_force_on__isnull=False),
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
