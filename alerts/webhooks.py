"""Webhooks: record events POSTed to the URLs API token holders registered.

Planning (:func:`plan_deliveries`): each event found by the detection (``alerts/events.py``) makes
one :class:`~alerts.models.WebhookDelivery` per active hook that follows it, except a withdrawal:
it goes only to the hooks that were sent the record's content before; a hook that never saw the
record does not even learn its id.

Sending (:func:`attempt`, one attempt, run by the ``deliver_webhook`` job): the body is built at
send time. A publication or update carries the record exactly as an anonymous reader of the API
gets it at ``/api/v1/<list>/<id>/`` *now*; if the public may no longer see it, nothing is sent and
the delivery is cancelled. A withdrawal carries the list, the record's id and API URL, never its
content. The body, as JSON::

    {"delivery": "<uuid>", "event": "record.published", "occurred_at": "…", "listing": "rulings",
     "record": {… the API's record …}}          # or, withdrawn: {"id": "…", "url": "…"}

with the headers ``X-Tracker-Delivery`` (the delivery's uuid, the same on every retry: receivers
drop what they have seen), ``X-Tracker-Event`` and ``X-Tracker-Signature: sha256=<hex>``, the
HMAC-SHA256 of the exact body bytes under the hook's secret. A receiver checks it before anything
else (:func:`verify`)::

    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers["X-Tracker-Signature"]):
        return 401

An answer other than 2xx (a redirect too: none is followed), a timeout or a refused connection is a
failed attempt: it is tried again after ``WEBHOOK_RETRY_SECONDS``, doubled each time (6 hours at
most), up to ``WEBHOOK_ATTEMPTS`` attempts; then the delivery has failed. After
``WEBHOOK_DISABLE_AFTER`` failed deliveries in a row the hook is turned off and its owner told by
mail; re-enabling it (API or workspace) sends what was waiting.

A hook's host must resolve to public addresses only, unless ``WEBHOOK_ALLOW_PRIVATE_ADDRESSES``:
the addresses are checked, and the connection made to the address checked (not to a second
lookup, which a hostile DNS server could answer differently). Environment proxies are not used.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import http.client
import ipaddress
import logging
import socket
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from extraditions.identifiers import basename_of, detail_path, stable_id_field
from extraditions.visibility import public_records

from .listings import LISTINGS
from .models import Action, RecordEvent, Webhook, WebhookDelivery

logger = logging.getLogger(__name__)

USER_AGENT = "extraditions-tracker-webhooks"
RESPONSE_KEPT = 2000  # characters of the receiver's answer kept on the delivery
RESPONSE_READ = 4 * RESPONSE_KEPT  # bytes read of it: a receiver cannot make the worker read a huge body
LONGEST_WAIT = datetime.timedelta(hours=6)
# A claimed attempt holds its delivery this long beyond the timeout: a second job for it (the sweep,
# a duplicate) leaves it alone meanwhile, and takes it up if the worker died mid-attempt.
CLAIM_MARGIN = datetime.timedelta(seconds=60)
# A job scheduled for the next attempt may start this much before it is due (clocks, rounding).
EARLY = datetime.timedelta(seconds=5)


# --- signatures ------------------------------------------------------------------------------------


def sign(secret: str, body: bytes) -> str:
    """``X-Tracker-Signature``: the HMAC-SHA256 of the body's bytes under the hook's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    """The receiver's side: whether ``header`` signs ``body`` (in constant time)."""
    return hmac.compare_digest(sign(secret, body), header or "")


# --- planning --------------------------------------------------------------------------------------


def plan_deliveries(events) -> list[int]:
    """A delivery per event and active hook following it (a withdrawal only to hooks that were sent
    the record's content); returns the ids of the deliveries made now (one made before is kept)."""
    events = list(events)
    hooks = list(Webhook.objects.filter(is_active=True))
    if not events or not hooks:
        return []
    saw = hooks_that_saw([event for event in events if event.action == Action.WITHDRAWN], hooks)
    planned = [
        WebhookDelivery(webhook=hook, event=event, delivery_id=uuid.uuid4())
        for event in events
        for hook in hooks
        if hook.follows(event)
        and (event.action != Action.WITHDRAWN or (hook.pk, event.listing, event.object_id, event.record_uid) in saw)
    ]
    # One per hook and event (a constraint): a second planning of the same events makes none.
    WebhookDelivery.objects.bulk_create(planned, batch_size=1000, ignore_conflicts=True)
    made = []
    for batch in batches([delivery.delivery_id for delivery in planned]):
        made += WebhookDelivery.objects.filter(delivery_id__in=batch).values_list("event_id", "pk")
    return [pk for _, pk in sorted(made)]


