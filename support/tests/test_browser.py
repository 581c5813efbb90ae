"""A VNG-medewerker follows up a lagging region in a real browser (headless Chromium)."""

from datetime import timedelta

from django.utils import timezone

from accounts.roles import Role
from dashboard.tests.factories import lagging_snapshot
from regions.tests.factories import RegionFactory
from support.models import SupportAction


def test_vng_staff_log_a_support_action_and_find_it_on_the_follow_up_overview(page, browser_login, make_user, screenshot):
    lagging = RegionFactory(name="Regio Achterhoek")
    RegionFactory(name="Regio Voorop")
    # The dashboard decides who lags; here a snapshot with only its achterblijvers gives that answer directly.
    lagging_snapshot({lagging: "Vijf afspraken niet gestart"})
    vng = make_user(Role.VNG_MEDEWERKER, first_name="Vera", last_name="de Vries")
    browser_login(vng)

    page.goto("/opvolging/")
    row = page.get_by_role("row").filter(has_text="Regio Achterhoek")
    assert "Vijf afspraken niet gestart" in row.inner_text()
    assert "nog nooit contact" in row.inner_text()
    assert page.get_by_text("Regio Voorop").count() == 0
    row.get_by_role("link", name="Actie vastleggen").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Ondersteuningsactie vastleggen: Regio Achterhoek"
    page.get_by_label("Soort").select_option("gesprek")
    page.get_by_label("Samenvatting").fill("Telefonisch gesprek met de beleidsadviseur over de regiovisie.")
    page.get_by_label("Afgesproken vervolgstap").fill("Regio stuurt de planning van de regiovisie.")
    page.get_by_label("Vervolgstap uiterlijk").fill(f"{timezone.localdate() - timedelta(days=1):%Y-%m-%d}")
    page.get_by_role("button", name="Opslaan").click()

    assert page.get_by_role("status").inner_text() == "De ondersteuningsactie voor Regio Achterhoek is vastgelegd."
    row = page.get_by_role("row").filter(has_text="Regio Achterhoek")
    assert "Telefonisch gesprek met de beleidsadviseur" in row.inner_text()
    assert "Vera de Vries" in row.inner_text()
    assert "te laat" in row.inner_text()
    assert "nog nooit contact" not in row.inner_text() and "langer dan 3 maanden" not in row.inner_text()
    screenshot("opvolging")
    action = SupportAction.objects.get()
    assert (action.region, action.vng_staff, action.created_by, action.date) == (lagging, vng, vng, timezone.localdate())
