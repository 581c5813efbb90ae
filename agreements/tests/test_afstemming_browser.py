"""Afstemming end to end in headless Chromium: adviser changes, region disagrees, adviser changes again, region
agrees, and the matrix shows it afgestemd."""

from django.utils import timezone

from accounts.roles import Role
from agreements.models import Afstemming, AfstemmingStep, AgreementStatus, Status
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory
from dashboard.services import dashboard_rebuild
from regions.tests.factories import RegionFactory


def _sign_out(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


def test_adviser_changes_region_disagrees_adviser_changes_again_region_agrees_matrix_shows_afgestemd(
    page, browser_login, make_user, screenshot, assert_accessible
):
    region = RegionFactory(name="Regio Zeeland")
    for number in range(1, 9):
        AgreementStatusFactory(region=region, agreement=AgreementFactory(number=number))
    adviseur = make_user(Role.REGIO_ADVISEUR, [region])
    regio = make_user(Role.REGIO_GEBRUIKER, [region])

    # The adviser changes afspraak 2.
    browser_login(adviseur)
    page.goto(f"/regios/{region.slug}/afspraken/2/bewerken/")
    page.get_by_label("Status").select_option(label="In voorbereiding")
    page.get_by_label("Toelichting").fill("Werkgroep gestart.")
    page.get_by_role("button", name="Opslaan").click()
    assert "Ter afstemming" in page.locator("#afspraak-2").inner_text()
    _sign_out(page)

    # The region's user sees it ter afstemming on Mijn regio's and disagrees with a reason.
    browser_login(regio)
    page.goto("/mijn-regios/")
    awaiting = page.get_by_role("region", name="Wacht op uw afstemming")
    assert "2. Afspraak 2" in awaiting.inner_text() and "Ter afstemming" in awaiting.inner_text()
    awaiting.get_by_role("link", name="Bekijken of niet akkoord van afspraak 2").click()
    page.get_by_role("button", name="Niet akkoord").click()  # without a reason first
    assert "Vul de reden in waarom u het niet eens bent." in page.locator("main").inner_text()
    page.get_by_label("Waarom bent u het niet eens met deze status?").fill("De werkgroep is al klaar; wij zijn in uitvoering.")
    page.get_by_role("button", name="Niet akkoord").click()
    assert "niet akkoord vastgelegd" in page.get_by_role("status").inner_text()
    assert "Reden: De werkgroep is al klaar" in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot("niet-akkoord")
    _sign_out(page)

    # The adviser sees the disagreement in the overview and changes the status again (which asks again).
    browser_login(adviseur)
    page.goto("/afstemming/")
    overview_row = page.get_by_role("row", name="Regio Zeeland")
    assert "Niet akkoord" in overview_row.inner_text() and "De werkgroep is al klaar" in overview_row.inner_text()
    overview_row.get_by_role("link", name="Afspraak 2 van Regio Zeeland").click()
    page.get_by_role("link", name="Status wijzigen").click()
    page.get_by_label("Status").select_option(label="In uitvoering")
    page.get_by_role("button", name="Opslaan").click()
    assert "Ter afstemming" in page.locator("#afspraak-2").inner_text()
    _sign_out(page)

    # The region agrees with one click on its region page.
    browser_login(regio)
    page.goto(f"/regios/{region.slug}/")
    page.locator("#afspraak-2").get_by_role("button", name="Akkoord met Regio Zeeland, afspraak 2").click()
    assert "afgestemd. Dank u wel." in page.get_by_role("status").inner_text()
    assert "✓ Afgestemd" in page.locator("#afspraak-2").inner_text()
    agreement_status = AgreementStatus.objects.get(region=region, agreement__number=2)
    assert (agreement_status.status, agreement_status.afstemming, agreement_status.afstemming_by) == (
        Status.IN_UITVOERING,
        Afstemming.AFGESTEMD,
        regio,
    )
    assert list(AfstemmingStep.objects.filter(agreement_status=agreement_status).order_by("at", "id").values_list("step", flat=True)) == [
        "ter_afstemming",
        "niet_akkoord",
        "ter_afstemming",
        "afgestemd",
    ]

    # The month's matrix shows it afgestemd, in text and icon.
    dashboard_rebuild(month=timezone.localdate().replace(day=1))
    page.goto("/dashboard/")
    cell = page.get_by_role("row", name="Regio Zeeland").locator("td.status").nth(1)
    assert "UV✓" in cell.inner_text() and "afspraak 2: In uitvoering, afgestemd" in cell.inner_text()
    assert "Afgestemd met de regio's: 1 van 8 statussen" in page.locator("main").inner_text()
    screenshot("matrix-afgestemd")
