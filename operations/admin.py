from django.contrib import admin

from accounts.roles import is_beheerder
from core.admin import ReadOnlyHistoryAdmin
from core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyHistoryAdmin):
    """The audit trail, for Beheerders only (it names who signed in from where)."""

    list_display = ("created_at", "kind", "username", "object_description", "ip")
    list_filter = ("kind",)
    search_fields = ("username", "object_description", "ip")
    date_hierarchy = "created_at"
    list_select_related = ("actor",)
    readonly_fields = ("created_at", "kind", "actor", "username", "object_description", "details", "ip")

    def has_view_permission(self, request, obj=None):
        return is_beheerder(request.user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)
