import functools
import hashlib
import re
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import permission_required
from accounts.roles import has_role, is_vng_or_beheerder
from agreements.models import Agreement, Status
from agreements.spreadsheets import XLSX_CONTENT_TYPE, status_table_csv, status_table_xlsx
from core.errors import ApplicationError
from core.fragments import fragments_html
from core.paging import page_number, page_of
from dashboard import selectors
from dashboard.charts import month_name, trend_charts
from dashboard.models import DashboardSnapshot
from dashboard.services import STAGNATION_SNAPSHOTS, snapshot_release, snapshot_withdraw

# Regions per page of the matrix; at 4,400 regions the whole matrix is 35,200 cells, which no browser (or
# reader) wants on one page. The download of the month has every region.
MATRIX_PAGE_SIZE = 100
# The regions that rose or fell most since last month; the heading counts them all.
MOVERS_SHOWN = 10

NO_SNAPSHOT = (
    "Er is nog geen dashboard gebouwd. Het wordt op de eerste van elke maand ververst; "
    "een beheerder kan het nu bouwen met: python manage.py rebuild_dashboard"
)


def _snapshot_page(request):
    """The snapshot of a page about one month (?maand=JJJJ-MM, default the newest) or a Dutch message, the page's
    context and its cached fragments (see `_render`), and the HTTP status."""
    requested = request.GET.get("maand", "").strip()
    month, status, error = None, 200, ""
    if requested:
        try:
            month = date.fromisoformat(f"{requested}-01")
        except ValueError:
            status, error = 400, f"“{requested[:20]}” is geen geldige maand. Kies een maand in de lijst (vorm JJJJ-MM)."
    snapshot, months = selectors.snapshot_with_months(month)
    if error:
        snapshot = None
    elif snapshot is None:
        status, error = 404, (f"Voor {month_name(month)} is geen dashboard gebouwd. Kies een andere maand." if month else NO_SNAPSHOT)
    context = {"snapshot": snapshot, "error": error, "stagnation_snapshots": STAGNATION_SNAPSHOTS}
    return snapshot, context, _month_options(months, snapshot.month if snapshot else None), status


def _month_options(months: list[date], selected: date | None) -> dict:
    """The <option>s of the month selector as a fragment, one per set of snapshot months and selected month:
    with ten years of snapshots, formatting 120 Dutch month names cost more than the rest of the dashboard."""
    if not months:
        return {}
    digest = hashlib.blake2b(",".join(f"{month:%Y-%m}" for month in months).encode(), digest_size=8).hexdigest()
    return {
        "month_options": (
            f"dashboard-months:{digest}:{selected}",
            lambda: render_to_string(
                "dashboard/_month_options.html",
                {"months": [(month, month_name(month)) for month in months], "selected": selected},
            ),
        )
    }


def _render(request, template: str, context: dict, fragments: dict, status: int = 200):
    """Render `template` with its `fragments` ({context name: (cache key, render function)}, see core.fragments)."""
    return render(request, template, {**context, **fragments_html(fragments)}, status=status)


