"""WCAG 2.1 AA: axe-core checks every page in headless Chromium; keyboard use and small screens work.

Add a page to PAGES when it lands: (test id, URL name, URL kwargs, query string, role or None for anonymous).
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from agreements.models import Agreement, AgreementStatus
from core.dates import months_earlier
from dashboard.services import dashboard_rebuild
from regions.models import ContactPerson, Region
from regions.tests.factories import ContactPersonFactory

OWN, OTHER = "zeeland", "utrecht"  # the regio-adviseur's region, and one they may not edit

PAGES = [
    ("inloggen", "login", {}, "", None),
    ("regios-vng", "pages:home", {}, "", Role.VNG_MEDEWERKER),
    ("regios-adviseur", "pages:home", {}, "", Role.REGIO_ADVISEUR),
    ("regios-regiogebruiker", "pages:home", {}, "", Role.REGIO_GEBRUIKER),
    ("gemeente-zoeken", "regions:municipality_search", {}, "", Role.REGIO_ADVISEUR),
    ("gemeente-gevonden", "regions:municipality_search", {}, "?q=Schouwen-Duiveland", Role.VNG_MEDEWERKER),
    ("gemeente-meerdere", "regions:municipality_search", {}, "?q=Bergen", Role.REGIO_GEBRUIKER),
    ("gemeente-onbekend", "regions:municipality_search", {}, "?q=Atlantis", Role.REGIO_ADVISEUR),
    ("mijn-regios", "pages:my_regions", {}, "", Role.REGIO_ADVISEUR),
    ("regio-adviseur", "pages:region_detail", {"slug": OWN}, "", Role.REGIO_ADVISEUR),
    ("regio-vng", "pages:region_detail", {"slug": OTHER}, "", Role.VNG_MEDEWERKER),
    ("status-bewerken", "agreements:status_edit", {"slug": OWN, "number": 1}, "", Role.REGIO_ADVISEUR),
    ("contactpersonen-bewerken", "regions:contacts_edit", {"slug": OWN}, "", Role.REGIO_ADVISEUR),
    ("regiovisie-bewerken", "regions:adoptions_edit", {"slug": OWN}, "", Role.REGIO_ADVISEUR),
    ("geschiedenis", "pages:region_history", {"slug": OWN}, "", Role.VNG_MEDEWERKER),
    ("dashboard-vng", "dashboard:index", {}, "", Role.VNG_MEDEWERKER),
    ("dashboard-kaart-afspraak", "dashboard:index", {}, "?kaart=3", Role.REGIO_ADVISEUR),
    ("dashboard-onbekende-maand", "dashboard:index", {}, "?maand=1999-01", Role.VNG_MEDEWERKER),
    ("trend", "dashboard:trend", {}, "", Role.VNG_MEDEWERKER),
    ("achterblijvers", "dashboard:lagging", {}, "", Role.VNG_MEDEWERKER),
    ("verder-adviseur", "agreements:peers", {"number": 2}, f"?regio={OWN}", Role.REGIO_ADVISEUR),
    ("verder-vng", "agreements:peers", {"number": 2}, "", Role.VNG_MEDEWERKER),
    ("regios-gefilterd", "pages:region_list", {}, "?zoek=Vlissingen", Role.REGIO_GEBRUIKER),
    ("dashboard-gesorteerd", "dashboard:index", {}, "?sorteer=afspraak-3", Role.VNG_MEDEWERKER),
    ("opvolging", "pages:follow_up", {}, "", Role.VNG_MEDEWERKER),
    ("over-dit-dashboard", "dashboard:about", {}, "", Role.REGIO_GEBRUIKER),
    ("tweestapsverificatie-profiel", "two_factor:profile", {}, "", Role.VNG_MEDEWERKER),
    ("importeren", "agreements:status_import", {}, "", Role.REGIO_ADVISEUR),
    ("geen-toegang", "agreements:status_edit", {"slug": OTHER, "number": 1}, "", Role.REGIO_ADVISEUR),
    ("tweestapsverificatie", "two_factor:setup", {}, "", Role.VNG_MEDEWERKER),
    ("anoniem-naar-inloggen", "dashboard:index", {}, "", None),
    ("afstemming-overzicht", "agreements:afstemming_overview", {}, "", Role.REGIO_ADVISEUR),
    ("afstemming-status-adviseur", "agreements:status_afstemming", {"slug": OWN, "number": 2}, "", Role.REGIO_ADVISEUR),
    ("afstemming-status-regio", "agreements:status_afstemming", {"slug": OWN, "number": 2}, "", Role.REGIO_GEBRUIKER),
    ("mijn-regios-regiogebruiker", "pages:my_regions", {}, "", Role.REGIO_GEBRUIKER),
    ("regio-regiogebruiker", "pages:region_detail", {"slug": OWN}, "", Role.REGIO_GEBRUIKER),
    ("email-over-afstemming", "pages:mail_settings", {}, "", Role.REGIO_GEBRUIKER),
    ("gebruikers", "accounts:user_list", {}, "", Role.BEHEERDER),
    ("gebruikers-gefilterd", "accounts:user_list", {}, f"?rol=Regio-adviseur&regio={OWN}&q=a", Role.BEHEERDER),
    ("gebruiker-uitnodigen", "accounts:user_invite", {}, "", Role.BEHEERDER),
    ("mijn-gegevens", "accounts:profile", {}, "", Role.REGIO_GEBRUIKER),
    ("wachtwoord-wijzigen", "password_change", {}, "", Role.REGIO_ADVISEUR),
    ("wachtwoord-vergeten", "password_reset", {}, "", None),
    ("wachtwoord-vergeten-verstuurd", "password_reset_done", {}, "", None),
    ("wachtwoord-link-ongeldig", "password_reset_confirm", {"uidb64": "MQ", "token": "ongeldig"}, "", None),
    ("uitnodiging-ongeldig", "accounts:invitation_accept", {"token": "ongeldig"}, "", None),
    ("uitnodiging-nieuwe-link", "accounts:invitation_new_link", {}, "", None),
    ("uitgelogd", "accounts:logged_out", {}, "", None),
]


@pytest.fixture
def site_data(reference_data):
    """Statuses spread over the scale, an aanspreekpunt per region and two monthly snapshots."""
    statuses = list(AgreementStatus.objects.all())
    for agreement_status in statuses:
        agreement_status.status = (agreement_status.region_id + agreement_status.agreement_id) % 5
    AgreementStatus.objects.bulk_update(statuses, ["status"])
    for region in Region.objects.all():
        ContactPersonFactory(region=region, kind=ContactPerson.Kind.AMBTELIJK)
    _afstemming_in_every_state()
    this_month = timezone.localdate().replace(day=1)
    dashboard_rebuild(month=months_earlier(this_month, 1))
    dashboard_rebuild(month=this_month)


def _afstemming_in_every_state():
    """The own region's agreements 1–3 ter afstemming, afgestemd and niet akkoord (with a reason and a comment)."""
    from accounts.tests.factories import UserFactory
    from agreements.services import status_agree, status_comment_add, status_disagree, status_update

    region = Region.objects.get(slug=OWN)
    adviser = UserFactory(role=Role.REGIO_ADVISEUR, regions=[region])
    member = UserFactory(role=Role.REGIO_GEBRUIKER, regions=[region])
    for number in (1, 2, 3):
        status = AgreementStatus.objects.get(region=region, agreement__number=number)
        status_update(
            agreement_status=status,
            expected_version=status.version,
            user=adviser,
            status=min(status.status, 3),
            criteria_met=[],
            explanation=f"Stand van afspraak {number}",
            evidence_links=[],
        )
    status_agree(agreement_status=AgreementStatus.objects.get(region=region, agreement__number=2), expected_version=2, user=member)
    third = AgreementStatus.objects.get(region=region, agreement__number=3)
    status_disagree(agreement_status=third, expected_version=2, user=member, reason="Wij zijn al verder dan dit.")
    status_comment_add(agreement_status=third, user=adviser, text="Welke stukken kunt u sturen?")


