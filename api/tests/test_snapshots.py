"""/api/snapshots/: the monthly dashboard snapshots, filtered by month, paginated, in a fixed number of queries."""

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from agreements.models import Agreement, AgreementStatus, Status
from agreements.services import statuses_ensure_all
from core.dates import months_earlier
from dashboard.services import dashboard_rebuild
from regions.models import Region
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(reference_data, this_month):
    """Three months of snapshots; Zeeland realised agreement 3 this month."""
    for back in (2, 1):
        dashboard_rebuild(month=months_earlier(this_month, back))
    AgreementStatus.objects.filter(region__name="Zeeland", agreement__number=3).update(status=Status.GEREALISEERD)
    return dashboard_rebuild(month=this_month)


@pytest.fixture
def api(make_user):
    client = APIClient()
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    return client


def test_a_month_gives_its_snapshot_with_aggregates_scores_and_every_cell(built, api, this_month):
    response = api.get("/api/snapshots/", {"month": f"{this_month:%Y-%m}"})
    assert response.status_code == 200
    assert response.data["count"] == 1
    snapshot = response.data["results"][0]
    assert snapshot["month"] == this_month.isoformat()
    assert snapshot["peildatum"] and snapshot["built_at"]
    regions, agreements = Region.objects.count(), Agreement.objects.count()
    assert (snapshot["region_count"], snapshot["max_score"]) == (regions, 4 * agreements)
    assert snapshot["agreement_summary"][2]["counts"][Status.GEREALISEERD] == 1
    assert len(snapshot["regions"]) == regions and len(snapshot["cells"]) == regions * agreements
    zeeland = next(region for region in snapshot["regions"] if region["region_slug"] == "zeeland")
    assert (zeeland["score"], zeeland["previous_score"]) == (4, 0)
    cell = next(c for c in snapshot["cells"] if c["region"] == zeeland["region"] and c["agreement"] == 3)
    assert cell["status"] == Status.GEREALISEERD
    assert api.get(f"/api/snapshots/{snapshot['id']}/").data == snapshot


def test_the_list_is_newest_first_and_paginated(built, api, this_month):
    response = api.get("/api/snapshots/", {"page_size": 2})
    assert response.data["count"] == 3
    assert [s["month"] for s in response.data["results"]] == [this_month.isoformat(), months_earlier(this_month, 1).isoformat()]
    assert api.get(response.data["next"]).data["results"][0]["month"] == months_earlier(this_month, 2).isoformat()


@pytest.mark.parametrize("month", ["2026-13", "junk", "'; drop table"])
def test_an_invalid_month_gets_a_dutch_400(built, api, month):
    response = api.get("/api/snapshots/", {"month": month})
    assert response.status_code == 400
    assert "geen geldige maand" in str(response.data["month"])


def test_a_month_without_snapshot_gives_an_empty_list(built, api):
    assert api.get("/api/snapshots/", {"month": "2019-01"}).data["count"] == 0


def test_anonymous_and_roleless_users_get_no_snapshots(built, make_user):
    assert APIClient().get("/api/snapshots/").status_code == 401
    client = APIClient()
    client.force_login(make_user(None))
    assert client.get("/api/snapshots/").status_code == 403


def test_the_list_runs_a_fixed_number_of_queries(built, api, this_month, django_assert_max_num_queries):
    with django_assert_max_num_queries(10) as few:
        assert api.get("/api/snapshots/").status_code == 200
    RegionFactory.create_batch(20)
    statuses_ensure_all()
    for back in (3, 0):
        dashboard_rebuild(month=months_earlier(this_month, back))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get("/api/snapshots/")
    cells = Region.objects.count() * Agreement.objects.count()
    assert response.data["count"] == 4 and len(response.data["results"][0]["cells"]) == cells
