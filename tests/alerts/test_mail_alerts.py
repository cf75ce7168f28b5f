"""Saved searches with e-mail alerts, end to end, with a real SMTP server (tests/alerts/smtp.py).

Subscribing (the form's refusals and limits, and answers that never tell whether an address is
subscribed), the confirmation mail and its link (nothing is sent before confirming, and confirming
needs a POST), alerts that name what the public may see when they are sent (immediate ones, daily
digests, hidden records never), sending once, one failing address not stopping the others,
unsubscribing in one click, and the staff workspace.

Records change as in production: committed (``committed()`` runs what waits for the commit), the
detection of what the public sees differently runs, and immediate alerts go out from it.
"""

from __future__ import annotations

import datetime
import logging
import re
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerts import mail
from alerts.events import detect_changes
from alerts.models import AlertMail, RecordEvent, Subscription
from cases.models import RulingDecision
from extraditions.models import PublicationStatus, Visibility
from extraditions.roles import EDITOR, RESEARCHER, VIEWER, setup_roles
from tests import factories as f
from tests.alerts.smtp import body, everything, smtp_server
from tests.api.conftest import build_hidden_world
from tests.conftest import verify_second_factor

pytestmark = pytest.mark.django_db

IMMEDIATE, DAILY = Subscription.Frequency.IMMEDIATE, Subscription.Frequency.DAILY
REFUSED = f"decision={RulingDecision.EXTRADITION_REFUSED}"
ANN = "ann@example.org"


@pytest.fixture
def inbox(settings):
    with smtp_server(settings) as received:
        yield received


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block whose writes count as committed: what waits for the commit (the detection of
    changes, immediate alerts, confirmation mails) runs at its end, as the tests' queue runs jobs
    at once. Records are written only inside such blocks: the detection is asked for once per
    transaction, and the test's own transaction never commits."""

    @contextmanager
    def block():
        start = len(connection.run_on_commit)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            yield callbacks
        del connection.run_on_commit[start:]  # run, as a commit would: the next block's changes ask again

    return block


@pytest.fixture
def baseline(db):
    detect_changes()  # the first look at each list takes what is public as it stands: no events


def subscribe(client, committed, listing="rulings", query=REFUSED, email=ANN, frequency=IMMEDIATE, status=200):
    with committed():
        response = client.post(
            reverse("site:alert-subscribe"), {"listing": listing, "query": query, "email": email, "frequency": frequency}
        )
    assert response.status_code == status, response.content.decode()
    return response


def link(message, kind: str) -> str:
    """The path of the ``confirm`` or ``unsubscribe`` link in a mail's text, checked absolute."""
    found = re.search(rf"{re.escape(settings.SITE_URL)}(/alerts/{kind}/[\w-]+/)", body(message))
    assert found, body(message)
    return found.group(1)


def subscribed(client, committed, inbox, **fields) -> Subscription:
    """A confirmed subscription, confirmed as its owner would: from the mail's link, with the button."""
    subscribe(client, committed, **fields)
    email = fields.get("email", ANN)
    path = link(inbox.to(email)[-1], "confirm")
    assert client.post(path).status_code == 200
    subscription = Subscription.objects.get(email=email, listing=fields.get("listing", "rulings"))
    assert subscription.is_confirmed
    return subscription


def alerts_to(inbox, email: str = ANN) -> list:
    return [message for message in inbox.to(email) if "List-Unsubscribe" in message]


def refused_ruling(**fields):
    return f.CourtRulingFactory(decision=RulingDecision.EXTRADITION_REFUSED, **fields)


# --- subscribing and confirming ------------------------------------------------------------------


