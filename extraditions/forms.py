"""Form pieces for the staff workspace: partial dates typed as researchers write them.

A source says "2021", "July 2021" or "19 July 2021". Instead of a date and a precision, each
partial date is one text box taking ``2021``, ``2021-07`` or ``2021-07-19``; the precision follows
from what was typed.
"""

from __future__ import annotations

from django import forms

from .partial_dates import PartialDate, partial_date_properties

PARTIAL_DATE_HELP = "YYYY, YYYY-MM or YYYY-MM-DD: as precisely as the source says."


class PartialDateFormField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", PARTIAL_DATE_HELP)
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "YYYY-MM-DD", "size": 10}))
        super().__init__(max_length=10, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError:
            raise forms.ValidationError("Enter the date as 2021, 2021-07 or 2021-07-19.", code="invalid") from None


class PartialDateFormMixin:
    """Fills each partial-date box from the record and writes it back to the date and precision."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for prop in partial_date_properties(self._meta.model):
            if prop.name in self.fields:
                value = getattr(self.instance, prop.name)
                self.initial[prop.name] = value.isoformat() if value else ""

    def clean(self):
        cleaned = super().clean()
        for prop in partial_date_properties(self._meta.model):
            if prop.name in self.fields and prop.name not in self.errors:
                setattr(self.instance, prop.name, cleaned.get(prop.name))
        return cleaned


def with_partial_dates(form_class, model):
    """``form_class`` with one text box per partial date of ``model``, named like its property."""
    declared = {}
    for prop in partial_date_properties(model):
        date_field = model._meta.get_field(prop.date_field)
        label = str(date_field.verbose_name).removesuffix(" (date)").capitalize()
        declared[prop.name] = PartialDateFormField(label=label, required=not date_field.null)
    if not declared:
        return form_class
    return type(f"{model.__name__}Form", (PartialDateFormMixin, form_class), declared)


class PartialDateInlineMixin:
    """For inlines: the same boxes in each row."""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("form", with_partial_dates(self.form, self.model))
        return super().get_formset(request, obj, **kwargs)
