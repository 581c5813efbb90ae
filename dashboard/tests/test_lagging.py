"""The achterblijvers page: paged by 100 like the matrix, rendered once per snapshot and page, in a fixed number of
queries."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.roles import Role
from dashboard.models import DashboardSnapshot, SnapshotRegion
from dashboard.tests.factories import lagging_snapshot
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def _table(page: str) -> str:
    return page.split("<tbody>")[1].split("</tbody>")[0]


@pytest.fixture
def vng(client, make_user):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    return client


@pytest.fixture
def lagging(db, this_month):
    regions = RegionFactory.create_batch(105)
    lagging_snapshot({region: f"Score laag ({index})" for index, region in enumerate(regions)}, month=this_month)
    return regions


def test_the_achterblijvers_are_paged_by_100_and_keep_the_month(vng, lagging, this_month):
    first = vng.get("/dashboard/achterblijvers/").content.decode()
    assert "105 achterblijvers" in first and "Regio 1–100 van 105" in first
    assert _table(first).count('<th scope="row">') == 100
    assert f'href="?maand={this_month:%Y-%m}&amp;pagina=2"' in first
    second = vng.get("/dashboard/achterblijvers/", {"maand": f"{this_month:%Y-%m}", "pagina": 2}).content.decode()
    assert _table(second).count('<th scope="row">') == 5
    assert f'href="?maand={this_month:%Y-%m}&amp;pagina=2" aria-current="page"' in second


@pytest.mark.parametrize(
    ("number", "shown"), [("0", 1), ("-3", 1), ("abc", 1), ("", 1), ("1e3", 1), ("2", 2), ("3", 2), ("99999999999999999999", 2)]
)
def test_a_junk_or_out_of_range_page_number_shows_a_page(vng, lagging, number, shown):
    response = vng.get("/dashboard/achterblijvers/", {"pagina": number})
    assert response.status_code == 200
    assert _table(response.content.decode()) == _table(vng.get("/dashboard/achterblijvers/", {"pagina": shown}).content.decode())


def test_a_rebuild_shows_at_once_despite_the_cached_page(vng, lagging):
    assert "Score laag (0)" in vng.get("/dashboard/achterblijvers/").content.decode()
    SnapshotRegion.objects.update(lagging_reason="Herberekend")
    assert "Score laag (0)" in vng.get("/dashboard/achterblijvers/").content.decode()  # the same build: the cached page
    DashboardSnapshot.objects.update(built_at=timezone.now() + timedelta(seconds=1))  # what a rebuild moves
    page = vng.get("/dashboard/achterblijvers/").content.decode()
    assert "Score laag (0)" not in page and "Herberekend" in page


@pytest.mark.parametrize("regions", [5, 130])
def test_the_achterblijvers_run_a_fixed_number_of_queries(vng, this_month, django_assert_num_queries, regions):
    lagging_snapshot({region: "Score laag" for region in RegionFactory.create_batch(regions)}, month=this_month)
    cache.clear()
    # The session, the user, their groups and regions; the snapshot with the months for the month selector; the demo
    # banner; on a cold cache the snapshot's threshold and maximum, the count and the page of achterblijvers.
    with django_assert_num_queries(9):
        assert vng.get("/dashboard/achterblijvers/", {"pagina": 2}).status_code == 200
    with django_assert_num_queries(1):  # the snapshot with the months; the page, the user and the banner from the cache
        assert vng.get("/dashboard/achterblijvers/", {"pagina": 2}).status_code == 200
