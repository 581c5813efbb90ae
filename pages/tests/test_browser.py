"""Paging through a long region list in a real browser (headless Chromium)."""

from accounts.roles import Role
from regions.tests.factories import RegionFactory


def test_a_user_pages_through_more_than_100_regions_and_keeps_the_search(page, browser_login, make_user, assert_accessible, screenshot):
    for number in range(150):
        RegionFactory(name=f"Regio {number:03d}", slug=f"regio-{number:03d}")
    RegionFactory(name="Zeeland", slug="zeeland")
    browser_login(make_user(Role.VNG_MEDEWERKER))
    page.goto("/regios/")
    pager = page.get_by_role("navigation", name="Pagina's van de regiolijst")
    assert "151 regio's." in page.locator("main").inner_text()
    assert "Regio 1–100 van 151." in pager.inner_text()
    assert page.locator("tbody tr").count() == 100
    assert pager.get_by_role("link", name="1", exact=True).get_attribute("aria-current") == "page"
    assert_accessible(page)

    pager.get_by_role("link", name="Volgende").click()
    assert page.locator("tbody tr").count() == 51
    assert page.get_by_role("link", name="Zeeland").is_visible()
    assert pager.get_by_role("link", name="2", exact=True).get_attribute("aria-current") == "page"
    assert pager.get_by_role("link", name="Volgende").count() == 0
    screenshot("tweede-pagina")

    page.get_by_label("Regio of centrumgemeente").fill("regio 1")
    page.get_by_role("button", name="Filteren").click()
    assert "50 regio's met “regio 1”" in page.locator("main").inner_text()  # Regio 100 to 149: one page
    assert pager.count() == 0
    page.get_by_label("Regio of centrumgemeente").fill("regio")
    page.get_by_role("button", name="Filteren").click()
    assert page.locator("tbody tr").count() == 100
    pager.get_by_role("link", name="Volgende").click()
    assert "150 regio's met “regio”" in page.locator("main").inner_text()
    assert page.locator("tbody tr").count() == 50 and page.get_by_role("link", name="Regio 149").is_visible()
    assert page.get_by_label("Regio of centrumgemeente").input_value() == "regio"
    pager.get_by_role("link", name="Vorige").click()
    assert page.locator("tbody tr").count() == 100 and page.get_by_role("link", name="Regio 000").is_visible()
