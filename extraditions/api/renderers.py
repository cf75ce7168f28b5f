"""Output formats beyond JSON: CSV for spreadsheets, problem details for errors.

CSV rows are flat: a related record becomes two columns, its id (``case``) and its label
(``case_label``), a country its code and name (``host_country``, ``host_country_name``); a list
becomes one cell with its items separated by "; ". Cells that a
spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from functools import lru_cache

from django.utils.translation import get_language
from django_countries import countries
from django_countries.serializer_fields import CountryField
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer

from .serializers import SummaryField, SummaryListField

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "


class ProblemJSONRenderer(JSONRenderer):
    """Errors as RFC 9457 problem details."""

    media_type = "application/problem+json"
    format = "problem+json"


class CSVRenderer(BaseRenderer):
    """CSV for a single record or a page; full lists are streamed by the views instead."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        serializer = view.get_serializer() if view is not None else None
        rows = data.get("results", [data]) if isinstance(data, dict) else data
        columns = csv_columns(serializer) if serializer is not None else sorted(rows[0]) if rows else []
        return "".join(csv_lines(columns, rows)).encode(self.charset)


def is_country(field) -> bool:
    return isinstance(field, CountryField) or (
        isinstance(field, serializers.ListField) and isinstance(field.child, CountryField)
    )


def csv_columns(serializer) -> list[tuple[str, str, str]]:
    """(column header, serializer field, part) for every column.

    A related record gives its id and its label; a country its code and its name.
    """
    columns = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        if isinstance(field, (SummaryField, SummaryListField)):
            columns += [(name, name, "id"), (f"{name}_label", name, "label")]
        elif is_country(field):
            columns += [(name, name, "value"), (f"{name}_name", name, "country_name")]
        else:
            columns.append((name, name, "value"))
    return columns


def identifier(item) -> str:
    if isinstance(item, dict):
        return str(item.get("id") or item.get("code") or "")
    return cell_text(item)


def label(item) -> str:
    """A nested record's label; a nested pair such as {"person": {...}, "role": "subject"}
    reads "Idris Hasan (subject)"."""
    if isinstance(item, dict):
        for key in ("label", "name", "title", "id", "code"):
            if item.get(key) not in (None, ""):
                return str(item[key])
        main, *rest = [label(value) for value in item.values() if value not in (None, "", [])] or [""]
        return f"{main} ({', '.join(rest)})" if rest else main
    return cell_text(item)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return label(value)
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(cell_text(item) for item in value)
    return str(value)


def cell(value, part: str) -> str:
    if part == "id":
        text = LIST_SEPARATOR.join(identifier(i) for i in value) if isinstance(value, list) else identifier(value) if value else ""
    elif part == "label":
        text = LIST_SEPARATOR.join(label(i) for i in value) if isinstance(value, list) else label(value) if value else ""
    elif part == "country_name":
        codes = value if isinstance(value, list) else [value] if value else []
        text = LIST_SEPARATOR.join(country_name(str(code), get_language()) for code in codes)
    else:
        text = cell_text(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


@lru_cache(maxsize=4096)
def country_name(code: str, language: str | None) -> str:
    """A country's name in the active language (looking it up costs a translation each time)."""
    return str(countries.name(code))


CHUNK_CHARACTERS = 64 * 1024


def csv_lines(columns, rows: Iterable[dict], header: bool = True) -> Iterator[str]:
    """Encode rows lazily, in chunks of about 64 KB; the header goes first on its own."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        line = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return line

    if header:
        writer.writerow([column for column, _, _ in columns])
        yield flush()
    cells = [(name, part, part == "value") for _, name, part in columns]
    for row in rows:
        line = []
        for name, part, plain in cells:
            value = row.get(name)
            # Most cells are text shown as it is: the general rule only for the others.
            if plain and value.__class__ is str and not value.startswith(FORMULA_PREFIXES):
                line.append(value)
            else:
                line.append(cell(value, part))
        writer.writerow(line)
        if buffer.tell() >= CHUNK_CHARACTERS:  # a few large writes to the socket, not one per row
            yield flush()
    if buffer.tell():
        yield flush()
