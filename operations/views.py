"""Health endpoint for monitoring and the error handler that turns a database fault into a Dutch 503."""

import sys
from datetime import timedelta

import redis
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import formats, timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.errors import API_NOT_FOUND_MESSAGE


def _database_check() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except DatabaseError:
        return "fout"


def _redis_check() -> str:
    if not settings.REDIS_URL:
        return "niet ingesteld"
    try:
        timeout = settings.REDIS_CACHE_TIMEOUT_MS / 1000
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout).ping()
        return "ok"
    except redis.RedisError:
        return "fout"


def _snapshot_check(database_ok: bool) -> dict:
    """Whether this month's dashboard snapshot exists: freshness is that month, not the newest snapshot.

    A month rebuilt by hand long after is new but says nothing about the monthly job; the current month's
    snapshot is expected HEALTH_SNAPSHOT_GRACE_HOURS after the month starts (the 00:05 run and a catch-up).
    """
    try:
        snapshot_model = apps.get_model("dashboard", "DashboardSnapshot")
    except LookupError:
        return {"status": "geen dashboard", "age_days": None}
    if not database_ok:
        return {"status": "onbekend", "age_days": None}
    now = timezone.localtime()
    expected = (now - timedelta(hours=settings.HEALTH_SNAPSHOT_GRACE_HOURS)).date().replace(day=1)
    built_at = snapshot_model.objects.filter(month=expected).values_list("built_at", flat=True).first()
    if built_at is None:
        with translation.override("nl"):
            month = formats.date_format(expected, "F Y")
        return {
            "status": "waarschuwing",
            "month": f"{expected:%Y-%m}",
            "age_days": None,
            "message": f"Het dashboard van {month} is nog niet gebouwd.",
        }
    return {"status": "ok", "month": f"{expected:%Y-%m}", "age_days": (now - built_at).days}


@never_cache
@require_safe
def healthz(request):
    """JSON for monitoring: 200 while the database answers (Redis or an old snapshot only warn), else 503.
    HEAD (what many monitors send) answers the same status without a body."""
    database = _database_check()
    checks = {"database": database, "redis": _redis_check(), "dashboard": _snapshot_check(database == "ok")}
    if database != "ok":
        status = "fout"
    elif checks["redis"] == "fout" or checks["dashboard"]["status"] == "waarschuwing":
        status = "waarschuwing"
    else:
        status = "ok"
    return JsonResponse({"status": status, **checks}, status=503 if database != "ok" else 200)


def server_error(request):
    """handler500: a database that is down gets the Dutch 503 page (retry later), anything else the 500 page.

    Rendered without the request context: the context processors would ask the database again.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a Dutch page that says nothing was saved and how to retry (Django's own page is English)."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    """handler404: the API answers JSON in Dutch (a program cannot read an HTML page), every page the Dutch 404."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": API_NOT_FOUND_MESSAGE}, status=404)
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))
