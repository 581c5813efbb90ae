import pytest

from agreements.models import AgreementStatus, Status
from agreements.selectors import PEERS_ON_REGION_PAGE, peers_by_agreement, peers_further_along
from agreements.services import statuses_ensure_all
from regions.models import ContactPerson, Region
from regions.tests.factories import ContactPersonFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _set(region_name: str, number: int, status: Status):
    AgreementStatus.objects.filter(region__name=region_name, agreement__number=number).update(status=status)


@pytest.fixture
def regions(reference_data):
    _set("Zeeland", 2, Status.IN_VOORBEREIDING)
    _set("Groningen", 2, Status.GEREALISEERD)
    _set("Fryslân", 2, Status.IN_UITVOERING)
    _set("Almere", 2, Status.IN_VOORBEREIDING)  # equal to Zeeland: not further along
    groningen = Region.objects.get(name="Groningen")
    ContactPersonFactory(region=groningen, name="Gea Primair")
    ContactPersonFactory(region=groningen, position=ContactPerson.Position.VERVANGER, name="Vera Vervanger")
    return Region.objects.get(name="Zeeland")


def test_peers_further_along_are_the_regions_with_a_higher_status_furthest_first(regions):
    peers = peers_further_along(regions, 2)
    assert [(p.region.name, p.status) for p in peers] == [("Groningen", 4), ("Fryslân", 3)]
    assert [c.name for c in peers[0].region.ambtelijk_aanspreekpunten] == ["Gea Primair", "Vera Vervanger"]
    assert peers[1].region.ambtelijk_aanspreekpunten == []


def test_without_a_region_all_regions_are_listed_furthest_first(regions):
    peers = peers_further_along(None, 2)
    assert len(peers) == Region.objects.count() and peers[0].region.name == "Groningen"


def test_a_region_at_the_top_has_no_peers_further_along(regions):
    assert peers_further_along(Region.objects.get(name="Groningen"), 2) == []


def test_peers_by_agreement_groups_the_peers_per_agreement(regions):
    groups = peers_by_agreement(regions)
    assert [g.agreement.number for g in groups] == list(range(1, 9))
    assert groups[1].own_status == Status.IN_VOORBEREIDING
    assert [p.region.name for p in groups[1].peers] == ["Groningen", "Fryslân"] and groups[1].count == 2
    assert groups[0].peers == [] and groups[0].count == 0


def test_the_agreements_a_region_is_furthest_behind_on_are_opened(regions):
    """Zeeland is Onbekend on every agreement but 2; the ones with peers further along open on its page."""
    _set("Groningen", 5, Status.NIET_GESTART)
    opened = [g.agreement.number for g in peers_by_agreement(regions) if g.furthest_behind]
    assert opened == [5]  # agreement 2 is further along; the other agreements have no region further along


def test_peers_by_agreement_names_the_furthest_few_and_counts_them_all(regions):
    behind = Region.objects.exclude(pk=regions.pk).order_by("name")
    AgreementStatus.objects.filter(region__in=behind, agreement__number=3).update(status=Status.IN_UITVOERING)
    AgreementStatus.objects.filter(region__in=behind[:2], agreement__number=3).update(status=Status.GEREALISEERD)
    group = peers_by_agreement(regions)[2]
    assert group.count == Region.objects.count() - 1
    assert [p.status for p in group.peers] == [Status.GEREALISEERD] * 2 + [Status.IN_UITVOERING] * (PEERS_ON_REGION_PAGE - 2)
    names = [name for name in behind.values_list("name", flat=True)]  # in the database's collation
    assert [p.region.name for p in group.peers] == names[:PEERS_ON_REGION_PAGE]


def test_peers_by_agreement_runs_a_fixed_number_of_queries(regions, django_assert_num_queries):
    def count(extra):
        new = RegionFactory.create_batch(extra)
        statuses_ensure_all()
        AgreementStatus.objects.filter(region__in=new).update(status=Status.IN_UITVOERING)
        for region in new:
            ContactPersonFactory(region=region)
        with django_assert_num_queries(6):
            groups = peers_by_agreement(regions)
            assert all(c.name for g in groups for p in g.peers for c in p.region.ambtelijk_aanspreekpunten)
        return sum(g.count for g in groups)

    assert count(3) < count(20)
