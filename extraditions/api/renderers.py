"""Output formats beyond JSON: CSV for spreadsheets, problem details for errors.

CSV rows are flat and ready to use without hand-work:

- a related record, or a list of them, becomes its ids (``case``, ``persons``) and its labels
  (``case_label``, ``persons_label``);
- a coded value keeps its code and gets its label beside it (``outcome``, ``outcome_label``), a
  country its name (``host_country``, ``host_country_name``);
- a partial date is written as the source gives it ("2018", "2008-10", "2021-07-19") with its
  precision and the first and last day it may be (``started_precision``, ``started_first_day``,
  ``started_last_day``), so that a spreadsheet or pandas never reads "2018" as 1 January;
- a list is one cell with its items separated by "; ".

Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

from django.utils.translation import get_language
from django_countries import countries
from django_countries.serializer_fields import CountryField
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer

from extraditions.partial_dates import PartialDate

from .serializers import PartialDateField, SummaryField, SummaryListField

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


class Column(NamedTuple):
    header: str
    name: str  # the serializer field it is read from
    part: str  # what of the field's value: "value", "id", "label", "country_name", "choice_label", a date's part
    choices: dict | None = None  # for "choice_label": code → label


DATE_PARTS = ("precision", "first_day", "last_day")


def csv_columns(serializer) -> list[Column]:
    """Every column of a resource's CSV, from its serializer's fields (see the module's docstring)."""
    columns = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        if isinstance(field, (SummaryField, SummaryListField, serializers.BaseSerializer)):
            columns += [Column(name, name, "id"), Column(f"{name}_label", name, "label")]
        elif is_country(field):
            columns += [Column(name, name, "value"), Column(f"{name}_name", name, "country_name")]
        elif isinstance(field, PartialDateField):
            columns += [Column(name, name, "value"), *(Column(f"{name}_{part}", name, part) for part in DATE_PARTS)]
        elif isinstance(field, serializers.ChoiceField) and field.choices:
            labels = {str(code): str(label) for code, label in field.choices.items()}
            columns += [Column(name, name, "value"), Column(f"{name}_label", name, "choice_label", labels)]
        else:
            columns.append(Column(name, name, "value"))
    return columns


def identifier(item) -> str:
    """A nested record's id; for a nested pair such as {"person": {...}, "role": "subject"}, the
    id of the record in it."""
    if isinstance(item, dict):
        own = item.get("id") or item.get("code")
        if own:
            return str(own)
        return next((identifier(value) for value in item.values() if isinstance(value, dict)), "")
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


def date_part(value, part: str) -> str:
    if not value:
        return ""
    date = PartialDate.parse(value)
    return str(date.precision) if part == "precision" else getattr(date, part).isoformat()


def cell(value, part: str, choices: dict | None = None) -> str:
    if part == "choice_label":
        codes = value if isinstance(value, list) else [value] if value not in (None, "") else []
        text = LIST_SEPARATOR.join(choices.get(str(code), str(code)) for code in codes)
    elif part in DATE_PARTS:
        text = date_part(value, part)
    elif part == "id":
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
        writer.writerow([column.header for column in columns])
        yield flush()
    for line in csv_rows(columns, rows):
        writer.writerow(line)
        if buffer.tell() >= CHUNK_CHARACTERS:  # a few large writes to the socket, not one per row
            yield flush()
    if buffer.tell():
        yield flush()


def csv_rows(columns, rows: Iterable[dict]) -> Iterator[list[str]]:
    """Each record as the cells of its CSV row."""
    cells = [(column.name, column.part, column.part == "value", column.choices) for column in columns]
    for row in rows:
        line = []
        for name, part, plain, choices in cells:
            value = row.get(name)
            # Most cells are text shown as it is: the general rule only for the others.
            if plain and value.__class__ is str and not value.startswith(FORMULA_PREFIXES):
                line.append(value)
            else:
                line.append(cell(value, part, choices))
        yield line
