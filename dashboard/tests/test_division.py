"""Every snapshot freezes the division valid on its peildatum: a past month shows the regions as they were."""

from dataclasses import replace
from datetime import date

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from accounts.roles import Role
from agreements.models import AgreementStatus
from agreements.services import statuses_ensure_all
from dashboard.models import SnapshotRegion
from dashboard.services import dashboard_rebuild
from regions.division import division_import, division_reference_rows
from regions.models import Region

pytestmark = pytest.mark.django_db


def _members(snapshot) -> dict[str, str]:
    return {name: row.region_name for row in SnapshotRegion.objects.filter(snapshot=snapshot) for name in row.municipalities}


def test_zeewolde_is_in_flevoland_in_a_past_month_and_in_noord_veluwe_today(reference_data, this_month, client, make_user):
    december_2023 = dashboard_rebuild(month=date(2023, 12, 1))
    today = dashboard_rebuild(month=this_month)
    assert _members(december_2023)["Zeewolde"] == "Flevoland"
    assert _members(today)["Zeewolde"] == "Noord-Veluwe"
    flevoland = SnapshotRegion.objects.get(snapshot=december_2023, region__code="BWMO31")
    assert (flevoland.centrumgemeente, flevoland.council_count) == ("Almere", 6)
    assert december_2023.region_count == today.region_count == Region.objects.count()

    client.force_login(make_user(Role.VNG_MEDEWERKER))
    past = " ".join(client.get(reverse("dashboard:index"), {"maand": "2023-12"}).content.decode().split())
    assert "<strong>Flevoland</strong> (centrumgemeente Almere): Almere, Dronten, Lelystad, Noordoostpolder, Urk, Zeewolde;" in past
    now = " ".join(client.get(reverse("dashboard:index")).content.decode().split())
    assert "Urk; regiovisie" in now and "Putten, Zeewolde; regiovisie" in now


def test_a_region_that_stops_existing_keeps_its_snapshots_and_statuses(reference_data, this_month, client, make_user):
    before = dashboard_rebuild(month=date(2025, 6, 1))
    today = this_month
    rows = [row for row in division_reference_rows() if row.valid_until is None]
    rotterdam = next(row for row in rows if row.region_code == "BWMO35")
    into_rotterdam = {
        name: getattr(rotterdam, name) for name in ("region_code", "region_name", "centrumgemeente", "source", "source_date", "firmness")
    }
    merged = [replace(row, **into_rotterdam) if row.region_code == "BWMO46" else row for row in rows]
    division_import(rows=merged, effective=today)
    statuses_ensure_all()
    after = dashboard_rebuild(month=this_month)

    islands = Region.objects.get(code="BWMO46")
    assert SnapshotRegion.objects.filter(snapshot=before, region=islands).exists()
    assert not SnapshotRegion.objects.filter(snapshot=after, region=islands).exists()
    assert after.region_count == before.region_count - 1
    assert AgreementStatus.objects.filter(region=islands).count() > 0

    client.force_login(make_user(Role.VNG_MEDEWERKER))
    page = " ".join(client.get(reverse("pages:region_detail", kwargs={"slug": islands.slug})).content.decode().split())
    assert "Deze regio bestaat niet meer." in page
    assert f"Zij bestond van 1 januari 2022 tot {today.day} {_month_name(today)} {today.year}." in page
    assert "Afspraak 1" in page  # the statuses stay readable
    listing = client.get(reverse("pages:region_list")).content.decode()
    assert "Voormalige regio's" in listing and "Zuid-Hollandse Eilanden" in listing.split("Voormalige")[1]
    past = client.get(reverse("dashboard:index"), {"maand": "2025-06"}).content.decode()
    assert f'<th scope="row"><a href="/regios/{islands.slug}/">Zuid-Hollandse Eilanden</a></th>' in past


def _month_name(day: date) -> str:
    return date_format(day, "F")
