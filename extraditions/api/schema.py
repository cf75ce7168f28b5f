"""How the API's own field types appear in the OpenAPI schema (drf-spectacular extensions).

Imported by the API's app config so that the schema knows them before it is generated.
"""

from django_countries import countries
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes

from .serializers import PARTIAL_DATE_HELP


# The one choice set of every country field, named once in the schema.
def country_choices():
    """(code, name) as the country fields offer them: CN and HK first, each once (settings)."""
    return [(code, str(name)) for code, name in countries]


class PartialDateFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "extraditions.api.serializers.PartialDateField"

    def map_serializer_field(self, auto_schema, direction):
        return {
            **build_basic_type(OpenApiTypes.STR),
            "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
            "description": PARTIAL_DATE_HELP,  # a field's help_text replaces it, and says it too (model_help_text)
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


class DescribedFilterExtension(DjangoFilterExtension):
    """django-filter's parameters, each described: by the filter's help_text also where
    extend_schema_field gives its type (drf-spectacular then drops it: the year filters), else by the
    help_text of the model field it filters (``?is_pseudonym=``)."""

    target_class = "extraditions.api.filters.FilterBackend"
    priority = 1  # before drf-spectacular's own, which it extends

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        description = filter_field.extra.get("help_text") or getattr(
            self._get_model_field(filter_field, model), "help_text", ""
        )
        for parameter in parameters:
            if description and not parameter.get("description"):
                parameter["description"] = str(description)
        return parameters


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


PROBLEM = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "description": "about:blank: the status says what kind of error it is."},
        "title": {"type": "string", "description": "The status's name, e.g. Bad Request."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong, for a person to read."},
        "errors": {"type": "object", "description": "Messages per field or query parameter (400).",
                   "additionalProperties": True},
        "retry_after": {"type": "integer", "description": "Seconds to wait (429)."},
    },
    "required": ["type", "title", "status", "detail"],
}
ERRORS = {
    "400": "Invalid query parameters or body; `errors` says which and why.",
    "401": "Credentials are missing or invalid.",
    "403": "The account may not do this.",
    "404": "There is no such record, or it is not public.",
    "405": "This method is not allowed here.",
    "409": "The write conflicts with other records.",
    "412": "The record changed since it was read (If-Match).",
    "413": "The request body is too large.",
    "429": "Too many requests; `retry_after` says when to try again.",
    "503": "The database is unavailable for a moment; retry after `Retry-After` seconds.",
}
SAFE_METHODS = {"get", "head", "options"}
HELD = {
    "description": (
        "The write would change what the public sees and the account may not publish: it was not applied, "
        "but kept as a pending change for an editor (docs/api.md)."
    ),
    "content": {"application/json": {"schema": {
        "type": "object",
        "required": ["status", "detail", "pending_change"],
        "properties": {
            "status": {"type": "string", "enum": ["pending"]},
            "detail": {"type": "string"},
            "pending_change": {"type": "string", "format": "uri"},
        },
    }}},
}


def errors_and_anonymous_reads(result, generator, request, public):
    """Every error the API can answer, in problem details, on every operation; and reads open to
    anonymous clients (``{}`` among the security requirements), as they are."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "head", "options", "post", "put", "patch", "delete"}:
                continue
            safe = method in SAFE_METHODS
            codes = {"400", "401", "403", "404", "429", "503"}  # 401: a token that is wrong, on any operation
            if not safe:
                codes |= {"405", "409", "413"}
            if method in {"put", "patch", "delete"}:
                codes.add("412")
            if not safe and "/pending-changes/" not in path:
                operation["responses"].setdefault("202", HELD)
            for code in sorted(codes):
                operation["responses"].setdefault(code, {
                    "description": ERRORS[code],
                    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
                })
            if safe and {} not in operation.setdefault("security", []):
                operation["security"].append({})
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and not parameter.get("required"):
                    # An empty filter is no filter, as when a form sends a field left blank.
                    parameter["allowEmptyValue"] = True
    return result


# What a 200 answer is in a media type other than JSON's: apps register theirs (the schema of a
# CSL-JSON list of references, cases/api/renderers.py); any other that is not JSON is text.
MEDIA_TYPE_SCHEMAS: dict[str, dict] = {}
JSON_TYPES = {"application/json", "application/problem+json"}
# drf-spectacular writes the ?format= parameter itself, with the renderers' formats and no words.
FORMAT_PARAMETER = (
    "The answer's format, instead of the Accept header's; JSON by default. In any other format a list is "
    "every record the filters match, not one page (docs/api.md)."
)


def other_formats(result, generator, request, public):
    """drf-spectacular documents every renderer's answer with the serializer's schema: a CSV, a RIS
    file or a CSL-JSON list of references is not that. Each gets its own schema (text, unless
    registered), so that clients and the fuzzing tests read each format as what it is; and says what
    the ?format= parameter does."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] == "format":
                    parameter.setdefault("description", FORMAT_PARAMETER)
            for response in operation.get("responses", {}).values():
                for media_type, content in response.get("content", {}).items():
                    if media_type in MEDIA_TYPE_SCHEMAS:
                        content["schema"] = MEDIA_TYPE_SCHEMAS[media_type]
                    elif media_type not in JSON_TYPES and not media_type.startswith("text/html"):
                        content["schema"] = {"type": "string"}
    return result
