"""Writes for accounts: the role groups and users."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from core.audit import audit_record
from core.models import AuditEvent


@transaction.atomic
def roles_ensure() -> None:
    """Create the four role groups; Beheerders get every model permission for the admin."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        if role == Role.BEHEERDER:
            group.permissions.set(Permission.objects.all())


@transaction.atomic
def user_create(*, username: str, password: str, role: Role, regions=(), by=None, **fields) -> User:
    """Create an account with one role (and its regions); `by` is who did it (None: a command or the demo).

    The audit records the account's name, role and regions, not its password or personal details.
    """
    role = Role(role)
    user = User(username=username, is_staff=role == Role.BEHEERDER, **fields)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set([Group.objects.get(name=role.value)])
    user.regions.set(regions)
    audit_record(
        kind=AuditEvent.Kind.DATA_CHANGE,
        user=by,
        description=f"Account aangemaakt: {user.username} ({role.label})",
        target=user,
        action="aangemaakt",
        old=None,
        new={"username": user.username, "role": role.value, "regions": sorted(user.regions.values_list("pk", flat=True))},
    )
    return user
