"""What the public record did, and who asked to be told.

- :class:`RecordEvent`: a record of a public list was published (became visible to the public),
  updated, or withdrawn (restricted, unpublished, deleted). Events are found by comparing what the
  public may see now with :class:`PublicRecordState`, the last snapshot (``alerts/events.py``):
  whatever way a record left or entered the public view, the policy's own query sees it.
- :class:`Subscription`: a saved search of one list, with an e-mail address, confirmed by a link
  before anything is sent; :class:`AlertMail`: each alert sent for it.
- :class:`Webhook`: an API token holder's URL for record events; :class:`WebhookDelivery`: each
  call, signed, retried, with the receiver's answer.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class ListName(models.TextChoices):
    """The public lists that are followed (``alerts/listings.py`` has each one's filters and search)."""

    CASES = "cases", "Cases"
    RULINGS = "rulings", "Court rulings"
    PERSONS = "persons", "Persons"
    NOTICES = "notices", "INTERPOL notices"
    SOURCES = "sources", "Sources"
    TREATIES = "treaties", "Treaties"


LISTING_CHOICES = ListName.choices


class Action(models.TextChoices):
    PUBLISHED = "published", "Published"
    UPDATED = "updated", "Updated"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RecordEvent(models.Model):
    """A change to what the public sees of one record of a public list."""

    listing = models.CharField(max_length=20, choices=LISTING_CHOICES)
    object_id = models.PositiveBigIntegerField()
    record_uid = models.UUIDField(help_text="The record's stable identifier.")
    action = models.CharField(max_length=10, choices=Action.choices)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["listing", "object_id"], name="event_record")]

    def __str__(self):
        return f"{self.get_action_display()}: {self.listing} #{self.object_id}"


class PublicRecordState(models.Model):
    """The last snapshot of one public record: what the next detection compares with."""

    listing = models.CharField(max_length=20, choices=LISTING_CHOICES)
    object_id = models.PositiveBigIntegerField()
    record_uid = models.UUIDField()
    fingerprint = models.CharField(max_length=64, help_text="When the record last changed, as the snapshot saw it.")
    public_since = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["listing", "object_id"], name="one_state_per_record")]

    def __str__(self):
        return f"{self.listing} #{self.object_id} as of {self.fingerprint}"


class ListingBaseline(models.Model):
    """A list whose first snapshot was taken: until then every record would look newly published,
    so the first detection of a list (a new installation, an upgrade) announces nothing."""

    listing = models.CharField(max_length=20, choices=LISTING_CHOICES, unique=True)
    taken_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.listing} since {self.taken_at:%Y-%m-%d %H:%M}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    """A saved search of a public list, and where and how often to send what is new in it."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "As soon as it happens"
        DAILY = "daily", "Once a day"
        WEEKLY = "weekly", "Once a week"

    email = models.EmailField(db_index=True)
    listing = models.CharField(max_length=20, choices=LISTING_CHOICES)
    query = models.CharField(
        max_length=1000, blank=True, help_text="The list's filters and search, as in its address (canonical order)."
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False,
        help_text="The secret in the confirmation and unsubscribe links.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_event_id = models.PositiveBigIntegerField(
        default=0, help_text="Events up to this one have been considered for this subscription."
    )
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "listing", "query"], name="one_subscription_per_search")]
        indexes = [models.Index(fields=["frequency", "confirmed_at"], name="subscription_due")]

    def __str__(self):
        return f"{self.email}: {self.get_listing_display()}{' ?' + self.query if self.query else ''}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class AlertMail(models.Model):
    """One alert sent for a subscription: which events it covered and how many records it named."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="mails")
    up_to_event = models.PositiveBigIntegerField(help_text="The last event this mail covers.")
    records = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "up_to_event"], name="one_mail_per_subscription_and_event")
        ]

    def __str__(self):
        return f"Alert to {self.subscription.email} ({self.records} records)"


def validate_actions(value) -> None:
    allowed = set(Action.values)
    if not isinstance(value, list) or not value or not set(value) <= allowed:
        raise ValidationError(f"Give one or more of: {', '.join(Action.values)}.")


def validate_listings(value) -> None:
    allowed = {name for name, _ in LISTING_CHOICES}
    if not isinstance(value, list) or not set(value) <= allowed:
        raise ValidationError(f"Give none (every list) or some of: {', '.join(sorted(allowed))}.")


def new_secret() -> str:
    return secrets.token_hex(32)


class Webhook(models.Model):
    """A URL that is called when a record of the public lists is published, updated or withdrawn."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks")
    name = models.CharField(max_length=100, help_text="What the hook is for, e.g. \"partner mirror\".")
    url = models.URLField(max_length=500, help_text="Called with POST and a JSON body; http or https.")
    secret = models.CharField(
        max_length=64, default=new_secret, editable=False,
        help_text="Signs every delivery (HMAC-SHA256 of the body); shown once, when the hook is made.",
    )
    actions = models.JSONField(
        default=list, validators=[validate_actions],
        help_text="Which events are sent: published, updated, withdrawn.",
    )
    listings = models.JSONField(
        default=list, blank=True, validators=[validate_listings],
        help_text="Which lists' records; empty for all of them.",
    )
    is_active = models.BooleanField(default=True)
    failures_in_a_row = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.url})"

    def clean(self):
        super().clean()
        if self.url and not self.url.lower().startswith(("http://", "https://")):
            raise ValidationError({"url": "A webhook's URL must start with http:// or https://."})

    def follows(self, event: RecordEvent) -> bool:
        return event.action in self.actions and (not self.listings or event.listing in self.listings)


class WebhookDelivery(models.Model):
    """One event sent to one webhook: its identifier (for the receiver's idempotency), its attempts
    and the receiver's last answer."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Delivered"
        FAILED = "failed", "Failed, given up"
        CANCELLED = "cancelled", "Not sent: the record is no longer public"

    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(RecordEvent, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    carried_content = models.BooleanField(
        default=False, help_text="Whether a record's content was sent (a withdrawal follows only such a delivery)."
    )
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True, help_text="The start of the receiver's last answer.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"
        constraints = [models.UniqueConstraint(fields=["webhook", "event"], name="one_delivery_per_hook_and_event")]

    def __str__(self):
        return f"{self.event} to {self.webhook.name}: {self.get_status_display().lower()}"
