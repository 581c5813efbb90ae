from django.contrib import admin

from agreements.models import Agreement, AgreementStatus, Criterion, StatusChange
from core.admin import ReadOnlyHistoryAdmin


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("number", "title")
    search_fields = ("title", "text", "criteria__text")
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("agreement", "order", "text")
    list_filter = ("agreement",)
    search_fields = ("text",)
    list_select_related = ("agreement",)


@admin.register(AgreementStatus)
class AgreementStatusAdmin(admin.ModelAdmin):
    """Read-only here: statuses change through the edit page, which checks versions and writes history."""

    list_display = ("region", "agreement", "status", "updated_at", "updated_by", "version")
    list_filter = ("status", "agreement", "region")
    search_fields = ("region__name", "explanation")
    list_select_related = ("region", "agreement", "updated_by")
    readonly_fields = [f.name for f in AgreementStatus._meta.fields] + ["criteria_met"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyHistoryAdmin):
    list_display = ("changed_at", "agreement_status", "old_status", "new_status", "changed_by")
    list_filter = ("new_status", "agreement_status__agreement", "agreement_status__region")
    search_fields = ("agreement_status__region__name", "new_explanation")
    list_select_related = ("agreement_status__region", "agreement_status__agreement", "changed_by")
    date_hierarchy = "changed_at"
