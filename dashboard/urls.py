from django.urls import path

from dashboard import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/trend/", views.dashboard_trend, name="dashboard_trend"),
    path("dashboard/achterblijvers/", views.dashboard_lagging, name="dashboard_lagging"),
    path("afspraken/<int:number>/verder/", views.peers, name="peers"),
]
