from django.contrib import admin

from core.admin import EditedInTheApp
from support.models import MeetingAttendance, NetworkMeeting, SupportAction


@admin.register(SupportAction)
class SupportActionAdmin(EditedInTheApp, admin.ModelAdmin):
    list_display = ["region", "date", "kind", "agreement", "vng_staff", "next_step_due", "status"]
    list_filter = ["status", "kind", "agreement", "date"]
    search_fields = ["region__name", "summary", "next_step", "vng_staff__username", "vng_staff__last_name"]
    list_select_related = ["region", "agreement", "vng_staff"]
    autocomplete_fields = ["region"]
    readonly_fields = ["version", "created_at", "created_by", "updated_at", "updated_by"]
    date_hierarchy = "date"


class MeetingAttendanceInline(EditedInTheApp, admin.TabularInline):
    model = MeetingAttendance
    extra = 0
    autocomplete_fields = ["region"]


@admin.register(NetworkMeeting)
class NetworkMeetingAdmin(EditedInTheApp, admin.ModelAdmin):
    list_display = ["starts_at", "network", "format", "location"]
    list_filter = ["network", "format", "starts_at"]
    search_fields = ["location", "agenda"]
    readonly_fields = ["version", "updated_at", "updated_by"]
    inlines = [MeetingAttendanceInline]
    date_hierarchy = "starts_at"
