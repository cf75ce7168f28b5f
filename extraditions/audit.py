"""The log of who looked at restricted records."""

from django.contrib.contenttypes.models import ContentType

from .models import RestrictedRecordView
from .publication import is_restricted


def log_if_restricted(request, record, channel: str) -> None:
    """Record that ``request.user`` viewed ``record``, if it is restricted."""
    if record is not None and request.user.is_authenticated and is_restricted(record):
        RestrictedRecordView.objects.create(
            user=request.user,
            content_type=ContentType.objects.get_for_model(type(record)),
            object_id=record.pk,
            record_label=str(record)[:300],
            channel=channel,
            path=request.get_full_path()[:500],
        )
