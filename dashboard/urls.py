from django.urls import path, re_path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views.dashboard, name="index"),
    re_path(r"^dashboard/export\.(?P<extension>csv|xlsx)$", views.dashboard_export, name="export"),
    path("dashboard/trend/", views.dashboard_trend, name="trend"),
    path("dashboard/achterblijvers/", views.dashboard_lagging, name="lagging"),
    path("over-dit-dashboard/", views.about, name="about"),
    re_path(r"^dashboard/(?P<month>[0-9]{4}-[0-9]{2})/publiceren/$", views.dashboard_release, name="release"),
    re_path(r"^dashboard/(?P<month>[0-9]{4}-[0-9]{2})/intrekken/$", views.dashboard_withdraw, name="withdraw"),
]
