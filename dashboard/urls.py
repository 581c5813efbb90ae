from django.urls import path, re_path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views.dashboard, name="index"),
    re_path(r"^dashboard/export\.(?P<extension>csv|xlsx)$", views.dashboard_export, name="export"),
    path("dashboard/trend/", views.dashboard_trend, name="trend"),
    path("dashboard/achterblijvers/", views.dashboard_lagging, name="lagging"),
    path("over-dit-dashboard/", views.about, name="about"),
]
