"""Webhooks (alerts/webhooks.py, alerts/api/): registered through the API by staff, called with
signed record events by a real HTTP receiver on 127.0.0.1 (tests/alerts/receiver.py) that checks
every signature.

Events come from the real detection (alerts/events.py: its first look only takes a baseline) and
the real jobs, which run where they are called (huey's immediate mode; a retry scheduled for later
waits in huey's schedule, so the tests make it due and attempt it, as the sweep does).
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from rest_framework.test import APIClient

import alerts.admin_webhooks  # noqa: F401  (registered through alerts/admin.py in the app; imported here before the URLs are built)
from alerts import webhooks
from alerts.events import detect_changes
from alerts.models import RecordEvent, Webhook, WebhookDelivery
from alerts.tasks import detect_public_changes, sweep
from extraditions.models import PublicationStatus, Visibility
from tests import factories as f
from tests.api.conftest import build_hidden_world, client_for, staff_user

from .receiver import Answer, Receiver

pytestmark = pytest.mark.django_db
Status = WebhookDelivery.Status


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.SITE_URL = "http://testserver"  # the API's own answers, read by the test client, name this host
    settings.WEBHOOK_ATTEMPTS = 4
    settings.WEBHOOK_RETRY_SECONDS = 30
    settings.WEBHOOK_DISABLE_AFTER = 3
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    HUEY.flush()  # retries scheduled by an earlier test
    yield
    HUEY.flush()


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def owner(db):
    return staff_user("mirror-keeper")


@pytest.fixture
def api(owner):
    return client_for(owner)


def register(api, receiver, **fields) -> dict:
    """A hook registered through the API for ``receiver``, which then knows its secret."""
    response = api.post("/api/v1/webhooks/", {"name": "partner mirror", "url": receiver.url,
                                              "actions": ["published", "updated", "withdrawn"], **fields}, format="json")
    assert response.status_code == 201, response.content
    receiver.secret = response.json()["secret"]
    return response.json()


def baseline() -> None:
    """The detection's first look at every list: what is public now is not news."""
    detect_changes()


def detect_and_send() -> None:
    """What follows every committed change: the detection, then a delivery job per hook and event."""
    detect_public_changes()


def public_get(path: str) -> dict:
    response = APIClient().get(path)
    assert response.status_code == 200
    return response.json()


