"""The country field: the same validation as django-countries', from a set of codes, and migrations
that still name the library's field."""

import pytest
from django.core.exceptions import ValidationError

from cases.models import Case, Person
from extraditions.fields import CountryField


@pytest.mark.parametrize(
    ("model", "name", "value", "valid"),
    [
        (Person, "citizenships", ["CN", "TR"], True),
        (Person, "citizenships", ["CN", "XX"], False),
        (Person, "citizenships", [], True),
        (Case, "host_country", "SE", True),
        (Case, "host_country", "XX", False),
        (Case, "host_country", "", True),
    ],
)
def test_codes_are_checked_as_the_library_checks_them(model, name, value, valid):
    field = model._meta.get_field(name)
    library = CountryField.__mro__[1]
    outcomes = []
    for validate in (field.validate, lambda v, i: library.validate(field, v, i)):
        try:
            validate(value, None)
            outcomes.append(None)
        except ValidationError as error:
            outcomes.append((error.code, error.params))
    assert outcomes[0] == outcomes[1]
    assert (outcomes[0] is None) == valid


def test_migrations_name_the_librarys_field():
    assert Case._meta.get_field("host_country").deconstruct()[1] == "django_countries.fields.CountryField"
