from django.urls import path

from pages import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("mijn-regios/", views.my_regions, name="my_regions"),
    path("regios/", views.region_list, name="region_list"),
    path("regios/<slug:slug>/", views.region_detail, name="region_detail"),
    path("regios/<slug:slug>/geschiedenis/", views.region_history, name="region_history"),
    path("opvolging/", views.follow_up, name="follow_up"),
    path("mijn-gegevens/e-mail-over-afstemming/", views.mail_settings, name="mail_settings"),
]
