"""Layout on a desktop (1280 px) and a phone (360 px): no sideways scrolling, no words broken letter by letter, a
menu that collapses on small screens without JavaScript, a matrix whose region column stays in view, and a region
page that prints as a short A4 summary. Screenshots go to test-artifacts/."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import FACTORY_PASSWORD
from agreements.models import AgreementStatus, Status
from dashboard.services import dashboard_rebuild
from regions.models import ContactPerson, Region
from regions.tests.factories import ContactPersonFactory

WIDTHS = (1280, 360)

# A text node shown on more lines than it has words (parts between spaces and hyphens, where a line may end) has had
# a word broken. Long URLs may break (they are one
# "word" that can be wider than a phone); hidden text and text in elements that scroll sideways are not read.
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, element = node.parentElement;
    const words = node.textContent.trim().split(/[\\s\\-]+/).filter(Boolean);
    if (!words.length || element.closest('.nvo-visually-hidden, .nvo-links, [hidden], script, style')) continue;
    if (element.closest('a[href^="mailto:"], a[href^="http"]')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    if (lines.size > words.length) broken.push(node.textContent.trim().slice(0, 60));
  }
  return broken;
}"""


@pytest.fixture
def region_data(reference_data):
    """Zeeland with long texts and evidence links, contacts everywhere, and a dashboard snapshot."""
    zeeland = Region.objects.get(slug="zeeland")
    for agreement_status in AgreementStatus.objects.filter(region=zeeland):
        agreement_status.status = Status.IN_UITVOERING if agreement_status.agreement.number % 2 else Status.NIET_GESTART
        agreement_status.explanation = "Werkgroepvergadering met alle ketenpartners en zorgaanbieders. " * 6
        agreement_status.evidence_links = [
            f"https://example.org/zeeland/besluiten/afspraak-{agreement_status.agreement.number}-raadsvoorstel"
        ]
        agreement_status.save()
    AgreementStatus.objects.exclude(region=zeeland).filter(agreement__number=2).update(status=Status.GEREALISEERD)
    for region in Region.objects.all():
        ContactPersonFactory(region=region, kind=ContactPerson.Kind.AMBTELIJK)
    dashboard_rebuild(month=timezone.localdate().replace(day=1))
    return zeeland


def _assert_reads_well(tab, what: str):
    sizes = tab.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert sizes[0] <= sizes[1], f"{what} is wider than the window: {sizes}"
    assert tab.evaluate(BROKEN_WORDS) == [], f"{what} breaks words letter by letter"


@pytest.mark.parametrize("width", WIDTHS)
def test_region_page_reads_at_desktop_and_phone_width(page, browser_login, make_user, region_data, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(make_user(Role.REGIO_ADVISEUR, [region_data]))
    page.goto(reverse("pages:region_detail", kwargs={"slug": "zeeland"}))
    assert page.locator(".nvo-agreement").count() == 8  # one card per agreement
    _assert_reads_well(page, f"the region page at {width} px")
    screenshot(f"regio-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_main_pages_fit_at_desktop_and_phone_width(page, browser_login, make_user, region_data, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(make_user(Role.VNG_MEDEWERKER))
    for name, url in [
        ("dashboard", reverse("dashboard:index")),
        ("achterblijvers", reverse("dashboard:lagging")),
        ("opvolging", reverse("pages:follow_up")),
        ("regios", reverse("pages:region_list")),
        ("verder", reverse("agreements:peers", kwargs={"number": 2}) + "?regio=zeeland"),
        ("geschiedenis", reverse("pages:region_history", kwargs={"slug": "zeeland"})),
    ]:
        page.goto(url)
        _assert_reads_well(page, f"{url} at {width} px")
        screenshot(f"{name}-{width}")


@pytest.mark.browser
def test_menu_collapses_on_a_phone_and_opens_without_javascript(browser, live_server, transactional_db, make_user, region_data):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport={"width": 360, "height": 740})
    tab = context.new_page()
    user = make_user(Role.VNG_MEDEWERKER)
    tab.goto("/inloggen/")
    tab.get_by_label("Gebruikersnaam").fill(user.username)
    tab.get_by_label("Wachtwoord").fill(FACTORY_PASSWORD)
    tab.get_by_role("button", name="Inloggen").click()
    tab.goto(reverse("pages:region_list"))
    menu = tab.get_by_role("navigation", name="Hoofdmenu")
    assert menu.count() == 1  # one menu at a time for assistive technology
    assert not menu.get_by_role("link", name="Opvolging").is_visible()
    menu.get_by_text("Menu").click()
    assert menu.get_by_role("link", name="Opvolging").is_visible()
    tab.set_viewport_size({"width": 1280, "height": 900})
    menu = tab.get_by_role("navigation", name="Hoofdmenu")
    assert menu.get_by_role("link", name="Opvolging").is_visible()
    assert not tab.get_by_text("Menu", exact=True).is_visible()
    context.close()


def test_matrix_keeps_the_region_column_in_view_while_it_scrolls_sideways(page, browser_login, make_user, region_data, screenshot):
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(make_user(Role.VNG_MEDEWERKER))
    page.goto(reverse("dashboard:index"))
    wrapper = page.locator(".matrix-wrapper")
    assert wrapper.evaluate("element => element.scrollWidth > element.clientWidth")
    first_region = page.locator(".matrix tbody th").first
    before = first_region.bounding_box()["x"]
    wrapper.evaluate("element => { element.scrollLeft = 300; }")
    assert first_region.bounding_box()["x"] == before  # sticky: it did not move with the cells
    assert page.locator(".matrix tbody td").first.bounding_box()["x"] < before + first_region.bounding_box()["width"]
    screenshot("matrix-gescrold")


def test_region_page_prints_as_a_short_a4_summary(page, browser_login, make_user, region_data):
    browser_login(make_user(Role.REGIO_ADVISEUR, [region_data]))
    page.goto(reverse("pages:region_detail", kwargs={"slug": "zeeland"}))
    page.emulate_media(media="print")
    for hidden in ("Bewerk afspraak 1", "Aanspreekpunten bewerken", "Geschiedenis van deze regio"):
        assert not page.get_by_role("link", name=hidden).is_visible()
    assert not page.get_by_role("navigation", name="Hoofdmenu").is_visible()
    assert not page.get_by_role("heading", name="Wie is verder?").is_visible()
    pdf = page.pdf(format="A4", landscape=True, prefer_css_page_size=True)
    assert 1 <= len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) <= 2
