"""The admin for accounts. Secrets never show: no TOTP secret, backup code or API token key on any page.

A Beheerder resets someone's two-factor here (delete the authenticator app) or on the user page, and creates or
revokes API tokens on the user page (`/gebruikers/<id>/`), where a new key is shown once.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import TokenProxy

from accounts.models import ApiToken, AuthenticatorApp, BackupCodes, User


def unregister_secret_showing_admins(site=admin.site) -> None:
    """django-otp's and DRF's own admins show secrets; AccountsConfig.ready() removes them once all are loaded."""
    for model in (TOTPDevice, StaticDevice, TokenProxy):
        if site.is_registered(model):
            site.unregister(model)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Regio's", {"fields": ("regions",)}))
    filter_horizontal = (*BaseUserAdmin.filter_horizontal, "regions")
    list_filter = (*BaseUserAdmin.list_filter, "regions")


class _SecretFreeDeviceAdmin(admin.ModelAdmin):
    """Who has a device and when it was used; deleting one resets that person's two-factor."""

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username", "user__email")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False  # people set up their own app at /tweestapsverificatie/instellen/

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuthenticatorApp)
class AuthenticatorAppAdmin(_SecretFreeDeviceAdmin):
    pass


@admin.register(BackupCodes)
class BackupCodesAdmin(_SecretFreeDeviceAdmin):
    pass


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Who has a token since when. Create and revoke them on the user page: the admin's own log would keep the
    key, which is the token's primary key."""

    list_display = ("user", "created")
    fields = ("user", "created")
    readonly_fields = fields
    list_display_links = None
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
