"""Publishing a ruling on ECHR article 3 reaches everyone who follows it, through the worker: one
alert mail to a confirmed subscriber of ``?ground=echr-3``, one signed webhook call, a new entry in
the matching Atom feed; restricting it sends a withdrawal and no content. A stopped worker loses
nothing: the jobs wait and run when it is back.

Everything is real and separate (tests/alerts/stack.py): the app under gunicorn, the worker
process, the queue a deployment uses (SQLite file, or Redis on the PostgreSQL run), a database of
the stack's own, an SMTP server and a webhook receiver on 127.0.0.1.
"""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET

import pytest

from alerts.webhooks import sign
from tests.alerts.receiver import Receiver
from tests.alerts.smtp import body, everything, smtp_listener
from tests.alerts.stack import Stack, wait_for

MARKER = "Zebrafinch"  # in the ruling's summary: a withdrawal must not carry it
ATOM = "{http://www.w3.org/2005/Atom}"

SETUP = f"""
from django.contrib.auth.models import Group, User
from cases import models as cases
from extraditions.models import PublicationStatus
from extraditions.tokens import issue_token
from tests import factories as f

editor = User.objects.create_user("editor", "editor@example.org", "a long password 123", is_staff=True)
editor.groups.add(Group.objects.get(name="editor"))
token = issue_token(editor, "end-to-end test")[1]
source = f.SourceFactory(title="Judgment of the court")
case = f.CaseFactory(title="A case before a Swedish court")
f.CitationFactory(source=source, record=case)
rulings = []
for number in (1, 2):
    ruling = f.CourtRulingFactory(
        case=case, slug=f"svea-{{number}}", summary="Refused: {MARKER} risk of torture.",
        publication_status=PublicationStatus.DRAFT,
    )
    ruling.grounds.add(f.LegalProvisionFactory())
    f.CitationFactory(source=source, record=ruling)
    rulings.append(ruling.slug)
print(json.dumps({{"token": token, "rulings": rulings}}))
"""


@pytest.fixture(scope="module")
def smtp():
    with smtp_listener() as (inbox, port):
        inbox.port = port
        yield inbox


@pytest.fixture(scope="module")
def receiver():
    with Receiver() as server:
        yield server


@pytest.fixture(scope="module")
def stack(tmp_path_factory, smtp):
    stack = Stack(tmp_path_factory.mktemp("stack"), smtp.port)
    try:
        stack.start_server()
        stack.start_worker()
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def world(stack, smtp, receiver):
    """An editor with a token, two draft rulings on ECHR art. 3, a confirmed subscriber of
    ``?ground=echr-3`` and a webhook for rulings."""
    made = stack.django(SETUP)
    status, _, _ = stack.request("POST", "/alerts/", {
        "email": "lawyer@example.org", "listing": "rulings", "query": "ground=echr-3", "frequency": "immediate",
    }, form=True)
    assert status in (200, 302, 303), stack.log("server")
    confirmation = wait_for(lambda: smtp.to("lawyer@example.org"), what="the confirmation mail")[0]
    link = re.search(r"https?://[^/\s]+(/alerts/confirm/[^/\s]+/)", body(confirmation)).group(1)
    assert stack.request("GET", link)[0] == 200  # a page with a button: nothing confirmed yet
    assert stack.request("POST", link, {}, form=True)[0] in (200, 302, 303)
    status, _, answer = stack.request("POST", "/api/v1/webhooks/", {
        "name": "partner mirror", "url": receiver.url, "actions": ["published", "updated", "withdrawn"], "listings": ["rulings"],
    }, token=made["token"])
    assert status == 201, answer
    receiver.secret = json.loads(answer)["secret"]
    smtp.clear()
    return made


def publish(stack, world, slug: str, **change) -> None:
    status, _, answer = stack.request("PATCH", f"/api/v1/rulings/{slug}/", change or {"publication_status": "published"}, token=world["token"])
    assert status == 200, answer


def feed_links(stack) -> list[str]:
    status, _, feed = stack.request("GET", "/feeds/rulings/?ground=echr-3")
    assert status == 200
    return [link.get("href") for link in ET.fromstring(feed).iter(f"{ATOM}link") if link.get("rel") == "alternate"]


def test_publishing_reaches_the_subscriber_the_webhook_and_the_feed_once_and_restricting_withdraws(stack, world, smtp, receiver):
    slug = world["rulings"][0]
    publish(stack, world, slug)

    alert = wait_for(lambda: smtp.to("lawyer@example.org"), what="the alert mail")[0]
    call = wait_for(lambda: receiver.received, what="the webhook call")[0]
    time.sleep(3)  # anything sent twice would have arrived by now
    assert len(smtp.to("lawyer@example.org")) == 1
    assert len(receiver.received) == 1

    assert f"/rulings/{slug}/" in body(alert) and alert["List-Unsubscribe"]
    assert call.signed and call.headers["X-Tracker-Signature"] == sign(receiver.secret, call.body)
    assert call.json["event"] == "record.published" and call.json["delivery"] == call.headers["X-Tracker-Delivery"]
    assert MARKER in json.dumps(call.json["record"])  # the public record itself
    assert any(link.endswith(f"/rulings/{slug}/") for link in feed_links(stack))

    publish(stack, world, slug, visibility="restricted")
    withdrawal = wait_for(lambda: receiver.received[1:], what="the withdrawal")[0]
    assert withdrawal.signed and withdrawal.json["event"] == "record.withdrawn"
    assert MARKER not in withdrawal.body.decode() and "torture" not in withdrawal.body.decode()
    assert not any(link.endswith(f"/rulings/{slug}/") for link in feed_links(stack))
    time.sleep(3)
    assert len(smtp.to("lawyer@example.org")) == 1  # a withdrawal is not mailed
    assert all(MARKER not in everything(message) for message in smtp.messages[1:])


def test_a_stopped_worker_loses_nothing(stack, world, smtp, receiver):
    smtp.clear()
    receiver.received.clear()
    stack.stop_worker()
    slug = world["rulings"][1]
    publish(stack, world, slug)
    time.sleep(4)
    assert smtp.messages == [] and receiver.received == []
    waiting = stack.django("""
from extraditions.jobs import Job
print(json.dumps({"queued": list(Job.objects.filter(status="queued").values_list("name", flat=True))}))
""")["queued"]
    assert any(name.endswith("detect_public_changes") for name in waiting), waiting

    stack.start_worker()
    alert = wait_for(lambda: smtp.to("lawyer@example.org"), what="the alert after the restart")[0]
    call = wait_for(lambda: receiver.received, what="the webhook call after the restart")[0]
    assert f"/rulings/{slug}/" in body(alert)
    assert call.json["event"] == "record.published" and call.signed
