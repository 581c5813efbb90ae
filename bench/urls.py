"""The app's URLs plus two bare views that set the ceiling of this stack (same middleware, no template, no query
of their own): one for anyone, and one behind the same sign-in and role check as every page of the app; and an
empty page in the app's layout behind that check (what the layout alone costs every page)."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from accounts.permissions import permission_required
from accounts.roles import has_role


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


EMPTY_PAGE = engines["django"].from_string('{% extends "base.html" %}{% block title %}Leeg{% endblock %}')


def empty_page(request):
    return HttpResponse(EMPTY_PAGE.render({}, request))


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/bare/ingelogd/", permission_required(has_role)(bare), name="bench_bare_signed_in"),
    path("bench/leeg/", permission_required(has_role)(empty_page), name="bench_layout"),
    path("", include("nvo_tracker.urls")),
]
