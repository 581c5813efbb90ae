"""Replacing the municipal division from a CSV: the invariants hold and the report says what moved."""

import io

import pytest
from django.core.management import CommandError, call_command

from agreements.models import AgreementStatus
from core.errors import ApplicationError
from regions.models import Municipality, Region
from regions.services import division_apply, division_rows_from_csv

pytestmark = pytest.mark.django_db

HEADER = "regiocode,regio,centrumgemeente,gemeente,gemeentecode\n"
BASE = HEADER + (
    "R1,Zeeland,Vlissingen,Vlissingen,GM0718\n"
    "R1,Zeeland,Vlissingen,Middelburg,GM0687\n"
    "R1,Zeeland,Vlissingen,Schouwen-Duiveland,GM1676\n"
    "R2,West-Brabant-West,Bergen op Zoom,Bergen op Zoom,GM0748\n"
    "R2,West-Brabant-West,Bergen op Zoom,Woensdrecht,GM0873\n"
)


def _apply(text):
    return division_apply(rows=division_rows_from_csv(text))


def test_first_load_creates_regions_and_municipalities():
    report = _apply(BASE)
    assert Region.objects.count() == 2
    zeeland = Region.objects.get(code="R1")
    assert zeeland.slug == "zeeland"
    assert zeeland.centrumgemeente.name == "Vlissingen"
    assert len(report.municipalities_created) == 5


def test_replacement_reports_moves_renames_removals_and_new_centrumgemeente():
    _apply(BASE)
    replacement = HEADER + (
        "R1,Zeeland,Middelburg (Z.),Vlissingen,GM0718\n"
        "R1,Zeeland,Middelburg (Z.),Middelburg (Z.),GM0687\n"
        "R2,West-Brabant-West,Bergen op Zoom,Bergen op Zoom,GM0748\n"
        "R2,West-Brabant-West,Bergen op Zoom,Woensdrecht,GM0873\n"
        "R2,West-Brabant-West,Bergen op Zoom,Schouwen-Duiveland,GM1676\n"
    )
    report = _apply(replacement)
    assert report.municipalities_moved == ["Schouwen-Duiveland: Zeeland → West-Brabant-West"]
    assert report.municipalities_renamed == ["Middelburg → Middelburg (Z.) (GM0687)"]
    assert report.centrumgemeenten_changed == ["Zeeland: Vlissingen → Middelburg (Z.)"]
    assert Municipality.objects.get(cbs_code="GM1676").region.code == "R2"
    assert Region.objects.get(code="R1").centrumgemeente.cbs_code == "GM0687"
    assert _apply(replacement).lines() == ["Geen wijzigingen: de indeling was al zo."]


def test_municipality_missing_from_the_file_is_removed_and_reported():
    _apply(BASE)
    report = _apply(BASE.replace("R2,West-Brabant-West,Bergen op Zoom,Woensdrecht,GM0873\n", ""))
    assert report.municipalities_removed == ["Woensdrecht (GM0873, was West-Brabant-West)"]
    assert not Municipality.objects.filter(cbs_code="GM0873").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            BASE.replace("R2,West-Brabant-West,Bergen op Zoom,Bergen op Zoom,GM0748\n", ""),
            "centrumgemeente Bergen op Zoom is geen gemeente van deze regio",
        ),
        (BASE + "R2,West-Brabant-West,Bergen op Zoom,Tholen,GM0718\n", "Gemeentecode GM0718 staat meer dan eens"),
        (BASE + "R2,West-Brabant-West,Bergen op Zoom,Middelburg,GM0716\n", "Gemeente Middelburg staat meer dan eens"),
        (BASE + "R2,West-Brabant-West,Woensdrecht,Tholen,GM0716\n", "heeft meer dan één centrumgemeente"),
        (BASE + "R2,West-Brabant-West,Bergen op Zoom,Tholen,716\n", "heeft niet de vorm GM0000"),
        ("regio,gemeente\nZeeland,Vlissingen\n", "mist de kolom(men) regiocode, centrumgemeente, gemeentecode"),
        (HEADER + "R1,Zeeland,,Vlissingen,GM0718\n", "Regel 2: lege kolom(men) centrumgemeente"),
    ],
)
def test_invalid_division_is_refused_and_changes_nothing(text, message):
    _apply(BASE)
    before = list(Municipality.objects.values_list("cbs_code", "name", "region__code", "is_centrumgemeente"))
    with pytest.raises(ApplicationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _apply(text)
    assert list(Municipality.objects.values_list("cbs_code", "name", "region__code", "is_centrumgemeente")) == before


def test_a_region_missing_from_the_file_is_not_deleted():
    _apply(BASE)
    with pytest.raises(ApplicationError, match="West-Brabant-West ontbreken in het bestand"):
        _apply(HEADER + "R1,Zeeland,Vlissingen,Vlissingen,GM0718\n")
    assert Region.objects.count() == 2


def test_import_command_dry_run_changes_nothing_and_real_run_adds_statuses(tmp_path, reference_data):
    from regions.services import DIVISION_FILE

    text = DIVISION_FILE.read_text(encoding="utf-8")
    path = tmp_path / "indeling.csv"
    path.write_text(text + "BWMO99,Proefregio,Proefstad,Proefstad,GM9999\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_regio_indeling", str(path), "--dry-run", stdout=out)
    assert "Proefregio (BWMO99)" in out.getvalue()
    assert "Proefdraai" in out.getvalue()
    assert not Region.objects.filter(code="BWMO99").exists()

    call_command("import_regio_indeling", str(path), stdout=io.StringIO())
    assert AgreementStatus.objects.filter(region__code="BWMO99").count() == 8


def test_import_command_reports_a_broken_file_in_dutch(tmp_path, reference_data):
    path = tmp_path / "kapot.csv"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CommandError, match="niet lezen als UTF-8"):
        call_command("import_regio_indeling", str(path))
    with pytest.raises(CommandError, match="ontbreken in het bestand"):
        path.write_text(HEADER + "R1,Zeeland,Vlissingen,Vlissingen,GM0718\n", encoding="utf-8")
        call_command("import_regio_indeling", str(path))
