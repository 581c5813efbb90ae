"""The bound of a long text is visible while typing, in a real browser."""

from accounts.roles import Role
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory
from regions.tests.factories import RegionFactory


def test_the_explanation_shows_a_live_counter_and_stops_at_its_bound(page, browser_login, make_user):
    region = RegionFactory(slug="zeeland")
    AgreementStatusFactory(region=region, agreement=AgreementFactory(number=1))
    browser_login(make_user(Role.REGIO_ADVISEUR, [region]))
    page.goto("/regios/zeeland/afspraken/1/bewerken/")
    counter = page.locator(".nvo-text-counter").first
    assert counter.inner_text() == "0 van 5.000 tekens"
    page.get_by_label("Toelichting").fill("Werkgroep gestart.")
    assert counter.inner_text() == "18 van 5.000 tekens"
    page.get_by_label("Toelichting").fill("x" * 6000)  # the browser keeps the maxlength as a paste would
    assert counter.inner_text() == "5.000 van 5.000 tekens"
    assert "teller" in page.get_by_label("Toelichting").get_attribute("aria-describedby")
