"""The shipped reference data keeps its invariants, and loading it twice changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from agreements.models import Agreement, AgreementStatus, Criterion
from regions.models import Municipality, Region
from regions.services import DIVISION_FILE, division_rows_from_csv

pytestmark = pytest.mark.django_db


def _database_state():
    return (
        list(Region.objects.values_list("id", "code", "name", "slug").order_by("id")),
        list(Municipality.objects.values_list("id", "cbs_code", "name", "region_id", "is_centrumgemeente").order_by("id")),
        list(Agreement.objects.values_list("id", "number", "title", "text").order_by("id")),
        list(Criterion.objects.values_list("id", "agreement_id", "order", "text").order_by("id")),
        list(AgreementStatus.objects.values_list("id", "region_id", "agreement_id", "status", "version").order_by("id")),
    )


def test_file_names_its_source_and_reference_date():
    header = [line for line in DIVISION_FILE.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert any(line.lower().startswith("# bron:") for line in header)
    assert any(line.lower().startswith("# peildatum:") for line in header)


def test_file_has_no_municipality_or_code_twice():
    rows = division_rows_from_csv(DIVISION_FILE.read_text(encoding="utf-8"))
    codes = [row.cbs_code for row in rows]
    names = [row.municipality for row in rows]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))


def test_exactly_44_regions_each_with_its_centrumgemeente_inside(reference_data):
    assert Region.objects.count() == 44
    for region in Region.objects.prefetch_related("municipalities"):
        centra = [m for m in region.municipalities.all() if m.is_centrumgemeente]
        assert len(centra) == 1, region
        assert centra[0].region_id == region.id


def test_every_municipality_in_exactly_one_region_with_a_unique_code(reference_data):
    assert Municipality.objects.count() >= 340
    assert Municipality.objects.filter(region__isnull=True).count() == 0
    duplicated = Municipality.objects.values("cbs_code").annotate(n=Count("id")).filter(n__gt=1)
    assert list(duplicated) == []
    assert all(code.startswith("GM") and len(code) == 6 for code in Municipality.objects.values_list("cbs_code", flat=True))


def test_exactly_8_agreements_numbered_1_to_8_each_with_criteria(reference_data):
    assert list(Agreement.objects.values_list("number", flat=True)) == list(range(1, 9))
    assert not Agreement.objects.annotate(n=Count("criteria")).filter(n=0).exists()


def test_every_region_has_a_status_for_every_agreement(reference_data):
    assert AgreementStatus.objects.count() == 44 * 8
    assert set(AgreementStatus.objects.values_list("status", flat=True)) == {0}


def test_loading_twice_changes_nothing(reference_data):
    before = _database_state()
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert _database_state() == before
    assert "Geen wijzigingen" in out.getvalue()
    assert "Afspraken en criteria gewijzigd: 0" in out.getvalue()
    assert "Nieuwe statusregels (regio × afspraak): 0" in out.getvalue()


def test_admin_lists_44_regions_and_8_agreements(reference_data, admin_client):
    regions_page = admin_client.get("/beheer/regions/region/")
    assert regions_page.status_code == 200
    assert "44 regio&#x27;s" in regions_page.content.decode()
    agreements_page = admin_client.get("/beheer/agreements/agreement/")
    assert "8 afspraken" in agreements_page.content.decode()
