"""The app's URLs plus the bare view that sets the ceiling of this stack (same middleware, no template, no query)."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("nvo_tracker.urls")),
]