def test_the_form_describes_the_search_in_words(client):
    response = client.get(reverse("site:alert-subscribe"), {"listing": "rulings", "query": f"{REFUSED}&country=se&page=3"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Court rulings — country: Sweden; decision: Extradition refused" in page
    assert 'name="query" value="country=se&amp;decision=extradition_refused"' in page  # canonical: no page number
    assert client.get(reverse("site:alert-subscribe")).status_code == 200  # no list given: one to choose


def test_nothing_is_sent_before_the_address_is_confirmed_from_the_mail(client, committed, inbox, baseline):
    response = subscribe(client, committed, query=f"page=2&{REFUSED}")
    assert "Check your inbox" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    subscription = Subscription.objects.get()
    assert (subscription.query, subscription.frequency, subscription.is_confirmed) == (REFUSED, IMMEDIATE, False)
    (confirmation,) = inbox.to(ANN)
    assert confirmation["Subject"].startswith("Confirm your e-mail alerts: Court rulings — decision: Extradition refused")
    assert settings.SITE_URL + reverse("site:alert-confirm", args=[subscription.token]) in body(confirmation, "html")

    with committed():
        refused_ruling()
    assert len(inbox.messages) == 1  # published and matching, but not confirmed: nothing

    path = link(confirmation, "confirm")
    page = client.get(path)
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    assert '<form method="post"><button type="submit">Confirm</button></form>' in page.content.decode()
    head, cite = page.content.decode().split("<main")[0], page.content.decode().split('class="cite"')[1]
    assert subscription.token not in head and subscription.token not in cite  # canonical address, citation
    subscription.refresh_from_db()
    assert not subscription.is_confirmed  # opening the link (as a mail scanner does) confirms nothing

    confirmed = Client(enforce_csrf_checks=True).post(path)  # from the page, which carries no CSRF token
    assert confirmed.status_code == 200 and "Alerts confirmed" in confirmed.content.decode()
    subscription.refresh_from_db()
    assert subscription.is_confirmed
    assert subscription.last_event_id == RecordEvent.objects.latest("pk").pk  # what was published before is not news
    assert mail.send_due_alerts(IMMEDIATE) == 0
    assert len(inbox.messages) == 1


def test_unknown_and_expired_links_are_not_found(client, committed, inbox):
    assert client.get(reverse("site:alert-confirm", args=["no-such-token"])).status_code == 404
    assert client.post(reverse("site:alert-confirm", args=["no-such-token"])).status_code == 404
    subscribe(client, committed)
    Subscription.objects.update(confirmation_sent_at=timezone.now() - datetime.timedelta(days=4))
    assert client.post(link(inbox.messages[-1], "confirm")).status_code == 404
    assert not Subscription.objects.get().is_confirmed


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"listing": "detentions"}, "Choose one of the lists"),
        ({"query": "decision=maybe"}, "Allowed: one or more of extradition_refused, extradition_permitted"),
        ({"query": "decided_after=2021-13"}, "decided_after"),
        ({"email": "not-an-address"}, "Enter a valid email address"),
        ({"frequency": "hourly"}, "Select a valid choice"),
    ],
)
def test_the_form_refuses_what_cannot_be_followed_and_says_why(client, committed, inbox, fields, message):
    response = subscribe(client, committed, status=400, **fields)
    assert message in response.content.decode()
    assert not Subscription.objects.exists() and not inbox.messages


def test_a_filter_on_a_record_the_public_may_not_see_is_refused_like_one_on_nothing(client, committed, inbox):
    secret = f.CaseFactory(slug="secret-case", visibility=Visibility.RESTRICTED)
    hidden = subscribe(client, committed, query=f"case={secret.slug}", status=400).content.decode()
    missing = subscribe(client, committed, query="case=no-such-case", status=400).content.decode()
    assert "No case with id &#x27;secret-case&#x27;" in hidden
    assert hidden.replace("secret-case", "no-such-case") == missing
    assert not Subscription.objects.exists()


def test_an_address_has_a_limit_and_the_answers_never_tell_whether_it_is_subscribed(client, committed, inbox, settings):
    settings.ALERTS_PER_ADDRESS = 3
    for query in ("", REFUSED, "country=se"):
        subscribe(client, committed, query=query)
    # The same search again, typed with other capitals: the same subscription, not a fourth.
    again = subscribe(client, committed, query="country=se", email="ANN@Example.ORG")
    fresh = subscribe(client, committed, query="country=se", email="zoe@example.org")
    assert again.content.decode().replace("ANN@example.org", "zoe@example.org") == fresh.content.decode()
    assert Subscription.objects.filter(email__iexact=ANN).count() == 3
    refused = subscribe(client, committed, query="country=no", status=400).content.decode()
    assert "An address can follow at most 3 searches" in refused
    assert Subscription.objects.filter(email__iexact=ANN).count() == 3


def test_unconfirmed_searches_are_limited_and_a_confirmation_is_sent_at_most_every_ten_minutes(client, committed, inbox):
    subscribe(client, committed)
    subscribe(client, committed, frequency=DAILY)
    assert len(inbox.to(ANN)) == 1  # asked twice within ten minutes: one mail
    assert Subscription.objects.get().frequency == DAILY  # unconfirmed: the last choice holds
    Subscription.objects.update(confirmation_sent_at=timezone.now() - datetime.timedelta(minutes=11))
    subscribe(client, committed)
    assert len(inbox.to(ANN)) == 2

    for country in ("se", "no", "fi", "dk"):
        subscribe(client, committed, query=f"country={country}")
    assert Subscription.objects.filter(confirmed_at__isnull=True).count() == 5
    response = subscribe(client, committed, query="country=de", status=400)
    assert "at most 5 searches waiting for confirmation" in response.content.decode()


