"""Countries: one summary per country of its treaties with China, its cases and its rulings.

A country is not a record of its own: its summary is computed from the records the user may
see, in a fixed number of queries (one per kind of record) however many countries there are.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count
from django.utils import timezone
from django_countries import countries
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse

from cases.models import Case, CaseOutcome, CourtRuling, RulingDecision
from extraditions.api.filters import DETAIL_PARAMETERS
from extraditions.api.renderers import CSVRenderer
from extraditions.api.serializers import ID_HELP, URL_HELP
from extraditions.api.views import ApiViewMixin
from extraditions.choices import ChineseParty
from extraditions.regions import REGIONS
from treaties.models import Treaty, TreatyKind
from treaties.status import TreatyStatus, more_advanced


class CountryRecordSerializer(serializers.Serializer):
    id = serializers.CharField(help_text=ID_HELP)
    url = serializers.URLField(help_text=URL_HELP)
    label = serializers.CharField(help_text="The record's name.")


class CountryTreatySerializer(CountryRecordSerializer):
    kind = serializers.ChoiceField(choices=TreatyKind.choices, help_text="What the treaty is about.")
    china_party = serializers.ChoiceField(choices=ChineseParty.choices, help_text="The Chinese party to the treaty.")
    status = serializers.ChoiceField(choices=TreatyStatus.choices, help_text="The treaty's status on status_on.")


class CountrySerializer(serializers.Serializer):
    """The shape of a country's summary (for the schema and CSV)."""

    id = serializers.CharField(help_text="ISO 3166-1 alpha-2 code.")
    url = serializers.URLField(help_text="The country's summary in the API.")
    name = serializers.CharField(help_text="The country's name in English.")
    extradition_treaty_status = serializers.ChoiceField(
        choices=TreatyStatus.choices,
        allow_null=True,
        help_text="Status on status_on of the country's extradition treaty with the PRC; null without one.",
    )
    treaties = CountryTreatySerializer(many=True, help_text="The country's treaties with China.")
    case_count = serializers.IntegerField(help_text="Cases with this host country.")
    cases_by_outcome = serializers.DictField(
        child=serializers.IntegerField(), help_text='Those cases counted per outcome, e.g. {"refused": 2}.'
    )
    ruling_count = serializers.IntegerField(help_text="Rulings of the country's courts.")
    rulings_refusing_extradition = serializers.IntegerField(help_text="Those rulings that refused extradition.")


class CountryDetailSerializer(CountrySerializer):
    cases = CountryRecordSerializer(many=True, help_text="The cases with this host country.")
    rulings = CountryRecordSerializer(many=True, help_text="The rulings of the country's courts.")


class CountryListSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Countries listed.")
    next = serializers.URLField(allow_null=True, help_text="Always null: every country is on one page.")
    previous = serializers.URLField(allow_null=True, help_text="Always null: every country is on one page.")
    results = CountrySerializer(many=True, help_text="One summary per country with a treaty, a case or a ruling.")


def country_summaries(request, on: datetime.date, code: str | None = None) -> dict[str, dict]:
    user = request.user
    treaties = Treaty.objects.visible_to(user).exclude(counterpart="").with_status(on)
    cases = Case.objects.visible_to(user).exclude(host_country="")
    rulings = CourtRuling.objects.visible_to(user).exclude(country="")
    if code:
        treaties, cases, rulings = treaties.filter(counterpart=code), cases.filter(host_country=code), rulings.filter(country=code)

    summaries: dict[str, dict] = defaultdict(dict)

    def summary(country_code: str) -> dict:
        entry = summaries[country_code]
        if not entry:
            entry.update(
                id=country_code,
                url=reverse("api:country-detail", kwargs={"id": country_code}, request=request),
                name=countries.name(country_code),
                extradition_treaty_status=None,
                treaties=[],
                case_count=0,
                cases_by_outcome={},
                ruling_count=0,
                rulings_refusing_extradition=0,
            )
        return entry

    for treaty in treaties.order_by("signed_on").only("slug", "title", "kind", "china_party", "counterpart"):
        entry = summary(treaty.counterpart.code)
        entry["treaties"].append(
            {
                "id": treaty.slug,
                "url": reverse("api:treaty-detail", kwargs={"id": treaty.slug}, request=request),
                "label": treaty.title,
                "kind": treaty.kind,
                "china_party": treaty.china_party,
                "status": treaty.status,
            }
        )
        if (
            treaty.kind == TreatyKind.EXTRADITION
            and treaty.china_party == ChineseParty.PRC
            and more_advanced(treaty.status, than=entry["extradition_treaty_status"])
        ):
            entry["extradition_treaty_status"] = treaty.status

    for row in cases.order_by().values("host_country", "outcome").annotate(n=Count("pk")):
        entry = summary(row["host_country"])
        entry["case_count"] += row["n"]
        entry["cases_by_outcome"][row["outcome"] or CaseOutcome.UNKNOWN] = row["n"]

    for row in rulings.order_by().values("country", "decision").annotate(n=Count("pk")):
        entry = summary(row["country"])
        entry["ruling_count"] += row["n"]
        if row["decision"] == RulingDecision.EXTRADITION_REFUSED:
            entry["rulings_refusing_extradition"] += row["n"]
    return dict(sorted(summaries.items()))


