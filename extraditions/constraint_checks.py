"""A record's check constraints validated in one query.

Django validates each ``CheckConstraint`` with a query of its own, wrapped in a savepoint inside a
transaction: three round trips per constraint, per record. A case with two partial dates and
their order made six before it was saved, and an import of 10,000 rows 60,000. Here every check
of the record is one column of a single ``SELECT`` (one savepoint around it), with Django's own
rules kept: a condition that evaluates to NULL passes, a condition naming an excluded field is
not checked, and a database error while checking lets the row through to the database's own
constraint (as ``Q.check`` does).
"""

from __future__ import annotations

import logging
from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.db.models import BooleanField, CheckConstraint, ExpressionWrapper, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE

logger = logging.getLogger(__name__)


def failing_checks(model, instance, checks: list[CheckConstraint], exclude, using: str) -> set[int]:
    """The ``id()`` of each of the ``checks`` that ``instance`` breaks, found with one query."""
    checks = [
        check for check in checks
        if not (exclude and check._expression_refs_exclude(model, check.condition, exclude))
    ]
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
