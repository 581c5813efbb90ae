"""What the region page shows of VNG's support and of the region's network attendance."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from regions.tests.factories import RegionFactory
from support.tests.factories import MeetingAttendanceFactory, NetworkMeetingFactory, SupportActionFactory


@pytest.fixture
def region(db):
    region = RegionFactory()
    SupportActionFactory(region=region, summary="Werkbezoek over de toegang afgesproken")
    past = timezone.now() - timedelta(days=40)
    attended = NetworkMeetingFactory(starts_at=past, ends_at=past + timedelta(hours=2))
    NetworkMeetingFactory(starts_at=past - timedelta(days=30), ends_at=past - timedelta(days=30) + timedelta(hours=2))
    MeetingAttendanceFactory(meeting=attended, region=region)
    return region


@pytest.mark.parametrize(
    ("role", "own_region", "sees_actions"),
    [
        (Role.VNG_MEDEWERKER, False, True),
        (Role.BEHEERDER, False, True),
        (Role.REGIO_ADVISEUR, True, True),
        (Role.REGIO_ADVISEUR, False, False),
        (Role.REGIO_GEBRUIKER, True, False),
    ],
)
def test_open_support_actions_show_to_vng_and_the_regions_own_adviseur_only(client, make_user, region, role, own_region, sees_actions):
    user = make_user(role, [region]) if own_region else make_user(role, [RegionFactory()])
    client.force_login(user)
    page = client.get(reverse("pages:region_detail", args=[region.slug])).content.decode()
    assert ("Werkbezoek over de toegang afgesproken" in page) is sees_actions
    assert ("Actie vastleggen" in page) is (role in (Role.VNG_MEDEWERKER, Role.BEHEERDER))
    assert "1 van 2 bijeenkomsten" in page
