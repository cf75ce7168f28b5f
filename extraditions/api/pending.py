"""``/api/v1/pending-changes/``: the changes waiting for an editor (extraditions/changes.py).

Staff only, and not listed in the API's root: every member of staff reads the queue; editors
approve (``POST …/<id>/approve/``) or reject (``POST …/<id>/reject/``), with an optional ``note``.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from extraditions.changes import PendingChange, StaleChange

from .permissions import StaffOnly
from .views import ApiViewMixin, Conflict


class PendingChangeSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True, help_text="Who made the change.")
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True, default=None,
        help_text="The editor who approved or rejected it; null while it waits.",
    )
    differences = serializers.SerializerMethodField(
        help_text="Per record written: its kind, id, whether it is added, changed or deleted, and each field that "
        "differs, before and after."
    )

    class Meta:
        model = PendingChange
        fields = ("id", "summary", "author", "created_at", "status", "decided_by", "decided_at", "decision_note",
                  "differences")
        extra_kwargs = {
            "id": {"help_text": "The change's number, in its URL."},
            "summary": {"help_text": "What the change does, record by record."},
            "created_at": {"help_text": "When the change was made."},
            "status": {"help_text": "Waiting for an editor, approved (and applied) or rejected."},
            "decided_at": {"help_text": "When an editor approved or rejected it; null while it waits."},
            "decision_note": {"help_text": "The editor's note on the decision."},
        }

    def get_differences(self, obj) -> list[dict]:
        return obj.differences()


DECISION = inline_serializer(
    "PendingChangeDecision",
    {"note": serializers.CharField(required=False, allow_blank=True, help_text="A note on the decision.")},
)


class PendingChangeViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    queryset = PendingChange.objects.select_related("author", "decided_by")
    serializer_class = PendingChangeSerializer
    permission_classes = [StaffOnly]
    filterset_fields = ()

    @extend_schema(request=DECISION, responses=PendingChangeSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, PendingChange.approve)

    @extend_schema(request=DECISION, responses=PendingChangeSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, PendingChange.reject)

    def _decide(self, request, decide):
        change = self.get_object()
        note = request.data.get("note", "") if isinstance(request.data, dict) else ""
        if not isinstance(note, str):
            raise exceptions.ValidationError({"note": ["Give the note as text."]})
        try:
            decide(change, request.user, note)
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        except StaleChange as error:
            raise Conflict(str(error)) from error
        except (DjangoValidationError, IntegrityError) as error:
            raise Conflict(f"The change can no longer be applied: {error}") from error
        change.refresh_from_db()
        return Response(self.get_serializer(change).data)
