from django.urls import path, re_path

from dashboard import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    re_path(r"^dashboard/export\.(?P<extension>csv|xlsx)$", views.dashboard_export, name="dashboard_export"),
    path("dashboard/trend/", views.dashboard_trend, name="dashboard_trend"),
    path("dashboard/achterblijvers/", views.dashboard_lagging, name="dashboard_lagging"),
    path("afspraken/<int:number>/verder/", views.peers, name="peers"),
]
