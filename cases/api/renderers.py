"""Rulings for reference managers: ``?format=csl`` (CSL-JSON), ``ris`` and ``bib`` (BibLaTeX), of
one ruling or of any filtered list of rulings (cases/citations.py writes them)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.renderers import BaseRenderer, JSONRenderer

from extraditions.api.schema import MEDIA_TYPE_SCHEMAS

from .. import citations
from ..models import RulingDecision


class CitationRenderer(BaseRenderer):
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        request = (renderer_context or {}).get("request")
        records = data if isinstance(data, list) else data.get("results", [data])
        if not all(isinstance(record, dict) and "court" in record for record in records):
            return JSONRenderer().render(data)  # not rulings (an OPTIONS answer's description)
        return citations.written([reference(record, request) for record in records], self.format).encode(self.charset)


def reference(record: dict, request) -> citations.RulingReference:
    """The reference of a ruling as the API's record shows it to this reader; its URL is the
    ruling's public page, which a brief cites."""
    page = reverse("site:ruling-detail", args=[record["id"]])
    url = request.build_absolute_uri(page) if request is not None else page
    return citations.RulingReference.from_record(record, url, RulingDecision(record["decision"]).label)


# A CSL-JSON answer, in the API's schema: a list of CSL items (https://citationstyles.org/).
MEDIA_TYPE_SCHEMAS[citations.FORMATS["csl"].media_type] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "type"],
        "properties": {"id": {"type": "string"}, "type": {"type": "string", "enum": ["legal_case"]}},
    },
}

CITATION_RENDERERS = [
    type(f"{name.upper()}CitationRenderer", (CitationRenderer,), {"format": name, "media_type": fmt.media_type})
    for name, fmt in citations.FORMATS.items()
]
