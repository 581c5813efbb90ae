"""Selectors: follow-up ordering, overdue flags, attendance counts and network contacts, at fixed query counts."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from regions.tests.factories import ContactPersonFactory, RegionFactory
from support.selectors import (
    attendance_last_12_months,
    meetings_upcoming_and_past,
    network_contacts,
    overdue_support_actions,
    region_attendance_last_12_months,
)
from support.tests.factories import MeetingAttendanceFactory, NetworkMeetingFactory, SupportActionFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 15)
AMS = ZoneInfo("Europe/Amsterdam")


def test_overdue_support_actions_only_lists_open_late_steps():
    late = SupportActionFactory(next_step_due=TODAY - timedelta(days=3))
    SupportActionFactory(next_step_due=TODAY - timedelta(days=3), status="afgerond")
    SupportActionFactory(next_step_due=TODAY + timedelta(days=3))
    assert overdue_support_actions(today=TODAY) == [late]


def test_attendance_counts_meetings_of_the_last_12_months(django_assert_max_num_queries):
    present, absent = RegionFactory(), RegionFactory()
    inside = [
        NetworkMeetingFactory(starts_at=datetime(2025, 11, 15, 10, tzinfo=AMS)),  # exactly 12 months ago
        NetworkMeetingFactory(starts_at=datetime(2026, 6, 1, 10, tzinfo=AMS)),
        NetworkMeetingFactory(starts_at=datetime(2026, 11, 15, 20, tzinfo=AMS)),  # later today
    ]
    too_old = NetworkMeetingFactory(starts_at=datetime(2025, 11, 14, 10, tzinfo=AMS))
    upcoming = NetworkMeetingFactory(starts_at=datetime(2026, 11, 16, 10, tzinfo=AMS))
    for meeting in [*inside[:2], too_old, upcoming]:
        MeetingAttendanceFactory(meeting=meeting, region=present)
    MeetingAttendanceFactory(meeting=inside[2], region=present, represented_by="vervanger")

    with django_assert_max_num_queries(2):
        attendance = attendance_last_12_months(today=TODAY)

    assert attendance[present.id] == (3, 3)
    assert attendance[absent.id] == (0, 3)
    with django_assert_max_num_queries(2):
        assert region_attendance_last_12_months(region=present, today=TODAY) == (3, 3)
    assert region_attendance_last_12_months(region=absent, today=TODAY) == (0, 3)


def test_meetings_split_into_upcoming_and_past():
    now = datetime(2026, 11, 15, 12, tzinfo=AMS)
    later = NetworkMeetingFactory(starts_at=now + timedelta(days=30))
    soon = NetworkMeetingFactory(starts_at=now + timedelta(days=2))
    running = NetworkMeetingFactory(starts_at=now - timedelta(hours=1))
    old = NetworkMeetingFactory(starts_at=now - timedelta(days=60))
    recent = NetworkMeetingFactory(starts_at=now - timedelta(days=5))
    MeetingAttendanceFactory.create_batch(2, meeting=recent)

    upcoming, past = meetings_upcoming_and_past(now=now)

    assert upcoming == [running, soon, later]
    assert past == [recent, old]
    assert past[0].attendance_count == 2


def test_network_contacts_flag_missing_positions(django_assert_max_num_queries):
    complete, partial, empty = RegionFactory(name="A"), RegionFactory(name="B"), RegionFactory(name="C")
    for position in ("primair", "vervanger"):
        ContactPersonFactory(region=complete, kind="bestuurlijk", position=position)
    ContactPersonFactory(region=partial, kind="bestuurlijk", position="vervanger")
    ContactPersonFactory(region=partial, kind="ambtelijk", position="primair")  # the other network
    ContactPersonFactory(region=empty, kind="ambtelijk", position="primair")

    with django_assert_max_num_queries(2):
        rows = network_contacts(network="bestuurlijk")

    assert [(row.region, row.missing) for row in rows] == [
        (complete, []),
        (partial, ["primair"]),
        (empty, ["primair", "vervanger"]),
    ]
    assert rows[1].vervanger.kind == "bestuurlijk"
