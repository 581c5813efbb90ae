"""The dashboard's rendered matrix and trend come from the cache, keyed on the snapshot; the matrix is paged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from agreements.models import AgreementStatus, Status
from agreements.services import statuses_ensure_all
from core.dates import months_earlier
from dashboard.services import dashboard_rebuild
from demo.models import DemoDataset
from operations.tests.test_reliability import redis_down  # noqa: F401 - fixture
from regions.models import Region
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(reference_data, this_month):
    dashboard_rebuild(month=months_earlier(this_month, 1))
    return dashboard_rebuild(month=this_month)


def _content(page: str) -> str:
    """The page's own content, without the header (its logout form has a fresh CSRF token on each request)."""
    return page.split("<h1")[1].split("</main>")[0]


def _zeeland_cells(page: str) -> str:
    return page.split(">Zeeland</a></th>")[1].split("</tr>")[0]


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/trend/"])
def test_a_repeated_request_reads_the_fragment_from_the_cache(built, make_user, client, url):
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    with CaptureQueriesContext(connection) as first:
        first_page = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as repeat:
        repeat_page = client.get(url).content.decode()
    assert len(repeat.captured_queries) < len(first.captured_queries)
    assert _content(repeat_page) == _content(first_page)
    assert "&lt;" not in _content(repeat_page)  # the cached HTML is not escaped a second time


def test_a_rebuild_shows_at_once_despite_the_cache(built, make_user, client, this_month):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    assert "status-4" not in _zeeland_cells(client.get("/dashboard/").content.decode())
    trend = client.get("/dashboard/trend/").content.decode()
    AgreementStatus.objects.filter(region__name="Zeeland", agreement__number=3).update(status=Status.GEREALISEERD)
    dashboard_rebuild(month=this_month)
    assert "status-4" in _zeeland_cells(client.get("/dashboard/").content.decode())
    assert client.get("/dashboard/trend/").content.decode() != trend


def test_every_role_gets_the_same_matrix_but_for_the_link_to_the_achterblijvers(built, make_user, client):
    pages = {}
    for role in Role:
        client.force_login(make_user(role))
        content = client.get("/dashboard/").content.decode().split('<p class="national-score">')[1].split("</main>")[0]
        pages.setdefault(role in (Role.BEHEERDER, Role.VNG_MEDEWERKER), set()).add(content)
    assert [len(variants) for variants in pages.values()] == [1, 1]
    assert "/dashboard/achterblijvers/" in next(iter(pages[True])) and "/dashboard/achterblijvers/" not in next(iter(pages[False]))


def test_the_matrix_is_paged_by_100_regions(built, make_user, client, this_month):
    RegionFactory.create_batch(70)
    statuses_ensure_all()
    dashboard_rebuild(month=this_month)
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    first = client.get("/dashboard/").content.decode()
    assert first.split("<tbody>")[1].split("</tbody>")[0].count('<th scope="row">') == 100
    total = Region.objects.count()
    assert f"Regio 1–100 van {total}" in first and f'href="?maand={this_month:%Y-%m}&amp;sorteer=regio&amp;pagina=2"' in first
    second = client.get("/dashboard/", {"pagina": 2}).content.decode()
    assert second.split("<tbody>")[1].split("</tbody>")[0].count('<th scope="row">') == total - 100
    assert _content(client.get("/dashboard/", {"pagina": "99"}).content.decode()) == _content(second)
    assert _content(client.get("/dashboard/", {"pagina": "abc"}).content.decode()) == _content(first)


def test_the_dashboard_works_with_redis_down(built, make_user, client, redis_down):  # noqa: F811
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    for url, text in (("/dashboard/", "Zeeland"), ("/dashboard/trend/", "Landelijk (alle afspraken)")):
        response = client.get(url)
        assert response.status_code == 200 and text in response.content.decode()


def test_the_demo_banner_follows_the_demo_dataset_despite_the_cache(db, make_user, client):
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    assert "demo-banner" not in client.get("/regios/").content.decode()
    dataset = DemoDataset.objects.create()
    assert "demo-banner" in client.get("/regios/").content.decode()
    dataset.delete()
    assert "demo-banner" not in client.get("/regios/").content.decode()
