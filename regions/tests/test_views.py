"""Region pages: what they show, contacts and adoptions editing, history, and fixed query counts."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.roles import Role
from agreements.models import Status
from agreements.services import status_update
from agreements.tests.factories import AgreementFactory, AgreementStatusFactory
from regions.models import ContactChange, ContactPerson, RegiovisieAdoption
from regions.services import contact_save
from regions.tests.factories import (
    ContactPersonFactory,
    MunicipalityFactory,
    RegionFactory,
    RegiovisieAdoptionFactory,
)


def _full_region():
    """A region with every page element: 8 statuses, 3 municipalities (1 adopted), 2 contacts."""
    region = RegionFactory()
    MunicipalityFactory.create_batch(2, region=region)
    for number in range(1, 9):
        AgreementStatusFactory(region=region, agreement=AgreementFactory(number=number))
    RegiovisieAdoptionFactory(municipality=region.municipalities.first())
    ContactPersonFactory(region=region)
    ContactPersonFactory(region=region, kind=ContactPerson.Kind.BESTUURLIJK)
    return region


@pytest.fixture
def region(db):
    return _full_region()


@pytest.fixture
def adviseur(make_user, region):
    return make_user(Role.REGIO_ADVISEUR, [region])


def _contacts_data(**fields):
    data = {f"{kind}-{position}-version": 0 for kind in ContactPerson.Kind for position in ContactPerson.Position}
    for contact in ContactPerson.objects.all():
        prefix = f"{contact.kind}-{contact.position}-"
        data |= {prefix + name: getattr(contact, name) for name in ("name", "function", "organisation", "email", "phone", "version")}
    return data | fields


def test_region_page_shows_statuses_contacts_and_adoptions(client, make_user, region):
    contact = region.contacts.first()
    client.force_login(make_user(Role.REGIO_GEBRUIKER, [RegionFactory()]))
    page = client.get(f"/regios/{region.slug}/").content.decode()
    assert region.centrumgemeente.name in page
    assert "1 van 3 raden vastgesteld" in page
    assert contact.email in page and contact.phone in page  # peers get in touch
    assert page.count("Onbekend") == 8
    assert "bewerken" not in page.lower()  # a regio-gebruiker edits nothing


def test_region_page_lists_peers_further_along_per_agreement_with_their_contact(client, make_user, region):
    peer = _full_region()
    peer.statuses.filter(agreement__number=3).update(status=Status.IN_UITVOERING)
    peer_contact = peer.contacts.get(kind=ContactPerson.Kind.AMBTELIJK)
    client.force_login(make_user(Role.REGIO_GEBRUIKER, [region]))
    page = client.get(f"/regios/{region.slug}/").content.decode()
    assert page.count(": 1 regio verder</summary>") == 1 and page.count(": 0 regio's verder</summary>") == 7
    assert peer.name in page and peer_contact.email in page
    assert f'href="/afspraken/3/verder/?regio={region.slug}">Wie is verder op afspraak 3?' in page
    assert f'href="/regios/{region.slug}/geschiedenis.csv"' in page


def test_adviseur_sees_edit_links_on_own_region(client, adviseur, region):
    client.force_login(adviseur)
    page = client.get(f"/regios/{region.slug}/").content.decode()
    assert f"/regios/{region.slug}/afspraken/8/bewerken/" in page
    assert f"/regios/{region.slug}/contactpersonen/bewerken/" in page


def test_contacts_are_saved_and_an_emptied_slot_is_removed(client, adviseur, region):
    client.force_login(adviseur)
    data = _contacts_data(**{"ambtelijk-vervanger-name": "Sanne Smit", "ambtelijk-vervanger-email": "sanne@example.org"})
    data |= {f"bestuurlijk-primair-{name}": "" for name in ("name", "function", "organisation", "email", "phone")}
    response = client.post(f"/regios/{region.slug}/contactpersonen/bewerken/", data, follow=True)
    assert "De contactpersonen zijn opgeslagen." in response.content.decode()
    assert set(region.contacts.values_list("kind", "position")) == {("ambtelijk", "primair"), ("ambtelijk", "vervanger")}
    assert ContactChange.objects.count() == 2


def test_contact_errors_save_nothing(client, adviseur, region):
    client.force_login(adviseur)
    data = _contacts_data(**{"ambtelijk-vervanger-name": "Sanne Smit", "bestuurlijk-primair-email": "geen-adres"})
    response = client.post(f"/regios/{region.slug}/contactpersonen/bewerken/", data)
    assert response.status_code == 200
    assert "Voer een geldig e-mailadres in." in response.content.decode()
    assert not ContactChange.objects.exists()


def test_contact_conflict_shows_both_versions(client, make_user, adviseur, region):
    client.force_login(adviseur)
    data = _contacts_data(**{"ambtelijk-primair-name": "Mijn Naam", "bestuurlijk-vervanger-name": "Eerder op de pagina"})
    contact = region.contacts.get(kind="ambtelijk")
    contact_save(
        region=region,
        kind="ambtelijk",
        position="primair",
        expected_version=contact.version,
        user=make_user(Role.BEHEERDER),
        name="Hun Naam",
    )
    response = client.post(f"/regios/{region.slug}/contactpersonen/bewerken/", data)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Hun Naam" in page and "Mijn Naam" in page
    assert 'name="ambtelijk-primair-version" value="2"' in page
    assert region.contacts.get(kind="ambtelijk").name == "Hun Naam"
    assert not region.contacts.filter(name="Eerder op de pagina").exists()  # the whole page is one transaction
    assert ContactChange.objects.count() == 1


def test_adoption_conflict_shows_both_versions(client, make_user, adviseur, region):
    from regions.services import adoption_save

    client.force_login(adviseur)
    municipality = region.municipalities.filter(regiovisie_adoption__isnull=True).first()
    data = {}
    for m in region.municipalities.select_related("regiovisie_adoption"):
        adoption = getattr(m, "regiovisie_adoption", None)
        data |= {
            f"gemeente-{m.pk}-version": adoption.version if adoption else 0,
            f"gemeente-{m.pk}-decision_date": adoption.decision_date.isoformat() if adoption else "",
            f"gemeente-{m.pk}-decision_url": adoption.decision_url if adoption else "",
        }
    data[f"gemeente-{municipality.pk}-decision_date"] = "2025-02-02"
    adoption_save(municipality=municipality, expected_version=0, user=make_user(Role.BEHEERDER), decision_date=date(2024, 12, 12))
    response = client.post(f"/regios/{region.slug}/regiovisie/bewerken/", data)
    page = response.content.decode()
    assert response.status_code == 409
    assert "12 december 2024" in page and "2 februari 2025" in page
    assert f'name="gemeente-{municipality.pk}-version" value="1"' in page
    assert RegiovisieAdoption.objects.get(municipality=municipality).decision_date == date(2024, 12, 12)


def test_adoption_in_the_future_is_refused_with_a_dutch_message(client, adviseur, region):
    client.force_login(adviseur)
    municipality = region.municipalities.exclude(regiovisie_adoption__isnull=False).first()
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {}
    for m in region.municipalities.all():
        data |= {f"gemeente-{m.pk}-version": 0, f"gemeente-{m.pk}-decision_date": ""}
    adopted = RegiovisieAdoption.objects.get()
    data[f"gemeente-{adopted.municipality_id}-version"] = adopted.version
    data[f"gemeente-{adopted.municipality_id}-decision_date"] = adopted.decision_date.isoformat()
    data[f"gemeente-{adopted.municipality_id}-decision_url"] = adopted.decision_url
    data[f"gemeente-{municipality.pk}-decision_date"] = tomorrow.isoformat()
    response = client.post(f"/regios/{region.slug}/regiovisie/bewerken/", data)
    assert "mag niet in de toekomst liggen" in response.content.decode()
    assert RegiovisieAdoption.objects.count() == 1

    data[f"gemeente-{municipality.pk}-decision_date"] = date(2025, 6, 1).isoformat()
    response = client.post(f"/regios/{region.slug}/regiovisie/bewerken/", data, follow=True)
    assert "2 van 3 raden vastgesteld" in response.content.decode()


def test_history_lists_status_and_contact_changes_newest_first(client, adviseur, region):
    agreement_status = region.statuses.get(agreement__number=2)
    status_update(
        agreement_status=agreement_status,
        expected_version=1,
        user=adviseur,
        status=Status.NIET_GESTART,
        criteria_met=[],
        explanation="Eerst",
        evidence_links=[],
    )
    contact_save(region=region, kind="ambtelijk", position="vervanger", expected_version=0, user=adviseur, name="Daarna")
    client.force_login(adviseur)
    page = client.get(f"/regios/{region.slug}/geschiedenis/").content.decode()
    assert page.index("Daarna") < page.index("Niet gestart; criteria voldaan: geen; toelichting: Eerst")
    assert "Aanspreekpunt ambtelijk (vervanger)" in page and "Afspraak 2" in page


def _queries(client, django_assert_max_num_queries, url, limit):
    cache.clear()  # every count with a cold cache (the demo banner is cached after the first page)
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("pages:region_list", 12),  # the data version, then the 11 of an uncached page
        ("pages:my_regions", 9),
        ("pages:region_detail", 21),
        ("pages:region_history", 11),
        ("regions:contacts_edit", 11),
        ("regions:adoptions_edit", 11),
        ("agreements:status_edit", 14),
    ],
)
# region_list: 4 for the page of regions (count, page, its municipalities, its statuses; pages.selectors.region_list_page).
# region_detail, the first time: the data version, 13 for the region itself, 5 for its peers further along
# (agreements.selectors.peers_by_agreement), 2 for network attendance and 1 for VNG's support actions; the parts are
# then cached (pages/tests/test_region_page_cache.py).
def test_pages_run_a_fixed_number_of_queries_whatever_the_number_of_regions(
    client, make_user, region, django_assert_max_num_queries, name, limit
):
    from django.urls import reverse

    args = [] if name in ("pages:region_list", "pages:my_regions") else [region.slug] + ([4] if name == "agreements:status_edit" else [])
    # Mijn regio's is for the regio roles; their list grows with the regions assigned to them.
    user = make_user(Role.REGIO_ADVISEUR, [region]) if name == "pages:my_regions" else make_user(Role.BEHEERDER)
    client.force_login(user)
    few = _queries(client, django_assert_max_num_queries, reverse(name, args=args), limit)
    for _ in range(5):
        user.regions.add(_full_region())
    assert _queries(client, django_assert_max_num_queries, reverse(name, args=args), limit) == few
