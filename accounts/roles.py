"""The four roles (Django groups) and what each may do. Views, selectors and services ask here."""

from django.db import models


class Role(models.TextChoices):
    BEHEERDER = "Beheerder", "Beheerder"
    VNG_MEDEWERKER = "VNG-medewerker", "VNG-medewerker"
    REGIO_ADVISEUR = "Regio-adviseur", "Regio-adviseur"
    REGIO_GEBRUIKER = "Regio-gebruiker", "Regio-gebruiker"


REGIO_ROLES = (Role.REGIO_ADVISEUR, Role.REGIO_GEBRUIKER)


def user_roles(user) -> set[str]:
    """The role names of `user`, cached on the instance so a page asks the database once."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_nvo_roles"):
        roles = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            roles.add(Role.BEHEERDER)
        user._nvo_roles = roles
    return user._nvo_roles


def user_region_ids(user) -> set[int]:
    """Ids of the regions `user` is assigned to, cached on the instance."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_nvo_region_ids"):
        user._nvo_region_ids = set(user.regions.values_list("id", flat=True))
    return user._nvo_region_ids


def user_role(user) -> str:
    """The one role of `user` (a Beheerder first), or "" for an account without a role.

    Not cached, and read from prefetched groups when the list that holds `user` prefetched them.
    """
    roles = {group.name for group in user.groups.all()} | ({Role.BEHEERDER.value} if user.is_superuser else set())
    return next((role.value for role in Role if role in roles), "")


def is_beheerder(user) -> bool:
    return Role.BEHEERDER in user_roles(user)


def has_role(user) -> bool:
    """Any of the four roles: the minimum for every page except the sign-in pages."""
    return bool(user_roles(user))


def is_vng_or_beheerder(user) -> bool:
    """VNG staff and administrators: read everything, including contacts, and keep the follow-up."""
    return bool({Role.BEHEERDER, Role.VNG_MEDEWERKER} & user_roles(user))


def is_regio_role(user) -> bool:
    """Regio-adviseurs and regio-gebruikers: they work for the regions assigned to them."""
    return bool({Role.REGIO_ADVISEUR, Role.REGIO_GEBRUIKER} & user_roles(user))


def can_edit_region(user, region_id: int) -> bool:
    """Beheerders edit every region; regio-adviseurs only the regions assigned to them."""
    if is_beheerder(user):
        return True
    return Role.REGIO_ADVISEUR in user_roles(user) and region_id in user_region_ids(user)


def can_see_contacts(user) -> bool:
    """Contacts' personal data is for signed-in users with a role; every role needs it for its work."""
    return has_role(user)


def can_import_statuses(user) -> bool:
    """Beheerders and regio-adviseurs upload status spreadsheets (each row still needs can_edit_region)."""
    return bool({Role.BEHEERDER, Role.REGIO_ADVISEUR} & user_roles(user))


def can_see_support_actions(user, region_id: int) -> bool:
    """Support actions are VNG's follow-up of a region: for VNG staff and the region's own regio-adviseurs."""
    return is_vng_or_beheerder(user) or can_edit_region(user, region_id)


def can_confirm_region(user, region_id: int) -> bool:
    """Afstemming is the region's own voice: only regio-gebruikers assigned to the region agree or disagree
    with what is recorded about it (typically its ambtelijk aanspreekpunt). Not the adviser who recorded it,
    and not a Beheerder, who could otherwise agree on the region's behalf."""
    return Role.REGIO_GEBRUIKER in user_roles(user) and region_id in user_region_ids(user)


def can_discuss_status(user, region_id: int) -> bool:
    """The region's users and those who keep its statuses (its regio-adviseurs, Beheerders) comment on them."""
    return can_confirm_region(user, region_id) or can_edit_region(user, region_id)


def can_see_afstemming(user, region_id: int) -> bool:
    """The thread of a status (reasons and comments) is between the region and its advisers; VNG staff read it."""
    return is_vng_or_beheerder(user) or can_discuss_status(user, region_id)


def can_follow_afstemming(user) -> bool:
    """The overview of what is ter afstemming or niet akkoord: regio-adviseurs (their regions) and VNG staff (all)."""
    return is_vng_or_beheerder(user) or Role.REGIO_ADVISEUR in user_roles(user)
