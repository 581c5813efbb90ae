import factory

from regions.models import ContactPerson, Municipality, Region, RegiovisieAdoption


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

    name = factory.Sequence(lambda n: f"Gemeente {n:04d}")
    cbs_code = factory.Sequence(lambda n: f"GM{n % 10000:04d}")
    region = factory.SubFactory(RegionFactory, centrum=None)


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
