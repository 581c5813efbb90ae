from datetime import date

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.roles import can_see_contacts
from agreements.models import Agreement
from dashboard import selectors
from dashboard.charts import month_name, trend_charts
from dashboard.services import STAGNATION_SNAPSHOTS
from regions.models import Region

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


@require_GET
@role_required
def dashboard(request):
    snapshot, context, status = _snapshot_page(request)
    if snapshot is not None:
        agreements, rows = selectors.dashboard_matrix(snapshot)
        context.update(
            agreements=agreements, rows=rows, summary=snapshot.agreement_summary, badges=selectors.STATUS_BADGES,
            risen=sorted((row.score for row in rows if row.score.change > 0), key=lambda s: -s.change),
            fallen=sorted((row.score for row in rows if row.score.change < 0), key=lambda s: s.change),
            lagging_count=sum(1 for row in rows if row.score.lagging_reason),
        )
        context["map"] = selectors.dashboard_map(
            agreements=agreements, rows=rows, max_score=snapshot.max_score, choice=request.GET.get("kaart", "")
        )
    return render(request, "dashboard/dashboard.html", context, status=status)


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
    snapshots = selectors.trend_snapshots()
    context = {"charts": trend_charts(snapshots), "badges": selectors.STATUS_BADGES, "error": "" if snapshots else NO_SNAPSHOT}
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
