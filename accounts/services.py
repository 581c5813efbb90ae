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


@transaction.atomic
def user_afstemming_mail_set(*, user: User, enabled: bool) -> bool:
    """Switch the user's afstemming e-mails on or off; returns whether anything changed (audited when it did)."""
    current = User.objects.select_for_update().get(pk=user.pk)
    if current.afstemming_mail == enabled:
        return False
    current.afstemming_mail = enabled
    current.save(update_fields=["afstemming_mail"])
    user.afstemming_mail = enabled
    audit_record(
        kind=AuditEvent.Kind.DATA_CHANGE,
        user=user,
        description=f"E-mail over afstemming {'aan' if enabled else 'uit'}: {user.get_username()}",
        target=current,
        action="gewijzigd",
        old={"afstemming_mail": not enabled},
        new={"afstemming_mail": enabled},
    )
    return True
