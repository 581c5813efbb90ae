"""Signing in and out in a real browser (headless Chromium)."""

from accounts.roles import Role
from regions.tests.factories import RegionFactory


def test_user_signs_in_sees_the_regions_and_signs_out(page, browser_login, make_user, screenshot):
    RegionFactory(name="Regio Zeeland")
    browser_login(make_user(Role.VNG_MEDEWERKER))
    assert page.get_by_role("heading", level=1).inner_text() == "Landelijk dashboard"  # VNG staff start there
    page.get_by_role("link", name="Regio's", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "MO-BW-regio's"
    assert page.get_by_text("Regio Zeeland").is_visible()
    screenshot("ingelogd")
    page.get_by_role("button", name="Uitloggen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "U bent uitgelogd"
    page.get_by_role("link", name="Opnieuw inloggen").click()
    assert page.get_by_role("heading", name="Inloggen").is_visible()


def test_wrong_password_gets_a_dutch_message(page, browser_login, make_user):
    browser_login(make_user(Role.VNG_MEDEWERKER), password="fout-wachtwoord")
    assert page.get_by_role("alert").inner_text().startswith("Gebruikersnaam of wachtwoord is onjuist")
