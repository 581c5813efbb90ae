from django.contrib import admin

from dashboard.models import DashboardSnapshot


@admin.register(DashboardSnapshot)
class DashboardSnapshotAdmin(admin.ModelAdmin):
    """Read-only: snapshots are only written by the rebuild service."""

    list_display = ["month", "peildatum", "built_at", "national_score"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
