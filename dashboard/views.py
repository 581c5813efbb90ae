from datetime import date

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.roles import can_see_contacts
from agreements.models import Agreement
from agreements.spreadsheets import XLSX_CONTENT_TYPE, status_table_csv, status_table_xlsx
from dashboard import selectors
from dashboard.charts import month_name, trend_charts
from dashboard.models import DashboardSnapshot
from dashboard.services import STAGNATION_SNAPSHOTS
from regions.models import Region

# Regions per page of the matrix; at 4,400 regions the whole matrix is 35,200 cells, which no browser (or
# reader) wants on one page. The download of the month has every region.
MATRIX_PAGE_SIZE = 100
# Rendered fragments are keyed on the snapshot's id and build time, so a rebuild never shows a stale fragment;
# the timeout only frees memory.
FRAGMENT_TIMEOUT = 24 * 60 * 60

NO_SNAPSHOT = (
    "Er is nog geen dashboard gebouwd. Het wordt op de eerste van elke maand ververst; "
    "een beheerder kan het nu bouwen met: python manage.py rebuild_dashboard"
)


def _snapshot_page(request):
    """Render a page about one month's snapshot (?maand=JJJJ-MM, default the newest), or a Dutch message."""
    requested = request.GET.get("maand", "").strip()
    month, status, error = None, 200, ""
    if requested:
        try:
            month = date.fromisoformat(f"{requested}-01")
        except ValueError:
            status, error = 400, f"“{requested[:20]}” is geen geldige maand. Kies een maand in de lijst (vorm JJJJ-MM)."
    snapshot = None if error else selectors.snapshot_for_month(month)
    if snapshot is None and not error:
        status, error = 404, (f"Voor {month_name(month)} is geen dashboard gebouwd. Kies een andere maand." if month else NO_SNAPSHOT)
    context = {
        "snapshot": snapshot, "error": error, "months": [(m, month_name(m)) for m in selectors.snapshot_months()],
        "stagnation_snapshots": STAGNATION_SNAPSHOTS,
    }
    return snapshot, context, status


def _cached_fragment(key: str, render_fragment) -> str:
    """The HTML of a template fragment that is the same for every user, rendered once and then read from the
    cache (Redis; a miss when Redis is down). The template's SafeString survives the cache's pickling."""
    html = cache.get(key)
    if html is None:
        html = render_fragment()
        cache.set(key, html, FRAGMENT_TIMEOUT)
    return html


def _matrix_page_number(request, snapshot: DashboardSnapshot) -> int:
    """?pagina=N, kept within the pages the snapshot has (no query: the snapshot knows its region count)."""
    last = max(1, -(-snapshot.region_count // MATRIX_PAGE_SIZE))
    try:
        return min(max(int(request.GET.get("pagina", 1)), 1), last)
    except ValueError:
        return 1


def _render_matrix(snapshot: DashboardSnapshot, page_number: int) -> str:
    agreements, rows = selectors.dashboard_matrix(snapshot)
    return render_to_string("dashboard/_matrix.html", {
        "snapshot": snapshot, "agreements": agreements, "page": Paginator(rows, MATRIX_PAGE_SIZE).page(page_number),
        "summary": snapshot.agreement_summary, "badges": selectors.STATUS_BADGES,
        "risen": sorted((row.score for row in rows if row.score.change > 0), key=lambda s: -s.change),
        "fallen": sorted((row.score for row in rows if row.score.change < 0), key=lambda s: s.change),
        "lagging_count": sum(1 for row in rows if row.score.lagging_reason),
    })


def _render_map(snapshot: DashboardSnapshot, choice: str) -> str:
    agreements, rows = selectors.dashboard_matrix(snapshot)
    dashboard_map = selectors.dashboard_map(agreements=agreements, rows=rows, max_score=snapshot.max_score, choice=choice)
    return render_to_string("dashboard/_map.html", {"snapshot": snapshot, "map": dashboard_map})


@require_GET
@role_required
def dashboard(request):
    snapshot, context, status = _snapshot_page(request)
    if snapshot is not None:
        page_number = _matrix_page_number(request, snapshot)
        key = f"dashboard-matrix:{snapshot.pk}:{snapshot.built_at.timestamp()}:{page_number}"
        context["matrix"] = _cached_fragment(key, lambda: _render_matrix(snapshot, page_number))
        choice = request.GET.get("kaart", "")
        if choice not in {str(agreement["number"]) for agreement in snapshot.agreement_summary}:
            choice = "totaal"  # also for anything else typed into the URL, so the cache holds nine maps at most
        map_key = f"dashboard-map:{snapshot.pk}:{snapshot.built_at.timestamp()}:{choice}"
        context["map"] = _cached_fragment(map_key, lambda: _render_map(snapshot, choice))
        context["map_choice"] = choice
    return render(request, "dashboard/dashboard.html", context, status=status)


@require_GET
@role_required
def dashboard_export(request, extension: str):
    """The matrix of one month (?maand=JJJJ-MM, default the newest) in the layout of the status import."""
    snapshot, context, status = _snapshot_page(request)
    if snapshot is None:
        return render(request, "dashboard/dashboard.html", context, status=status)
    agreements, rows = list(Agreement.objects.order_by("number")), selectors.snapshot_status_rows(snapshot)
    filename = f"nvo-dashboard-{snapshot.month:%Y-%m}.{extension}"
    if extension == "csv":
        body, content_type = status_table_csv(agreements=agreements, rows=rows), "text/csv; charset=utf-8"
    else:
        about = [
            ("Maand", month_name(snapshot.month)),
            # Excel has no time zones: Dutch local time, as on the dashboard.
            ("Peildatum", timezone.localtime(snapshot.peildatum).replace(tzinfo=None)),
            ("Laatst ververst", timezone.localtime(snapshot.built_at).replace(tzinfo=None)),
            ("Score", f"som van de statuspunten per regio (Onbekend 0 … Gerealiseerd 4), maximaal {snapshot.max_score}"),
        ]
        title = f"Dashboard {snapshot.month:%Y-%m}"
        body = status_table_xlsx(agreements=agreements, rows=rows, title=title, about=about)
        content_type = XLSX_CONTENT_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@role_required
def dashboard_lagging(request):
    snapshot, context, status = _snapshot_page(request)
    if snapshot is not None:
        context["lagging"] = selectors.lagging_regions(snapshot)
    return render(request, "dashboard/lagging.html", context, status=status)


@require_GET
@role_required
def dashboard_trend(request):
    state = DashboardSnapshot.objects.aggregate(count=Count("pk"), built=Max("built_at"))
    context = {"badges": selectors.STATUS_BADGES, "error": "" if state["count"] else NO_SNAPSHOT}
    if state["count"]:
        # A rebuild (of any month) moves the newest build time; a deleted snapshot changes the count.
        key = f"dashboard-trend:{state['count']}:{state['built'].timestamp()}"
        context["trend"] = _cached_fragment(key, lambda: render_to_string("dashboard/_trend.html", {
            "charts": trend_charts(selectors.trend_snapshots()), "badges": selectors.STATUS_BADGES,
        }))
    return render(request, "dashboard/trend.html", context)


@require_GET
@role_required
def peers(request, number: int):
    agreement = get_object_or_404(Agreement, number=number)
    slug = request.GET.get("regio", "").strip()
    region = get_object_or_404(Region, slug=slug) if slug else None
    context = {
        "agreement": agreement, "region": region, "regions": Region.objects.order_by("name").only("name", "slug"),
        "peers": selectors.peers_further_along(region, number), "show_contacts": can_see_contacts(request.user),
    }
    return render(request, "dashboard/peers.html", context)
