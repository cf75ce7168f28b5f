"""Model fields shared by the domain apps."""

from functools import cached_property

from django.core import exceptions
from django_countries.fields import CountryField as BaseCountryField


class CountryField(BaseCountryField):
    """django-countries' field, validated against a set of the codes.

    Its own validation walks the list of every country's choice, built afresh on each check: half
    a millisecond per record, a sixth of the time an import of persons took. Migrations name the
    library's field (``deconstruct``), so this class changes no migration and no column.
    """

    @cached_property
    def country_codes(self) -> frozenset[str]:
        return frozenset(code for code, _name in self.choices)

    def validate(self, value, model_instance):
        if not self.editable:
            return
        codes = (value or []) if self.multiple else ([] if value in self.empty_values else [value])
        for code in codes:
            if str(code) not in self.country_codes:
                raise exceptions.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": code}
                )
        if not self.blank and value in self.empty_values:
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django_countries.fields.CountryField", args, kwargs