def hooks_that_saw(events, hooks) -> set[tuple]:
    """(hook, listing, object id, uid) for each hook a delivery carried these records' content to."""
    by_listing: dict[str, set[int]] = {}
    for event in events:
        by_listing.setdefault(event.listing, set()).add(event.object_id)
    if not by_listing:
        return set()
    saw = set()
    for listing, ids in by_listing.items():
        for batch in batches(sorted(ids)):
            saw.update(
                WebhookDelivery.objects.filter(
                    event__listing=listing, event__object_id__in=batch, carried_content=True, webhook__in=hooks
                ).values_list("webhook_id", "event__listing", "event__object_id", "event__record_uid")
            )
    return saw


def batches(values: list, size: int = 1000):
    """``values`` a thousand at a time: a bulk change's ids in one query would pass SQLite's limit."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def overdue_deliveries() -> list[int]:
    """Pending deliveries of active hooks whose next attempt is due (the sweep enqueues them)."""
    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now(), webhook__is_active=True
    )
    return list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:500])


def send_again(deliveries) -> list[int]:
    """Make ``deliveries`` (pending or failed) due now; returns their ids, for the caller to enqueue.
    A failed one gets one more attempt."""
    again = deliveries.filter(status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.FAILED])
    ids = list(again.values_list("pk", flat=True))
    WebhookDelivery.objects.filter(pk__in=ids).update(status=WebhookDelivery.Status.PENDING, next_attempt_at=timezone.now())
    return ids


def reenable(hook: Webhook) -> list[int]:
    """Turn ``hook`` on again, its failures forgotten; returns the deliveries that waited for it."""
    hook.is_active, hook.failures_in_a_row, hook.disabled_at, hook.disabled_reason = True, 0, None, ""
    hook.save(update_fields=["is_active", "failures_in_a_row", "disabled_at", "disabled_reason", "updated_at"])
    return send_again(hook.deliveries.filter(status=WebhookDelivery.Status.PENDING))


# --- what is sent ----------------------------------------------------------------------------------


@cache
def viewset_of(model):
    """The API resource serving ``model``'s records."""
    from extraditions.api.urls import router  # registers every resource (not at import: a cycle)

    basename = basename_of(model)
    return next(viewset for _, viewset, name in router.registry if name == basename)


def public_record(event: RecordEvent) -> dict | None:
    """The record as an anonymous ``GET /api/v1/<list>/<id>/`` shows it now (the API's own view,
    serializer and visibility); ``None`` if the public may not see it."""
    from dataset.bulk import public_view  # the API's view as an anonymous reader's request makes it

    model = LISTINGS[event.listing].model
    field = stable_id_field(model)
    record_id = public_records(model._default_manager.filter(pk=event.object_id)).values_list(field, flat=True).first()
    if record_id is None:
        return None
    site = urlsplit(settings.SITE_URL)
    view = public_view(viewset_of(model), site.netloc, site.scheme == "https")
    view.action = "retrieve"
    view.kwargs = {view.lookup_url_kwarg: str(record_id)}
    view.request.accepted_renderer, view.request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
    try:
        return view.retrieve(view.request).data
    except Http404:  # hidden between the two reads
        return None


def withdrawn_record(delivery: WebhookDelivery) -> dict:
    """A withdrawn record's id and API URL, as the hook last saw them: a slug renamed after the
    record left the public (to protect someone named in it) is not told to anyone."""
    event = delivery.event
    model = LISTINGS[event.listing].model
    record_id = str(event.record_uid)
    if stable_id_field(model) == "slug":
        seen = (
            WebhookDelivery.objects.filter(
                webhook=delivery.webhook_id, carried_content=True, event__listing=event.listing,
                event__object_id=event.object_id, event__record_uid=event.record_uid,
            )
            .order_by("-event__occurred_at")
            .values_list("event__occurred_at", flat=True)
            .first()
        )
        when = seen or event.occurred_at
        slug = (
            model.history.filter(id=event.object_id, history_date__lte=when)
            .order_by("-history_date", "-history_id")
            .values_list("slug", flat=True)
            .first()
        )
        record_id = slug or record_id
    before, after = detail_path(basename_of(model), "/")
    return {"id": record_id, "url": f"{settings.SITE_URL}{before}{record_id}{after}"}


