from django.urls import path, re_path

from agreements import views

app_name = "agreements"

urlpatterns = [
    re_path(r"^exporteren/huidige-stand\.(?P<extension>csv|xlsx)$", views.status_export, name="status_export"),
    path("regios/<slug:slug>/geschiedenis.csv", views.region_history_csv, name="region_history_csv"),
    path("importeren/", views.status_import, name="status_import"),
    path("importeren/bevestigen/", views.status_import_confirm, name="status_import_confirm"),
    path("regios/<slug:slug>/afspraken/<int:number>/bewerken/", views.status_edit, name="status_edit"),
    path("afspraken/<int:number>/verder/", views.peers, name="peers"),
    path("regios/<slug:slug>/afspraken/<int:number>/afstemming/", views.status_afstemming, name="status_afstemming"),
    path("regios/<slug:slug>/afstemming/alles-akkoord/", views.region_afstemming_agree_all, name="region_afstemming_agree_all"),
    path("afstemming/", views.afstemming_overview_page, name="afstemming_overview"),
]
