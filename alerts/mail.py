"""E-mail alerts for saved searches: the confirmation mail, and the alerts themselves.

An alert names what was published or updated in a saved search since the last one, as the
public sees it *when the alert is sent*: the events since the subscription's ``last_event_id``
only say which records to look at; the records named are those the saved search, run as the
public (:data:`~extraditions.visibility.PUBLIC`), finds among them now. A record restricted since
its event is not named; nor is anything the search's filters no longer select.

Each alert is sent at most once, and none is lost silently:

1. *plan*, in one transaction with the subscription's row locked: the records to name; if there
   are any, an :class:`AlertMail` up to the last event covered (unique per subscription and
   event), and ``last_event_id`` advanced to it (also when there are none);
2. *deliver*, in a second transaction: ``sent_at`` claimed by a conditional update, the mail sent,
   committed. A mail the server refuses rolls the claim back: the alert stays unsent, and the
   next run sends it again, with what happened since (for up to :data:`RETRY_FOR`).

Subscriptions are read in batches, and one failing address is logged and passed over.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max, Q
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from cases import reads as case_reads
from extraditions.pages import SITE_NAME
from extraditions.routers import reading_the_primary
from extraditions.visibility import PUBLIC

from .forms import describe
from .listings import LISTINGS
from .models import Action, AlertMail, RecordEvent, Subscription

logger = logging.getLogger(__name__)

ANNOUNCED = (Action.PUBLISHED, Action.UPDATED)  # a withdrawn record is simply no longer named
BATCH = 500  # subscriptions read at a time
MAX_LISTED = 50  # records named in one mail; the rest are counted, with a link to the search
RETRY_FOR = datetime.timedelta(days=3)  # an alert the server refused is tried again for this long

# How each list's records are read to be named (their label's relations, without long texts).
ALERT_ROWS = {"notices": case_reads.notice_alert_rows, "rulings": case_reads.ruling_alert_rows}


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def links(subscription: Subscription) -> dict[str, str]:
    """The addresses a mail gives: the search's page and feed, confirming and unsubscribing."""
    listing = LISTINGS[subscription.listing]
    query = f"?{subscription.query}" if subscription.query else ""
    return {
        "page": absolute(reverse(listing.page) + query),
        "feed": absolute(reverse("site:feed", args=[listing.name]) + query),
        "confirm": absolute(reverse("site:alert-confirm", args=[subscription.token])),
        "unsubscribe": absolute(reverse("site:alert-unsubscribe", args=[subscription.token])),
    }