@pytest.mark.parametrize(("name", "url_name", "kwargs", "query", "role"), PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_serious_accessibility_violations(
    page, browser_login, make_user, site_data, assert_accessible, screenshot, name, url_name, kwargs, query, role
):
    if role is not None:
        own = role in (Role.REGIO_ADVISEUR, Role.REGIO_GEBRUIKER)  # regio roles work for the own region
        browser_login(make_user(role, [Region.objects.get(slug=OWN)] if own else []))
    page.goto(reverse(url_name, kwargs=kwargs) + query)
    assert page.locator("h1").count() == 1
    assert page.locator("script:not([src]), [style], [onclick], [onchange], [onsubmit]").count() == 0  # CSP
    assert_accessible(page)
    screenshot(name)


def test_status_form_with_errors_is_accessible(page, browser_login, make_user, site_data, assert_accessible, screenshot):
    browser_login(make_user(Role.REGIO_ADVISEUR, [Region.objects.get(slug=OWN)]))
    page.goto(reverse("agreements:status_edit", kwargs={"slug": OWN, "number": 1}))
    page.get_by_label("Status").select_option(label="Gerealiseerd")
    page.get_by_role("button", name="Opslaan").click()
    assert page.locator(".nldesign-error-summary").inner_text().startswith("Controleer het formulier")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    screenshot("status-foutmelding")


def test_login_form_with_errors_is_accessible(page, browser_login, make_user, assert_accessible, screenshot):
    browser_login(make_user(Role.VNG_MEDEWERKER), password="fout-wachtwoord")
    username = page.get_by_label("Gebruikersnaam")
    assert username.get_attribute("aria-invalid") == "true"
    assert page.locator(f"#{username.get_attribute('aria-describedby')}").inner_text().startswith("Gebruikersnaam of")
    assert_accessible(page)
    screenshot("foutmelding")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(page, browser_login, make_user):
    browser_login(make_user(Role.VNG_MEDEWERKER))
    page.goto(reverse("regions:municipality_search"))
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Direct naar de inhoud")
    assert skip_link.evaluate("element => element === document.activeElement")
    assert skip_link.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is in the content (the breadcrumbs), not in the navigation
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_focus_is_visible_on_every_control(page, browser_login, make_user):
    browser_login(make_user(Role.BEHEERDER))
    page.keyboard.press("Tab")  # skip link
    for _ in range(6):
        page.keyboard.press("Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        tag = page.evaluate("document.activeElement.tagName")
        assert outline != "none", f"no focus outline on {tag}"


def test_pages_fit_a_phone_screen(page, browser_login, make_user, reference_data, assert_accessible, screenshot):
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(make_user(Role.REGIO_ADVISEUR))
    for name, url in [("regios", reverse("pages:home")), ("zoeken", reverse("regions:municipality_search") + "?q=Vlissingen")]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{url} scrolls sideways"
        assert page.get_by_role("button", name="Uitloggen").is_visible()
        assert_accessible(page)
        screenshot(f"telefoon-{name}")


def test_print_view_is_one_a4_landscape_page_without_navigation(page, browser_login, make_user, reference_data):
    browser_login(make_user(Role.VNG_MEDEWERKER))
    page.goto(reverse("pages:region_list"))  # one row per region
    assert page.locator("tbody tr").count() == Region.objects.count()
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Hoofdmenu").is_visible()
    assert not page.get_by_role("button", name="Uitloggen").is_visible()
    pdf = page.pdf(format="A4", landscape=True, prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1


def _pdf_pages(tab) -> int:
    pdf = tab.pdf(format="A4", landscape=True, prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def test_dashboard_matrix_prints_on_one_a4_landscape_page(page, browser_login, make_user, site_data):
    browser_login(make_user(Role.VNG_MEDEWERKER))
    page.goto(reverse("dashboard:index"))
    assert page.get_by_role("button", name="Afdrukken").is_visible()  # shown by static/js/print.js
    page.emulate_media(media="print")
    assert page.locator("table.matrix tbody tr").count() == Region.objects.count()
    for hidden in (
        page.get_by_role("navigation", name="Hoofdmenu"),
        page.get_by_role("button", name="Afdrukken"),
        page.locator(".dashboard-map"),
    ):
        assert not hidden.is_visible()
    assert _pdf_pages(page) == 1


def test_region_page_prints_without_navigation_or_buttons(page, browser_login, make_user, site_data):
    browser_login(make_user(Role.REGIO_ADVISEUR, [Region.objects.get(slug=OWN)]))
    page.goto(reverse("pages:region_detail", kwargs={"slug": OWN}))
    assert page.get_by_role("button", name="Afdrukken").is_visible()
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Hoofdmenu").is_visible()
    assert not page.get_by_role("button", name="Afdrukken").is_visible()
    assert page.locator(".nvo-agreement").count() == Agreement.objects.count()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert 1 <= _pdf_pages(page) <= 2


def test_screenshots_of_the_main_pages_also_at_phone_width(page, browser_login, make_user, site_data, screenshot):
    browser_login(make_user(Role.REGIO_ADVISEUR, [Region.objects.get(slug=OWN)]))
    pages = {
        "dashboard": reverse("dashboard:index"),
        "regio": reverse("pages:region_detail", kwargs={"slug": OWN}),
        "bewerken": reverse("agreements:status_edit", kwargs={"slug": OWN, "number": 1}),
    }
    for name, url in pages.items():
        page.goto(url)
        screenshot(name)
    page.goto(reverse("dashboard:index") + "?kaart=3")
    assert page.locator(".nvo-tile-map__link").count() == Region.objects.count()
    realised = page.locator(".nvo-tile-map__tile.nvo-status-4").first
    assert realised.evaluate("tile => getComputedStyle(tile).backgroundColor") != "rgb(255, 255, 255)"  # coloured
    full_page = screenshot("kaart")
    page.locator(".dashboard-map").screenshot(path=str(full_page.with_name(f"{full_page.stem}-uitsnede.png")))
    page.set_viewport_size({"width": 360, "height": 740})
    for name in ("dashboard", "regio"):
        page.goto(pages[name])
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{name} scrolls sideways"
        screenshot(f"telefoon-{name}")
    page.goto(pages["dashboard"])
    matrix = page.locator(".matrix-wrapper")
    assert matrix.evaluate("element => element.scrollWidth > element.clientWidth")  # the table scrolls in its box


# The public dashboard (PUBLIC_DASHBOARD): anonymous, this month released (site_data's statuses have no history,
# so last month's snapshot is all Onbekend). (test id, URL name, kwargs, query string)
PUBLIC_PAGES = [
    ("openbaar", "public:index", {}, ""),
    ("openbaar-kaart-afspraak", "public:index", {}, "?kaart=3"),
    ("openbaar-trend", "public:trend", {}, ""),
    ("openbaar-regio", "public:region", {"slug": OWN}, ""),
    ("openbaar-afspraak", "public:agreement", {"number": 2}, ""),
]


@pytest.fixture
def public_site(site_data, settings, make_user):
    from dashboard.models import DashboardSnapshot
    from dashboard.services import snapshot_release

    settings.PUBLIC_DASHBOARD = True
    newest = DashboardSnapshot.objects.order_by("month").last()
    snapshot_release(snapshot=newest, user=make_user(Role.VNG_MEDEWERKER))
    return newest


@pytest.mark.parametrize(("name", "url_name", "kwargs", "query"), PUBLIC_PAGES, ids=[p[0] for p in PUBLIC_PAGES])
def test_public_page_has_no_serious_accessibility_violations(
    page, public_site, assert_accessible, screenshot, name, url_name, kwargs, query
):
    page.goto(reverse(url_name, kwargs=kwargs) + query)
    assert page.locator("h1").count() == 1
    assert page.locator("script:not([src]), [style], [onclick], [onchange], [onsubmit]").count() == 0  # CSP
    assert page.get_by_role("link", name="Inloggen").is_visible()
    assert_accessible(page)
    screenshot(name)


def test_public_pages_work_without_javascript(browser, live_server, public_site):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(reverse("public:index"))
        tab.get_by_label("Kleur de regio's naar").select_option(value="3")
        tab.get_by_role("button", name="Toon kaart").click()
        assert "kaart=3" in tab.url
        assert tab.locator(".nvo-tile-map__tile.nvo-status-0, .nvo-tile-map__tile.nvo-status-1").count() > 0
        tab.get_by_role("link", name=Region.objects.get(slug=OWN).name, exact=True).first.click()
        assert tab.locator("h1").inner_text() == Region.objects.get(slug=OWN).name
        tab.get_by_role("link", name="Wie is verder op afspraak", exact=False).first.click()
        assert tab.locator("h1").inner_text().startswith("Wie is verder op afspraak")
    finally:
        context.close()


def test_public_matrix_prints_on_one_a4_landscape_page(page, public_site):
    page.goto(reverse("public:index"))
    page.emulate_media(media="print")
    assert page.locator("table.matrix tbody tr").count() == public_site.region_count
    for hidden in (page.locator(".public-nav"), page.locator(".dashboard-map"), page.get_by_role("link", name="Inloggen")):
        assert not hidden.is_visible()
    assert _pdf_pages(page) == 1


def test_account_pages_with_a_subject_and_with_errors_are_accessible(
    page, browser, live_server, browser_login, make_user, site_data, assert_accessible, screenshot
):
    from django.core import mail

    from accounts import services
    from accounts.tests.conftest import Mailbox

    beheerder = make_user(Role.BEHEERDER)
    invited = services.user_invite(
        actor=beheerder,
        email="nieuw@example.org",
        first_name="Nieuw",
        last_name="Lid",
        role=Role.REGIO_ADVISEUR,
        regions=[Region.objects.get(slug=OWN)],
    )
    link = Mailbox.link(mail.outbox[0]).replace("http://127.0.0.1:8000", "")
    browser_login(beheerder)
    page.goto(reverse("accounts:user_detail", kwargs={"pk": invited.pk}))
    assert_accessible(page)
    screenshot("gebruiker-uitgenodigd")
    page.goto(reverse("accounts:user_invite"))
    page.get_by_role("button", name="Uitnodiging versturen").click()  # everything missing: a message per field
    assert page.locator(".utrecht-form-field-error-message").count() >= 4
    assert_accessible(page)
    screenshot("uitnodigen-fouten")
    page.goto(reverse("accounts:user_detail", kwargs={"pk": beheerder.pk}))
    page.get_by_role("button", name="Nieuw API-token").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("API-token voor")
    assert_accessible(page)
    invitee = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    invitee.goto(link)
    invitee.get_by_role("button", name="Wachtwoord instellen").click()
    assert invitee.locator("h1").count() == 1
    assert_accessible(invitee)
    invitee.context.close()
