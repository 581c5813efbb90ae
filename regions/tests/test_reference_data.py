"""The shipped division: honest about what it is, sourced per region, corrected against the evidence, dated, and
loading it twice changes nothing. No test here assumes a number of regions: counts come from the file."""

import csv
import io
from dataclasses import replace
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from agreements.models import Agreement, AgreementStatus, Criterion
from regions.division import DIVISION_FILE, cbs_municipalities, division_import, division_reference_rows
from regions.models import CentrumgemeenteTerm, Membership, Municipality, Region
from regions.selectors import division_on

pytestmark = pytest.mark.django_db


def _file_rows():
    with open(DIVISION_FILE, encoding="utf-8") as file:
        return list(csv.DictReader(line for line in file if not line.startswith("#")))


def _region_codes():
    return {row["regiocode"] for row in _file_rows()}


def _database_state():
    return (
        list(Region.objects.values_list("id", "code", "name", "slug", "source", "source_date").order_by("id")),
        list(Municipality.objects.values_list("id", "cbs_code", "name", "region_id", "is_centrumgemeente").order_by("id")),
        list(Membership.objects.values_list("id", "municipality_id", "region_id", "valid_from", "valid_until").order_by("id")),
        list(CentrumgemeenteTerm.objects.values_list("id", "region_id", "municipality_id", "valid_from").order_by("id")),
        list(Agreement.objects.values_list("id", "number", "title", "text").order_by("id")),
        list(Criterion.objects.values_list("id", "agreement_id", "order", "text").order_by("id")),
        list(AgreementStatus.objects.values_list("id", "region_id", "agreement_id", "status", "version").order_by("id")),
    )


def _today():
    return {region.name: region for region in division_on(timezone.localdate()).values()}


def test_file_header_says_honestly_what_it_is():
    header = "\n".join(line for line in DIVISION_FILE.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    assert "GEEN officiële tabel" in header
    assert "Gebieden in Nederland 2025" not in header
    assert "CHANGES.md" in header


def test_every_region_names_its_source_date_and_firmness():
    for row in _file_rows():
        assert row["bron"] and date.fromisoformat(row["bron_datum"]), row
        assert row["zekerheid"] in {choice.value for choice in Region.Firmness}, row


def test_file_parses_without_problems_and_today_holds_every_cbs_municipality_once():
    rows = division_reference_rows()
    today = timezone.localdate()
    current = [row.cbs_code for row in rows if row.valid_until is None or row.valid_until > today]
    assert sorted(current) == sorted(cbs_municipalities())


def test_regions_come_from_the_file_each_with_its_centrumgemeente_inside(reference_data):
    assert Region.objects.count() == len(_region_codes())
    for region in Region.objects.prefetch_related("municipalities"):
        centra = [m for m in region.municipalities.all() if m.is_centrumgemeente]
        assert len(centra) == 1, region
    assert set(Municipality.objects.values_list("cbs_code", flat=True)) == set(cbs_municipalities())
    assert not Municipality.objects.filter(region__isnull=True).exists()
    assert not Municipality.objects.values("cbs_code").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_the_strong_assignments_hold(reference_data):
    today = _today()
    region_of = {name: region for region in today.values() for name in region.municipalities}
    assert region_of["Maasdriel"].centrumgemeente == region_of["Zaltbommel"].centrumgemeente == "'s-Hertogenbosch"
    assert region_of["Heusden"].centrumgemeente == "Tilburg"
    noord_veluwe = today["Noord-Veluwe"]
    assert noord_veluwe.centrumgemeente == "Harderwijk"
    assert {"Elburg", "Ermelo", "Harderwijk", "Nunspeet", "Oldebroek", "Putten"} <= set(noord_veluwe.municipalities)
    assert region_of["Elburg"].name != region_of["Zwolle"].name
    assert region_of["Uitgeest"].centrumgemeente == "Alkmaar"
    assert Region.objects.get(code="BWMO22").source_firmness == Region.Firmness.REGELING


def test_zeewolde_moved_on_1_january_2024(reference_data):
    before = {name: region.name for region in division_on(date(2023, 12, 1)).values() for name in region.municipalities}
    after = {name: region.name for region in division_on(date(2024, 1, 1)).values() for name in region.municipalities}
    assert (before["Zeewolde"], after["Zeewolde"]) == ("Flevoland", "Noord-Veluwe")
    assert Municipality.objects.get(name="Zeewolde").region.name == "Noord-Veluwe"


def test_every_region_has_a_status_for_every_agreement(reference_data):
    assert AgreementStatus.objects.count() == Region.objects.count() * Agreement.objects.count()
    assert set(AgreementStatus.objects.values_list("status", flat=True)) == {0}
    assert not Agreement.objects.annotate(n=Count("criteria")).filter(n=0).exists()


def test_loading_twice_changes_nothing(reference_data):
    before = _database_state()
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert _database_state() == before
    assert "Geen wijzigingen" in out.getvalue()
    assert "Afspraken en criteria gewijzigd: 0" in out.getvalue()
    assert "Nieuwe statusregels (regio × afspraak): 0" in out.getvalue()


def test_loading_corrects_an_older_division_in_place(reference_data):
    """A database with the old (wrong) division is corrected, including its past, and keeps its region ids."""
    maasdriel = Municipality.objects.get(name="Maasdriel")
    nijmegen = Region.objects.get(code="BWMO34")
    Membership.objects.filter(municipality=maasdriel).delete()
    Membership.objects.create(municipality=maasdriel, region=nijmegen, valid_from=date(2022, 1, 1))
    Municipality.objects.filter(pk=maasdriel.pk).update(region=nijmegen)
    ids = set(Region.objects.values_list("id", flat=True))
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "  - erbij: Maasdriel (uit Rijk van Nijmegen en Rivierenland)" in out.getvalue()
    assert "Gecorrigeerde perioden in de geschiedenis: 1" in out.getvalue()
    assert Municipality.objects.get(name="Maasdriel").region.code == "BWMO22"
    assert set(Region.objects.values_list("id", flat=True)) == ids


def test_loading_refuses_to_undo_a_later_import(reference_data):
    today = timezone.localdate()
    rows = [row for row in division_reference_rows() if row.valid_until is None or row.valid_until > today]
    haarlem = next(row for row in rows if row.municipality == "Haarlem")
    into_haarlem = {
        name: getattr(haarlem, name) for name in ("region_code", "region_name", "centrumgemeente", "source", "source_date", "firmness")
    }
    rows = [replace(row, **into_haarlem) if row.municipality == "Uitgeest" else row for row in rows]
    division_import(rows=rows, effective=today)
    before = _database_state()
    with pytest.raises(CommandError, match="na de laatste in het bestand"):
        call_command("load_reference_data", stdout=io.StringIO())
    assert _database_state() == before


def test_admin_lists_every_region_of_the_file(reference_data, admin_client):
    regions_page = admin_client.get("/beheer/regions/region/")
    assert regions_page.status_code == 200
    assert f"{len(_region_codes())} regio&#x27;s" in regions_page.content.decode()
    agreements_page = admin_client.get("/beheer/agreements/agreement/")
    assert f"{Agreement.objects.count()} afspraken" in agreements_page.content.decode()
