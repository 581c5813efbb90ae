"""Pages that combine several domains: the start page, the region lists, a region's page and history, and the
follow-up overview of lagging regions."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.permissions import permission_required, personal_data
from accounts.roles import (
    can_edit_region,
    can_see_contacts,
    can_see_support_actions,
    has_role,
    is_regio_role,
    is_vng_or_beheerder,
)
from agreements.models import Agreement
from agreements.selectors import peers_by_agreement
from pages import selectors
from pages.forms import RegionFilterForm
from regions.selectors import former_regions, region_division, region_for_url
from support.selectors import attendance_last_12_months, region_open_support_actions


@require_GET
@permission_required(has_role)
def home(request):
    """VNG staff start at the national dashboard, regions at their own regions."""
    if is_vng_or_beheerder(request.user):
        return redirect("dashboard:index")
    if is_regio_role(request.user):
        return redirect("pages:my_regions")
    return redirect("pages:region_list")


@require_GET
@permission_required(has_role)
def region_list(request):
    form = RegionFilterForm(request.GET)
    search = form.cleaned_data["zoek"].strip() if form.is_valid() else ""
    return render(
        request,
        "pages/region_list.html",
        {
            "regions": selectors.region_list_with_progress(search=search),
            "title": "MO-BW-regio's",
            "filter_form": form,
            "search": search,
            "former_regions": former_regions(),
            "agreement_count": Agreement.objects.count(),
        },
        status=200 if form.is_valid() else 400,
    )


@require_GET
@permission_required(is_regio_role)  # VNG staff and beheerders have no regions of their own (and no menu item)
def my_regions(request):
    return render(
        request,
        "pages/region_list.html",
        {"regions": selectors.my_regions(request.user), "title": "Mijn regio's", "agreement_count": Agreement.objects.count()},
    )


@require_GET
@personal_data
@permission_required(has_role)
def region_detail(request, slug):
    region = selectors.region_detail(slug=slug)
    municipalities = list(region.municipalities.all())
    # A council's adoption counts for this region's regiovisie when it was decided while a member of it.
    adopted = [
        m
        for m in municipalities
        if hasattr(m, "regiovisie_adoption") and (m.member_since is None or m.regiovisie_adoption.decision_date >= m.member_since)
    ]
    show_contacts = can_see_contacts(request.user)
    return render(
        request,
        "pages/region_detail.html",
        {
            "region": region,
            "division": region_division(region=region),
            "municipalities": municipalities,
            "adopted_count": len(adopted),
            "statuses": region.statuses.all(),
            "contacts": region.contacts.all() if show_contacts else None,
            "can_edit": can_edit_region(request.user, region.pk),
            **_region_support_context(request.user, region),
            "peer_groups": peers_by_agreement(region),
            "show_contacts": show_contacts,
        },
    )


def _region_support_context(user, region) -> dict:
    """VNG's open support actions (VNG staff and the region's own adviseurs only) and network attendance."""
    today = timezone.localdate()
    can_see_support = can_see_support_actions(user, region.pk)
    return {
        "can_see_support": can_see_support,
        "can_manage_support": is_vng_or_beheerder(user),
        "support_actions": region_open_support_actions(region=region, today=today) if can_see_support else [],
        "attendance": attendance_last_12_months(today=today).get(region.pk, (0, 0)),
    }


@require_GET
@personal_data
@permission_required(has_role)
def region_history(request, slug):
    region = region_for_url(slug=slug)
    return render(
        request,
        "pages/region_history.html",
        {
            "region": region,
            "entries": selectors.region_history(region=region),
        },
    )


@require_GET
@permission_required(is_vng_or_beheerder)
def follow_up(request):
    lagging = selectors.follow_up_lagging_regions()
    rows = selectors.follow_up_overview(lagging=lagging or {}, today=timezone.localdate())
    return render(request, "pages/follow_up.html", {"rows": rows, "dashboard_built": lagging is not None})
