"""The app's URLs plus two bare views that set the ceiling of this stack (same middleware, no template, no query
of their own): one for anyone, and one behind the same sign-in and role check as every page of the app."""

from django.http import HttpResponse
from django.urls import include, path

from accounts.decorators import role_required


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/bare/ingelogd/", role_required(bare), name="bench_bare_signed_in"),
    path("", include("nvo_tracker.urls")),
]
