"""The jobs of alerts, feeds and webhooks, and the slow work that follows a change (bulk
downloads), run by the worker (``manage.py run_huey``; ``extraditions/jobs.py``).

After every committed change: :func:`detect_public_changes` finds what the public now sees
differently (``alerts/events.py``) and hands the events on: a webhook delivery per hook that
follows them, the immediate alerts, the public figures computed afresh, and a new build of the
bulk downloads. Every minute the same
detection runs again (a change whose job was lost is found then) and deliveries whose retry is
due are sent; every morning (07:00 UTC) the daily digests go out, on Mondays the weekly ones;
every night addresses never confirmed are forgotten.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.exceptions import TaskLockedException

from extraditions.jobs import HUEY, db_periodic_task, db_task, logged_only_when_failing
from extraditions.visibility import PUBLIC

from . import mail, webhooks
from .events import detect_changes
from .models import Subscription

logger = logging.getLogger(__name__)

DETECTION_LOCK = "alerts-detect-public-changes"


def on_records_committed(**kwargs) -> None:
    """A change to the records was committed: look for its effect on the public record. The change
    is saved whatever happens here: with the queue unreachable, the minute's sweep finds it."""
    try:
        detect_public_changes()
    except Exception:
        logger.exception("could not enqueue the detection of public changes; the sweep will find them")


@db_task(retries=3, retry_delay=2)
def detect_public_changes() -> int:
    """Find the events since the last look and hand them on; one run at a time (a run that finds
    the lock held tries again shortly, so that the change it was enqueued for is not missed)."""
    try:
        with HUEY.lock_task(DETECTION_LOCK):
            events = detect_changes()
    except TaskLockedException:
        detect_public_changes.schedule(delay=2)
        return 0
    if events:
        for delivery_id in webhooks.plan_deliveries(events):
            deliver_webhook(delivery_id)
        send_alerts(Subscription.Frequency.IMMEDIATE)
        warm_public_figures()
        build_bulk_downloads()
    return len(events)


@db_task(retries=3, retry_delay=60)
def send_alerts(frequency: str) -> int:
    """Send the subscriptions of ``frequency`` what is new in their searches (one mail each at most)."""
    return mail.send_due_alerts(frequency)


@db_task(retries=3, retry_delay=60)
def send_confirmation(subscription_id: int) -> None:
    mail.send_confirmation(subscription_id)


@db_task()
def deliver_webhook(delivery_id: int) -> None:
    """One attempt at a delivery; a failed attempt schedules the next itself, with back-off
    (``alerts/webhooks.py``), so that the queue's own retries are not needed."""
    retry_in = webhooks.attempt(delivery_id)
    if retry_in is not None:
        deliver_webhook.schedule(args=(delivery_id,), delay=retry_in)


@db_task()
def build_bulk_downloads() -> None:
    """The bulk downloads of the data as it now is, made before anyone asks for them (the data
    page still builds them itself when asked first: it never serves files of older data)."""
    from dataset.bulk import current_bundle

    if settings.BULK_DOWNLOADS_PREBUILD:
        site = urlsplit(settings.SITE_URL)
        current_bundle(site.netloc, site.scheme == "https")


@db_task()
def warm_public_figures() -> None:
    """The figures the home, figures and country pages and ``/api/v1/stats/`` compute over every
    record, computed once for the public after a change and kept in the shared cache (with
    ``REDIS_URL``), so that the first reader after a change does not wait for them."""
    from cases.reads import chart_counts
    from dataset.stats import headline_figures

    headline_figures(timezone.localdate(), PUBLIC)
    chart_counts(PUBLIC)


@logged_only_when_failing
@db_periodic_task(crontab(minute="*"))
def sweep() -> None:
    """Every minute: the detection again, and deliveries whose next attempt is due (their
    scheduled job may have been lost, e.g. when the queue's server restarted)."""
    detect_public_changes.call_local()
    for delivery_id in webhooks.overdue_deliveries():
        deliver_webhook(delivery_id)


@db_periodic_task(crontab(minute="40", hour="3"))
def forget_unconfirmed_subscriptions() -> int:
    """Every night: addresses given but never confirmed are not kept past their link's expiry."""
    from .forms import expired_q

    deleted, _ = Subscription.objects.filter(expired_q()).delete()
    return deleted


@db_periodic_task(crontab(minute="0", hour="7"))
def daily_digests() -> int:
    return mail.send_due_alerts(Subscription.Frequency.DAILY)


@db_periodic_task(crontab(minute="0", hour="7", day_of_week="1"))
def weekly_digests() -> int:
    return mail.send_due_alerts(Subscription.Frequency.WEEKLY)
