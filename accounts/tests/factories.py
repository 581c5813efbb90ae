import factory
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role

FACTORY_PASSWORD = "test-wachtwoord-123"  # noqa: S105 - test users only


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a role: `UserFactory(role=Role.REGIO_ADVISEUR, regions=[region])`."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(FACTORY_PASSWORD)
    role = None

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)

    @classmethod
    def _create(cls, model_class, *args, role: Role | None = None, **kwargs):
        kwargs.setdefault("is_staff", role == Role.BEHEERDER)
        user = super()._create(model_class, *args, **kwargs)
        if role is not None:
            user.groups.add(Group.objects.get(name=Role(role).value))
        return user
