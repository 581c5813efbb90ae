from django.conf import settings
from django.core.cache import cache

from accounts.roles import Role, can_import_statuses, is_beheerder, is_vng, user_roles
from demo.models import DemoDataset
from nvo_tracker.links import reverse_if_exists


def site(request):
    return {
        "app_name": settings.APP_NAME,
        # Asked on every page, so cached; saving or deleting a DemoDataset clears it (demo.apps), the timeout
        # covers changes made around Django.
        "demo_data_loaded": cache.get_or_set(DemoDataset.CACHE_KEY, DemoDataset.objects.exists, 5 * 60),
    }


# (label, URL name, who may use it). Pages that other features add appear here once their URL name exists.
NAVIGATION = [
    ("Mijn regio's", "my_regions", lambda user: bool({Role.REGIO_ADVISEUR, Role.REGIO_GEBRUIKER} & user_roles(user))),
    ("Regio's", "region_list", lambda user: bool(user_roles(user))),
    ("Dashboard", "dashboard", lambda user: bool(user_roles(user))),
    ("Trend", "dashboard_trend", lambda user: bool(user_roles(user))),
    ("Achterblijvers", "dashboard_lagging", is_vng),
    ("Opvolging", "follow_up", is_vng),
    ("Netwerk", "meeting_list", lambda user: bool(user_roles(user))),
    ("Importeren", "status_import", can_import_statuses),
    ("Gemeente zoeken", "municipality_search", lambda user: bool(user_roles(user))),
    ("Beheer", "admin:index", is_beheerder),
]


def navigation(request):
    """The main navigation: only the pages the signed-in user's role may use, the current one marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    links = []
    for label, url_name, allowed in NAVIGATION:
        if not allowed(user):
            continue
        url = reverse_if_exists(url_name)
        if url is None:
            continue
        links.append({"label": label, "url": url, "current": request.path == url})
    return {"navigation": links}
