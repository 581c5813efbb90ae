"""Writes for accounts: the role groups and users."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import User
from accounts.roles import Role


@transaction.atomic
def roles_ensure() -> None:
    """Create the four role groups; Beheerders get every model permission for the admin."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        if role == Role.BEHEERDER:
            group.permissions.set(Permission.objects.all())


@transaction.atomic
def user_create(*, username: str, password: str, role: Role, regions=(), **fields) -> User:
    user = User(username=username, is_staff=role == Role.BEHEERDER, **fields)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set([Group.objects.get(name=role.value)])
    user.regions.set(regions)
    return user
