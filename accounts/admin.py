from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Regio's", {"fields": ("regions",)}))
    filter_horizontal = (*BaseUserAdmin.filter_horizontal, "regions")
    list_filter = (*BaseUserAdmin.list_filter, "regions")
