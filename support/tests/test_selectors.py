"""Selectors: follow-up ordering, overdue flags, attendance counts and network contacts, at fixed query counts."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from regions.tests.factories import ContactPersonFactory, RegionFactory
from support.selectors import (
    attendance_last_12_months,
    follow_up_overview,
    lagging_regions,
    meetings_upcoming_and_past,
    months_before,
    network_contacts,
    overdue_support_actions,
)
from support.tests.factories import MeetingAttendanceFactory, NetworkMeetingFactory, SupportActionFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 15)
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize("day, months, expected", [
    (date(2026, 11, 15), 3, date(2026, 8, 15)),
    (date(2026, 5, 31), 3, date(2026, 2, 28)),
    (date(2026, 2, 10), 12, date(2025, 2, 10)),
    (date(2026, 1, 31), 1, date(2025, 12, 31)),
])
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_without_a_dashboard_there_are_no_lagging_regions_yet():
    assert lagging_regions() is None


def test_follow_up_puts_regions_without_recent_contact_first():
    never = RegionFactory(name="Zuid")
    stale = RegionFactory(name="Oost")
    recent = RegionFactory(name="Noord")
    not_lagging = RegionFactory(name="West")
    SupportActionFactory(region=stale, date=TODAY - timedelta(days=120), status="afgerond")
    SupportActionFactory(region=recent, date=TODAY - timedelta(days=10))
    SupportActionFactory(region=not_lagging, date=TODAY - timedelta(days=300))
    lagging = {never.id: "Score 2", stale.id: "Score 3", recent.id: "Achteruitgang"}

    rows = follow_up_overview(lagging=lagging, today=TODAY)

    assert [row.region for row in rows] == [never, stale, recent]
    assert [row.no_recent_contact for row in rows] == [True, True, False]
    assert [row.last_contact for row in rows] == [None, TODAY - timedelta(days=120), TODAY - timedelta(days=10)]
    assert [row.reason for row in rows] == ["Score 2", "Score 3", "Achteruitgang"]
    assert rows[1].open_actions == []  # the finished action counts as contact but is not open


def test_follow_up_flags_overdue_next_steps():
    region = RegionFactory()
    late = SupportActionFactory(region=region, next_step_due=TODAY - timedelta(days=1))
    due_today = SupportActionFactory(region=region, next_step_due=TODAY)
    no_due = SupportActionFactory(region=region, next_step_due=None)

    (row,) = follow_up_overview(lagging={region.id: "Score 1"}, today=TODAY)

    assert {action: action.overdue for action in row.open_actions} == {late: True, due_today: False, no_due: False}
    assert row.overdue_count == 1


def test_follow_up_query_count_is_fixed(django_assert_max_num_queries):
    regions = RegionFactory.create_batch(12)
    for region in regions:
        SupportActionFactory.create_batch(2, region=region)
    with django_assert_max_num_queries(2):
        rows = follow_up_overview(lagging={region.id: "Score 1" for region in regions}, today=TODAY)
        assert sum(len(row.open_actions) for row in rows) == 24
        assert all(action.region.name and action.vng_staff.username for row in rows for action in row.open_actions)


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
        (complete, []), (partial, ["primair"]), (empty, ["primair", "vervanger"]),
    ]
    assert rows[1].vervanger.kind == "bestuurlijk"
