"""The detection of changes to the public record (alerts/events.py): every way a record enters or
leaves the public view is seen, nothing the public could not see is announced, and a second look
finds nothing new."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts.events import detect_changes
from alerts.listings import LISTINGS
from alerts.models import Action, ListingBaseline, ListName, PublicRecordState, RecordEvent, Subscription
from alerts.tasks import forget_unconfirmed_subscriptions
from cases import models as cases
from extraditions.models import PublicationStatus, Visibility
from tests import factories as f
from tests.api.conftest import RESTRICTED, build_hidden_world

pytestmark = pytest.mark.django_db

DRAFT = {"publication_status": PublicationStatus.DRAFT}


def events_of(found) -> list[tuple[str, str, int]]:
    return sorted((event.action, event.listing, event.object_id) for event in found)


def test_every_listing_is_named_in_the_models():
    assert sorted(LISTINGS) == sorted(ListName.values)


def test_the_first_look_is_a_baseline_and_announces_nothing():
    ListingBaseline.objects.all().delete()  # as on an installation that never looked (an upgrade)
    case = f.CaseFactory()
    assert detect_changes() == []
    assert set(ListingBaseline.objects.values_list("listing", flat=True)) == set(LISTINGS)
    assert PublicRecordState.objects.filter(listing="cases", object_id=case.pk).exists()
    assert detect_changes() == []


def test_publishing_updating_and_withdrawing_are_found_once():
    detect_changes()
    ruling = f.CourtRulingFactory(**DRAFT)
    assert [e for e in detect_changes() if e.listing == "rulings"] == []  # a draft is not news

    ruling.publication_status = PublicationStatus.PUBLISHED
    ruling.save()
    assert events_of(e for e in detect_changes() if e.listing == "rulings") == [(Action.PUBLISHED, "rulings", ruling.pk)]
    assert detect_changes() == []  # idempotent

    ruling.summary = "Refused: a real risk of torture."
    ruling.save()
    assert events_of(detect_changes()) == [(Action.UPDATED, "rulings", ruling.pk)]

    ruling.visibility = Visibility.RESTRICTED
    ruling.save()
    withdrawn = detect_changes()
    assert events_of(withdrawn) == [(Action.WITHDRAWN, "rulings", ruling.pk)]
    assert withdrawn[0].record_uid == ruling.uid
    assert not PublicRecordState.objects.filter(listing="rulings", object_id=ruling.pk).exists()


def test_bulk_updates_deletions_and_unpublishing_are_found_too():
    detect_changes()
    first, second = f.CaseFactory(), f.CaseFactory()
    second_pk = second.pk
    detect_changes()
    cases.Case.objects.filter(pk=first.pk).update(publication_status=PublicationStatus.IN_REVIEW)  # no signal
    second.delete()
    assert events_of(detect_changes()) == [(Action.WITHDRAWN, "cases", first.pk), (Action.WITHDRAWN, "cases", second_pk)]


def test_a_record_hidden_through_the_record_it_belongs_to_is_withdrawn():
    """A ruling is only as visible as its case (visibility_paths): restricting the case withdraws it."""
    detect_changes()
    ruling = f.CourtRulingFactory()
    detect_changes()
    ruling.case.visibility = Visibility.RESTRICTED
    ruling.case.save()
    assert (Action.WITHDRAWN, "rulings", ruling.pk) in events_of(detect_changes())


def test_nothing_hidden_is_ever_announced():
    detect_changes()
    world = build_hidden_world("HIDDENMARK")
    announced = {(event.listing, event.object_id) for event in detect_changes()}
    hidden = {
        (name, record.pk) for name, listing in LISTINGS.items()
        for record in world["hidden"] if isinstance(record, listing.model)
    }
    assert hidden, "the hidden world has no record of a followed list: the test proves nothing"
    assert not announced & hidden
    assert RecordEvent.objects.filter(action=Action.PUBLISHED).exists()  # the public side was announced


def test_a_restricted_record_published_at_once_is_not_announced():
    detect_changes()
    f.PersonFactory(**RESTRICTED)
    assert detect_changes() == []


def test_the_detection_reads_each_list_in_one_query_whatever_its_size():
    detect_changes()
    f.CaseFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        detect_changes()
    f.CaseFactory.create_batch(30)
    with CaptureQueriesContext(connection) as many:
        detect_changes()
    assert len(many) == len(few)


def test_addresses_never_confirmed_are_forgotten_after_their_link_expires():
    long_ago = timezone.now() - datetime.timedelta(days=4)
    expired = Subscription.objects.create(email="old@example.org", listing="rulings", confirmation_sent_at=long_ago)
    recent = Subscription.objects.create(email="new@example.org", listing="rulings", confirmation_sent_at=timezone.now())
    confirmed = Subscription.objects.create(
        email="kept@example.org", listing="rulings", confirmation_sent_at=long_ago, confirmed_at=long_ago
    )
    assert forget_unconfirmed_subscriptions.call_local() == 1
    assert set(Subscription.objects.values_list("pk", flat=True)) == {recent.pk, confirmed.pk}
    assert not Subscription.objects.filter(pk=expired.pk).exists()