def body_of(delivery: WebhookDelivery) -> tuple[bytes, bool] | None:
    """The body to send now, and whether it carries the record's content; ``None`` if the record
    is no longer public (a publication or update is then not sent)."""
    event = delivery.event
    if event.action == Action.WITHDRAWN:
        record, carries = withdrawn_record(delivery), False
    else:
        record, carries = public_record(event), True
        if record is None:
            return None
    body = {
        "delivery": str(delivery.delivery_id), "event": f"record.{event.action}", "occurred_at": event.occurred_at,
        "listing": event.listing, "record": record,
    }
    return JSONRenderer().render(body), carries


# --- sending ---------------------------------------------------------------------------------------


class Refused(Exception):
    """The hook's address may not be called; nothing was sent."""


class Unresolved(Refused):
    """The hook's host has no address (yet)."""


def checked_address(url: str) -> str:
    """The address to connect to for ``url``: its host resolved, every address it has checked."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"not an http(s) URL: {url}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError) as error:
        raise Unresolved(f"cannot resolve {parts.hostname}: {error}") from error
    addresses = [info[4][0] for info in found]
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        for address in addresses:
            problem = address_problem(address)
            if problem:
                raise Refused(
                    f"{parts.hostname} resolves to {address}, {problem}: webhooks call public addresses only "
                    "(WEBHOOK_ALLOW_PRIVATE_ADDRESSES is off)"
                )
    return addresses[0]


# What a webhook may not call, most telling first (a link-local address is private too).
REFUSED_KINDS = (
    ("loopback", "a loopback address"), ("link_local", "a link-local address"), ("multicast", "a multicast address"),
    ("unspecified", "an unspecified address"), ("reserved", "a reserved address"), ("private", "a private address"),
)


def address_problem(address: str) -> str | None:
    """Why a webhook may not call ``address``, or ``None`` for a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # without an IPv6 zone
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for kind, words in REFUSED_KINDS:
        if getattr(ip, f"is_{kind}"):
            return words
    return None if ip.is_global else "not a public address"


