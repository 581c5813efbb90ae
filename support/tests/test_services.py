"""Services: only VNG staff write; versions refuse silent overwrites; invalid input gets a Dutch message."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import Role
from core.errors import ConflictError
from regions.tests.factories import RegionFactory
from support.models import MeetingAttendance, NetworkMeeting, SupportAction
from support.services import (
    meeting_attendance_set,
    meeting_create,
    meeting_update,
    support_action_create,
    support_action_update,
)
from support.tests.factories import NetworkMeetingFactory, SupportActionFactory

pytestmark = pytest.mark.django_db

ROLES_ALLOWED = [
    (Role.BEHEERDER, True),
    (Role.VNG_MEDEWERKER, True),
    (Role.REGIO_ADVISEUR, False),
    (Role.REGIO_GEBRUIKER, False),
    (None, False),
]


def _action_fields(region, vng_staff, **changes):
    return {
        "region": region,
        "agreement": None,
        "kind": "gesprek",
        "date": timezone.localdate(),
        "vng_staff": vng_staff,
        "summary": "Gesprek met de wethouder.",
        "next_step": "Regio levert planning aan.",
        "next_step_due": timezone.localdate() + timedelta(days=14),
        "status": "open",
    } | changes


def _meeting_fields(**changes):
    starts = timezone.now().replace(microsecond=0) + timedelta(days=7)
    return {
        "network": "bestuurlijk",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "format": "online",
        "location": "",
        "agenda": "Voortgang NvO",
    } | changes


@pytest.mark.parametrize("role, allowed", ROLES_ALLOWED)
def test_only_vng_staff_create_support_actions(make_user, role, allowed):
    region = RegionFactory()
    user = make_user(role, regions=[region])  # even the region's own regio-adviseur may not
    vng = make_user(Role.VNG_MEDEWERKER)
    if allowed:
        action = support_action_create(user=user, **_action_fields(region, vng))
        assert (action.created_by, action.version, action.status) == (user, 1, "open")
    else:
        with pytest.raises(PermissionDenied):
            support_action_create(user=user, **_action_fields(region, vng))
        assert not SupportAction.objects.exists()


@pytest.mark.parametrize("role, allowed", ROLES_ALLOWED)
def test_only_vng_staff_update_support_actions(make_user, role, allowed):
    action = SupportActionFactory()
    user = make_user(role, regions=[action.region])
    fields = _action_fields(action.region, action.vng_staff, status="afgerond")
    del fields["region"]
    if allowed:
        updated = support_action_update(action=action, expected_version=1, user=user, **fields)
        assert (updated.status, updated.version, updated.updated_by) == ("afgerond", 2, user)
    else:
        with pytest.raises(PermissionDenied):
            support_action_update(action=action, expected_version=1, user=user, **fields)
        action.refresh_from_db()
        assert action.status == "open"


def test_stale_support_action_edit_is_refused(make_user):
    action = SupportActionFactory()
    vng = make_user(Role.VNG_MEDEWERKER)
    fields = _action_fields(action.region, vng)
    del fields["region"]
    support_action_update(action=action, expected_version=1, user=vng, **fields | {"summary": "Eerste"})
    with pytest.raises(ConflictError) as error:
        support_action_update(action=action, expected_version=1, user=vng, **fields | {"summary": "Tweede"})
    assert error.value.current.summary == "Eerste"
    action.refresh_from_db()
    assert (action.summary, action.version) == ("Eerste", 2)


def test_due_date_without_next_step_gets_a_dutch_message(make_user):
    vng = make_user(Role.VNG_MEDEWERKER)
    with pytest.raises(ValidationError, match="vul de vervolgstap in"):
        support_action_create(user=vng, **_action_fields(RegionFactory(), vng, next_step=" "))


@pytest.mark.parametrize("role, allowed", ROLES_ALLOWED)
def test_only_vng_staff_manage_meetings(make_user, role, allowed):
    user = make_user(role)
    meeting = NetworkMeetingFactory()
    region = RegionFactory()
    if allowed:
        created = meeting_create(user=user, **_meeting_fields())
        updated = meeting_update(meeting=meeting, expected_version=1, user=user, **_meeting_fields(agenda="Nieuw"))
        meeting_attendance_set(meeting=meeting, user=user, represented_by={region.id: "vervanger"})
        assert created.pk and updated.version == 2
        assert MeetingAttendance.objects.get().represented_by == "vervanger"
    else:
        for call in (
            lambda: meeting_create(user=user, **_meeting_fields()),
            lambda: meeting_update(meeting=meeting, expected_version=1, user=user, **_meeting_fields()),
            lambda: meeting_attendance_set(meeting=meeting, user=user, represented_by={region.id: "primair"}),
        ):
            with pytest.raises(PermissionDenied):
                call()
        assert NetworkMeeting.objects.count() == 1 and not MeetingAttendance.objects.exists()


def test_physical_meeting_without_location_gets_a_dutch_message(make_user):
    with pytest.raises(ValidationError, match="Vul de locatie in"):
        meeting_create(user=make_user(Role.VNG_MEDEWERKER), **_meeting_fields(format="fysiek", location=""))


def test_meeting_ending_before_start_gets_a_dutch_message(make_user):
    fields = _meeting_fields()
    with pytest.raises(ValidationError, match="eindigt na het begin"):
        meeting_create(user=make_user(Role.VNG_MEDEWERKER), **fields | {"ends_at": fields["starts_at"]})


def test_stale_meeting_edit_is_refused(make_user):
    meeting = NetworkMeetingFactory()
    vng = make_user(Role.VNG_MEDEWERKER)
    meeting_update(meeting=meeting, expected_version=1, user=vng, **_meeting_fields(agenda="Eerste"))
    with pytest.raises(ConflictError):
        meeting_update(meeting=meeting, expected_version=1, user=vng, **_meeting_fields(agenda="Tweede"))
    meeting.refresh_from_db()
    assert meeting.agenda == "Eerste"


def test_attendance_set_replaces_the_list(make_user):
    vng = make_user(Role.VNG_MEDEWERKER)
    meeting = NetworkMeetingFactory()
    first, second = RegionFactory(), RegionFactory()
    meeting_attendance_set(meeting=meeting, user=vng, represented_by={first.id: "primair", second.id: "primair"})
    meeting_attendance_set(meeting=meeting, user=vng, represented_by={second.id: "vervanger"})
    assert list(meeting.attendances.values_list("region_id", "represented_by")) == [(second.id, "vervanger")]


def test_attendance_with_unknown_representation_is_refused(make_user):
    vng = make_user(Role.VNG_MEDEWERKER)
    meeting = NetworkMeetingFactory()
    with pytest.raises(ValidationError):
        meeting_attendance_set(meeting=meeting, user=vng, represented_by={RegionFactory().id: "stagiair"})
    assert not meeting.attendances.exists()
