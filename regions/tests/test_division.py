"""The dated division: an import takes effect on a day, keeps what came before, reports per region and refuses
bad input whole, with a Dutch line per problem."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.roles import Role
from agreements.models import AgreementStatus
from agreements.tests.factories import AgreementFactory
from core.errors import ApplicationError
from core.models import AuditEvent
from regions.division import MAX_DIVISION_BYTES, MAX_DIVISION_ROWS, division_import, division_preview, division_rows_from_csv
from regions.models import CentrumgemeenteTerm, Membership, Municipality, Region
from regions.selectors import division_on, former_regions

pytestmark = pytest.mark.django_db

HEADER = "regiocode,regio,centrumgemeente,gemeente,gemeentecode\n"
BASE = HEADER + (
    "R1,Zeeland,Vlissingen,Vlissingen,GM0718\n"
    "R1,Zeeland,Vlissingen,Middelburg (Z.),GM0687\n"
    "R1,Zeeland,Vlissingen,Schouwen-Duiveland,GM1676\n"
    "R2,West-Brabant-West,Bergen op Zoom,Bergen op Zoom,GM0748\n"
    "R2,West-Brabant-West,Bergen op Zoom,Woensdrecht,GM0873\n"
)
START = date(2023, 1, 1)
MOVE = date(2024, 1, 1)


def _import(text, effective=START, **kwargs):
    return division_import(rows=division_rows_from_csv(text), effective=effective, **kwargs)


def _division_state():
    return (
        sorted(Membership.objects.values_list("municipality__cbs_code", "region__code", "valid_from", "valid_until")),
        sorted(CentrumgemeenteTerm.objects.values_list("region__code", "municipality__cbs_code", "valid_from", "valid_until")),
        sorted(Municipality.objects.values_list("cbs_code", "name", "region__code", "is_centrumgemeente")),
        sorted(Region.objects.values_list("code", "name", "slug")),
    )


def _regions_on(day):
    return {region.name: region.municipalities for region in division_on(day).values()}


def test_first_import_creates_regions_memberships_and_centrumgemeenten_from_the_effective_date():
    report = _import(BASE)
    zeeland = Region.objects.get(code="R1")
    assert (zeeland.slug, zeeland.centrumgemeente.name) == ("zeeland", "Vlissingen")
    assert Membership.objects.filter(valid_from=START, valid_until=None).count() == 5
    assert _regions_on(START - timedelta(days=1)) == {}
    assert _regions_on(START)["Zeeland"] == ["Middelburg (Z.)", "Schouwen-Duiveland", "Vlissingen"]
    assert "  - nieuwe regio" in report.lines()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DATA_CHANGE, object_description__contains="01-01-2023").exists()


def test_a_dated_move_keeps_the_old_membership_and_reports_per_region():
    _import(BASE)
    moved = BASE.replace("R1,Zeeland,Vlissingen,Schouwen-Duiveland,GM1676\n", "") + (
        "R2,West-Brabant-West,Bergen op Zoom,Schouwen-Duiveland,GM1676\n"
    )
    moved = moved.replace("R1,Zeeland,Vlissingen,", "R1,Zeeland,Middelburg (Z.),")
    preview = division_preview(rows=division_rows_from_csv(moved), effective=MOVE)
    assert preview.lines() == [
        "Ingangsdatum: 1 januari 2024",
        "West-Brabant-West:",
        "  - erbij: Schouwen-Duiveland (uit Zeeland)",
        "Zeeland:",
        "  - weg: Schouwen-Duiveland (naar West-Brabant-West)",
        "  - centrumgemeente: Vlissingen → Middelburg (Z.)",
    ]
    assert _import(moved, MOVE).lines() == preview.lines()

    schouwen = Municipality.objects.get(cbs_code="GM1676")
    assert list(schouwen.memberships.values_list("region__code", "valid_from", "valid_until")) == [
        ("R1", START, MOVE),
        ("R2", MOVE, None),
    ]
    assert "Schouwen-Duiveland" in _regions_on(MOVE - timedelta(days=1))["Zeeland"]
    assert "Schouwen-Duiveland" in _regions_on(MOVE)["West-Brabant-West"]
    assert schouwen.region.code == "R2"  # today's division
    assert division_on(MOVE - timedelta(days=1))[Region.objects.get(code="R1").pk].centrumgemeente == "Vlissingen"
    assert Region.objects.get(code="R1").centrumgemeente.name == "Middelburg (Z.)"
    # The same file again changes nothing.
    before = _division_state()
    assert _import(moved, MOVE).lines()[-1] == "Geen wijzigingen: de indeling was al zo."
    assert _division_state() == before


def test_renames_and_removals_are_reported_and_the_removed_municipality_keeps_its_past():
    _import(BASE)
    changed = BASE.replace("R2,West-Brabant-West,Bergen op Zoom,Woensdrecht,GM0873\n", "").replace("West-Brabant-West", "West-Brabant West")
    report = _import(changed, MOVE)
    assert "West-Brabant West:" in report.lines()
    assert "  - hernoemd: West-Brabant-West → West-Brabant West" in report.lines()
    assert "  - uit de indeling: Woensdrecht (GM0873)" in report.lines()
    woensdrecht = Municipality.objects.get(cbs_code="GM0873")
    assert woensdrecht.region is None
    assert list(woensdrecht.memberships.values_list("valid_from", "valid_until")) == [(START, MOVE)]
    assert Region.objects.get(code="R2").slug == "west-brabant-west"


def test_a_region_the_import_leaves_out_ends_and_keeps_its_statuses(make_user):
    AgreementFactory(number=1)
    _import(BASE)
    from agreements.services import statuses_ensure_all

    statuses_ensure_all()
    merged = HEADER + "".join(
        f"R1,Zeeland,Vlissingen,{name},{code}\n"
        for name, code in (
            ("Vlissingen", "GM0718"),
            ("Middelburg (Z.)", "GM0687"),
            ("Schouwen-Duiveland", "GM1676"),
            ("Bergen op Zoom", "GM0748"),
            ("Woensdrecht", "GM0873"),
        )
    )
    report = _import(merged, MOVE)
    assert "  - houdt op te bestaan (geschiedenis, statussen en momentopnamen blijven bewaard)" in report.lines()
    ended = Region.objects.get(code="R2")
    assert AgreementStatus.objects.filter(region=ended).exists()
    assert [(r.code, r.existed_from, r.existed_until) for r in former_regions()] == [("R2", START, MOVE)]
    assert "West-Brabant-West" in _regions_on(MOVE - timedelta(days=1))
    assert "West-Brabant-West" not in _regions_on(MOVE)


@pytest.mark.parametrize(
    ("text", "effective", "message"),
    [
        (
            BASE + "R2,West-Brabant-West,Bergen op Zoom,Proefstad,GM9999\n",
            START,
            "Regel 7: gemeentecode 'GM9999' (Proefstad) is geen bekende CBS-gemeentecode.",
        ),
        (BASE + "R2,West-Brabant-West,Bergen op Zoom,Vlissingen,GM0718\n", START, "Regel 7: Vlissingen (GM0718) staat al op regel 2."),
        (
            BASE + "R2,West-Brabant-West,Bergen op Zoom,Middelburg (Z.),GM0716\n",
            START,
            "Regel 7: gemeente Middelburg (Z.) staat al op regel 3.",
        ),
        (BASE + "R3,Tholen,,Tholen,GM0716\n", START, "Regel 7: regio Tholen heeft geen centrumgemeente."),
        (
            BASE.replace("R2,West-Brabant-West,Bergen op Zoom,Bergen op Zoom,GM0748\n", ""),
            START,
            "centrumgemeente Bergen op Zoom is vanaf 01-01-2023 geen gemeente van regio West-Brabant-West",
        ),
        (BASE + "R2,West-Brabant-West,Woensdrecht,Tholen,GM0716\n", START, "meer dan één centrumgemeente"),
        (BASE + "R2,West-Brabant-West,Bergen op Zoom,Tholen,716\n", START, "Regel 7: gemeentecode '716' (Tholen)"),
        (BASE, date(2022, 12, 31), "ligt voor de laatste wijziging van de indeling (01-01-2023)"),
        (BASE, timezone.localdate() + timedelta(days=1), "ligt in de toekomst"),
        ("regio,gemeente\nZeeland,Vlissingen\n", START, "mist de kolom(men) regiocode, centrumgemeente, gemeentecode"),
        (
            HEADER.strip() + ",bron,bron_datum,zekerheid\nR1,Zeeland,Vlissingen,Vlissingen,GM0718,x,2020-01-01,zeker\n",
            START,
            "Regel 2: zekerheid 'zeker' is onbekend",
        ),
    ],
)
def test_bad_input_is_refused_whole_and_changes_nothing(text, effective, message):
    _import(BASE)
    before = _division_state()
    with pytest.raises(ApplicationError) as refused:
        _import(text, effective)
    assert message in refused.value.message
    assert refused.value.message.startswith("De indeling is niet geldig") or "mist de kolom" in refused.value.message
    assert _division_state() == before


def test_every_problem_is_named_at_once():
    text = HEADER + "R1,Zeeland,,Vlissingen,GM0718\nR1,Zeeland,Vlissingen,Proef,GM9999\nR1,Zeeland,Vlissingen,Vlissingen,GM0718\n"
    with pytest.raises(ApplicationError) as refused:
        _import(text)
    lines = refused.value.message.splitlines()
    assert "Regel 2: regio Zeeland heeft geen centrumgemeente." in lines
    assert any(line.startswith("Regel 3: gemeentecode 'GM9999'") for line in lines)
    assert "Regel 4: Vlissingen (GM0718) staat al op regel 2." in lines


def test_row_and_size_bounds_are_refused_just_over_the_limit():
    row = "R1,Zeeland,Vlissingen,Vlissingen,GM0718\n"
    assert len(division_rows_from_csv(HEADER + row * MAX_DIVISION_ROWS)) == MAX_DIVISION_ROWS
    with pytest.raises(ApplicationError, match=f"de grens is {MAX_DIVISION_ROWS}"):
        division_rows_from_csv(HEADER + row * (MAX_DIVISION_ROWS + 1))
    with pytest.raises(ApplicationError, match="groter dan 1 MB"):
        division_rows_from_csv(HEADER + "#" * (MAX_DIVISION_BYTES - len(HEADER) + 1))


def test_only_a_beheerder_may_change_the_division(make_user):
    with pytest.raises(PermissionDenied):
        _import(BASE, user=make_user(Role.REGIO_ADVISEUR))
    assert not Region.objects.exists()
    _import(BASE, user=make_user(Role.BEHEERDER))
    assert Region.objects.count() == 2


def test_the_database_refuses_overlapping_memberships_and_two_centrumgemeenten_at_once():
    _import(BASE)
    vlissingen = Municipality.objects.get(cbs_code="GM0718")
    other = Region.objects.get(code="R2")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(municipality=vlissingen, region=other, valid_from=date(2020, 1, 1), valid_until=date(2023, 6, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(municipality=vlissingen, region=other, valid_from=date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(municipality=vlissingen, region=other, valid_from=date(2020, 1, 1), valid_until=date(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        CentrumgemeenteTerm.objects.create(
            region=Region.objects.get(code="R1"),
            municipality=Municipality.objects.get(cbs_code="GM0687"),
            valid_from=date(2022, 1, 1),
            valid_until=date(2024, 1, 1),
        )
    # Adjacent periods are fine: the first ends on the day the second begins.
    Membership.objects.create(municipality=vlissingen, region=other, valid_from=date(2020, 1, 1), valid_until=START)


def test_command_previews_asks_and_applies_only_when_confirmed(tmp_path, monkeypatch):
    _import(BASE)
    path = tmp_path / "indeling.csv"
    path.write_text(BASE + "R2,West-Brabant-West,Bergen op Zoom,Tholen,GM0716\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_regio_indeling", str(path), "--ingangsdatum", "2024-01-01", "--dry-run", stdout=out)
    assert "  - nieuw in de indeling: Tholen (GM0716)" in out.getvalue() and "Proefdraai" in out.getvalue()
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    call_command("import_regio_indeling", str(path), "--ingangsdatum", "2024-01-01", stdout=out)
    assert "Afgebroken" in out.getvalue()
    assert not Municipality.objects.filter(cbs_code="GM0716").exists()
    monkeypatch.setattr("builtins.input", lambda prompt: "j")
    call_command("import_regio_indeling", str(path), "--ingangsdatum", "2024-01-01", stdout=out)
    assert Municipality.objects.get(cbs_code="GM0716").region.code == "R2"


def test_command_gives_a_new_region_a_status_for_every_agreement(tmp_path):
    AgreementFactory(number=1)
    AgreementFactory(number=2)
    _import(BASE)
    path = tmp_path / "indeling.csv"
    path.write_text(BASE + "R3,Tholen,Tholen,Tholen,GM0716\n", encoding="utf-8")
    call_command("import_regio_indeling", str(path), "--ingangsdatum", "2024-01-01", "--ja", stdout=io.StringIO())
    assert AgreementStatus.objects.filter(region__code="R3").count() == 2


def test_command_refuses_bad_files_and_dates_in_dutch(tmp_path):
    path = tmp_path / "kapot.csv"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CommandError, match="niet lezen als UTF-8"):
        call_command("import_regio_indeling", str(path), "--ingangsdatum", "2024-01-01")
    with pytest.raises(CommandError, match="geen datum"):
        call_command("import_regio_indeling", str(path), "--ingangsdatum", "1 januari")
    path.write_text(BASE.replace(",Vlissingen,Vlissingen,", ",,Vlissingen,"), encoding="utf-8")
    with pytest.raises(CommandError, match="Regel 2: regio Zeeland heeft geen centrumgemeente"):
        call_command("import_regio_indeling", str(path), "--ingangsdatum", "2024-01-01", "--ja")