def pinned(connection_class, address: str):
    """``connection_class`` connecting to ``address`` whatever its host (still named in the Host
    header and checked against the TLS certificate)."""

    class Pinned(connection_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._create_connection = lambda where, *rest, **kw: socket.create_connection((address, where[1]), *rest, **kw)

    return Pinned


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 3xx then reaches the caller as an HTTPError: a failed attempt


def opener(address: str):
    class HTTP(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(pinned(http.client.HTTPConnection, address), req)

    class HTTPS(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(pinned(http.client.HTTPSConnection, address), req, context=self._context)

    return urllib.request.build_opener(urllib.request.ProxyHandler({}), HTTP, HTTPS, _NoRedirects)


@dataclass
class Outcome:
    status: int | None = None
    body: str = ""
    error: str = ""
    sent: bool = True  # whether the request may have reached the receiver

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def read_answer(response) -> str:
    return response.read(RESPONSE_READ).decode("utf-8", errors="replace")[:RESPONSE_KEPT]


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    try:
        address = checked_address(url)
    except Refused as error:
        return Outcome(error=f"Refused: {error}", sent=False)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    timed_out = Outcome(error=f"No answer within {settings.WEBHOOK_TIMEOUT_SECONDS:g} seconds")
    try:
        with opener(address).open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return Outcome(response.status, read_answer(response))
    except urllib.error.HTTPError as error:
        try:
            answer = read_answer(error)
        finally:
            error.close()
        problem = f"HTTP {error.code}"
        if 300 <= error.code < 400:
            problem += f": redirects are not followed (Location: {error.headers.get('Location', '')})"
        return Outcome(error.code, answer, problem)
    except TimeoutError:
        return timed_out
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            return timed_out
        # A refused connection reached nobody; anything else may have sent the request.
        return Outcome(error=f"Connection failed: {error.reason}", sent=not isinstance(error.reason, ConnectionRefusedError))
    except (OSError, http.client.HTTPException) as error:
        return Outcome(error=f"Connection failed: {error!r}")


def attempt(delivery_id: int) -> float | None:
    """One attempt at a delivery. Returns the seconds until the next one, or ``None`` when there is
    none to make (delivered, cancelled, given up, not due, or its hook is off)."""
    claimed = claim(delivery_id)
    if claimed is None:
        return None
    delivery, body, carried_before = claimed
    event = delivery.event
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Tracker-Delivery": str(delivery.delivery_id),
        "X-Tracker-Event": f"record.{event.action}",
        "X-Tracker-Signature": sign(delivery.webhook.secret, body),
    }
    outcome = post(delivery.webhook.url, body, headers)
    return write_outcome(delivery, outcome, carried_before)


def claim(delivery_id: int) -> tuple[WebhookDelivery, bytes, bool] | None:
    """Take the delivery for one attempt (one worker at a time) and build its body; a publication
    whose record is no longer public is cancelled here."""
    now = timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
            return None
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now + EARLY:
            return None  # not due, or another worker's attempt is under way
        if not delivery.webhook.is_active:
            return None  # waits: re-enabling the hook sends it
        built = body_of(delivery)
        if built is None:
            delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.CANCELLED, None
            delivery.save(update_fields=["status", "next_attempt_at"])
            return None
        body, carries = built
        carried_before = delivery.carried_content
        # Marked before sending: a withdrawal planned while this attempt is under way must go to this hook.
        changes = {
            "attempts": F("attempts") + 1,
            "carried_content": carried_before or carries,
            "next_attempt_at": now + datetime.timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS) + CLAIM_MARGIN,
        }
        # Compare-and-set: on SQLite, where select_for_update locks nothing, a second worker matches no row.
        won = WebhookDelivery.objects.filter(
            pk=delivery.pk, status=WebhookDelivery.Status.PENDING, attempts=delivery.attempts
        ).update(**changes)
        if not won:
            return None
    delivery.refresh_from_db()
    return delivery, body, carried_before


def write_outcome(delivery: WebhookDelivery, outcome: Outcome, carried_before: bool) -> float | None:
    """Write the attempt's outcome; returns the delay before the next attempt, if there is one."""
    now = timezone.now()
    delivery.response_status = outcome.status
    delivery.response_body = outcome.body
    delivery.error = outcome.error
    if not outcome.sent:
        delivery.carried_content = carried_before  # nothing left: the record was not seen
    retry_in = None
    if outcome.succeeded:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = WebhookDelivery.Status.SUCCEEDED, now, None
    elif delivery.attempts < settings.WEBHOOK_ATTEMPTS:
        retry_in = min(settings.WEBHOOK_RETRY_SECONDS * 2 ** (delivery.attempts - 1), LONGEST_WAIT.total_seconds())
        delivery.next_attempt_at = now + datetime.timedelta(seconds=retry_in)
    else:
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
    delivery.save(update_fields=[
        "status", "delivered_at", "next_attempt_at", "response_status", "response_body", "error", "carried_content",
    ])
    if outcome.succeeded:
        Webhook.objects.filter(pk=delivery.webhook_id).exclude(failures_in_a_row=0).update(failures_in_a_row=0)
    elif delivery.status == WebhookDelivery.Status.FAILED:
        count_failure(delivery.webhook_id, outcome.error)
    else:
        logger.info("webhook delivery %s failed (%s); attempt %d in %gs", delivery.delivery_id, outcome.error,
                    delivery.attempts + 1, retry_in)
    return retry_in


def count_failure(hook_id: int, error: str) -> None:
    """A delivery given up: one more failure in a row for its hook, which is turned off at the limit."""
    with transaction.atomic():
        hook = Webhook.objects.select_for_update().filter(pk=hook_id).first()
        if hook is None:
            return
        hook.failures_in_a_row += 1
        disabling = hook.is_active and hook.failures_in_a_row >= settings.WEBHOOK_DISABLE_AFTER
        if disabling:
            hook.is_active, hook.disabled_at = False, timezone.now()
            hook.disabled_reason = f"{hook.failures_in_a_row} deliveries in a row failed; the last: {error}"
        hook.save(update_fields=["failures_in_a_row", "is_active", "disabled_at", "disabled_reason", "updated_at"])
    if disabling:
        logger.warning("webhook %s (%s) of %s disabled: %s", hook.pk, hook.url, hook.owner, hook.disabled_reason)
        tell_owner(hook)


def tell_owner(hook: Webhook) -> None:
    """The notice of a disabled hook, by mail to its owner (if they have an address)."""
    if not hook.owner.email:
        return
    detail = settings.SITE_URL + reverse("api:webhook-detail", kwargs={"pk": hook.pk})
    deliveries = settings.SITE_URL + reverse("api:webhook-deliveries", kwargs={"pk": hook.pk})
    text = (
        f"Your webhook “{hook.name}” ({hook.url}) was turned off: {hook.disabled_reason}\n\n"
        f"Nothing more is sent to it. Its deliveries, with the receiver's answers:\n{deliveries}\n\n"
        f"Once the receiver works again, turn it back on; what waited for it is then sent:\n"
        f"PATCH {detail} with {{\"is_active\": true}}\n"
    )
    try:
        send_mail(f"Webhook turned off: {hook.name}", text, None, [hook.owner.email])
    except Exception:  # the hook is off either way; the log says so
        logger.exception("could not send the notice of disabled webhook %s to %s", hook.pk, hook.owner.email)
