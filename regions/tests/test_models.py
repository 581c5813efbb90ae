"""The database itself refuses states that break the domain's invariants."""

import pytest
from django.db import IntegrityError, transaction

from agreements.models import Agreement, AgreementStatus
from agreements.tests.factories import AgreementFactory
from regions.models import ContactPerson, Municipality
from regions.tests.factories import ContactPersonFactory, MunicipalityFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_region_has_at_most_one_centrumgemeente():
    region = RegionFactory()
    _refused(lambda: MunicipalityFactory(region=region, is_centrumgemeente=True))
    MunicipalityFactory(region=region, is_centrumgemeente=False)
    assert Municipality.objects.filter(region=region).count() == 2


def test_cbs_codes_are_unique_and_well_formed():
    municipality = MunicipalityFactory(cbs_code="GM0363")
    _refused(lambda: MunicipalityFactory(cbs_code="GM0363", region=municipality.region))
    _refused(lambda: MunicipalityFactory(cbs_code="0363", region=municipality.region))


def test_one_primary_and_one_vervanger_per_kind_per_region():
    contact = ContactPersonFactory()
    _refused(lambda: ContactPersonFactory(region=contact.region, kind=contact.kind, position=contact.position))
    ContactPersonFactory(region=contact.region, kind=contact.kind, position=ContactPerson.Position.VERVANGER)
    ContactPersonFactory(region=contact.region, kind=ContactPerson.Kind.BESTUURLIJK, position=contact.position)
    _refused(lambda: ContactPersonFactory(region=contact.region, kind="anders", position="reserve"))


def test_agreement_numbers_lie_between_1_and_8():
    _refused(lambda: Agreement.objects.create(number=9, title="Negen", text="-"))
    _refused(lambda: Agreement.objects.create(number=0, title="Nul", text="-"))


def test_one_status_per_region_and_agreement_on_the_fixed_scale():
    region, agreement = RegionFactory(), AgreementFactory(number=1)
    AgreementStatus.objects.create(region=region, agreement=agreement)
    _refused(lambda: AgreementStatus.objects.create(region=region, agreement=agreement))
    other = AgreementFactory(number=2)
    _refused(lambda: AgreementStatus.objects.create(region=region, agreement=other, status=5))
