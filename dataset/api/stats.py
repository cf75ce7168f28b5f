"""``/api/v1/stats/``: the headline figures, computed from the records as the ``report`` command does."""

import datetime

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from dataset.stats import headline_figures
from extraditions.api.views import ApiViewMixin


class StatsView(ApiViewMixin, APIView):
    """Headline figures on a date: treaties in force and signed (with the figures the sources state
    for the same date), rulings refusing extradition, cases, persons and days in detention.

    Counted over the records the caller may see: for the public, published and public records only.
    """

    permission_classes = [AllowAny]  # read-only: other methods are a 405

    @extend_schema(
        parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description="The date of the figures (default: today).")],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        unknown = sorted(set(request.query_params) - {"on", "format"})
        if unknown:
            raise ValidationError({name: ["Unknown query parameter. Known here: format, on."] for name in unknown})
        raw = request.query_params.get("on")
        try:
            on = datetime.date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError:
            raise ValidationError({"on": ["Enter a date as YYYY-MM-DD."]}) from None
        return Response(headline_figures(on, request.user))
