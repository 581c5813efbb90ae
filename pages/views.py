"""Pages that combine several domains: the start page, the region lists, a region's page and history, and the
follow-up overview of lagging regions."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import permission_required, personal_data
from accounts.roles import (
    Role,
    can_confirm_region,
    can_edit_region,
    can_follow_afstemming,
    can_see_afstemming,
    can_see_contacts,
    can_see_support_actions,
    has_role,
    is_regio_role,
    is_vng_or_beheerder,
    user_region_ids,
    user_roles,
)
from accounts.services import user_afstemming_mail_set
from agreements.models import Afstemming, Agreement
from agreements.selectors import afstemming_open_for_regions, peers_by_agreement
from core.fragments import data_version, fragments_html
from core.paging import PAGE_SIZE, page_number
from dashboard import selectors as dashboard_selectors
from pages import selectors
from pages.forms import MailSettingsForm, RegionFilterForm
from regions.selectors import former_regions, region_division, region_for_url
from support.selectors import region_attendance_last_12_months, region_open_support_actions


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
    context = {"title": "MO-BW-regio's", "filter_form": form, "search": search}

    def table_context(number) -> dict:
        page = selectors.region_list_page(search=search, page_number=number)
        return {
            **context,
            "regions": page.object_list,
            "region_count": page.paginator.count,
            "page": page,
            "page_query": urlencode({"zoek": search}) if search else "",
            "former_regions": former_regions(),
            "agreement_count": Agreement.objects.count(),
        }

    if search or not form.is_valid():  # a search is answered fresh, so typed words cannot fill the cache
        status = 200 if form.is_valid() else 400
        return render(request, "pages/region_list.html", table_context(request.GET.get("pagina", "1")), status=status)

    # The whole list is the same for everyone: its count, table and pager are cached per data version and page.
    number = page_number(request.GET.get("pagina", "1"), count=LIST_PAGES_CACHED * PAGE_SIZE)

    def render_table() -> dict:
        table = table_context(number)
        return {"count": table["region_count"], "html": render_to_string("pages/_region_list_table.html", table)}

    table = fragments_html({"table": (f"region-list:{data_version()}:{number}", render_table)})["table"]
    return render(request, "pages/region_list.html", {**context, "region_count": table["count"], "region_table": table["html"]})


@require_GET
@permission_required(is_regio_role)  # VNG staff and beheerders have no regions of their own (and no menu item)
def my_regions(request):
    """The user's regions; a regio-gebruiker also sees, per region, what waits for their afstemming."""
    regions = selectors.my_regions(request.user)
    confirms = Role.REGIO_GEBRUIKER in user_roles(request.user)
    open_statuses = afstemming_open_for_regions(region_ids=user_region_ids(request.user)) if confirms else []
    awaiting = {}
    for agreement_status in open_statuses:
        awaiting.setdefault(agreement_status.region, []).append(agreement_status)
    return render(
        request,
        "pages/region_list.html",
        {
            "regions": regions,
            "region_count": len(regions),
            "title": "Mijn regio's",
            "agreement_count": Agreement.objects.count(),
            "awaiting": [
                {"region": region, "statuses": statuses, "waiting": sum(s.awaits_region for s in statuses)}
                for region, statuses in awaiting.items()
            ],
            "confirms": confirms,
            "follows_afstemming": can_follow_afstemming(request.user),
        },
    )


# Page numbers of the cached lists (region list, follow-up); a higher one (only with more than 100,000 rows) is
# taken as the last of these, which the list clamps to its own last page anyway: junk cannot fill the cache.
LIST_PAGES_CACHED = 1000

# Where a status card's afstemming buttons go: the card is cached (the same for everyone), the buttons are not.
CARD_ACTIONS = "<!-- afstemming-acties -->"


