"""``/api/v1/search/?q=``: the best matches of each kind at once, with snippets and reasons."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Case, CourtRuling, Person
from cases.search import find_persons
from extraditions.api.serializers import ID_HELP, URL_HELP
from extraditions.api.views import ApiViewMixin
from extraditions.identifiers import api_url, stable_id
from extraditions.search.backends import ranked
from extraditions.search.models import SearchDocument
from sources.models import Source
from treaties.models import Treaty

FULL_TEXT_KINDS = {"cases": Case, "rulings": CourtRuling, "treaties": Treaty, "sources": Source}
MAX_LIMIT = 50

Hit = inline_serializer(
    "SearchHit",
    {
        "id": serializers.CharField(help_text=ID_HELP),
        "url": serializers.URLField(help_text=URL_HELP),
        "label": serializers.CharField(help_text="The record's name."),
        "relevance": serializers.FloatField(help_text="Higher is better; comparable within one kind only."),
        "snippet": serializers.CharField(help_text="HTML-escaped, matches in <mark>."),
        "reasons": serializers.ListField(child=serializers.CharField(), help_text="Why a person matched."),
    },
)


class SearchView(ApiViewMixin, APIView):
    """Persons, cases, rulings, treaties and sources matching a query, the best of each kind first.

    Persons are found by any form of their names (see the persons list); the others through the
    full-text index, with the same syntax as their lists' ``q``.
    """

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", {"type": "string", "minLength": 1, "maxLength": 500}, required=True,
                             description='Words, "phrases", -excluded, or.'),
            OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                             description=f"Matches per kind, 1 to {MAX_LIMIT} (default 5)."),
        ],
        responses=inline_serializer(
            "SearchResults",
            {
                "query": serializers.CharField(help_text="The query searched for."),
                "results": inline_serializer(
                    "SearchResultsByKind",
                    {
                        kind: Hit.__class__(many=True, help_text=f"The best matching {kind}, best first.")
                        for kind in ("persons", *FULL_TEXT_KINDS)
                    },
                    help_text="The matches of each kind.",
                ),
            },
        ),
    )
    def get(self, request):
        unknown = sorted(set(request.query_params) - {"q", "limit", "format"})
        if unknown:
            raise ValidationError({name: ["Unknown query parameter. Known here: format, limit, q."] for name in unknown})
        query = request.query_params.get("q", "").strip()
        if not query or len(query) > 500:
            raise ValidationError({"q": ["Give a search of 1 to 500 characters."]})
        try:
            limit = int(request.query_params.get("limit") or 5)
        except ValueError:
            limit = 0
        if not 1 <= limit <= MAX_LIMIT:
            raise ValidationError({"limit": [f"Give a whole number from 1 to {MAX_LIMIT}."]})

        results = {"persons": self.persons(query, limit)}
        for kind, model in FULL_TEXT_KINDS.items():
            results[kind] = self.full_text(model, query, limit)
        return Response({"query": query, "results": results})

    def persons(self, query, limit):
        matches = find_persons(query, self.request.user, limit=limit)
        persons = Person.objects.visible_to(self.request.user).in_bulk([m.person_id for m in matches])
        return [
            self.hit(persons[m.person_id], persons[m.person_id].name, m.score, "", [m.reason])
            for m in matches
            if m.person_id in persons
        ]

    def full_text(self, model, query, limit):
        records = list(ranked(model.objects.visible_to(self.request.user), query).order_by("-relevance", "pk")[:limit])
        snippets = SearchDocument.objects.snippets(model, [r.pk for r in records], query)
        return [self.hit(r, str(r), r.relevance, snippets.get(r.pk, ""), []) for r in records]

    def hit(self, record, label, relevance, snippet, reasons) -> dict:
        return {
            "id": stable_id(record),
            "url": api_url(record, self.request),
            "label": label,
            "relevance": relevance,
            "snippet": snippet,
            "reasons": reasons,
        }
