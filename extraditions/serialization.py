"""JSON for records that must come back exactly as they were written (backups, held changes)."""

import datetime

from django.core.serializers.json import DjangoJSONEncoder


class LosslessJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds: its default cuts them to milliseconds
    (as JavaScript dates), so a record written at 12:00:00.000400 would come back as 12:00:00 and
    history entries a few microseconds apart would swap places or tie."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)