def _region_page_parts(*, slug: str, today, show_contacts: bool) -> dict:
    """Everything of a region's page that is the same for everyone who may open it, rendered: its municipalities and
    division, the status cards (split where the afstemming buttons go), peers, contacts, adoptions and network
    attendance, with the little the page needs to render the rest per user. An unknown slug is a 404."""
    region = selectors.region_detail(slug=slug)
    municipalities = list(region.municipalities.all())
    # A council's adoption counts for this region's regiovisie when it was decided while a member of it.
    adopted = [
        m
        for m in municipalities
        if hasattr(m, "regiovisie_adoption") and (m.member_since is None or m.regiovisie_adoption.decision_date >= m.member_since)
    ]
    statuses = list(region.statuses.all())
    context = {
        "region": region,
        "division": region_division(region=region),
        "municipalities": municipalities,
        "adopted_count": len(adopted),
        "contacts": region.contacts.all() if show_contacts else None,
        "peer_groups": peers_by_agreement(region),
        "show_contacts": show_contacts,
        "attendance": region_attendance_last_12_months(region=region, today=today),
    }
    cards = []
    for agreement_status in statuses:
        card = render_to_string("pages/_region_status_card.html", {"agreement_status": agreement_status})
        head, tail = (mark_safe(part) for part in card.split(CARD_ACTIONS))  # noqa: S308 - both halves of rendered, escaped HTML
        cards.append(
            {
                "head": head,
                "tail": tail,
                "awaits_region": agreement_status.awaits_region,
                # What the afstemming buttons name (templates/agreements/_agree_button.html, _agree_all_button.html).
                "pk": agreement_status.pk,
                "version": agreement_status.version,
                "region": {"name": region.name, "slug": region.slug},
                "agreement": {"number": agreement_status.agreement.number},
                # Reversed once here rather than on every request (each {% url %} costs more than the card's HTML).
                "edit_url": reverse("agreements:status_edit", args=[region.slug, agreement_status.agreement.number]),
                "afstemming_url": reverse("agreements:status_afstemming", args=[region.slug, agreement_status.agreement.number]),
            }
        )
    urls = {
        name: reverse(f"{app}:{name}", args=[region.slug])
        for app, name in (
            ("pages", "region_history"),
            ("agreements", "region_history_csv"),
            ("regions", "contacts_edit"),
            ("regions", "adoptions_edit"),
        )
    }
    return {
        "region": {"pk": region.pk, "name": region.name, "slug": region.slug},
        "urls": urls,
        "cards": cards,
        "waiting_count": sum(agreement_status.awaits_region for agreement_status in statuses),
        "afgestemd_count": sum(agreement_status.afstemming == Afstemming.AFGESTEMD for agreement_status in statuses),
        **{part: render_to_string(f"pages/_region_{part}.html", context) for part in ("division", "peers", "contacts", "adoptions")},
        "attendance": render_to_string("support/_region_attendance.html", context),
        # So that the page asks for VNG's open support actions (which only some roles see) only when there are any.
        "has_open_support_actions": bool(region_open_support_actions(region_id=region.pk, today=today)),
    }


@require_GET
@personal_data
@permission_required(has_role)
def region_detail(request, slug):
    """A region's page: the cached parts (core.fragments, keyed on the data version and the day, since support
    actions fall overdue and attendance counts the last 12 months), and around them what depends on the user."""
    today, show_contacts = timezone.localdate(), can_see_contacts(request.user)
    key = f"region-page:{slug}:{data_version()}:{today}:{show_contacts:d}"
    parts = fragments_html({"parts": (key, lambda: _region_page_parts(slug=slug, today=today, show_contacts=show_contacts))})["parts"]
    region = parts["region"]
    return render(
        request,
        "pages/region_detail.html",
        {
            "region": region,
            "parts": parts,
            "can_edit": can_edit_region(request.user, region["pk"]),
            "can_confirm": can_confirm_region(request.user, region["pk"]),
            "can_see_afstemming": can_see_afstemming(request.user, region["pk"]),
            **_region_support_context(request.user, region["pk"], today, any_open=parts["has_open_support_actions"]),
        },
    )


def _region_support_context(user, region_id: int, today, *, any_open: bool) -> dict:
    """VNG's open support actions: VNG staff and the region's own adviseurs only."""
    can_see_support = can_see_support_actions(user, region_id)
    return {
        "can_see_support": can_see_support,
        "can_manage_support": is_vng_or_beheerder(user),
        "support_actions": region_open_support_actions(region_id=region_id, today=today) if can_see_support and any_open else [],
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
    """The achterblijvers of the newest snapshot with VNG's contact: the same for every VNG-medewerker and Beheerder
    (the only ones who may open it), so its table is cached per snapshot, data version, day and page."""
    snapshot, _ = dashboard_selectors.snapshot_with_months(None)
    if snapshot is None:
        return render(request, "pages/follow_up.html", {"dashboard_built": False})
    today = timezone.localdate()
    number = page_number(request.GET.get("pagina", "1"), count=LIST_PAGES_CACHED * PAGE_SIZE)

    def render_table() -> str:
        lagging = dashboard_selectors.snapshot_lagging_regions(snapshot)
        page = selectors.follow_up_page(lagging=lagging, today=today, page_number=number)
        return render_to_string("pages/_follow_up_table.html", {"page": page, "rows": page.object_list})

    key = f"follow-up:{snapshot.pk}:{snapshot.built_at.timestamp()}:{data_version()}:{today}:{number}"
    table = fragments_html({"table": (key, render_table)})["table"]
    return render(request, "pages/follow_up.html", {"follow_up_table": table, "dashboard_built": True})


@require_http_methods(["GET", "POST"])
@permission_required(has_role)
def mail_settings(request):
    """Whether the user gets the daily afstemming e-mails (regio-gebruikers and regio-adviseurs get them)."""
    form = MailSettingsForm(request.POST if request.method == "POST" else None, initial={"afstemming_mail": request.user.afstemming_mail})
    if request.method == "POST" and form.is_valid():
        enabled = form.cleaned_data["afstemming_mail"]
        user_afstemming_mail_set(user=request.user, enabled=enabled)
        messages.success(request, "U krijgt e-mail over afstemming." if enabled else "U krijgt geen e-mail meer over afstemming.")
        return redirect("pages:mail_settings")
    roles = user_roles(request.user)
    return render(
        request,
        "pages/mail_settings.html",
        {
            "form": form,
            "gets_regio_mail": Role.REGIO_GEBRUIKER in roles,
            "gets_adviseur_mail": Role.REGIO_ADVISEUR in roles,
        },
    )
