"""A PostgreSQL exclusion constraint that other databases (the SQLite demo) simply do without.

On PostgreSQL it refuses overlapping date ranges in the database itself; elsewhere the portable unique and check
constraints beside it (and the division services, which check every period before writing) keep the data sound.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Func


class DateRange(Func):
    """PostgreSQL's half-open `daterange(lower, upper, '[)')`; an empty upper bound means "still valid"."""

    function = "DATERANGE"
    output_field = DateRangeField()


class PostgresOnlyExclusionConstraint(ExclusionConstraint):
    """An ExclusionConstraint that is created on PostgreSQL and skipped on every other database."""

    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if _postgres(schema_editor) else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if _postgres(schema_editor) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if _postgres(schema_editor) else None

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        from django.db import connections

        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)


def _postgres(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def no_overlap(*, name: str, key: str, message: str) -> PostgresOnlyExclusionConstraint:
    """No two rows with the same `key` whose [valid_from, valid_until) periods overlap."""
    return PostgresOnlyExclusionConstraint(
        name=name,
        expressions=[(key, RangeOperators.EQUAL), (DateRange("valid_from", "valid_until"), RangeOperators.OVERLAPS)],
        violation_error_message=message,
    )
