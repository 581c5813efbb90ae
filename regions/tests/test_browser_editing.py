"""A regio-adviseur updates a status in a real browser (headless Chromium) and finds it in the history."""

from accounts.roles import Role
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory
from regions.tests.factories import RegionFactory


def test_adviseur_edits_a_status_and_sees_it_in_the_history(page, browser_login, make_user, screenshot):
    region = RegionFactory(name="Zeeland", slug="zeeland")
    for number in range(1, 9):
        AgreementStatusFactory(region=region, agreement=AgreementFactory(number=number))
    browser_login(make_user(Role.REGIO_ADVISEUR, [region], first_name="Anouk", last_name="Visser"))

    assert page.get_by_role("heading", level=1).inner_text() == "Mijn regio's"
    page.get_by_role("link", name="Zeeland").click()
    page.get_by_role("link", name="Bewerk afspraak 2").click()
    page.get_by_label("Status").select_option(label="In voorbereiding")
    page.get_by_label("Toelichting").fill("Werkgroep is gestart met de regiovisie.")
    page.get_by_label("Onderbouwing (links)").fill("https://example.org/zeeland/werkgroep")
    screenshot("formulier")
    page.get_by_role("button", name="Opslaan").click()

    assert page.get_by_role("status").inner_text() == "De status van afspraak 2 is opgeslagen."
    assert page.get_by_text("Werkgroep is gestart met de regiovisie.").is_visible()
    screenshot("opgeslagen")
    page.get_by_role("link", name="Geschiedenis van deze regio").click()
    entry = page.get_by_role("row").filter(has_text="Afspraak 2")
    assert "Anouk Visser" in entry.inner_text()
    assert "In voorbereiding" in entry.inner_text()
    screenshot("geschiedenis")


def test_edit_page_warns_before_the_session_expires(page, browser_login, make_user, settings):
    settings.SESSION_COOKIE_AGE = 5 * 60 + 1  # the warning shows five minutes before the end: after one second
    region = RegionFactory(slug="zeeland")
    AgreementStatusFactory(region=region, agreement=AgreementFactory(number=1))
    browser_login(make_user(Role.REGIO_ADVISEUR, [region]))
    page.goto("/regios/zeeland/afspraken/1/bewerken/")
    warning = page.get_by_text("Uw sessie verloopt over enkele minuten")
    warning.wait_for(state="visible", timeout=5_000)


def test_a_fresh_edit_form_shows_no_session_warning(page, browser_login, make_user):
    """The warning element carries `hidden`; `.utrecht-alert {display: flex}` must not make it visible."""
    region = RegionFactory(slug="zeeland")
    AgreementStatusFactory(region=region, agreement=AgreementFactory(number=1))
    browser_login(make_user(Role.REGIO_ADVISEUR, [region]))
    for url in (
        "/regios/zeeland/afspraken/1/bewerken/",
        "/regios/zeeland/contactpersonen/bewerken/",
        "/regios/zeeland/regiovisie/bewerken/",
    ):
        page.goto(url)
        warning = page.locator(".session-warning")
        assert warning.count() == 1, url
        assert not warning.is_visible(), url
        assert page.evaluate("getComputedStyle(document.querySelector('.session-warning')).display") == "none", url
