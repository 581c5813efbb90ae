from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "NvO Tracker – beheer"
admin.site.site_title = "NvO Tracker"
admin.site.index_title = "Beheer"

urlpatterns = [
    path("", include("regions.urls")),
    path("", include("support.urls")),
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("beheer/", admin.site.urls),
]