def due_now(delivery: WebhookDelivery) -> None:
    """Time passes until the delivery's next attempt."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def planned_only():
    """The events found and their deliveries planned, none sent yet."""
    return webhooks.plan_deliveries(detect_changes())


def draft_ruling(**fields):
    ruling = f.CourtRulingFactory(publication_status=PublicationStatus.DRAFT, summary="Refused: risk of torture", **fields)
    baseline()
    return ruling


def publish(record) -> None:
    record.publication_status = PublicationStatus.PUBLISHED
    record.save()


def restrict(record) -> None:
    record.visibility = Visibility.RESTRICTED
    record.save()


# --- the API ---------------------------------------------------------------------------------------


def test_the_secret_is_shown_when_the_hook_is_registered_and_never_again(api, receiver, owner):
    created = register(api, receiver, listings=["rulings", "cases", "rulings"], actions=["withdrawn", "published"])
    hook = Webhook.objects.get()
    assert created["secret"] == hook.secret and len(hook.secret) == 64
    assert created["owner"] == owner.username and created["is_active"] is True
    assert created["listings"] == ["cases", "rulings"] and created["actions"] == ["published", "withdrawn"]
    for answer in (api.get(f"/api/v1/webhooks/{hook.pk}/").json(), api.get("/api/v1/webhooks/").json()[0],
                   api.patch(f"/api/v1/webhooks/{hook.pk}/", {"name": "renamed"}, format="json").json()):
        assert "secret" not in answer
        assert hook.secret not in json.dumps(answer)


@pytest.mark.parametrize("body, field", [
    ({"url": "ftp://example.org/hook"}, "url"),
    ({"url": "not a url"}, "url"),
    ({"actions": []}, "actions"),
    ({"actions": ["deleted"]}, "actions"),
    ({"listings": ["detentions"]}, "listings"),
    ({"listings": "rulings"}, "listings"),
])
def test_a_hook_is_checked_before_it_is_registered(api, body, field):
    response = api.post("/api/v1/webhooks/", {"name": "x", "url": "https://example.org/hook", "actions": ["published"],
                                              **body}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in response.json()["errors"]
    assert not Webhook.objects.exists()


def test_webhooks_are_for_staff_only(client, owner, api, receiver):
    hook = register(api, receiver)
    for path in ("/api/v1/webhooks/", f"/api/v1/webhooks/{hook['id']}/", f"/api/v1/webhooks/{hook['id']}/deliveries/"):
        assert APIClient().get(path).status_code == 401
    assert APIClient().post("/api/v1/webhooks/", {}, format="json").status_code == 401
    former = User.objects.create_user("former-staff", password="a-long-password-for-tests")  # no staff status
    client.force_login(former)
    assert client.get("/api/v1/webhooks/").status_code == 403
    assert "/webhooks/" not in json.dumps(APIClient().get("/api/v1/").json())  # not in the public root


def test_each_member_of_staff_sees_and_manages_only_their_own_hooks(api, receiver, admin_user):
    mine = register(api, receiver)
    other = client_for(staff_user("someone-else"))
    theirs = register(other, receiver, name="their mirror")
    assert [hook["id"] for hook in api.get("/api/v1/webhooks/").json()] == [mine["id"]]
    for answer in (other.get(f"/api/v1/webhooks/{mine['id']}/"), other.get(f"/api/v1/webhooks/{mine['id']}/deliveries/"),
                   other.patch(f"/api/v1/webhooks/{mine['id']}/", {"url": "https://evil.example/"}, format="json"),
                   other.delete(f"/api/v1/webhooks/{mine['id']}/")):
        assert answer.status_code == 404
    assert Webhook.objects.get(pk=mine["id"]).url == receiver.url
    administrator = client_for(admin_user)
    assert {hook["id"] for hook in administrator.get("/api/v1/webhooks/").json()} == {mine["id"], theirs["id"]}
    assert other.delete(f"/api/v1/webhooks/{theirs['id']}/").status_code == 204
    assert list(Webhook.objects.values_list("pk", flat=True)) == [mine["id"]]


# --- what is sent ----------------------------------------------------------------------------------


def test_publishing_a_ruling_sends_one_signed_post_with_the_record_as_the_public_api_shows_it(api, receiver):
    ruling = draft_ruling()
    register(api, receiver)
    publish(ruling)
    detect_and_send()

    [request] = receiver.received
    delivery = WebhookDelivery.objects.get()
    assert request.signed
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == "extraditions-tracker-webhooks"
    assert request.headers["X-Tracker-Event"] == "record.published"
    assert request.headers["X-Tracker-Delivery"] == str(delivery.delivery_id) == request.json["delivery"]
    body = request.json
    assert body["event"] == "record.published" and body["listing"] == "rulings"
    assert body["occurred_at"]
    assert body["record"] == public_get(f"/api/v1/rulings/{ruling.slug}/")
    assert body["record"]["url"] == f"http://testserver/api/v1/rulings/{ruling.slug}/"
    assert (delivery.status, delivery.attempts, delivery.carried_content) == (Status.SUCCEEDED, 1, True)
    assert (delivery.response_status, delivery.response_body, delivery.error) == (200, "ok", "")
    assert delivery.delivered_at is not None


def test_the_signature_is_of_the_exact_body(api, receiver):
    ruling = draft_ruling()
    register(api, receiver)
    publish(ruling)
    detect_and_send()
    [request] = receiver.received
    signature = request.headers["X-Tracker-Signature"]
    assert signature.startswith("sha256=") and webhooks.verify(receiver.secret, request.body, signature)
    assert not webhooks.verify(receiver.secret, request.body.replace(b"torture", b"t0rture"), signature)
    assert not webhooks.verify(receiver.secret, request.body + b" ", signature)
    assert not webhooks.verify("another secret", request.body, signature)
    assert not webhooks.verify(receiver.secret, request.body, None)


def test_a_change_to_a_public_record_sends_it_as_it_now_is(api, receiver):
    ruling = f.CourtRulingFactory(summary="First summary")
    baseline()
    register(api, receiver)
    ruling.summary = "Second summary"
    ruling.save()
    detect_and_send()
    [request] = receiver.received
    assert request.json["event"] == "record.updated" and request.headers["X-Tracker-Event"] == "record.updated"
    assert request.json["record"]["summary"] == "Second summary"
    assert request.json["record"] == public_get(f"/api/v1/rulings/{ruling.slug}/")


def test_a_restricted_record_is_withdrawn_without_its_content_and_only_where_it_was_seen(api, receiver):
    ruling = draft_ruling(court="Court of Secrets", docket_number="DOCKET-77", full_text="The full text")
    register(api, receiver)
    publish(ruling)
    detect_and_send()
    with Receiver() as late:  # registered after the publication: never saw the ruling
        register(api, late, name="late mirror")
        restrict(ruling)
        detect_and_send()
        assert late.received == []
    assert WebhookDelivery.objects.filter(webhook__name="late mirror").count() == 0

    published, withdrawn = receiver.received
    assert withdrawn.signed and withdrawn.headers["X-Tracker-Event"] == "record.withdrawn"
    assert set(withdrawn.json) == {"delivery", "event", "occurred_at", "listing", "record"}
    assert withdrawn.json["event"] == "record.withdrawn" and withdrawn.json["listing"] == "rulings"
    assert withdrawn.json["record"] == {"id": ruling.slug, "url": f"http://testserver/api/v1/rulings/{ruling.slug}/"}
    text = withdrawn.body.decode()
    for content in ("Refused", "torture", "Court of Secrets", "DOCKET-77", "The full text", str(ruling.uid), "summary"):
        assert content not in text
    assert WebhookDelivery.objects.get(event__action="withdrawn").carried_content is False


def test_a_withdrawal_names_the_record_as_the_hook_saw_it(api, receiver):
    """A slug renamed with the restriction (it named someone to protect) is not told."""
    ruling = draft_ruling(slug="ruling-naming-someone")
    register(api, receiver)
    publish(ruling)
    detect_and_send()
    ruling.slug, ruling.visibility = "ruling-renamed-to-protect", Visibility.RESTRICTED
    ruling.save()
    detect_and_send()
    assert receiver.received[-1].json["record"]["id"] == "ruling-naming-someone"
    assert "renamed" not in receiver.received[-1].body.decode()

    other = f.CourtRulingFactory(slug="ruling-deleted-later")
    detect_and_send()
    other.delete()
    detect_and_send()
    assert receiver.received[-1].json["event"] == "record.withdrawn"
    assert receiver.received[-1].json["record"]["id"] == "ruling-deleted-later"


def test_a_delivery_for_a_record_restricted_before_it_was_sent_is_cancelled(api, receiver):
    ruling = draft_ruling()
    register(api, receiver)
    publish(ruling)
    [delivery_id] = planned_only()
    restrict(ruling)
    assert webhooks.attempt(delivery_id) is None
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert (delivery.status, delivery.attempts, delivery.carried_content) == (Status.CANCELLED, 0, False)
    assert receiver.received == []
    # The hook never saw the ruling: its withdrawal is not sent to it either.
    detect_and_send()
    assert RecordEvent.objects.filter(action="withdrawn").count() == 1
    assert WebhookDelivery.objects.count() == 1 and receiver.received == []


def test_a_retry_sends_the_record_as_it_is_then(api, receiver):
    ruling = f.CourtRulingFactory(summary="Old words")
    baseline()
    register(api, receiver)
    receiver.answer(Answer(503))
    ruling.summary = "Old words"
    ruling.save()
    detect_and_send()
    delivery = WebhookDelivery.objects.get()
    ruling.summary = "New words"
    ruling.save()
    due_now(delivery)
    assert webhooks.attempt(delivery.pk) is None
    first, second = receiver.received
    assert first.json["record"]["summary"] == "Old words" and second.json["record"]["summary"] == "New words"
    assert first.json["delivery"] == second.json["delivery"] == str(delivery.delivery_id)


def test_nothing_hidden_is_ever_delivered(api, receiver):
    marker = "HOOKMARK"
    baseline()
    register(api, receiver)
    world = build_hidden_world(marker)
    detect_and_send()
    public = world["public"]
    restrict(public["case"])  # withdrawn, and its ruling with it
    public["treaty"].notes = "Changed public"
    public["treaty"].save()
    detect_and_send()

    events = {request.json["event"] for request in receiver.received}
    assert events == {"record.published", "record.updated", "record.withdrawn"}
    assert len(receiver.received) >= 8
    assert all(request.signed for request in receiver.received)
    withdrawn = {request.json["record"]["id"] for request in receiver.received if request.json["event"] == "record.withdrawn"}
    assert {public["case"].slug, public["ruling"].slug} <= withdrawn
    leaked = [request.json["record"].get("id") for request in receiver.received if marker.lower() in request.body.decode().lower()]
    assert not leaked
    assert WebhookDelivery.objects.exclude(status=Status.SUCCEEDED).count() == 0


def test_hooks_get_only_the_lists_and_events_they_follow(api, receiver):
    case = f.CaseFactory(publication_status=PublicationStatus.DRAFT, title="Followed case")
    ruling = draft_ruling()
    register(api, receiver, listings=["cases"], actions=["published", "withdrawn"])
    with Receiver() as withdrawals_only:
        register(api, withdrawals_only, name="withdrawals only", actions=["withdrawn"])
        publish(ruling)
        publish(case)
        detect_and_send()
        case.title = "Followed case, renamed"
        case.save()
        detect_and_send()
        restrict(case)
        detect_and_send()
        # It never received the case: not even its withdrawal.
        assert withdrawals_only.received == []
    assert [(r.json["event"], r.json["listing"]) for r in receiver.received] == [
        ("record.published", "cases"), ("record.withdrawn", "cases"),
    ]


@pytest.mark.django_db(transaction=True)
def test_the_whole_path_runs_when_a_change_is_committed(api, receiver):
    ruling = draft_ruling()
    register(api, receiver)
    publish(ruling)  # committed: the detection runs, then the delivery job
    [request] = receiver.received
    assert request.signed and request.json["record"]["id"] == ruling.slug


# --- failures ---------------------------------------------------------------------------------------


def test_a_failed_delivery_is_retried_with_back_off_under_the_same_id(api, receiver):
    ruling = draft_ruling()
    register(api, receiver)
    receiver.answer(Answer(500, "down"), Answer(502, "still down"))
    publish(ruling)
    detect_and_send()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status, delivery.error) == (Status.PENDING, 1, 500, "HTTP 500")
    assert delivery.response_body == "down"
    assert 25 <= (delivery.next_attempt_at - timezone.now()).total_seconds() <= 30
    # The job scheduled its next attempt in huey, 30 seconds on.
    [retry] = [task for task in HUEY.scheduled() if task.name.endswith("deliver_webhook")]
    assert retry.args == (delivery.pk,)
    # Not due yet: a second job for it (the sweep, a duplicate) sends nothing.
    assert webhooks.attempt(delivery.pk) is None and len(receiver.received) == 1
    assert webhooks.overdue_deliveries() == []

    due_now(delivery)
    assert webhooks.overdue_deliveries() == [delivery.pk]
    assert webhooks.attempt(delivery.pk) == 60  # doubled
    due_now(delivery)
    sweep()  # what the minute's sweep does with a due delivery whose job was lost
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status, delivery.error) == (Status.SUCCEEDED, 3, 200, "")
    assert len(receiver.received) == 3
    assert all(request.signed for request in receiver.received)
    assert len({request.headers["X-Tracker-Delivery"] for request in receiver.received}) == 1
    assert Webhook.objects.get().failures_in_a_row == 0


def test_the_back_off_doubles_up_to_six_hours(api, receiver, settings):
    settings.WEBHOOK_ATTEMPTS, settings.WEBHOOK_RETRY_SECONDS = 5, 3600
    ruling = draft_ruling()
    register(api, receiver)
    receiver.answer(*[Answer(500)] * 5)
    publish(ruling)
    [delivery_id] = planned_only()
    waits = []
    for _ in range(5):
        waits.append(webhooks.attempt(delivery_id))
        due_now(WebhookDelivery(pk=delivery_id))
    assert waits == [3600, 7200, 14400, 21600, None]


def test_a_receiver_that_does_not_answer_in_time_is_a_failed_attempt(api, receiver, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    ruling = draft_ruling()
    register(api, receiver)
    receiver.answer(Answer(wait=1.5))
    publish(ruling)
    [delivery_id] = planned_only()
    assert webhooks.attempt(delivery_id) == 30
    delivery = WebhookDelivery.objects.get()
    assert delivery.error == "No answer within 0.3 seconds" and delivery.response_status is None
    assert delivery.carried_content  # it may have been read: a withdrawal will follow it
    due_now(delivery)
    assert webhooks.attempt(delivery_id) is None
    assert WebhookDelivery.objects.get().status == Status.SUCCEEDED


def test_a_delivery_is_given_up_after_its_attempts(api, receiver, settings):
    settings.WEBHOOK_ATTEMPTS = 3
    ruling = draft_ruling()
    register(api, receiver)
    receiver.answer(*[Answer(500, "broken")] * 5)
    publish(ruling)
    [delivery_id] = planned_only()
    waits = []
    for attempt in range(3):
        if attempt:
            due_now(WebhookDelivery(pk=delivery_id))
        waits.append(webhooks.attempt(delivery_id))
    assert waits == [30, 60, None]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (Status.FAILED, 3, None)
    assert webhooks.attempt(delivery_id) is None and len(receiver.received) == 3
    assert Webhook.objects.get().failures_in_a_row == 1 and Webhook.objects.get().is_active


def test_a_hook_that_keeps_failing_is_turned_off_with_a_notice_and_turned_on_again(
    api, receiver, owner, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ATTEMPTS, settings.WEBHOOK_DISABLE_AFTER = 1, 2
    owner.email = "keeper@example.org"
    owner.save()
    rulings = [f.CourtRulingFactory(publication_status=PublicationStatus.DRAFT, slug=f"ruling-to-publish-{n}") for n in range(3)]
    baseline()
    hook = register(api, receiver)
    receiver.answer(Answer(500, "no"), Answer(500, "no"))
    for ruling in rulings:
        publish(ruling)
    detect_and_send()  # two deliveries fail, which turns the hook off: the third waits

    assert len(receiver.received) == 2
    webhook = Webhook.objects.get()
    assert not webhook.is_active and webhook.failures_in_a_row == 2 and webhook.disabled_at is not None
    assert "2 deliveries in a row failed" in webhook.disabled_reason and "HTTP 500" in webhook.disabled_reason
    assert list(WebhookDelivery.objects.order_by("pk").values_list("status", flat=True)) == [Status.FAILED, Status.FAILED, Status.PENDING]
    [notice] = mail.outbox
    assert notice.to == ["keeper@example.org"] and "partner mirror" in notice.subject
    assert f"http://testserver/api/v1/webhooks/{hook['id']}/deliveries/" in notice.body and "HTTP 500" in notice.body
    answer = api.get(f"/api/v1/webhooks/{hook['id']}/").json()
    assert answer["is_active"] is False and "HTTP 500" in answer["disabled_reason"]

    f.CourtRulingFactory(slug="published-while-off")
    detect_and_send()
    assert WebhookDelivery.objects.count() == 3  # nothing is planned for a hook that is off

    with django_capture_on_commit_callbacks(execute=True):
        answer = api.patch(f"/api/v1/webhooks/{hook['id']}/", {"is_active": True}, format="json")
    assert answer.status_code == 200
    assert answer.json()["is_active"] is True and answer.json()["failures_in_a_row"] == 0
    assert answer.json()["disabled_at"] is None and answer.json()["disabled_reason"] == ""
    assert len(receiver.received) == 3 and receiver.received[-1].json["record"]["id"] == "ruling-to-publish-2"
    assert WebhookDelivery.objects.order_by("pk").last().status == Status.SUCCEEDED


def test_the_owner_turning_a_hook_off_keeps_it_off(api, receiver, owner):
    hook = register(api, receiver)
    answer = api.patch(f"/api/v1/webhooks/{hook['id']}/", {"is_active": False}, format="json").json()
    assert answer["is_active"] is False and owner.username in answer["disabled_reason"]
    f.CourtRulingFactory()
    baseline()
    assert webhooks.plan_deliveries(RecordEvent.objects.all()) == []


def test_private_addresses_are_refused_unless_allowed(api, receiver, settings):
    ruling = draft_ruling()
    register(api, receiver)
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    publish(ruling)
    [delivery_id] = planned_only()
    assert webhooks.attempt(delivery_id) == 30
    delivery = WebhookDelivery.objects.get()
    assert delivery.error.startswith("Refused: 127.0.0.1 resolves to 127.0.0.1, a loopback address")
    assert receiver.received == [] and delivery.carried_content is False and delivery.response_status is None
    for url in ("http://127.0.0.1:8000/", "http://localhost/hook", "http://10.1.2.3/", "http://[::1]/",
                "http://169.254.169.254/latest/meta-data/"):
        response = api.post("/api/v1/webhooks/", {"name": "inside", "url": url, "actions": ["published"]}, format="json")
        assert response.status_code == 400 and "url" in response.json()["errors"], url


@pytest.mark.parametrize("address, problem", [
    ("127.0.0.1", "a loopback address"), ("::1", "a loopback address"), ("10.0.0.8", "a private address"),
    ("192.168.1.1", "a private address"), ("169.254.169.254", "a link-local address"), ("fe80::1", "a link-local address"),
    ("::ffff:127.0.0.1", "a loopback address"), ("0.0.0.0", "an unspecified address"), ("100.64.0.1", "not a public address"),
    ("224.0.0.1", "a multicast address"), ("240.0.0.1", "a reserved address"), ("8.8.8.8", None), ("2001:4860::8888", None),
])
def test_which_addresses_are_refused(address, problem):
    assert webhooks.address_problem(address) == problem


def test_a_redirect_is_not_followed(api, receiver):
    ruling = draft_ruling()
    register(api, receiver)
    receiver.answer(Answer(302, "moved", {"Location": receiver.url + "/elsewhere"}))
    publish(ruling)
    detect_and_send()
    delivery = WebhookDelivery.objects.get()
    assert [request.path for request in receiver.received] == ["/hook"]
    assert delivery.status == Status.PENDING and delivery.response_status == 302
    assert delivery.error == f"HTTP 302: redirects are not followed (Location: {receiver.url}/elsewhere)"


def test_the_answer_is_kept_and_cut_at_2000_characters(api, receiver):
    ruling = draft_ruling()
    register(api, receiver)
    receiver.answer(Answer(200, "é" * 5000))
    publish(ruling)
    detect_and_send()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.SUCCEEDED and delivery.response_body == "é" * 2000
    [listed] = api.get(f"/api/v1/webhooks/{delivery.webhook_id}/deliveries/").json()
    assert listed["delivery"] == str(delivery.delivery_id) and listed["event"] == "record.published"
    assert listed["status"] == "succeeded" and listed["response_body"] == "é" * 2000 and listed["attempts"] == 1


def test_a_second_planning_of_the_same_events_sends_nothing_twice(api, receiver):
    ruling = draft_ruling()
    register(api, receiver)
    publish(ruling)
    events = detect_changes()
    first = webhooks.plan_deliveries(events)
    assert len(first) == 1 and webhooks.plan_deliveries(events) == []
    for delivery_id in first * 2:
        webhooks.attempt(delivery_id)
    assert len(receiver.received) == 1


# --- the workspace ---------------------------------------------------------------------------------


def test_administrators_oversee_webhooks_in_the_workspace(admin_client, api, receiver, client, settings):
    settings.WEBHOOK_ATTEMPTS = 1
    ruling = draft_ruling()
    hook = register(api, receiver)
    receiver.answer(Answer(500, "receiver down"))
    publish(ruling)
    detect_and_send()
    Webhook.objects.filter(pk=hook["id"]).update(is_active=False, failures_in_a_row=5, disabled_reason="5 failed: HTTP 500")
    listed = admin_client.get("/admin/alerts/webhook/").content.decode()
    assert "partner mirror" in listed and "5 failed: HTTP 500" in listed and "mirror-keeper" in listed
    page = admin_client.get(f"/admin/alerts/webhook/{hook['id']}/change/").content.decode()
    assert "receiver down" in page and "Failed, given up" in page and receiver.secret not in page

    admin_client.post("/admin/alerts/webhook/", {"action": "reenable_hooks", "_selected_action": [hook["id"]]})
    webhook = Webhook.objects.get()
    assert webhook.is_active and webhook.failures_in_a_row == 0 and webhook.disabled_reason == ""
    deliveries = admin_client.get("/admin/alerts/webhookdelivery/")
    assert deliveries.status_code == 200 and "HTTP 500" in deliveries.content.decode()
    delivery = WebhookDelivery.objects.get()
    admin_client.post("/admin/alerts/webhookdelivery/", {"action": "send_selected", "_selected_action": [delivery.pk]})
    assert webhooks.attempt(delivery.pk) is None  # the queued job's attempt, here made by hand
    delivery.refresh_from_db()
    assert delivery.status == Status.SUCCEEDED and len(receiver.received) == 2

    researcher = User.objects.create_user("researcher-ws", password="a-long-password-for-tests", is_staff=True)
    client.force_login(researcher)
    assert client.get("/admin/alerts/webhook/").status_code == 403
