"""Importing statuses from a spreadsheet in a real browser (headless Chromium)."""

from openpyxl import load_workbook

from accounts.roles import Role
from agreements.models import AgreementStatus, Status, StatusChange
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory
from regions.tests.factories import RegionFactory


def test_adviseur_downloads_edits_uploads_previews_and_confirms(page, browser_login, make_user, screenshot, tmp_path):
    region = RegionFactory(name="Regio Zeeland")
    for number in range(1, 9):
        AgreementStatusFactory(region=region, agreement=AgreementFactory(number=number))
    adviseur = make_user(Role.REGIO_ADVISEUR, [region])
    browser_login(adviseur)

    page.goto("/importeren/")
    with page.expect_download() as download:
        page.get_by_role("link", name="huidige stand als Excel-bestand").click()
    path = tmp_path / "stand.xlsx"
    download.value.save_as(path)
    workbook = load_workbook(path)
    workbook.active["E2"] = "In uitvoering"  # afspraak 2
    workbook.save(path)

    page.get_by_label("Excel-bestand (.xlsx)").set_input_files(path)
    page.get_by_role("button", name="Voorvertoning bekijken").click()
    row = page.get_by_role("row", name="Regio Zeeland")
    assert row.inner_text().split("\t") == ["Regio Zeeland", "2", "Onbekend", "In uitvoering"]
    assert StatusChange.objects.count() == 0
    screenshot("voorvertoning")

    page.get_by_role("button", name="Bevestigen").click()
    assert "Import opgeslagen: 1 status(sen) gewijzigd." in page.get_by_role("status").inner_text()
    assert AgreementStatus.objects.get(region=region, agreement__number=2).status == Status.IN_UITVOERING
    assert StatusChange.objects.get().changed_by == adviseur
