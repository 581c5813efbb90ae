from django.contrib import admin

from core.admin import EditedInTheApp, ReadOnlyHistoryAdmin
from regions.models import (
    CentrumgemeenteTerm,
    ContactChange,
    ContactPerson,
    Membership,
    Municipality,
    Region,
    RegiovisieAdoption,
    RegiovisieAdoptionChange,
)


# The division changes only through load_reference_data and import_regio_indeling (dated, checked whole, audited).
class MunicipalityInline(EditedInTheApp, admin.TabularInline):
    model = Municipality
    extra = 0
    fields = ("name", "cbs_code", "is_centrumgemeente")


class MembershipInline(EditedInTheApp, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("municipality", "valid_from", "valid_until")


class CentrumgemeenteTermInline(EditedInTheApp, admin.TabularInline):
    model = CentrumgemeenteTerm
    extra = 0
    fields = ("municipality", "valid_from", "valid_until")


class ContactPersonInline(EditedInTheApp, admin.StackedInline):
    model = ContactPerson
    extra = 0
    exclude = ("version", "updated_by")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "centrumgemeente_name", "municipality_count")
    search_fields = ("name", "code", "municipalities__name")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MunicipalityInline, MembershipInline, CentrumgemeenteTermInline, ContactPersonInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).prefetch_related("municipalities").annotate(municipality_count=Count("municipalities"))

    @admin.display(description="centrumgemeente")
    def centrumgemeente_name(self, region):
        return region.centrumgemeente

    @admin.display(description="aantal gemeenten", ordering="municipality_count")
    def municipality_count(self, region):
        return region.municipality_count


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "cbs_code", "region", "is_centrumgemeente")
    readonly_fields = ("region", "is_centrumgemeente")
    list_filter = ("is_centrumgemeente", "region")
    search_fields = ("name", "cbs_code", "region__name")
    list_select_related = ("region",)


@admin.register(RegiovisieAdoption)
class RegiovisieAdoptionAdmin(EditedInTheApp, admin.ModelAdmin):
    list_display = ("municipality", "region", "decision_date", "decision_url")
    list_filter = ("municipality__region", "decision_date")
    search_fields = ("municipality__name", "municipality__region__name")
    list_select_related = ("municipality__region",)
    date_hierarchy = "decision_date"

    @admin.display(description="regio", ordering="municipality__region__name")
    def region(self, adoption):
        return adoption.municipality.region


@admin.action(description="Persoon verwijderen (AVG)", permissions=["erase"])
def contact_person_erase_action(modeladmin, request, queryset):
    """Beheerder only: erase the selected people's personal data; the history keeps "verwijderd persoon"."""
    from regions.services import contact_person_erase

    count = 0
    for contact in queryset:
        contact_person_erase(contact=contact, by=request.user)
        count += 1
    modeladmin.message_user(request, f"Persoonsgegevens van {count} aanspreekpunt(en) verwijderd.")


@admin.register(ContactPerson)
class ContactPersonAdmin(EditedInTheApp, admin.ModelAdmin):
    list_display = ("name", "region", "kind", "position", "function", "email", "phone")
    list_filter = ("kind", "position", "region")
    search_fields = ("name", "email", "organisation", "region__name")
    list_select_related = ("region",)
    exclude = ("version", "updated_by")
    actions = [contact_person_erase_action]

    def has_erase_permission(self, request):
        from accounts.roles import is_beheerder

        return is_beheerder(request.user)


@admin.register(ContactChange)
class ContactChangeAdmin(ReadOnlyHistoryAdmin):
    list_display = ("changed_at", "region", "kind", "position", "changed_by")
    list_filter = ("kind", "position", "region")
    search_fields = ("region__name",)
    list_select_related = ("region", "changed_by")
    date_hierarchy = "changed_at"


@admin.register(RegiovisieAdoptionChange)
class RegiovisieAdoptionChangeAdmin(ReadOnlyHistoryAdmin):
    list_display = ("changed_at", "municipality", "version", "changed_by")
    search_fields = ("municipality__name", "municipality__region__name")
    list_select_related = ("municipality", "changed_by")
    date_hierarchy = "changed_at"
