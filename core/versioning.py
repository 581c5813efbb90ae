"""The one lock-and-compare step of every edit: lock the row, refuse a save based on an older version."""

from django.db.models import Model, QuerySet

from core.errors import ConflictError


def lock_and_compare(queryset: QuerySet | type[Model], *, expected_version: int, message: str, lock: Model | None = None, **lookup):
    """The record `lookup` finds, locked until the transaction ends, if its version is `expected_version`.

    Raises ConflictError (with the record as it is now) when someone else saved it since the user loaded version
    `expected_version`. For a slot that may be empty (a region's contact, a municipality's adoption) pass its
    owner as `lock`: the owner's row is locked instead, so that filling an empty slot is serialised too, and an
    empty slot has version 0 (None is returned). Call it inside the service's transaction, before the save reads
    what it compares.
    """
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    if lock is None:
        current = queryset.select_for_update().get(**lookup)
    else:
        type(lock)._default_manager.select_for_update().get(pk=lock.pk)
        current = queryset.filter(**lookup).first()
    if (current.version if current is not None else 0) != expected_version:
        raise ConflictError(message, current=current)
    return current