class OnePageSchema(AutoSchema):
    """The list is one page with its envelope, not a bare array."""

    def _is_list_view(self, serializer=None):
        return False


class CountryViewSet(ApiViewMixin, viewsets.ViewSet):
    """One summary per country: its treaties with China and their status, its cases by outcome, its rulings."""

    permission_classes = [AllowAny]  # read-only: other methods are a 405

    schema = OnePageSchema()
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]
    lookup_url_kwarg = "id"
    lookup_value_regex = "[A-Za-z]{2}"
    list_parameters = frozenset({"format", "status_on", "region", "extradition_treaty_status"})
    serializer_class = CountrySerializer

    def get_serializer(self, *args, **kwargs):
        return self.serializer_class(*args, **kwargs)

    def status_date(self, request) -> datetime.date:
        raw = request.query_params.get("status_on")
        if not raw:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            raise ValidationError({"status_on": ["Enter a date as YYYY-MM-DD."]}) from None

    def check_parameters(self, request, allowed):
        unknown = sorted(set(request.query_params) - set(allowed))
        if unknown:
            message = f"Unknown query parameter. Known here: {', '.join(sorted(allowed))}."
            raise ValidationError({name: [message] for name in unknown})

    @extend_schema(
        parameters=[
            OpenApiParameter("status_on", OpenApiTypes.DATE, description="Treaty status on this date (default: today)."),
            OpenApiParameter("region", str, enum=sorted(REGIONS), description="Only countries in a region."),
            OpenApiParameter(
                "extradition_treaty_status", str, enum=[s.value for s in TreatyStatus],
                description="Only countries whose extradition treaty with the PRC has this status on status_on.",
            ),
        ],
        responses=CountryListSerializer,
        operation_id="countries_list",
    )
    def list(self, request):
        self.check_parameters(request, self.list_parameters)
        summaries = list(country_summaries(request, self.status_date(request)).values())
        if region := request.query_params.get("region"):
            if region not in REGIONS:
                raise ValidationError({"region": [f"Choose from: {', '.join(REGIONS)}."]})
            summaries = [s for s in summaries if s["id"] in REGIONS[region]]
        if status := request.query_params.get("extradition_treaty_status"):
            if status not in TreatyStatus.values:
                raise ValidationError({"extradition_treaty_status": [f"Choose from: {', '.join(TreatyStatus.values)}."]})
            summaries = [s for s in summaries if s["extradition_treaty_status"] == status]
        return Response({"count": len(summaries), "count_exact": True, "next": None, "previous": None, "results": summaries})

    @extend_schema(
        parameters=[OpenApiParameter("status_on", OpenApiTypes.DATE, description="Treaty status on this date.")],
        responses=CountryDetailSerializer,
    )
    def retrieve(self, request, id=None):
        self.check_parameters(request, DETAIL_PARAMETERS | {"status_on"})
        code = id.upper()
        summary = country_summaries(request, self.status_date(request), code).get(code)
        if summary is None:
            raise NotFound("No records for this country.")
        user = request.user
        summary["cases"] = [
            {"id": c.slug, "url": reverse("api:case-detail", kwargs={"id": c.slug}, request=request), "label": c.title}
            for c in Case.objects.visible_to(user).filter(host_country=code).only("slug", "title")
        ]
        summary["rulings"] = [
            {"id": r.slug, "url": reverse("api:courtruling-detail", kwargs={"id": r.slug}, request=request), "label": str(r)}
            for r in CourtRuling.objects.visible_to(user).filter(country=code).only("slug", "court", "decided_on", "decided_on_precision")
        ]
        return Response(summary)