def test_asking_again_for_confirmed_alerts_changes_nothing_and_tells_only_the_mailbox(client, committed, inbox):
    subscription = subscribed(client, committed, inbox)
    Subscription.objects.update(confirmation_sent_at=timezone.now() - datetime.timedelta(minutes=11))
    response = subscribe(client, committed, frequency=DAILY)
    assert "Check your inbox" in response.content.decode()
    reminder = inbox.to(ANN)[-1]
    assert reminder["Subject"].startswith("You already get these alerts")
    assert link(reminder, "unsubscribe") == reverse("site:alert-unsubscribe", args=[subscription.token])
    subscription.refresh_from_db()
    assert subscription.frequency == IMMEDIATE and subscription.is_confirmed  # a form anyone can post changes nothing


def test_the_subscribe_form_needs_no_csrf_token(committed, inbox):
    # It is on every list page, which shared caches keep for everyone (alerts/follow.html).
    subscribe(Client(enforce_csrf_checks=True), committed)
    assert Subscription.objects.exists() and len(inbox.messages) == 1


# --- alerts ----------------------------------------------------------------------------------------


def test_an_immediate_alert_names_a_new_matching_record_once(client, committed, inbox, baseline):
    subscription = subscribed(client, committed, inbox)
    with committed():
        ruling = refused_ruling(court="Court of Appeal of Lund & Skåne", decided_on=datetime.date(2021, 3, 4), decided_on_precision="day")
    (alert,) = alerts_to(inbox)
    unsubscribe = settings.SITE_URL + reverse("site:alert-unsubscribe", args=[subscription.token])
    assert alert["Subject"] == "1 new or updated ruling: Court rulings — decision: Extradition refused"
    assert alert["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = body(alert), body(alert, "html")
    assert ruling.public_label == "Court of Appeal of Lund & Skåne, 4 March 2021"  # its court and date
    assert f"New:\n\n- {ruling.public_label}\n  Extradition refused\n" in text
    record_url = settings.SITE_URL + ruling.get_absolute_url()
    assert record_url in text and f'<a href="{record_url}">Court of Appeal of Lund &amp; Skåne, 4 March 2021</a>' in html
    search = f"{settings.SITE_URL}{reverse('site:ruling-list')}?{REFUSED}"
    feed = f"{settings.SITE_URL}{reverse('site:feed', args=['rulings'])}?{REFUSED}"
    for address in (search, feed, unsubscribe):
        assert address in text and address in html
    sent = AlertMail.objects.get()
    assert (sent.records, sent.sent_at is not None, sent.up_to_event) == (1, True, RecordEvent.objects.latest("pk").pk)
    subscription.refresh_from_db()
    assert subscription.last_sent_at == sent.sent_at

    assert mail.send_due_alerts(IMMEDIATE) == 0  # run again: nothing sent twice
    with committed():
        f.CourtRulingFactory(decision=RulingDecision.EXTRADITION_PERMITTED)  # not in the search
        f.CaseFactory()  # another list
    assert len(alerts_to(inbox)) == 1
    assert AlertMail.objects.count() == 1


def test_a_daily_digest_groups_what_happened_and_names_only_what_is_public_when_sent(client, committed, inbox, baseline):
    with committed():
        existing = f.CaseFactory(title="Case known before")  # public before the subscription: not news
    subscribed(client, committed, inbox, listing="cases", query="", frequency=DAILY)
    with committed():
        first = f.CaseFactory(title="Case one")
    with committed():
        second = f.CaseFactory(title="Case two")
        existing.summary = "Corrected summary"
        existing.save()
    with committed():
        withdrawn = f.CaseFactory(title="Case restricted after its event")
    with committed():
        withdrawn.visibility = Visibility.RESTRICTED
        withdrawn.save()
    assert not alerts_to(inbox)  # daily: nothing as it happens

    assert mail.send_due_alerts(DAILY) == 1
    (digest,) = alerts_to(inbox)
    text = body(digest)
    assert digest["Subject"] == "3 new or updated cases: All cases"
    new, updated = text.split("New:")[1].split("Updated:")
    assert "Case one" in new and "Case two" in new and "Case known before" in updated
    assert settings.SITE_URL + first.get_absolute_url() in new and settings.SITE_URL + second.get_absolute_url() in new
    assert withdrawn.title not in everything(digest)
    assert mail.send_due_alerts(DAILY) == 0
    assert len(alerts_to(inbox)) == 1


def test_an_alert_planned_by_a_run_that_crashed_before_sending_is_sent_by_the_next(client, committed, inbox, baseline):
    subscription = subscribed(client, committed, inbox, frequency=DAILY)
    with committed():
        ruling = refused_ruling(court="Court of the crashed run")
    planned = mail.plan(subscription.pk, RecordEvent.objects.latest("pk").pk)  # ... and the worker dies here
    assert planned.mail.sent_at is None and not alerts_to(inbox)
    subscription.refresh_from_db()
    assert subscription.last_event_id == planned.mail.up_to_event  # its events are taken: only the mail remembers them

    assert mail.send_due_alerts(DAILY) == 1
    (alert,) = alerts_to(inbox)
    assert ruling.public_label in body(alert)
    assert AlertMail.objects.get().sent_at is not None
    assert mail.send_due_alerts(DAILY) == 0


def test_a_record_restricted_before_the_digest_is_not_sent_and_no_alert_is_left_over(client, committed, inbox, baseline):
    subscription = subscribed(client, committed, inbox, frequency=DAILY)
    with committed():
        ruling = refused_ruling(court="Court that will be hidden")
    with committed():
        ruling.visibility = Visibility.RESTRICTED
        ruling.save()
    assert mail.send_due_alerts(DAILY) == 0
    assert not alerts_to(inbox) and not AlertMail.objects.exists()
    subscription.refresh_from_db()
    assert subscription.last_event_id == RecordEvent.objects.latest("pk").pk  # considered: not looked at again


def test_a_saved_search_whose_filter_names_a_record_since_hidden_sends_nothing(client, committed, inbox, baseline):
    with committed():
        case = f.CaseFactory(slug="followed-case")
    subscribed(client, committed, inbox, query=f"case={case.slug}")
    with committed():
        case.visibility = Visibility.RESTRICTED
        case.save()
        refused_ruling()  # in another case: a search without its filter would name it
    assert not alerts_to(inbox)


def test_hidden_records_never_reach_a_mail(client, committed, inbox):
    marker = "Qzhiddenmarker"
    with committed():
        world = build_hidden_world(marker)  # the first look at the lists: a baseline
    listings = ("cases", "rulings", "persons", "notices", "sources", "treaties")
    for listing in listings:
        subscribed(client, committed, inbox, listing=listing, query="")
    with committed():  # every public record changes; hidden ones are added and changed
        for record in world["public"].values():
            if hasattr(record, "publication_status"):
                type(record).objects.get(pk=record.pk).save()
        for hidden in world["hidden"]:
            if hasattr(hidden, "publication_status"):
                type(hidden).objects.get(pk=hidden.pk).save()
        f.CaseFactory(title=f"{marker} new case", visibility=Visibility.RESTRICTED)
        f.CourtRulingFactory(court=f"{marker} court", case=world["public"]["case"], publication_status=PublicationStatus.DRAFT)
    alerts = alerts_to(inbox)
    assert {message["Subject"].partition(": ")[2] for message in alerts} == {
        "All cases", "All court rulings", "All persons", "All INTERPOL notices", "All sources", "All treaties"
    }
    assert world["public"]["notice_two"].public_label in body(next(m for m in alerts if "notices" in m["Subject"]))
    for message in inbox.messages:
        assert marker.lower() not in everything(message).lower()


def test_one_refused_address_does_not_stop_the_others_and_its_alert_is_sent_later(client, committed, inbox, baseline, caplog):
    bad, good = "bounce@example.org", "good@example.org"
    subscribed(client, committed, inbox, email=bad)
    subscribed(client, committed, inbox, email=good)
    inbox.refuse.add(bad)
    with caplog.at_level(logging.ERROR, logger="alerts.mail"), committed():
        first = refused_ruling(court="First court")
    assert len(alerts_to(inbox, good)) == 1 and not alerts_to(inbox, bad)
    assert "not sent" in caplog.text
    unsent = AlertMail.objects.get(subscription__email=bad)
    assert unsent.sent_at is None

    inbox.refuse.clear()
    with committed():
        second = refused_ruling(court="Second court")
    (late,) = alerts_to(inbox, bad)  # the alert that failed, with what happened since: one mail
    assert first.public_label in body(late) and second.public_label in body(late)
    assert late["Subject"].startswith("2 new or updated rulings")
    assert second.public_label in body(alerts_to(inbox, good)[-1]) and first.public_label not in body(alerts_to(inbox, good)[-1])
    assert AlertMail.objects.filter(subscription__email=bad, sent_at__isnull=True).count() == 0
    assert mail.send_due_alerts(IMMEDIATE) == 0


def test_many_subscriptions_are_read_in_batches_and_each_mail_costs_the_same_queries(client, committed, inbox, baseline, monkeypatch):
    monkeypatch.setattr(mail, "BATCH", 2)
    subscription = subscribed(client, committed, inbox, listing="notices", query="", frequency=DAILY)
    Subscription.objects.bulk_create(
        Subscription(email=f"reader{n}@example.org", listing="notices", frequency=DAILY, confirmed_at=timezone.now(),
                     last_event_id=subscription.last_event_id)
        for n in range(6)
    )

    def digest_costs(notices: int) -> int:
        with committed():
            for _ in range(notices):
                f.InterpolNoticeFactory()
        with CaptureQueriesContext(connection) as queries:
            assert mail.send_due_alerts(DAILY) == 7
        return len(queries)

    assert digest_costs(2) == digest_costs(6)
    assert len(alerts_to(inbox)) == 2 and len(alerts_to(inbox, "reader5@example.org")) == 2


# --- unsubscribing ---------------------------------------------------------------------------------


def test_the_mail_clients_one_click_post_unsubscribes(client, committed, inbox, baseline):
    subscribed(client, committed, inbox)
    with committed():
        refused_ruling()
    (alert,) = alerts_to(inbox)
    path = alert["List-Unsubscribe"].strip("<>").removeprefix(settings.SITE_URL)
    response = Client(enforce_csrf_checks=True).post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert not Subscription.objects.exists()
    again = client.get(path)
    assert again.status_code == 200 and "Nothing is subscribed with this link" in again.content.decode()
    with committed():
        refused_ruling()
    assert len(alerts_to(inbox)) == 1


def test_the_link_in_every_alert_unsubscribes_in_one_click_and_offers_to_subscribe_again(client, committed, inbox, baseline):
    subscribed(client, committed, inbox, frequency=DAILY)
    with committed():
        refused_ruling()
    mail.send_due_alerts(DAILY)
    (alert,) = alerts_to(inbox)
    response = client.get(link(alert, "unsubscribe"))
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert "You will get no more alerts for" in page and "Court rulings — decision: Extradition refused" in page
    assert not Subscription.objects.exists()
    assert f'<input type="hidden" name="email" value="{ANN}"' in page
    assert '<option value="daily" selected>' in page

    inbox.clear()
    subscribe(client, committed, frequency=DAILY)  # the page's form posts the same fields
    assert inbox.to(ANN)[0]["Subject"].startswith("Confirm your e-mail alerts")


# --- the staff workspace ------------------------------------------------------------------------------


def test_staff_list_read_and_unsubscribe_subscriptions(admin_client, committed, inbox, baseline):
    subscription = subscribed(Client(), committed, inbox)
    with committed():
        refused_ruling()
    changelist = reverse("admin:alerts_subscription_changelist")
    page = admin_client.get(changelist, {"q": "ann@"}).content.decode()
    assert ANN in page and "Unsubscribe (delete)" in page
    for filters in ({"confirmed": "yes"}, {"listing": "rulings"}, {"frequency": IMMEDIATE}):
        assert ANN in admin_client.get(changelist, filters).content.decode()
    assert ANN not in admin_client.get(changelist, {"confirmed": "no"}).content.decode()
    change = admin_client.get(reverse("admin:alerts_subscription_change", args=[subscription.pk])).content.decode()
    assert subscription.token in change and "1 alert mail" in change and "Court rulings — decision" in change
    assert admin_client.get(reverse("admin:alerts_alertmail_changelist"), {"subscription__id__exact": subscription.pk}).status_code == 200
    event = RecordEvent.objects.filter(listing="rulings").latest("pk")
    events = admin_client.get(reverse("admin:alerts_recordevent_changelist"), {"q": str(event.record_uid)[:13]}).content.decode()
    assert str(event.record_uid) in events and reverse("admin:cases_courtruling_change", args=[event.object_id]) in events
    assert admin_client.get(reverse("admin:alerts_subscription_add")).status_code == 403

    confirm = admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [subscription.pk]})
    assert confirm.status_code == 200 and "alert mail" in confirm.content.decode().lower()  # asks first, naming what goes with it
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [subscription.pk], "post": "yes"})
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(("role", "status"), [(EDITOR, 200), (RESEARCHER, 403), (VIEWER, 403)])
def test_only_editors_and_administrators_see_subscriptions(client, role, status):
    setup_roles()
    user = User.objects.create_user(f"a-{role}", password="a-long-password-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    verify_second_factor(client, user)
    for name in ("subscription", "alertmail", "recordevent"):
        assert client.get(reverse(f"admin:alerts_{name}_changelist")).status_code == status, name
