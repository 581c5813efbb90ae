import factory

from agreements.models import Agreement, AgreementStatus, Criterion
from regions.tests.factories import RegionFactory


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: n % 8 + 1)
    title = factory.LazyAttribute(lambda o: f"Afspraak {o.number}")
    text = "Tekst van de afspraak."
    criteria = factory.RelatedFactoryList("agreements.tests.factories.CriterionFactory", factory_related_name="agreement", size=3)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    agreement = factory.SubFactory(AgreementFactory, criteria=[])
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Minimumcriterium {n}")


class AgreementStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementStatus

    region = factory.SubFactory(RegionFactory)
    agreement = factory.SubFactory(AgreementFactory)
