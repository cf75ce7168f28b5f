"""The log of who looked at restricted records: on a record's own page and in the lists that showed it."""

from django.contrib.contenttypes.models import ContentType

from .models import RestrictedRecordView
from .publication import is_restricted, restricted_q


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


def log_restricted_among(request, model, records, channel: str) -> None:
    """Record each restricted record among those a list page showed ``request.user``."""
    pks = [record.pk for record in records]
    if not pks or not model.visibility_paths or not request.user.is_authenticated:
        return
    restricted = model._default_manager.filter(restricted_q(model), pk__in=pks).in_bulk()
    if restricted:
        content_type = ContentType.objects.get_for_model(model)
        path = request.get_full_path()[:500]
        RestrictedRecordView.objects.bulk_create(
            RestrictedRecordView(
                user=request.user, content_type=content_type, object_id=pk, record_label=str(record)[:300],
                channel=channel, path=path,
            )
            for pk, record in restricted.items()
        )
