"""Dates known only to the year or the month.

Sources often say "July 2021" or "in 2011". Such a date is stored as two columns: a ``DateField``
holding the first day of the period (``2021-07-01``) and a precision (day, month or year). A
model declares the pair with :func:`partial_date_fields` and reads it back as one
:class:`PartialDate` through a :class:`PartialDateProperty`::

    signed_on, signed_on_precision = partial_date_fields("signed")
    signed = PartialDateProperty("signed_on")

``str(treaty.signed)`` then shows "2021", "July 2021" or "19 July 2021", never more precise
than what is known. Comparisons in the database use the stored first day of the period.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.db import models
from django.db.models import F, Q


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


_PARTIAL_DATE_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")


@dataclass(frozen=True)
class PartialDate:
    """A date together with how precisely it is known."""

    date: datetime.date
    precision: DatePrecision

    def __post_init__(self):
        object.__setattr__(self, "precision", DatePrecision(self.precision))
        object.__setattr__(self, "date", truncate(self.date, self.precision))

    @classmethod
    def parse(cls, value: str | datetime.date | PartialDate) -> PartialDate:
        """Read "2021", "2021-07" or "2021-07-19" (or a date, taken as known to the day)."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, datetime.date):
            return cls(value, DatePrecision.DAY)
        match = _PARTIAL_DATE_RE.match(str(value))
        if not match:
            raise ValueError(f"{value!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(part) if part else None for part in match.groups())
        if day is not None:
            return cls(datetime.date(year, month, day), DatePrecision.DAY)
        if month is not None:
            return cls(datetime.date(year, month, 1), DatePrecision.MONTH)
        return cls(datetime.date(year, 1, 1), DatePrecision.YEAR)

    @property
    def first_day(self) -> datetime.date:
        return self.date

    @property
    def last_day(self) -> datetime.date:
        if self.precision == DatePrecision.YEAR:
            return self.date.replace(month=12, day=31)
        if self.precision == DatePrecision.MONTH:
            return self.date.replace(day=calendar.monthrange(self.date.year, self.date.month)[1])
        return self.date

    def isoformat(self) -> str:
        if self.precision == DatePrecision.YEAR:
            return f"{self.date.year:04d}"
        if self.precision == DatePrecision.MONTH:
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()

    def __str__(self) -> str:
        month = calendar.month_name[self.date.month]
        if self.precision == DatePrecision.YEAR:
            return str(self.date.year)
        if self.precision == DatePrecision.MONTH:
            return f"{month} {self.date.year}"
        return f"{self.date.day} {month} {self.date.year}"


def truncate(date: datetime.date, precision: str) -> datetime.date:
    """The first day of the period that ``date`` falls in at ``precision``."""
    if precision == DatePrecision.YEAR:
        return date.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return date.replace(day=1)
    return date


def partial_date_fields(label: str, *, required: bool = False, help_text: str = ""):
    """The (date, precision) field pair for one partial date.

    ``label`` is the human name ("signed", "start"); the date column stores the first day of the
    known period.
    """
    date_field = models.DateField(
        f"{label} (date)",
        null=not required,
        blank=not required,
        help_text=help_text or "The first day of the period if only the month or year is known.",
    )
    precision_field = models.CharField(
        f"{label} (precision)",
        max_length=5,
        choices=DatePrecision.choices,
        blank=True,
        default="" if not required else DatePrecision.DAY,
        help_text="How precisely the date is known.",
    )
    return date_field, precision_field


def partial_date_constraint(date_field: str) -> models.CheckConstraint:
    """The database refuses a date without a precision, and a precision without a date."""
    precision_field = f"{date_field}_precision"
    return models.CheckConstraint(
        condition=(
            Q(**{f"{date_field}__isnull": True, precision_field: ""})
            | (Q(**{f"{date_field}__isnull": False}) & ~Q(**{precision_field: ""}))
        ),
        name=f"%(app_label)s_%(class)s_{date_field}_has_precision",
        violation_error_message=f"{date_field}: a date needs a precision, and a precision needs a date.",
    )


def date_order_constraint(earlier: str, later: str) -> models.CheckConstraint:
    """The database refuses ``later`` before ``earlier`` when both are known."""
    return models.CheckConstraint(
        condition=Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__isnull": True})
        | Q(**{f"{later}__gte": F(earlier)}),
        name=f"%(app_label)s_%(class)s_{later}_not_before_{earlier}",
        violation_error_message=f"{later} cannot be before {earlier}.",
    )


class PartialDateProperty:
    """Reads and writes a (date, precision) field pair as one :class:`PartialDate`.

    Assigning a string ("2021-07"), a ``date`` or ``None`` sets both columns.
    """

    def __init__(self, date_field: str):
        self.date_field = date_field
        self.precision_field = f"{date_field}_precision"

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = getattr(instance, self.date_field)
        if value is None:
            return None
        precision = getattr(instance, self.precision_field) or DatePrecision.DAY
        return PartialDate(value, precision)

    def __set__(self, instance, value):
        if value in (None, ""):
            setattr(instance, self.date_field, None)
            setattr(instance, self.precision_field, "")
            return
        partial = PartialDate.parse(value)
        setattr(instance, self.date_field, partial.date)
        setattr(instance, self.precision_field, partial.precision.value)


def partial_date_properties(model) -> list[PartialDateProperty]:
    """Every partial date a model declares, including those of its base classes."""
    found = {}
    for klass in reversed(model.__mro__):
        for name, attr in vars(klass).items():
            if isinstance(attr, PartialDateProperty):
                found[name] = attr
    return list(found.values())


def normalise_partial_dates(instance) -> None:
    """Give a bare date the precision "day", and truncate a date to its precision.

    Called before every save so that "2021-07-19 at month precision" is stored as 2021-07-01.
    A precision without a date is left for the database constraint to refuse.
    """
    for prop in partial_date_properties(type(instance)):
        value = getattr(instance, prop.date_field)
        if value is None:
            continue
        precision = getattr(instance, prop.precision_field) or DatePrecision.DAY
        setattr(instance, prop.precision_field, precision)
        setattr(instance, prop.date_field, truncate(value, precision))
