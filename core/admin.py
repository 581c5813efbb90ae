from django.contrib import admin


class EditedInTheApp:
    """Changed only on the app's own pages, which check versions and record who changed what.

    The admin shows them (and lets a Beheerder erase a person) but never edits them directly.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(EditedInTheApp, admin.ModelAdmin):
    """History is append-only: the admin shows it but cannot add, edit or delete it."""
