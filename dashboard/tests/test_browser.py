"""With demo data loaded and the rebuild command run, the dashboard works in a real browser (headless Chromium)."""

import io

from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from demo.services import DEMO_PASSWORD
from regions.models import Region


def test_vng_staff_see_the_matrix_the_trend_chart_and_the_lagging_regions(page, browser_login, screenshot):
    out = io.StringIO()
    for command in ["load_reference_data", "load_demo_data", "rebuild_dashboard"]:
        call_command(command, stdout=out)
    browser_login(User.objects.get(username="vng"), password=DEMO_PASSWORD)

    page.goto("/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "Landelijk dashboard"
    matrix = page.locator("table.matrix")
    assert matrix.locator("tbody tr").count() == Region.objects.count()
    assert matrix.get_by_role("rowheader", name="Zeeland").is_visible()
    assert "Peildatum" in page.locator(".snapshot-dates").inner_text()
    screenshot("matrix")

    page.get_by_label("Maand").select_option(index=12)
    page.get_by_role("button", name="Toon", exact=True).click()  # not "Toon kaart"
    assert "maand=" in page.url and page.locator("table.matrix tbody tr").count() == Region.objects.count()

    page.get_by_role("link", name="Trend", exact=True).first.click()  # .first: the main menu may link it too
    assert page.get_by_role("img", name="Landelijk (alle afspraken): aandeel regio's per status per maand").is_visible()
    assert page.locator("svg.trend-chart").count() == 9
    assert page.locator("svg.trend-chart").first.locator("rect").count() >= 25
    screenshot("trend")

    page.get_by_role("link", name="Achterblijvers", exact=True).first.click()
    assert page.get_by_text("laagste kwartiel van het land").first.is_visible()
    assert page.locator("table.lagging tbody tr").count() >= Region.objects.count() // 4  # at least the lowest quartile
    screenshot("achterblijvers")


def test_a_past_month_shows_zeewolde_in_flevoland_and_its_region_page_shows_the_move(
    page, browser_login, make_user, reference_data, screenshot
):
    from datetime import date

    from dashboard.services import dashboard_rebuild

    dashboard_rebuild(month=date(2023, 12, 1))
    browser_login(make_user(Role.VNG_MEDEWERKER))
    page.goto("/dashboard/?maand=2023-12")
    page.get_by_text("Regio-indeling van deze momentopname").click()
    flevoland = page.locator(".nvo-division li", has_text="Flevoland (centrumgemeente Almere)")
    assert "Zeewolde" in flevoland.inner_text()
    assert "Zeewolde" not in page.locator(".nvo-division li", has_text="Noord-Veluwe").inner_text()
    screenshot("indeling-december-2023")

    page.goto(reverse("pages:region_detail", kwargs={"slug": "noord-veluwe"}))
    assert page.get_by_text("Zeewolde hoort sinds 1 januari 2024 bij deze regio.").is_visible()
    assert page.get_by_text("Bron indeling: Regioplan BW/MO Noord-Veluwe 2020-2023").is_visible()
    page.goto(reverse("pages:region_detail", kwargs={"slug": "flevoland"}))
    assert page.get_by_text("Zeewolde hoorde van 1 januari 2022 tot 1 januari 2024 bij deze regio.").is_visible()
