"""The public dashboard (PUBLIC_DASHBOARD): the newest released month for anyone, without signing in.

Every page is the same for every visitor, so it is rendered once per released snapshot and query string (cleaned
to the few values a page knows) and served whole from the cache; a release or withdrawal names a new snapshot
version, so no stale page is served after it.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from agreements.models import Agreement
from dashboard import selectors as snapshots
from dashboard.charts import trend_charts
from dashboard.models import DashboardSnapshot
from public_dashboard.selectors import public_agreement, public_region
from regions.models import Region

MATRIX_PAGE_SIZE = 100  # as on the signed-in dashboard
PAGE_TIMEOUT = 24 * 60 * 60  # the keys name the snapshot's release, so the timeout only frees memory
MAP_CHOICES = {"totaal", *map(str, range(1, 9))}  # the agreements are numbered 1–8 (a database constraint)
MAX_MATRIX_PAGE = 1000  # 100,000 regions; beyond it a page number is junk and shows the first page


def _page_number(request) -> int:
    try:
        number = int(request.GET.get("pagina", "1"))
    except ValueError:
        return 1
    return number if 1 <= number <= MAX_MATRIX_PAGE else 1


def _cache_control(request, response) -> HttpResponse:
    """Shared caches may keep a page for anonymous visitors; with a session cookie the answer may carry a renewed
    session (Set-Cookie), which a shared cache must never hand to someone else."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_MAX_AGE)
    return response


def _released(version: str) -> DashboardSnapshot | None:
    if version == snapshots.NONE_RELEASED:
        return None
    snapshot = DashboardSnapshot.objects.filter(pk=int(version.split(":")[0]), released_at__isnull=False).first()
    if snapshot is None:  # withdrawn since the version was cached in this process
        snapshots.released_snapshot_forget()
        snapshot = snapshots.released_snapshot()
    return snapshot


def _render(request, template: str, context: dict) -> str:
    """The page as an anonymous visitor sees it, whoever asked: nothing in it may depend on the user."""
    context = {**context, "user": AnonymousUser(), "messages": [], "navigation": [], "perms": None}
    return render_to_string(template, context, request=request)


def _public_page(request, name: str, params: tuple, build) -> HttpResponse:
    """Serve page `name` for the cleaned `params` from the cache, or build it: `build(snapshot)` returns the
    template and context, or raises Http404 (not cached: unknown slugs must not fill the cache)."""
    version = snapshots.released_snapshot_version()
    key = ":".join(["public", version, name, *map(str, params)])
    html = cache.get(key)
    if html is None:
        snapshot = _released(version)
        template, context = build(snapshot)
        html = _render(request, template, {**context, "snapshot": snapshot, "public_page": name})
        cache.set(key, html, PAGE_TIMEOUT)
    return _cache_control(request, HttpResponse(html))


def when_public(view):
    """Outside every other decorator: with PUBLIC_DASHBOARD off the public pages do not exist, for any method."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.PUBLIC_DASHBOARD:
            raise Http404("Het openbare dashboard staat uit.")
        return view(request, *args, **kwargs)

    return wrapper


@when_public
@require_GET
def index(request):
    page_number = _page_number(request)
    choice = request.GET.get("kaart", "totaal")
    choice = choice if choice in MAP_CHOICES else "totaal"

    def build(snapshot):
        if snapshot is None:
            return "public/index.html", {}
        agreements, rows = snapshots.dashboard_matrix(snapshot)
        paginator = Paginator(rows, MATRIX_PAGE_SIZE)
        dashboard_map = snapshots.dashboard_map(
            agreements=agreements, rows=rows, max_score=snapshot.max_score, choice=choice, link="public:region"
        )
        return "public/index.html", {
            "agreements": agreements,
            "page": paginator.get_page(page_number),
            "summary": snapshot.agreement_summary,
            "badges": snapshots.STATUS_BADGES,
            "map": dashboard_map,
        }

    return _public_page(request, "index", (page_number, choice), build)


@when_public
@require_GET
def trend(request):
    def build(snapshot):
        charts = trend_charts(snapshots.trend_snapshots(released_until=snapshot.month)) if snapshot else []
        return "public/trend.html", {"charts": charts, "badges": snapshots.STATUS_BADGES}

    return _public_page(request, "trend", (), build)


@when_public
@require_GET
def region(request, slug: str):
    def build(snapshot):
        found = Region.objects.filter(slug=slug).first()
        if found is None:
            raise Http404("Deze regio bestaat niet.")
        return "public/region.html", {
            "region": found,
            "public_region": public_region(snapshot=snapshot, region=found) if snapshot else None,
            "badges": snapshots.STATUS_BADGES,
        }

    return _public_page(request, "region", (slug,), build)


@when_public
@require_GET
def agreement(request, number: int):
    def build(snapshot):
        found = Agreement.objects.filter(number=number).first()
        if found is None:
            raise Http404("Deze afspraak bestaat niet.")
        return "public/agreement.html", {
            "agreement": found,
            "groups": public_agreement(snapshot=snapshot, agreement=found) if snapshot else [],
            "badges": snapshots.STATUS_BADGES,
        }

    return _public_page(request, "agreement", (number,), build)
