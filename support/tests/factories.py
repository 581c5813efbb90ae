from datetime import timedelta

import factory
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from regions.tests.factories import RegionFactory
from support.models import MeetingAttendance, NetworkMeeting, SupportAction


class SupportActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportAction

    region = factory.SubFactory(RegionFactory)
    kind = SupportAction.Kind.GESPREK
    date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=14))
    vng_staff = factory.SubFactory(UserFactory, role=Role.VNG_MEDEWERKER)
    summary = "Gesprek over de voortgang van de regiovisie."
    next_step = "Regio stuurt het concept van de regiovisie."
    next_step_due = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class NetworkMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMeeting

    network = "ambtelijk"
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + timedelta(days=21))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    format = NetworkMeeting.Format.FYSIEK
    location = "VNG, Nassaulaan 12, Den Haag"
    agenda = "1. Opening\n2. Voortgang NvO"


class MeetingAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAttendance

    meeting = factory.SubFactory(NetworkMeetingFactory)
    region = factory.SubFactory(RegionFactory)
    represented_by = "primair"
