"""A record's check constraints validated in memory, or else in one query.

Django validates each ``CheckConstraint`` with a query of its own, wrapped in a savepoint inside a
transaction: three round trips per constraint, per record. A detention with two partial dates and
their order made nine before it was saved, and an import of 10,000 rows tens of thousands.

Here a condition made of comparisons of the record's own fields (``exact``, ``isnull``, ``in``,
``gt``/``gte``/``lt``/``lte``, values or ``F()`` of its fields, combined with ``&``, ``|`` and
``~``) is evaluated in memory, in SQL's three-valued logic: a comparison with NULL is unknown and
an unknown condition passes, as in the database. Anything else (functions, relations, values of
types that Python and SQL might compare differently) goes to the database, every such check of a
record as one column of a single ``SELECT``. Django's other rules are kept: a condition naming an
excluded field is not checked, and a database error while checking lets the row through to the
database's own constraint (as ``Q.check`` does). tests/extraditions/test_constraint_checks.py
compares both with Django's own validation.
"""

from __future__ import annotations

import datetime
import decimal
import logging
from contextlib import nullcontext

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.db.models import BooleanField, CheckConstraint, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE

logger = logging.getLogger(__name__)


class NotInMemory(Exception):
    """The condition needs the database to be evaluated exactly."""


# Python and SQL compare these alike for equality (a date with a date, text with text, ...); other
# pairs go to SQL. Order (gt, lt, ...) is compared in memory only for numbers and times: text is
# ordered by the database's collation, not by code point.
EQUAL_TYPES = (bool, str, int | float | decimal.Decimal, datetime.datetime, datetime.date, datetime.time)
ORDERED_TYPES = (int | float | decimal.Decimal, datetime.datetime, datetime.date, datetime.time)


def _field_value(instance, model, name: str):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        raise NotInMemory(name) from None
    if not field.concrete or field.many_to_many or field.generated:
        raise NotInMemory(name)
    return getattr(instance, field.attname)


def _operand(instance, model, value):
    if isinstance(value, F) and "__" not in value.name:
        return _field_value(instance, model, value.name)
    if hasattr(value, "resolve_expression"):
        raise NotInMemory(value)
    return value


def _comparable(left, right, kinds=EQUAL_TYPES) -> None:
    """Raise NotInMemory unless ``left`` and ``right`` are of one of ``kinds`` (bool is not a number,
    a date-time is not a date)."""
    for kind in kinds:
        if isinstance(left, kind) or isinstance(right, kind):
            if isinstance(left, kind) and isinstance(right, kind) and isinstance(left, bool) == isinstance(right, bool):
                return
            break
    raise NotInMemory((left, right))


COMPARISONS = {
    "gt": lambda a, b: a > b, "gte": lambda a, b: a >= b, "lt": lambda a, b: a < b, "lte": lambda a, b: a <= b,
}


def _lookup(instance, model, lookup: str, expected) -> bool | None:
    name, _, kind = lookup.partition("__")
    kind = kind or "exact"
    left = _field_value(instance, model, name)
    if kind == "isnull":
        if not isinstance(expected, bool):
            raise NotInMemory(lookup)
        return (left is None) == expected
    right = _operand(instance, model, expected)
    if kind == "exact" and right is None:
        return left is None  # Django turns "= NULL" into IS NULL
    if kind == "in":
        values = list(right)
        if left is None or not values:
            return None if left is None else False
        if any(value is None for value in values):
            raise NotInMemory(lookup)
        for value in values:
            _comparable(left, value)
        return left in values
    if kind != "exact" and kind not in COMPARISONS:
        raise NotInMemory(lookup)
    if left is None or right is None:
        return None  # unknown, as any comparison with NULL in SQL
    _comparable(left, right, EQUAL_TYPES if kind == "exact" else ORDERED_TYPES)
    try:
        return left == right if kind == "exact" else COMPARISONS[kind](left, right)
    except TypeError:  # an aware time against a naive one
        raise NotInMemory(lookup) from None


def evaluate(instance, model, condition) -> bool | None:
    """``condition`` for ``instance`` in SQL's three-valued logic (None: unknown), or NotInMemory."""
    if not isinstance(condition, Q):
        raise NotInMemory(condition)
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(evaluate(instance, model, child))
        elif isinstance(child, tuple) and len(child) == 2:
            results.append(_lookup(instance, model, *child))
        else:
            raise NotInMemory(child)
    if condition.connector == Q.OR:
        result = True if True in results else None if None in results else False
    else:
        result = False if False in results else None if None in results else True
    if condition.negated and result is not None:
        result = not result
    return result


def failing_checks(model, instance, checks: list[CheckConstraint], exclude, using: str) -> set[int]:
    """The ``id()`` of each of the ``checks`` that ``instance`` breaks: in memory, else in one query."""
    checks = [
        check for check in checks
        if not (exclude and check._expression_refs_exclude(model, check.condition, exclude))
    ]
    failing, for_the_database = set(), []
    for check in checks:
        try:
            if evaluate(instance, model, check.condition) is False:
                failing.add(id(check))
        except NotInMemory:
            for_the_database.append(check)
    return failing | _failing_in_the_database(model, instance, for_the_database, exclude, using)


def _failing_in_the_database(model, instance, checks, exclude, using: str) -> set[int]:
    if not checks:
        return set()
    connection = connections[using]
    query = Query(None)
    for name, value in instance._get_field_expression_map(meta=model._meta, exclude=exclude).items():
        query.add_annotation(value if hasattr(value, "resolve_expression") else Value(value), name, select=False)
    for number, check in enumerate(checks):
        holds = ExpressionWrapper(Q(check.condition), output_field=BooleanField())
        if connection.features.supports_comparing_boolean_expr:
            holds = Coalesce(holds, True, output_field=BooleanField())  # UNKNOWN passes, as in SQL
        query.add_annotation(holds, f"_check_{number}")
    in_transaction = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
    try:
        with in_transaction:
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError as error:
        logger.warning("Got a database error checking the constraints of %r: %s", instance, error)
        return set()
    return {id(check) for check, holds in zip(checks, row, strict=True) if holds is not None and not holds}


def validate_constraints(instance, exclude=None) -> None:
    """``Model.validate_constraints``, with the check constraints of each model class in one query."""
    using = router.db_for_write(type(instance), instance=instance)
    errors: dict = {}
    for model_class, constraints in instance.get_constraints():
        checks = [c for c in constraints if type(c) is CheckConstraint]
        failing = failing_checks(model_class, instance, checks, exclude, using) if checks else set()
        for constraint in constraints:
            try:
                if type(constraint) is CheckConstraint:
                    if id(constraint) in failing:
                        raise ValidationError(
                            constraint.get_violation_error_message(), code=constraint.violation_error_code
                        )
                else:
                    constraint.validate(model_class, instance, exclude=exclude, using=using)
            except ValidationError as error:
                if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
