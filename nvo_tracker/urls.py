from django.contrib import admin
from django.urls import include, path

from accounts.urls import auth_urlpatterns, two_factor_patterns

admin.site.site_header = "NvO Tracker – beheer"
admin.site.site_title = "NvO Tracker"
admin.site.index_title = "Beheer"

urlpatterns = [
    path("openbaar/", include("public_dashboard.urls")),  # first: anonymous visitors, the cheapest resolve (its urls.py)
    path("", include("pages.urls")),
    path("", include("regions.urls")),
    path("", include("agreements.urls")),
    path("", include("dashboard.urls")),
    path("", include("support.urls")),
    path("", include("operations.urls")),
    path("api/", include("api.urls")),
    # Sign-in pages keep Django's standard URL names (login, logout, password_reset, …), outside any namespace.
    path("", include(auth_urlpatterns)),
    path("", include("accounts.urls")),
    path("beheer/", admin.site.urls),
    path("tweestapsverificatie/", include(two_factor_patterns)),
]

handler404 = "operations.views.page_not_found"
handler500 = "operations.views.server_error"
