"""The public dashboard (PUBLIC_DASHBOARD): the newest released month for anyone, without signing in.

Every page is the same for every visitor, so it is rendered once per released snapshot and query string (cleaned
to the few values a page knows) and served whole: from this process's memory (`pages`, bounded), else from the
cache. A release or withdrawal names a new snapshot version, so no stale page is served once a process knows of
it: at once in the process that made it, within `dashboard.selectors.RELEASED_RECHECK_SECONDS` in every other.
"""

import math
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from agreements.models import Agreement
from dashboard import selectors as snapshots
from dashboard.charts import trend_charts
from dashboard.models import DashboardSnapshot
from public_dashboard.page_memory import PageMemory
from public_dashboard.selectors import public_agreement, public_region
from regions.models import Region

MATRIX_PAGE_SIZE = 100  # as on the signed-in dashboard
PAGE_TIMEOUT = 24 * 60 * 60  # the keys name the snapshot's release, so the timeout only frees memory
MAP_CHOICES = {"totaal", *map(str, range(1, 9))}  # the agreements are numbered 1–8 (a database constraint)
MAX_MATRIX_PAGE = 1000  # 100,000 regions; beyond it a page number is junk and shows the first page
PAGE_MEMORY_BYTES = 8 * 1024 * 1024  # per process: the index (41 KB at 44 regions) in every variant and hundreds of regions

pages = PageMemory(max_bytes=PAGE_MEMORY_BYTES)


def _page_number(request, release: snapshots.Release) -> int:
    """The matrix page asked for; past the last page of the release the last one (what the paginator shows), so
    junk numbers all name the same page."""
    try:
        number = int(request.GET.get("pagina", "1"))
    except ValueError:
        return 1
    if not 1 <= number <= MAX_MATRIX_PAGE:
        return 1
    return min(number, max(1, math.ceil(release.region_count / MATRIX_PAGE_SIZE)))


def _cache_control(request, response) -> HttpResponse:
    """Shared caches may keep a page for anonymous visitors; with a session cookie the answer may carry a renewed
    session (Set-Cookie), which a shared cache must never hand to someone else."""
    # Set, not patched: the answer is new and nothing else sets the header, and patching parsed it on every visit.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        response["Cache-Control"] = "private, max-age=0"
    else:
        response["Cache-Control"] = f"public, max-age={settings.PUBLIC_MAX_AGE}"
    return response


def _released(release: snapshots.Release) -> tuple[snapshots.Release, DashboardSnapshot | None]:
    """The snapshot `release` names, or, when it was withdrawn since this process read it, the release now."""
    if release.version == snapshots.NONE_RELEASED:
        return release, None
    pk = int(release.version.split(":")[0])
    snapshot = DashboardSnapshot.objects.filter(pk=pk, released_at__isnull=False).first()
    if snapshot is None:
        snapshots.released_snapshot_forget()
        release = snapshots.released_current()
        snapshot = snapshots.released_snapshot() if release.version != snapshots.NONE_RELEASED else None
    return release, snapshot


def _render(request, template: str, context: dict) -> bytes:
    """The page as an anonymous visitor sees it, whoever asked: nothing in it may depend on the user."""
    context = {**context, "user": AnonymousUser(), "messages": [], "navigation": [], "perms": None}
    return render_to_string(template, context, request=request).encode()


def _public_page(request, name: str, params: tuple, build, release: snapshots.Release | None = None) -> HttpResponse:
    """Serve page `name` for the cleaned `params` from this process's memory, the cache, or build it:
    `build(snapshot)` returns the template and context, or raises Http404 (not kept: unknown slugs must not fill
    the cache)."""
    release = release or snapshots.released_current()
    key = (name, *params)
    body = pages.get(release.version, key)
    if body is None:
        cache_key = ":".join(["public-page", release.version, name, *map(str, params)])
        body = cache.get(cache_key)
        if body is None:
            release, snapshot = _released(release)
            cache_key = ":".join(["public-page", release.version, name, *map(str, params)])
            template, context = build(snapshot)
            body = _render(request, template, {**context, "snapshot": snapshot, "public_page": name})
            cache.set(cache_key, body, PAGE_TIMEOUT)
        pages.put(release.version, key, body)
    return _cache_control(request, HttpResponse(body))


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
    release = snapshots.released_current()
    page_number = _page_number(request, release)
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

    return _public_page(request, "index", (page_number, choice), build, release)


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
