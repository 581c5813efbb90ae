"""The database refuses bad support actions, meetings and attendance, whichever path writes them."""

from datetime import timedelta

import pytest
from django.db import IntegrityError

from support.tests.factories import MeetingAttendanceFactory, NetworkMeetingFactory, SupportActionFactory

pytestmark = pytest.mark.django_db


def test_due_date_without_next_step_is_refused():
    with pytest.raises(IntegrityError, match="support_action_due_needs_next_step"):
        SupportActionFactory(next_step="")


def test_next_step_without_due_date_is_allowed():
    assert SupportActionFactory(next_step="Bellen", next_step_due=None).pk


@pytest.mark.parametrize(
    "field, value, constraint",
    [
        ("kind", "brief", "support_action_kind_valid"),
        ("status", "half", "support_action_status_valid"),
        ("version", 0, "support_action_version_positive"),
    ],
)
def test_support_action_choices_are_enforced(field, value, constraint):
    with pytest.raises(IntegrityError, match=constraint):
        SupportActionFactory(**{field: value})


def test_meeting_must_end_after_it_starts():
    meeting = NetworkMeetingFactory.build()
    with pytest.raises(IntegrityError, match="meeting_ends_after_start"):
        NetworkMeetingFactory(starts_at=meeting.starts_at, ends_at=meeting.starts_at - timedelta(minutes=1))


def test_physical_meeting_needs_a_location():
    with pytest.raises(IntegrityError, match="meeting_physical_needs_location"):
        NetworkMeetingFactory(format="fysiek", location="")


def test_online_meeting_needs_no_location():
    assert NetworkMeetingFactory(format="online", location="").pk


def test_region_attends_a_meeting_once():
    attendance = MeetingAttendanceFactory()
    with pytest.raises(IntegrityError, match="one_attendance_per_meeting_region"):
        MeetingAttendanceFactory(meeting=attendance.meeting, region=attendance.region, represented_by="vervanger")


def test_attendance_representation_is_primair_or_vervanger():
    with pytest.raises(IntegrityError, match="attendance_represented_by_valid"):
        MeetingAttendanceFactory(represented_by="stagiair")
