"""Webhooks and their deliveries as the API shows them (``/api/v1/webhooks/``, staff only)."""

from django.conf import settings
from django.db import models
from rest_framework import serializers

from extraditions.api.serializers import StrictCharField, StrictURLField

from ..models import LISTING_CHOICES, Action, Webhook, WebhookDelivery, validate_actions, validate_listings
from ..webhooks import Refused, Unresolved, checked_address


class StrictBooleanField(serializers.BooleanField):
    """true or false, as the schema says: DRF would also take 0, "yes" or "on"."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class WebhookSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.URLField: StrictURLField,
        models.BooleanField: StrictBooleanField,
    }
    owner = serializers.CharField(source="owner.username", read_only=True, help_text="The member of staff the hook belongs to.")
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=Action.choices), min_length=1, validators=[validate_actions],
        help_text="Which events are sent: published (a record became public), updated, withdrawn (it is no "
        "longer public: restricted, unpublished or deleted).",
    )
    listings = serializers.ListField(
        child=serializers.ChoiceField(choices=LISTING_CHOICES), required=False, validators=[validate_listings],
        help_text="Which lists' records are followed; empty (the default) for all of them.",
    )

    class Meta:
        model = Webhook
        fields = ("id", "name", "url", "actions", "listings", "is_active", "owner", "failures_in_a_row", "disabled_at",
                  "disabled_reason", "created_at", "updated_at")
        read_only_fields = ("failures_in_a_row", "disabled_at", "disabled_reason", "created_at", "updated_at")
        extra_kwargs = {
            "id": {"help_text": "The hook's number, in its URL."},
            "name": {"help_text": "What the hook is for, e.g. “partner mirror”."},
            "url": {"help_text": "Called with POST and a signed JSON body for each event; http or https."},
            "is_active": {"help_text": "Whether events are sent. A hook whose deliveries keep failing is turned off; "
                          "set it to true again to send what waited."},
            "failures_in_a_row": {"help_text": "Deliveries given up in a row since the last one that succeeded."},
            "disabled_at": {"help_text": "When the hook was turned off; null while it is on."},
            "disabled_reason": {"help_text": "Why the hook was turned off, with the last error."},
            "created_at": {"help_text": "When the hook was registered."},
            "updated_at": {"help_text": "When the hook last changed."},
        }

    def validate_url(self, value: str) -> str:
        if not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError("A webhook's URL must start with http:// or https://.")
        if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
            try:
                checked_address(value)
            except Unresolved:
                pass  # a name that has no address yet may have one later: checked at each delivery
            except Refused as error:
                raise serializers.ValidationError(str(error).capitalize() + ".") from error
        return value

    def validate_actions(self, value: list[str]) -> list[str]:
        return sorted(set(value), key=Action.values.index)

    def validate_listings(self, value: list[str]) -> list[str]:
        return sorted(set(value))


class NewWebhookSerializer(WebhookSerializer):
    """The answer to a registration: the only one that shows the secret."""

    secret = serializers.CharField(
        read_only=True,
        help_text="Signs every delivery: X-Tracker-Signature is sha256= and the HMAC-SHA256 of the body under it. "
        "Shown in this answer only: keep it now.",
    )

    class Meta(WebhookSerializer.Meta):
        fields = (*WebhookSerializer.Meta.fields, "secret")


class WebhookDeliverySerializer(serializers.ModelSerializer):
    delivery = serializers.UUIDField(
        source="delivery_id", read_only=True,
        help_text="The delivery's identifier, in X-Tracker-Delivery and the body: the same on every retry.",
    )
    event = serializers.SerializerMethodField(help_text="What happened: record.published, record.updated or record.withdrawn.")
    listing = serializers.CharField(source="event.listing", read_only=True, help_text="The list the record belongs to.")
    record_uid = serializers.UUIDField(source="event.record_uid", read_only=True, help_text="The record's stable identifier.")
    occurred_at = serializers.DateTimeField(source="event.occurred_at", read_only=True, help_text="When the change was found.")

    class Meta:
        model = WebhookDelivery
        fields = ("delivery", "event", "listing", "record_uid", "occurred_at", "status", "attempts", "next_attempt_at",
                  "carried_content", "response_status", "response_body", "error", "created_at", "delivered_at")
        read_only_fields = fields
        extra_kwargs = {
            "status": {"help_text": "pending (to be tried, or tried again), succeeded, failed (given up) or cancelled "
                       "(not sent: the record was no longer public)."},
            "attempts": {"help_text": "How many times it was sent."},
            "next_attempt_at": {"help_text": "When it is tried next; null when it is not."},
            "carried_content": {"help_text": "Whether the record's content was sent."},
            "response_status": {"help_text": "The HTTP status of the receiver's last answer; null if there was none."},
            "response_body": {"help_text": "The start of the receiver's last answer (2,000 characters at most)."},
            "error": {"help_text": "Why the last attempt failed; empty if it did not."},
            "created_at": {"help_text": "When the delivery was planned."},
            "delivered_at": {"help_text": "When the receiver accepted it (a 2xx answer); null until then."},
        }

    def get_event(self, delivery) -> str:
        return f"record.{delivery.event.action}"
