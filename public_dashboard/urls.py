from django.urls import path

from public_dashboard import views

app_name = "public"

# Under "openbaar/" (nvo_tracker.urls), first in the URLconf: resolving a public page then tries no other app's
# patterns (it tried them all before: about ten times the bare view's resolve), and other pages pay one prefix check.
urlpatterns = [
    path("", views.index, name="index"),
    path("trend/", views.trend, name="trend"),
    path("regio/<slug:slug>/", views.region, name="region"),
    path("afspraak/<int:number>/", views.agreement, name="agreement"),
]
