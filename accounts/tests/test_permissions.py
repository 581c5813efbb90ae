"""Every role × every page × GET/POST gets exactly the agreed answer; a refused POST changes nothing."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from agreements.models import AgreementStatus, StatusChange
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory
from regions.models import (
    ContactChange,
    ContactPerson,
    RegiovisieAdoption,
    RegiovisieAdoptionChange,
)
from regions.tests.factories import MunicipalityFactory, RegionFactory

OWN, OTHER = "eigen", "andere"


@pytest.fixture
def regions(db):
    agreement = AgreementFactory(number=1)
    made = {}
    for key in (OWN, OTHER):
        region = RegionFactory(slug=f"regio-{key}")
        MunicipalityFactory(region=region)
        AgreementStatusFactory(region=region, agreement=agreement)
        made[key] = region
    return made


@pytest.fixture
def users(make_user, regions):
    return {
        "anoniem": None,
        "zonder rol": make_user(None),
        "beheerder": make_user(Role.BEHEERDER),
        "vng": make_user(Role.VNG_MEDEWERKER),
        "adviseur": make_user(Role.REGIO_ADVISEUR, [regions[OWN]]),
        "regio": make_user(Role.REGIO_GEBRUIKER, [regions[OWN]]),
    }


def _post_data(page, region):
    if page == "agreements:status_edit":
        return {"status": 2, "explanation": "Gewijzigd via de matrix", "evidence_links": "", "version": 1}
    if page == "regions:contacts_edit":
        data = {f"{kind}-{position}-version": 0 for kind in ContactPerson.Kind for position in ContactPerson.Position}
        return data | {"ambtelijk-primair-name": "Nieuwe Naam"}
    if page == "regions:adoptions_edit":
        data = {}
        for municipality in region.municipalities.all():
            data |= {f"gemeente-{municipality.pk}-version": 0, f"gemeente-{municipality.pk}-decision_date": "2025-01-15"}
        return data
    return {}


def _state():
    """Everything an edit page could change."""
    return (
        list(AgreementStatus.objects.values_list("version", "explanation")),
        StatusChange.objects.count(),
        ContactPerson.objects.count(),
        ContactChange.objects.count(),
        RegiovisieAdoption.objects.count(),
        RegiovisieAdoptionChange.objects.count(),
    )


READ_PAGES = [
    ("pages:home", None),
    ("pages:my_regions", None),
    ("pages:region_list", None),
    ("pages:region_detail", OWN),
    ("pages:region_detail", OTHER),
    ("pages:region_history", OWN),
    ("pages:region_history", OTHER),
]
EDIT_PAGES = [
    ("agreements:status_edit", OWN),
    ("agreements:status_edit", OTHER),
    ("regions:contacts_edit", OWN),
    ("regions:contacts_edit", OTHER),
    ("regions:adoptions_edit", OWN),
    ("regions:adoptions_edit", OTHER),
]

# GET answers per user; "home" redirects every role to its start page.
READ_GET = {"anoniem": 302, "zonder rol": 403, "beheerder": 200, "vng": 200, "adviseur": 200, "regio": 200}
EDIT_GET = {
    ("anoniem", OWN): 302,
    ("anoniem", OTHER): 302,
    ("zonder rol", OWN): 403,
    ("zonder rol", OTHER): 403,
    ("beheerder", OWN): 200,
    ("beheerder", OTHER): 200,
    ("vng", OWN): 403,
    ("vng", OTHER): 403,
    ("adviseur", OWN): 200,
    ("adviseur", OTHER): 403,
    ("regio", OWN): 403,
    ("regio", OTHER): 403,
}
# A successful save redirects to the region page (302), as does an anonymous POST (to the login page).
EDIT_POST = {key: 302 if code in (200, 302) else code for key, code in EDIT_GET.items()}

CASES = (
    [
        (user, page, region, "get", (302 if page == "pages:home" and code == 200 else code))
        for user, code in READ_GET.items()
        for page, region in READ_PAGES
    ]
    + [(user, page, region, "post", 405) for user in READ_GET for page, region in READ_PAGES]
    + [(user, page, region, "get", EDIT_GET[user, region]) for user in READ_GET for page, region in EDIT_PAGES]
    + [(user, page, region, "post", EDIT_POST[user, region]) for user in READ_GET for page, region in EDIT_PAGES]
)


def _url(page, region):
    if region is None:
        return reverse(page)
    if page == "agreements:status_edit":
        return reverse(page, args=[region.slug, 1])
    return reverse(page, args=[region.slug])


@pytest.mark.parametrize(("user_key", "page", "region_key", "method", "expected"), CASES)
def test_role_page_method_matrix(client, users, regions, user_key, page, region_key, method, expected):
    region = regions.get(region_key)
    if users[user_key] is not None:
        client.force_login(users[user_key])
    before = _state()
    response = getattr(client, method)(_url(page, region), _post_data(page, region) if method == "post" else None)
    assert response.status_code == expected
    saved = method == "post" and expected == 302 and user_key != "anoniem"
    assert (_state() != before) == saved
    if expected == 302 and user_key == "anoniem":
        assert response.url.startswith("/inloggen/?next=")


# The pages that came later (dashboard, peers, exports, import, search, API docs): URL → answers per user for GET
# and POST. None of them changes anything on these requests (the import needs a file, the confirmation a preview).
ROLE = {"anoniem": 302, "zonder rol": 403, "beheerder": 200, "vng": 200, "adviseur": 200, "regio": 200}
IMPORTERS = ROLE | {"vng": 403, "regio": 403}
NOT_ALLOWED = dict.fromkeys(ROLE, 405)
API_DOCS = ROLE | {"anoniem": 401}
API_DOCS_POST = API_DOCS | dict.fromkeys(["beheerder", "vng", "adviseur", "regio"], 405)
LATER_PAGES = {
    "/dashboard/": (ROLE, NOT_ALLOWED),
    "/dashboard/trend/": (ROLE, NOT_ALLOWED),
    "/dashboard/achterblijvers/": (ROLE, NOT_ALLOWED),
    "/afspraken/1/verder/?regio=regio-eigen": (ROLE, NOT_ALLOWED),
    "/exporteren/huidige-stand.csv": (ROLE, NOT_ALLOWED),
    "/exporteren/huidige-stand.xlsx": (ROLE, NOT_ALLOWED),
    "/regios/regio-eigen/geschiedenis.csv": (ROLE, NOT_ALLOWED),
    "/regios/regio-andere/geschiedenis.csv": (ROLE, NOT_ALLOWED),
    "/importeren/": (IMPORTERS, IMPORTERS),
    # Every view checks the method before the visitor, as the GET-only pages do.
    "/importeren/bevestigen/": (NOT_ALLOWED, IMPORTERS | {"beheerder": 302, "adviseur": 302}),
    "/gemeenten/zoeken/?q=Utrecht": (ROLE, NOT_ALLOWED),
    "/gemeenten/suggesties/?q=Utr": (ROLE, NOT_ALLOWED),
    "/api/docs/": (API_DOCS, API_DOCS_POST),
    "/api/schema/": (API_DOCS, API_DOCS_POST),
}
LATER_CASES = [
    (user, url, method, codes[user])
    for url, (get, post) in LATER_PAGES.items()
    for method, codes in (("get", get), ("post", post))
    for user in ROLE
]


@pytest.fixture
def snapshot(regions):
    from django.utils import timezone

    from dashboard.services import dashboard_rebuild

    return dashboard_rebuild(month=timezone.localdate().replace(day=1))


@pytest.mark.parametrize(("user_key", "url", "method", "expected"), LATER_CASES)
def test_role_later_page_method_matrix(client, users, snapshot, user_key, url, method, expected):
    if users[user_key] is not None:
        client.force_login(users[user_key])
    before = _state()
    response = getattr(client, method)(url)
    assert response.status_code == expected
    assert _state() == before
    if expected == 302 and user_key == "anoniem":
        assert response.url.startswith("/inloggen/?next=")


@pytest.mark.parametrize("page", ["pages:region_detail", "pages:region_history", "regions:contacts_edit", "regions:adoptions_edit"])
def test_unknown_region_is_404(client, users, page):
    client.force_login(users["beheerder"])
    assert client.get(reverse(page, args=["bestaat-niet"])).status_code == 404


@pytest.mark.parametrize("number", [2, 9])
def test_unknown_agreement_is_404(client, users, regions, number):
    client.force_login(users["adviseur"])
    assert client.get(f"/regios/{regions[OWN].slug}/afspraken/{number}/bewerken/").status_code == 404


def test_refusal_is_a_dutch_403_page(client, users, regions):
    client.force_login(users["adviseur"])
    response = client.post(f"/regios/{regions[OTHER].slug}/afspraken/1/bewerken/", _post_data("agreements:status_edit", None))
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize(
    ("user_key", "start"), [("adviseur", "/mijn-regios/"), ("regio", "/mijn-regios/"), ("vng", "/dashboard/"), ("beheerder", "/dashboard/")]
)
def test_home_sends_each_role_to_its_start_page(client, users, user_key, start):
    client.force_login(users[user_key])
    assert client.get("/").url == start


def test_contacts_are_never_shown_to_anonymous_visitors(client, regions):
    from regions.tests.factories import ContactPersonFactory

    contact = ContactPersonFactory(region=regions[OWN], email="geheim@example.org")
    for url in (f"/regios/{regions[OWN].slug}/", f"/regios/{regions[OWN].slug}/geschiedenis/", "/regios/"):
        response = client.get(url, follow=True)
        assert contact.email not in response.content.decode()
        assert contact.name not in response.content.decode()
