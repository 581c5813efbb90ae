"""The region list's filter and pages, the follow-up overview's wording, links and pages, and the history's wording."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.roles import Role
from agreements.models import AgreementStatus, Criterion, Status
from agreements.services import status_update
from dashboard.services import dashboard_rebuild
from dashboard.tests.factories import lagging_snapshot
from pages.forms import REGION_FILTER_MAX_LENGTH
from regions.models import Region
from regions.tests.factories import RegionFactory
from support.tests.factories import SupportActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vng(client, make_user, reference_data):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    return client


def test_region_list_filters_by_region_and_centrumgemeente_name(vng):
    page = vng.get("/regios/", {"zoek": "zeel"}).content.decode()
    assert "1 regio met “zeel” in de naam" in page and 'href="/regios/zeeland/"' in page
    page = vng.get("/regios/", {"zoek": "Vlissingen"}).content.decode()  # the centrumgemeente of Zeeland
    assert "1 regio met" in page and 'href="/regios/zeeland/"' in page
    assert f"{Region.objects.count()} regio&#x27;s." in vng.get("/regios/").content.decode()
    assert "0 regio&#x27;s met “Atlantis”" in vng.get("/regios/", {"zoek": "Atlantis"}).content.decode()


def test_region_list_refuses_a_filter_just_over_its_length_with_a_dutch_message(vng):
    assert vng.get("/regios/", {"zoek": "a" * REGION_FILTER_MAX_LENGTH}).status_code == 200
    response = vng.get("/regios/", {"zoek": "a" * (REGION_FILTER_MAX_LENGTH + 1)})
    page = response.content.decode()
    assert response.status_code == 400 and "Vul hoogstens 100 tekens in (u vulde er 101 in)." in page
    assert f"{Region.objects.count()} regio&#x27;s." in page  # nothing lost: the whole list


def test_follow_up_links_regions_and_says_when_there_was_never_contact(vng):
    dashboard_rebuild(month=timezone.localdate().replace(day=1))
    page = vng.get("/opvolging/").content.decode()
    assert 'href="/regios/zeeland/"' in page
    assert "nog nooit contact" in page and "nooit geen contact" not in page and "nooit</td>" not in page


def test_history_shows_criteria_by_text_without_double_punctuation(vng, make_user):
    zeeland = Region.objects.get(slug="zeeland")
    agreement_status = AgreementStatus.objects.get(region=zeeland, agreement__number=1)
    first = Criterion.objects.filter(agreement__number=1).order_by("order").first()
    status_update(
        user=make_user(Role.BEHEERDER),
        agreement_status=agreement_status,
        status=Status.IN_VOORBEREIDING,
        criteria_met=[first],
        explanation="Werkgroep gestart.",
        evidence_links=[],
        expected_version=agreement_status.version,
    )
    page = vng.get("/regios/zeeland/geschiedenis/").content.decode()
    assert f"criteria voldaan: “{first.text.rstrip('.')}”" in page
    assert "toelichting: Werkgroep gestart" in page and ".;" not in page


def _list(page: str) -> str:
    """The table of a list page, without the header (its logout form has a fresh CSRF token on each request)."""
    return page.split("<tbody>")[1].split("</tbody>")[0]


def test_the_region_list_is_paged_by_100_and_keeps_the_search(vng):
    for number in range(130):
        RegionFactory(name=f"Testregio {number:03d}", slug=f"testregio-{number:03d}")
    total = Region.objects.count()  # the 44 real regions as well
    first = vng.get("/regios/").content.decode()
    assert f"{total} regio&#x27;s." in first and f"Regio 1–100 van {total}" in first
    assert _list(first).count("<tr>") == 100 and 'href="?pagina=2"' in first and 'aria-current="page" ' not in first
    assert _list(vng.get("/regios/", {"pagina": 2}).content.decode()).count("<tr>") == total - 100

    searched = vng.get("/regios/", {"zoek": "Testregio", "pagina": 2}).content.decode()
    assert "130 regio&#x27;s met “Testregio”" in searched and "Regio 101–130 van 130" in searched
    assert 'href="?zoek=Testregio&amp;pagina=1"' in searched and 'href="?zoek=Testregio&amp;pagina=2" aria-current="page"' in searched
    assert _list(searched).count("<tr>") == 30 and "Testregio 129" in searched and "Testregio 099" not in searched


def test_with_the_real_regions_nobody_sees_a_pager(vng):
    assert "nvo-pager" not in vng.get("/regios/").content.decode()


@pytest.mark.parametrize("number", ["0", "-1", "abc", "1e3", "99999999999999999999", "", "%00", "2.5"])
def test_a_junk_or_out_of_range_page_number_shows_a_page_of_the_region_list(vng, number):
    RegionFactory.create_batch(70)
    response = vng.get("/regios/", {"pagina": number})
    assert response.status_code == 200
    last = number in ("99999999999999999999",)
    assert _list(response.content.decode()) == _list(vng.get("/regios/", {"pagina": 2 if last else 1}).content.decode())


@pytest.mark.parametrize("extra", [5, 130])
def test_the_region_list_runs_a_fixed_number_of_queries_whatever_the_number_of_regions(vng, django_assert_num_queries, extra):
    RegionFactory.create_batch(extra)
    cache.clear()  # a cold cache (the demo banner is cached after the first page)
    # The session, the user, their groups and regions; the count, the page, its municipalities and its statuses, the
    # former regions, the number of agreements; the demo banner.
    with django_assert_num_queries(11):
        assert vng.get("/regios/", {"zoek": "regio", "pagina": 2}).status_code == 200


def test_the_follow_up_is_paged_by_100(vng):
    lagging = RegionFactory.create_batch(105)
    SupportActionFactory(region=lagging[0], date=timezone.localdate())  # recent contact: the very last row
    lagging_snapshot({region: "Score laag" for region in lagging})
    first = vng.get("/opvolging/").content.decode()
    assert "105 achterblijvende regio&#x27;s" in first and "Regio 1–100 van 105" in first and 'href="?pagina=2"' in first
    assert _list(first).count("Actie vastleggen") == 100 and lagging[0].name not in _list(first)
    second = vng.get("/opvolging/", {"pagina": "2"}).content.decode()
    assert _list(second).count("Actie vastleggen") == 5 and lagging[0].name in _list(second)
    assert _list(vng.get("/opvolging/", {"pagina": "abc"}).content.decode()) == _list(first)
    assert _list(vng.get("/opvolging/", {"pagina": "7"}).content.decode()) == _list(second)