def compose(subject: str, template: str, context: dict, to: str, headers: dict | None = None) -> EmailMultiAlternatives:
    """A mail in text, with the same in HTML as its alternative (``<template>.txt`` and ``.html``)."""
    context = {**context, "site_name": SITE_NAME, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject, render_to_string(f"{template}.txt", context), to=[to],
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


# --- confirmation -----------------------------------------------------------------------------------


def send_confirmation(subscription_id: int) -> None:
    """The link to confirm a subscription; to an address already confirmed for this search, a
    reminder that it is (the subscribe page says the same to both: "check your inbox")."""
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:  # unsubscribed before the job ran
        return
    description = describe(LISTINGS[subscription.listing], subscription.query)
    subject = "You already get these alerts" if subscription.is_confirmed else "Confirm your e-mail alerts"
    context = {
        "subscription": subscription, "description": description,
        "frequency": subscription.get_frequency_display(), "links": links(subscription),
    }
    compose(f"{subject}: {Truncator(description).chars(120)}", "alerts/mail/confirm", context, subscription.email).send()


# --- alerts -----------------------------------------------------------------------------------------


@dataclass
class Alert:
    """What one mail names: the records of a saved search published or updated in a span of events."""

    subscription: Subscription
    mail: AlertMail | None  # made (or found) by plan()
    new: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    total: int = 0

    def message(self) -> EmailMultiAlternatives:
        subscription = self.subscription
        listing = LISTINGS[subscription.listing]
        description = describe(listing, subscription.query)
        urls = links(subscription)
        context = {
            "description": description, "listing": listing, "frequency": subscription.get_frequency_display(),
            "new": [row(record, listing) for record in self.new], "updated": [row(record, listing) for record in self.updated],
            "total": self.total, "more": self.total - len(self.new) - len(self.updated), "links": urls,
        }
        noun = listing.noun if self.total == 1 else f"{listing.noun}s"
        subject = f"{self.total} new or updated {noun}: {Truncator(description).chars(120)}"
        # One-click unsubscribing from the mail client itself (RFC 2369, RFC 8058).
        headers = {"List-Unsubscribe": f"<{urls['unsubscribe']}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        return compose(subject, "alerts/mail/alert", context, subscription.email, headers)


def ruling_detail(ruling) -> str:
    return ruling.get_decision_display()  # its label is its court and date


DETAILS = {"rulings": ruling_detail}  # what a mail says of a record besides its label, by list


def row(record, listing) -> dict:
    """How a mail names one record: its public label (never ``str()``; a ruling's is its court and
    date), its public page and, for a ruling, its decision."""
    detail = DETAILS.get(listing.name)
    return {
        "label": record.public_label, "url": absolute(record.get_absolute_url()),
        "detail": detail(record) if detail else "",
    }


def send_due_alerts(frequency: str) -> int:
    """Send every confirmed subscription of ``frequency`` what is new in its search since its
    last alert, one mail each at most; returns how many mails were sent."""
    sent = 0
    # Events and records as the primary has them: a replica that lags could still show a record
    # that has just been restricted.
    with reading_the_primary(), Mailer() as mailer:
        up_to = RecordEvent.objects.aggregate(last=Max("pk"))["last"] or 0
        due = Subscription.objects.filter(frequency=frequency, confirmed_at__isnull=False).order_by("pk")
        for subscription_id in due.values_list("pk", flat=True).iterator(chunk_size=BATCH):
            try:
                alert = plan(subscription_id, up_to)
                sent += deliver(alert, mailer) if alert else 0
            except Exception:
                logger.exception("alert for subscription %s not sent; it is tried again on the next run", subscription_id)
    return sent


def plan(subscription_id: int, up_to: int) -> Alert | None:
    """The alert due to a subscription, its :class:`AlertMail` made and ``last_event_id`` advanced
    in one transaction; ``None`` when there is nothing to send."""
    with transaction.atomic():
        # Locked: two runs at once (two changes in quick succession) plan one after the other.
        subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
        if subscription is None or not subscription.is_confirmed:
            return None
        retry = (
            subscription.mails.filter(sent_at__isnull=True, created_at__gte=timezone.now() - RETRY_FOR)
            .order_by("-up_to_event").first()
        )
        if retry is None and up_to <= subscription.last_event_id:
            return None
        end = max(up_to, subscription.last_event_id, retry.up_to_event if retry else 0)
        events = RecordEvent.objects.filter(
            since(subscription, retry), pk__lte=end, listing=subscription.listing, action__in=ANNOUNCED
        )
        alert = Alert(subscription, retry)
        matching(alert, events)
        if alert.total == 0:
            if retry is not None:  # nothing it named may still be shown: nothing left to send
                retry.delete()
            alert = None
        elif retry is not None:  # the alert a previous run could not send, with what has happened since
            retry.up_to_event, retry.records = end, alert.total
            retry.save(update_fields=["up_to_event", "records"])
        else:
            alert.mail = AlertMail.objects.create(subscription=subscription, up_to_event=end, records=alert.total)
        Subscription.objects.filter(pk=subscription.pk).update(last_event_id=end)
        return alert


def since(subscription: Subscription, retry: AlertMail | None) -> Q:
    """Where the events a mail covers start: after the last event considered or, for an alert
    sent again, after the subscription's previous mail (or its confirmation, for its first)."""
    if retry is None:
        return Q(pk__gt=subscription.last_event_id)
    previous = subscription.mails.filter(up_to_event__lt=retry.up_to_event).aggregate(last=Max("up_to_event"))["last"]
    return Q(pk__gt=previous) if previous is not None else Q(occurred_at__gte=subscription.confirmed_at)


def matching(alert: Alert, events) -> None:
    """Fill ``alert`` with the records of ``events`` the saved search finds now, as the public."""
    subscription = alert.subscription
    listing = LISTINGS[subscription.listing]
    records, refused = listing.records(QueryDict(subscription.query), PUBLIC)
    if refused:  # e.g. a filter on a case since restricted: without it the search would match more
        logger.warning("subscription %s: its search is refused (%s); nothing sent", subscription.pk, refused)
        return
    found = records.filter(pk__in=events.values("object_id"))
    alert.total = found.count()
    if not alert.total:
        return
    shape = ALERT_ROWS.get(listing.name, lambda records, user: records)
    shown = list(shape(found.order_by("-pk"), PUBLIC)[:MAX_LISTED])
    published = set(events.filter(action=Action.PUBLISHED, object_id__in=[r.pk for r in shown]).values_list("object_id", flat=True))
    for record in shown:
        (alert.new if record.pk in published else alert.updated).append(record)


def deliver(alert: Alert, mailer: Mailer) -> int:
    """Send a planned alert once: the claim on ``sent_at`` is committed only if the server took the mail."""
    message = alert.message()
    now = timezone.now()
    with transaction.atomic():
        # Conditional on what was planned: a run that has since added events to this mail sends it.
        claimed = AlertMail.objects.filter(pk=alert.mail.pk, sent_at__isnull=True, up_to_event=alert.mail.up_to_event)
        if not claimed.update(sent_at=now):
            return 0
        Subscription.objects.filter(pk=alert.subscription.pk).update(last_sent_at=now)
        mailer.send(message)
    return 1


try:  # Django 6.1 and later: the mailer configured in MAILERS

    from django.core.mail import mailers

    def mail_connection():
        return mailers.default

except ImportError:  # the 5.2 LTS line, on Python 3.11: the EMAIL_* settings
    from django.core.mail import get_connection as mail_connection


class Mailer:
    """One connection to the mail server for a run of alerts, opened again after a failure (a
    refused recipient leaves it usable; a dropped connection does not)."""

    def __enter__(self) -> Mailer:
        self.connection = mail_connection()
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def send(self, message: EmailMultiAlternatives) -> None:
        try:
            self.connection.open()
            self.connection.send_messages([message])
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        try:
            self.connection.close()
        except Exception:  # a connection already broken: the next mail opens a new one
            logger.warning("closing the mail connection failed", exc_info=True)