def _matrix_page_number(request, snapshot: DashboardSnapshot) -> int:
    """?pagina=N, kept within the pages the snapshot has (no query: the snapshot knows its region count)."""
    last = max(1, -(-snapshot.region_count // MATRIX_PAGE_SIZE))
    try:
        return min(max(int(request.GET.get("pagina", 1)), 1), last)
    except ValueError:
        return 1


# ?sorteer=: one of the matrix's columns. Checked by its form, not against the snapshot's agreements (that would read
# their summary on every request); an agreement the snapshot lacks sorts by region name, and the cache holds at most
# one matrix per possible value.
MATRIX_SORT = re.compile(rf"{selectors.MATRIX_SORT_DEFAULT}|score|afspraak-[1-9][0-9]?")


# ?kaart=: the total score or an agreement's number, by its form for the same reason (an unknown number shows the total).
MAP_CHOICE = re.compile(r"totaal|[1-9][0-9]?")


def _matrix_sort(request) -> str:
    sort = request.GET.get("sorteer", "")
    return sort if MATRIX_SORT.fullmatch(sort) else selectors.MATRIX_SORT_DEFAULT


def _render_matrix(snapshot: DashboardSnapshot, page_number: int, sort: str, link_lagging: bool) -> str:
    agreements, rows = selectors.dashboard_matrix(snapshot)
    risen = sorted((row.score for row in rows if row.score.change > 0), key=lambda s: -s.change)
    fallen = sorted((row.score for row in rows if row.score.change < 0), key=lambda s: s.change)
    return render_to_string(
        "dashboard/_matrix.html",
        {
            "snapshot": snapshot,
            "agreements": agreements,
            "page": Paginator(selectors.sort_matrix_rows(rows, agreements, sort), MATRIX_PAGE_SIZE).page(page_number),
            "sort": sort,
            "sort_agreement": int(sort.removeprefix("afspraak-")) if sort.startswith("afspraak-") else None,
            "link_lagging": link_lagging,
            "summary": snapshot.agreement_summary,
            "badges": selectors.STATUS_BADGES,
            "afstemming_badges": list(selectors.AFSTEMMING_BADGES.values()),
            "status_total": snapshot.region_count * len(agreements),
            "risen": risen[:MOVERS_SHOWN],
            "risen_count": len(risen),
            "fallen": fallen[:MOVERS_SHOWN],
            "fallen_count": len(fallen),
            "lagging_count": sum(1 for row in rows if row.score.lagging_reason),
        },
    )


def _render_map(snapshot: DashboardSnapshot, choice: str) -> str:
    agreements, rows = selectors.dashboard_matrix(snapshot)
    dashboard_map = selectors.dashboard_map(agreements=agreements, rows=rows, max_score=snapshot.max_score, choice=choice)
    return render_to_string("dashboard/_map.html", {"snapshot": snapshot, "map": dashboard_map})


@require_GET
@permission_required(has_role)
def dashboard(request):
    snapshot, context, fragments, status = _snapshot_page(request)
    if snapshot is not None:
        page_number, sort = _matrix_page_number(request, snapshot), _matrix_sort(request)
        # The matrix is the same for every user but for the link to the achterblijvers page, which not every role may use.
        link_lagging = is_vng_or_beheerder(request.user)
        key = f"dashboard-matrix:{snapshot.pk}:{snapshot.built_at.timestamp()}:{page_number}:{sort}:{link_lagging:d}"
        # On a miss the fragments need the whole snapshot (its summary and counts): read once for both.
        whole = functools.cache(lambda: DashboardSnapshot.objects.get(pk=snapshot.pk))
        fragments["matrix"] = (key, lambda: _render_matrix(whole(), page_number, sort, link_lagging))
        choice = request.GET.get("kaart", "")
        if not MAP_CHOICE.fullmatch(choice):
            choice = "totaal"  # also for anything else typed into the URL, so the cache holds 100 maps at most
        map_key = f"dashboard-map:{snapshot.pk}:{snapshot.built_at.timestamp()}:{choice}"
        fragments["map"] = (map_key, lambda: _render_map(whole(), choice))
        context["map_choice"] = choice
        context["can_release"] = is_vng_or_beheerder(request.user)
    return _render(request, "dashboard/dashboard.html", context, fragments, status)


def _release_action(request, month: str, action, done: str):
    try:
        snapshot = selectors.snapshot_for_month(date.fromisoformat(f"{month}-01"))
    except ValueError:
        snapshot = None
    if snapshot is None:
        raise Http404("Voor deze maand is geen dashboard gebouwd.")
    try:
        action(snapshot=snapshot, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Het dashboard van {month_name(snapshot.month)} is {done}.")
    return redirect(reverse("dashboard:index") + f"?maand={snapshot.month:%Y-%m}")


@require_POST
@permission_required(is_vng_or_beheerder)
def dashboard_release(request, month: str):
    """Publish the month: the public dashboard (PUBLIC_DASHBOARD) shows the newest released month."""
    return _release_action(request, month, snapshot_release, "gepubliceerd")


@require_POST
@permission_required(is_vng_or_beheerder)
def dashboard_withdraw(request, month: str):
    return _release_action(request, month, snapshot_withdraw, "niet meer openbaar")


@require_GET
@permission_required(has_role)
def dashboard_export(request, extension: str):
    """The matrix of one month (?maand=JJJJ-MM, default the newest) in the layout of the status import."""
    snapshot, context, fragments, status = _snapshot_page(request)
    if snapshot is None:
        return _render(request, "dashboard/dashboard.html", context, fragments, status)
    agreements, rows = list(Agreement.objects.order_by("number")), selectors.snapshot_status_rows(snapshot)
    filename = f"nvo-dashboard-{snapshot.month:%Y-%m}.{extension}"
    if extension == "csv":
        body = status_table_csv(agreements=agreements, rows=rows, extra=selectors.SNAPSHOT_EXTRA_COLUMNS)
        content_type = "text/csv; charset=utf-8"
    else:
        about = [
            ("Maand", month_name(snapshot.month)),
            # Excel has no time zones: Dutch local time, as on the dashboard.
            ("Peildatum", timezone.localtime(snapshot.peildatum).replace(tzinfo=None)),
            ("Laatst ververst", timezone.localtime(snapshot.built_at).replace(tzinfo=None)),
            ("Score", f"som van de statuspunten per regio (Onbekend 0 … Gerealiseerd 4), maximaal {snapshot.max_score}"),
        ]
        title = f"Dashboard {snapshot.month:%Y-%m}"
        body = status_table_xlsx(agreements=agreements, rows=rows, title=title, about=about, extra=selectors.SNAPSHOT_EXTRA_COLUMNS)
        content_type = XLSX_CONTENT_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@permission_required(is_vng_or_beheerder)
def dashboard_lagging(request):
    snapshot, context, fragments, status = _snapshot_page(request)
    if snapshot is not None:
        # Kept within the pages the snapshot's regions could fill (no query); beyond its achterblijvers the fragment
        # shows their last page, so the cache holds at most one fragment per page of regions.
        number = page_number(request.GET.get("pagina", 1), count=snapshot.region_count)
        key = f"dashboard-lagging:{snapshot.pk}:{snapshot.built_at.timestamp()}:{number}"
        fragments["lagging"] = (key, lambda: _render_lagging(snapshot, number))
    return _render(request, "dashboard/lagging.html", context, fragments, status)


def _render_lagging(snapshot: DashboardSnapshot, number: int) -> str:
    snapshot.refresh_from_db(fields=["lagging_threshold", "max_score"])  # deferred by the page (one query, not two)
    return render_to_string(
        "dashboard/_lagging.html",
        {
            "snapshot": snapshot,
            "page": page_of(selectors.snapshot_lagging_regions(snapshot), number),
            "page_query": f"maand={snapshot.month:%Y-%m}",
        },
    )


@require_GET
@permission_required(has_role)
def dashboard_trend(request):
    state = DashboardSnapshot.objects.aggregate(count=Count("pk"), built=Max("built_at"))
    context, fragments = {"badges": selectors.STATUS_BADGES, "error": "" if state["count"] else NO_SNAPSHOT}, {}
    if state["count"]:
        # A rebuild (of any month) moves the newest build time; a deleted snapshot changes the count.
        key = f"dashboard-trend:{state['count']}:{state['built'].timestamp()}"
        fragments["trend"] = (
            key,
            lambda: render_to_string(
                "dashboard/_trend.html",
                {
                    "charts": trend_charts(selectors.trend_snapshots()),
                    "badges": selectors.STATUS_BADGES,
                },
            ),
        )
    return _render(request, "dashboard/trend.html", context, fragments)


@require_GET
@permission_required(has_role)
def about(request):
    """Over dit dashboard: the peildatum, the monthly rebuild, the score and achterblijver rules, who keeps the data."""
    return render(
        request,
        "dashboard/about.html",
        {"stagnation_snapshots": STAGNATION_SNAPSHOTS, "contact_email": settings.CONTACT_EMAIL, "status_points": list(Status)},
    )
