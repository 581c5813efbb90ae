from datetime import date

import factory

from regions.models import CentrumgemeenteTerm, ContactPerson, Membership, Municipality, Region, RegiovisieAdoption

# Factory regions exist long before any month a test builds, as the shipped division does from 2022.
FACTORY_DIVISION_START = date(2000, 1, 1)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Regio {n:03d}")
    slug = factory.Sequence(lambda n: f"regio-{n:03d}")
    code = factory.Sequence(lambda n: f"T{n:04d}")
    centrum = factory.RelatedFactory("regions.tests.factories.MunicipalityFactory", factory_related_name="region", is_centrumgemeente=True)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Gemeente {n:04d}")
    cbs_code = factory.Sequence(lambda n: f"GM{2000 + n % 8000:04d}")  # GM2000 and up: no real CBS code (yet)
    region = factory.SubFactory(RegionFactory, centrum=None)

    @factory.post_generation
    def membership(municipality, create, extracted, **kwargs):
        """The dated membership (and centrumgemeente term) that today's `region` and flag stand for."""
        if not create or municipality.region is None:
            return
        Membership.objects.create(municipality=municipality, region=municipality.region, valid_from=FACTORY_DIVISION_START)
        if municipality.is_centrumgemeente:
            CentrumgemeenteTerm.objects.create(region=municipality.region, municipality=municipality, valid_from=FACTORY_DIVISION_START)


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    region = factory.SubFactory(RegionFactory)
    kind = ContactPerson.Kind.AMBTELIJK
    position = ContactPerson.Position.PRIMAIR
    name = factory.Faker("name", locale="nl_NL")
    function = "Beleidsadviseur"
    organisation = "Gemeente Voorbeeld"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    phone = "06-12345678"


class RegiovisieAdoptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegiovisieAdoption

    municipality = factory.SubFactory(MunicipalityFactory)
    decision_date = factory.Faker("past_date", start_date="-700d")
    decision_url = "https://example.org/raadsbesluit"
