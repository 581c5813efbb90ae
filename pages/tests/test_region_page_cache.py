"""A region's page is built from cached parts (core.fragments): never stale, never another user's buttons."""

import pytest
from django.test import Client

from accounts.roles import Role
from agreements.models import AgreementStatus, Status
from agreements.services import status_update
from regions.models import Region

pytestmark = pytest.mark.django_db


def _save_explanation(user, text: str) -> None:
    agreement_status = AgreementStatus.objects.get(region__slug="zeeland", agreement__number=1)
    status_update(
        user=user,
        agreement_status=agreement_status,
        status=Status.IN_VOORBEREIDING,
        criteria_met=[],
        explanation=text,
        evidence_links=[],
        expected_version=agreement_status.version,
    )


def _page(client) -> str:
    response = client.get("/regios/zeeland/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_cached_region_page_runs_two_queries_and_shows_a_saved_status_at_once(
    client, make_user, reference_data, django_assert_max_num_queries
):
    beheerder = make_user(Role.BEHEERDER)
    client.force_login(beheerder)
    assert "Werkgroep van maart" not in _page(client)
    with django_assert_max_num_queries(1):  # the data version (no open support actions: not asked for)
        _page(client)
    _save_explanation(beheerder, "Werkgroep van maart gestart.")
    page = _page(client)
    assert "Werkgroep van maart gestart." in page
    assert '<h3 class="nvo-agreement__title">1. ' in page and "&lt;" not in page, "the cached cards are HTML, not text"


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_shows_on_the_next_request(client, make_user, reference_data):
    """As in production: the data version moves when the service's transaction commits."""
    beheerder = make_user(Role.BEHEERDER)
    client.force_login(beheerder)
    _page(client)
    _save_explanation(beheerder, "Na de commit zichtbaar.")
    assert "Na de commit zichtbaar." in _page(client)


def test_a_new_support_action_shows_for_vng_at_once_and_never_for_other_regions_users(client, make_user, reference_data):
    from django.utils import timezone

    from support.services import support_action_create

    zeeland = Region.objects.get(slug="zeeland")
    vng = make_user(Role.VNG_MEDEWERKER)
    client.force_login(vng)
    assert "Gesprek over de wachtlijst" not in _page(client)  # cached: no open actions
    support_action_create(
        user=vng,
        region=zeeland,
        agreement=None,
        kind="gesprek",
        date=timezone.localdate(),
        vng_staff=vng,
        summary="Gesprek over de wachtlijst.",
    )
    assert "Gesprek over de wachtlijst" in _page(client)
    client.force_login(make_user(Role.REGIO_GEBRUIKER, [Region.objects.exclude(pk=zeeland.pk).first()]))
    assert "Gesprek over de wachtlijst" not in _page(client)


EDITOR_ONLY = ["Bewerk afspraak 1", "Aanspreekpunten bewerken", "Vaststellingen bewerken", "Ondersteuning door de VNG"]


@pytest.mark.parametrize("first", ["beheerder", "regio-gebruiker"])
def test_what_depends_on_the_user_is_never_shared_through_the_cache(first, make_user, reference_data):
    elsewhere = Region.objects.exclude(slug="zeeland").first()
    clients = {"beheerder": Client(), "regio-gebruiker": Client()}
    clients["beheerder"].force_login(make_user(Role.BEHEERDER))
    clients["regio-gebruiker"].force_login(make_user(Role.REGIO_GEBRUIKER, [elsewhere]))
    second = "regio-gebruiker" if first == "beheerder" else "beheerder"
    pages = {who: _page(clients[who]) for who in (first, second)}  # the second is served from the cache
    assert all(text in pages["beheerder"] for text in EDITOR_ONLY)
    assert not any(text in pages["regio-gebruiker"] for text in EDITOR_ONLY)


def test_an_unknown_region_is_a_404_and_is_not_cached(client, make_user, reference_data):
    client.force_login(make_user(Role.VNG_MEDEWERKER))
    assert client.get("/regios/atlantis/").status_code == 404
    assert client.get("/regios/atlantis/").status_code == 404


def test_the_region_list_is_cached_per_data_version_and_a_search_is_not(client, make_user, reference_data, django_assert_max_num_queries):
    from django.core.cache import cache

    beheerder = make_user(Role.BEHEERDER)
    client.force_login(beheerder)

    def zeeland_row() -> str:
        page = client.get("/regios/").content.decode()
        start = page.index('href="/regios/zeeland/"')
        return page[start : page.index("</tr>", start)]

    before = zeeland_row()
    with django_assert_max_num_queries(1):  # the data version
        assert client.get("/regios/").status_code == 200
    _save_explanation(beheerder, "Werkgroep gestart.")
    assert zeeland_row() != before and "1 ter afstemming" in zeeland_row()
    keys = len(cache._cache.get_client().keys("*"))
    for word in ("zee", "zeel", "zeela"):
        assert 'href="/regios/zeeland/"' in client.get("/regios/", {"zoek": word}).content.decode()
    assert len(cache._cache.get_client().keys("*")) == keys, "searches are answered fresh, never stored"
