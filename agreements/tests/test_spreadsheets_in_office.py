"""The exported spreadsheet as a spreadsheet user opens it: LibreOffice (headless, Debian's package) converts it to
CSV and PDF, and we read what it shows."""

import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from agreements.models import AgreementStatus, Status
from agreements.spreadsheets import status_palette
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory
from regions.tests.factories import RegionFactory

pytestmark = [pytest.mark.office, pytest.mark.django_db]
SOFFICE = shutil.which("soffice")


@pytest.fixture
def export(client, make_user):
    agreements = [AgreementFactory(number=n, title=f"Een lange titel van afspraak {n} die moet passen") for n in range(1, 9)]
    for name in ("=1+1", "+31 Noord", "@Oost", "Zeeland"):
        region = RegionFactory(name=name)
        for agreement in agreements:
            AgreementStatusFactory(region=region, agreement=agreement, status=Status.IN_VOORBEREIDING)
    AgreementStatus.objects.filter(region__name="Zeeland", agreement__number=1).update(status=Status.GEREALISEERD)
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    response = client.get(reverse("agreements:status_export", args=["xlsx"]))
    assert response.status_code == 200
    return response.content


def _convert(tmp_path, body: bytes, target: str) -> bytes:
    if SOFFICE is None:
        pytest.fail("LibreOffice (soffice) is missing: scripts/install.sh --dev installs libreoffice-calc-nogui")
    source = tmp_path / "export.xlsx"
    source.write_bytes(body)
    profile = tmp_path / "profile"  # a private profile, so parallel runs never share LibreOffice's lock
    subprocess.run(  # noqa: S603 - Debian's soffice on our own file
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target, "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (tmp_path / f"export.{target.split(':')[0]}").read_bytes()


def test_libreoffice_shows_formula_like_names_as_text_and_the_dutch_statuses(tmp_path, export):
    text = _convert(tmp_path, export, "csv:Text - txt - csv (StarCalc):59,34,76").decode("utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("Code;Regio;Centrumgemeente;Afspraak 1 – Een lange titel")
    regions = {line.split(";")[1] for line in lines[1:]}
    assert {"=1+1", "+31 Noord", "@Oost", "Zeeland"} <= regions  # not 2, not a formula error
    zeeland = next(line for line in lines if ";Zeeland;" in line)
    assert "Gerealiseerd" in zeeland and "In voorbereiding" in zeeland


def test_libreoffice_prints_the_table_on_one_landscape_a4_page(tmp_path, export):
    pdf = _convert(tmp_path, export, "pdf")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    width, height = (float(v) for v in re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", pdf).groups())
    assert width > height and round(width) in (841, 842)  # A4 landscape in points


def test_the_sheet_has_filter_frozen_header_widths_and_the_apps_status_colours(export):
    sheet = load_workbook(io.BytesIO(export)).worksheets[0]
    assert sheet.auto_filter.ref == sheet.dimensions and sheet.freeze_panes == "D2"
    assert sheet.cell(row=1, column=4).alignment.wrap_text
    assert sheet.column_dimensions["B"].width >= 30 and sheet.column_dimensions["D"].width >= len("In voorbereiding")
    zeeland = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "Zeeland")
    fill, text = status_palette()[Status.GEREALISEERD]
    assert zeeland[3].value == "Gerealiseerd" and zeeland[3].fill.fgColor.rgb.endswith(fill)
    assert zeeland[3].font.color.rgb.endswith(text)
    formula = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "=1+1")
    assert formula[1].data_type == "s"
