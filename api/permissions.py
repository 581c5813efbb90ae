from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.roles import can_edit_region, can_see_contacts, user_roles


class HasRole(BasePermission):
    """Every endpoint is for signed-in users with one of the four roles; writes check can_edit_region."""

    message = "U heeft geen rol in NvO Tracker."

    def has_permission(self, request, view):
        return bool(user_roles(request.user))


class CanSeeContacts(BasePermission):
    message = "U mag de gegevens van aanspreekpunten niet inzien."

    def has_permission(self, request, view):
        return can_see_contacts(request.user)


class CanEditRegionOnWrite(BasePermission):
    """Writes to an object of a region need can_edit_region (checked before the body is validated)."""

    message = "U mag de statussen van deze regio niet wijzigen."

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or can_edit_region(request.user, obj.region_id)
