"""Finding what changed in the public record: the source of every feed entry's freshness, alert
and webhook call.

A record is *published* when the public may now see it and could not at the last look, *updated*
when it was and is public but has changed since, *withdrawn* when it was public and is no longer
(restricted, unpublished, deleted, or hidden through the record it belongs to). "Public" is the
visibility policy's own query (:func:`extraditions.visibility.public_records`), compared with the
snapshot the last detection left (:class:`~alerts.models.PublicRecordState`): however a record
entered or left the public view — a form, the API, an approved pending change, an import, a bulk
update — the detection sees it, and it never announces what the public could not see.

The detection is idempotent (run twice, the second finds nothing) and runs after every committed
change and every minute (``alerts/tasks.py``), one run at a time.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from extraditions.filtering import Listing
from extraditions.routers import reading_the_primary
from extraditions.visibility import public_records

from .listings import LISTINGS
from .models import Action, ListingBaseline, PublicRecordState, RecordEvent

logger = logging.getLogger(__name__)


def fingerprint(updated_at) -> str:
    return updated_at.isoformat() if updated_at else ""


def public_now(listing: Listing) -> dict[int, tuple]:
    """Every record of ``listing`` the public may see now: ``{pk: (uid, fingerprint)}``."""
    rows = public_records(listing.model._default_manager.all()).order_by().values_list("pk", "uid", "updated_at")
    return {pk: (uid, fingerprint(updated_at)) for pk, uid, updated_at in rows.iterator(chunk_size=5000)}


def detect_changes() -> list[RecordEvent]:
    """Compare what the public sees with the last snapshot, write the events found and the new
    snapshot in one transaction, and return the events (oldest first)."""
    events: list[RecordEvent] = []
    with reading_the_primary(), transaction.atomic():
        baselines = set(ListingBaseline.objects.values_list("listing", flat=True))
        for listing in LISTINGS.values():
            found = _detect(listing)
            if listing.name in baselines:
                events.extend(found)
            else:  # the first look at this list: what is public now is the baseline, not news
                ListingBaseline.objects.create(listing=listing.name)
        RecordEvent.objects.bulk_create(events)
    if events:
        logger.info("public record changes: %s", ", ".join(f"{e.action} {e.listing} #{e.object_id}" for e in events))
    return events


def _detect(listing: Listing) -> list[RecordEvent]:
    """The events of one list, with its snapshot brought up to date."""
    now = timezone.now()
    current = public_now(listing)
    states = {state.object_id: state for state in PublicRecordState.objects.filter(listing=listing.name)}
    events, new_states, changed_states = [], [], []
    for pk, (uid, print_) in current.items():
        state = states.get(pk)
        if state is None:
            events.append(RecordEvent(listing=listing.name, object_id=pk, record_uid=uid, action=Action.PUBLISHED, occurred_at=now))
            new_states.append(PublicRecordState(listing=listing.name, object_id=pk, record_uid=uid, fingerprint=print_, public_since=now))
        elif state.fingerprint != print_:
            events.append(RecordEvent(listing=listing.name, object_id=pk, record_uid=uid, action=Action.UPDATED, occurred_at=now))
            state.fingerprint = print_
            changed_states.append(state)
    gone = [state for pk, state in states.items() if pk not in current]
    for state in gone:
        events.append(RecordEvent(
            listing=listing.name, object_id=state.object_id, record_uid=state.record_uid, action=Action.WITHDRAWN, occurred_at=now,
        ))
    PublicRecordState.objects.bulk_create(new_states, batch_size=1000)
    PublicRecordState.objects.bulk_update(changed_states, ["fingerprint"], batch_size=1000)
    PublicRecordState.objects.filter(pk__in=[state.pk for state in gone]).delete()
    return events
