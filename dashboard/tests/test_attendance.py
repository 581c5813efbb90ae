"""Network attendance is frozen into the snapshot and shown as a column of the dashboard."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from dashboard.models import SnapshotRegion
from dashboard.services import dashboard_rebuild
from regions.models import Region
from support.tests.factories import MeetingAttendanceFactory, NetworkMeetingFactory

pytestmark = pytest.mark.django_db


def _meeting(days_ago: int):
    starts = timezone.now() - timedelta(days=days_ago)
    return NetworkMeetingFactory(starts_at=starts, ends_at=starts + timedelta(hours=2))


def test_the_dashboard_shows_how_often_each_region_was_represented(reference_data, make_user, client):
    zeeland = Region.objects.get(slug="zeeland")
    recent, older = _meeting(20), _meeting(80)
    _meeting(500)  # more than 12 months ago: not counted
    MeetingAttendanceFactory(meeting=recent, region=zeeland)
    MeetingAttendanceFactory(meeting=older, region=zeeland, represented_by="vervanger")
    MeetingAttendanceFactory(meeting=recent, region=Region.objects.get(name="Regio Utrecht (U16)"))

    snapshot = dashboard_rebuild(month=timezone.localdate())
    rows = {row.region.name: row for row in SnapshotRegion.objects.filter(snapshot=snapshot).select_related("region")}
    assert (rows["Zeeland"].meetings_attended, rows["Zeeland"].meetings_held) == (2, 2)
    assert (rows["Regio Utrecht (U16)"].meetings_attended, rows["Regio Utrecht (U16)"].meetings_held) == (1, 2)
    assert rows["Groningen"].meetings_attended == 0

    client.force_login(make_user(Role.VNG_MEDEWERKER))
    page = client.get(reverse("dashboard:index")).content.decode()
    assert "Netwerk" in page
    assert page.count("2 van 2") == 1 and page.count("1 van 2") == 1
