from django.urls import path

from public_dashboard import views

app_name = "public"

urlpatterns = [
    path("openbaar/", views.index, name="index"),
    path("openbaar/trend/", views.trend, name="trend"),
    path("openbaar/regio/<slug:slug>/", views.region, name="region"),
    path("openbaar/afspraak/<int:number>/", views.agreement, name="agreement"),
]
