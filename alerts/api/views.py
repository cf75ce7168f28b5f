"""``/api/v1/webhooks/``: API token holders' URLs for record events (``alerts/webhooks.py``).

Staff only, and not listed in the API's root. Each member of staff sees and manages their own
hooks (administrators everybody's); another's hook is a 404. The secret that signs the
deliveries is in the answer to the registration only.
"""

from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from extraditions.api.permissions import StaffOnly
from extraditions.api.views import ApiViewMixin
from extraditions.jobs import after_commit
from extraditions.roles import is_administrator

from ..models import Webhook, WebhookDelivery
from ..tasks import deliver_webhook
from ..webhooks import reenable
from .serializers import NewWebhookSerializer, WebhookDeliverySerializer, WebhookSerializer

DELIVERIES_SHOWN = 100


class WebhookViewSet(ApiViewMixin, viewsets.ModelViewSet):
    """Your URLs called when a public record is published, updated or withdrawn (staff only)."""

    serializer_class = WebhookSerializer
    permission_classes = [StaffOnly]  # not RecordPermission: any member of staff may have hooks
    queryset = Webhook.objects.none()  # names the model for the schema; get_queryset decides
    filterset_fields = ()

    def get_queryset(self):
        hooks = Webhook.objects.select_related("owner")
        return hooks if is_administrator(self.request.user) else hooks.filter(owner=self.request.user)

    @extend_schema(responses={201: NewWebhookSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hook = serializer.save(owner=request.user)
        return Response(NewWebhookSerializer(hook, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        was_active = serializer.instance.is_active
        with transaction.atomic():
            hook = serializer.save()
            if hook.is_active and not was_active:
                for delivery_id in reenable(hook):
                    after_commit(deliver_webhook, delivery_id)
            elif was_active and not hook.is_active:
                hook.disabled_at, hook.disabled_reason = timezone.now(), f"Turned off by {self.request.user.username}."
                hook.save(update_fields=["disabled_at", "disabled_reason", "updated_at"])

    @extend_schema(responses=WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """The hook's last 100 deliveries, the latest first, with the receiver's answers."""
        hook = self.get_object()
        shown = WebhookDelivery.objects.filter(webhook=hook).select_related("event")[:DELIVERIES_SHOWN]
        return Response(WebhookDeliverySerializer(shown, many=True, context=self.get_serializer_context()).data)
