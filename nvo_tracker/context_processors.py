from functools import cache

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from accounts.roles import can_follow_afstemming, can_import_statuses, has_role, is_beheerder, is_regio_role, is_vng_or_beheerder


def site(request):
    return {
        "app_name": settings.APP_NAME,
        "logo_static_path": settings.LOGO_STATIC_PATH,
        "public_dashboard": settings.PUBLIC_DASHBOARD,
    }


# (label, URL name, who may use it): the same rules the views declare with `permission_required`.
NAVIGATION = [
    ("Mijn regio's", "pages:my_regions", is_regio_role),
    ("Regio's", "pages:region_list", has_role),
    ("Dashboard", "dashboard:index", has_role),
    ("Trend", "dashboard:trend", has_role),
    ("Achterblijvers", "dashboard:lagging", is_vng_or_beheerder),
    ("Opvolging", "pages:follow_up", is_vng_or_beheerder),
    ("Afstemming", "agreements:afstemming_overview", can_follow_afstemming),
    ("Netwerk", "support:meeting_list", has_role),
    ("Importeren", "agreements:status_import", can_import_statuses),
    ("Gemeente zoeken", "regions:municipality_search", has_role),
    ("Gebruikers", "accounts:user_list", is_beheerder),
    ("Beheer", "admin:index", is_beheerder),
]


CURRENT = mark_safe(' aria-current="page"')  # noqa: S308 - a constant


@cache
def _url(url_name: str) -> str:
    """The navigation's URLs are the same on every request: reverse each once per process (a mistyped name still
    raises NoReverseMatch on the first page)."""
    return reverse(url_name)


def navigation(request):
    """The main navigation: only the pages the signed-in user's role may use, the current one marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "navigation_items": ""}
    links = []
    for label, url_name, allowed in NAVIGATION:
        if allowed(user):
            url = _url(url_name)
            links.append({"label": label, "url": url, "current": request.path == url})
    # The menu's <li>s, shown twice (bar and "Menu" button), built here: as a template loop they cost a tenth of a page.
    items = format_html_join(
        "\n",
        '<li class="utrecht-nav-list__item"><a class="utrecht-link utrecht-nav-list__link" href="{}"{}>{}</a></li>',
        ((link["url"], CURRENT if link["current"] else "", link["label"]) for link in links),
    )
    return {"navigation": links, "navigation_items": items}
