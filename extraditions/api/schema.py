"""How the API's own field types appear in the OpenAPI schema (drf-spectacular extensions).

Imported by the API's app config so that the schema knows them before it is generated.
"""

from django_countries import countries
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes

# The one choice set of every country field, named once in the schema.
def country_choices():
    """(code, name) as the country fields offer them; COUNTRIES_FIRST repeats a few."""
    return list(dict.fromkeys((code, str(name)) for code, name in countries))


class PartialDateFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "extraditions.api.serializers.PartialDateField"

    def map_serializer_field(self, auto_schema, direction):
        return {
            **build_basic_type(OpenApiTypes.STR),
            "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
            "description": "A date known to the year, the month or the day: YYYY, YYYY-MM or YYYY-MM-DD.",
            "examples": ["2021", "2021-07", "2021-07-19"],
        }


class SummaryFieldExtension(OpenApiSerializerFieldExtension):
    """Read: the related record's summary. Write: its stable id."""

    target_class = "extraditions.api.serializers.SummaryField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {**build_basic_type(OpenApiTypes.STR), "description": "The related record's id."}
        component = auto_schema.resolve_serializer(self.target.summary_serializer, direction)
        return component.ref



def blank_strings_any_of(result, generator, request, public):
    """A field that may be empty is "a URL (or a pattern) *or* an empty string": anyOf, not oneOf.

    drf-spectacular writes oneOf, which a validator that does not check formats (most) finds
    ambiguous for "" and rejects.
    """
    empty = {"type": "string", "maxLength": 0}

    def walk(node):
        if isinstance(node, dict):
            if empty in (node.get("oneOf") or []):
                node["anyOf"] = node.pop("oneOf")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
