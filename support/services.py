"""Writes for the follow-up of lagging regions and the BW-MO network, and the monthly digest e-mail.

Only VNG staff (VNG-medewerker, Beheerder) manage support actions and meetings.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, translation

from accounts.models import User
from accounts.roles import Role, is_vng_or_beheerder
from agreements.models import Agreement
from core.audit import audit_record
from core.models import AuditEvent
from core.versioning import lock_and_compare
from regions.models import Region
from support.models import MeetingAttendance, NetworkMeeting, SupportAction
from support.selectors import overdue_support_actions

ACTION_FIELDS = ("agreement_id", "kind", "date", "vng_staff_id", "summary", "next_step", "next_step_due", "status")
MEETING_FIELDS = ("network", "starts_at", "ends_at", "format", "location", "agenda")


def _require_vng(user) -> None:
    if not is_vng_or_beheerder(user):
        raise PermissionDenied("Alleen medewerkers van de VNG leggen ondersteuning en netwerkbijeenkomsten vast.")


def _state(record, fields: Sequence[str]) -> dict:
    return {name: getattr(record, name) for name in fields}


def _audit(*, user, record, description: str, action: str, old: dict | None, new: dict | None) -> None:
    audit_record(
        kind=AuditEvent.Kind.DATA_CHANGE,
        user=user,
        description=description,
        target=record,
        action=action,
        old=old,
        new=new,
        details={"version": record.version},
    )


@transaction.atomic
def support_action_create(
    *,
    user,
    region: Region,
    agreement: Agreement | None,
    kind: str,
    date: date,
    vng_staff: User,
    summary: str,
    next_step: str = "",
    next_step_due: date | None = None,
    status: str = SupportAction.State.OPEN,
) -> SupportAction:
    _require_vng(user)
    action = SupportAction(
        region=region,
        agreement=agreement,
        kind=kind,
        date=date,
        vng_staff=vng_staff,
        summary=summary.strip(),
        next_step=next_step.strip(),
        next_step_due=next_step_due,
        status=status,
        created_by=user,
        updated_by=user,
    )
    action.full_clean()
    action.save()
    _audit(
        user=user,
        record=action,
        description=f"Ondersteuningsactie aangemaakt: {action}",
        action="aangemaakt",
        old=None,
        new=_state(action, ACTION_FIELDS),
    )
    return action


@transaction.atomic
def support_action_update(
    *,
    action: SupportAction,
    expected_version: int,
    user,
    agreement: Agreement | None,
    kind: str,
    date: date,
    vng_staff: User,
    summary: str,
    next_step: str,
    next_step_due: date | None,
    status: str,
) -> SupportAction:
    """Save the edited action; ConflictError when someone else saved it after `expected_version`."""
    _require_vng(user)
    current = lock_and_compare(
        SupportAction,
        pk=action.pk,
        expected_version=expected_version,
        message="Iemand anders heeft deze actie opgeslagen nadat u begon met bewerken.",
    )
    old = _state(current, ACTION_FIELDS)
    current.agreement, current.kind, current.date, current.vng_staff = agreement, kind, date, vng_staff
    current.summary, current.next_step, current.next_step_due = summary.strip(), next_step.strip(), next_step_due
    current.status, current.updated_by = status, user
    current.version += 1
    current.full_clean()
    current.save()
    _audit(
        user=user,
        record=current,
        description=f"Ondersteuningsactie gewijzigd: {current}",
        action="gewijzigd",
        old=old,
        new=_state(current, ACTION_FIELDS),
    )
    return current


@transaction.atomic
def meeting_create(
    *, user, network: str, starts_at: datetime, ends_at: datetime, format: str, location: str = "", agenda: str = ""
) -> NetworkMeeting:
    _require_vng(user)
    meeting = NetworkMeeting(
        network=network,
        starts_at=starts_at,
        ends_at=ends_at,
        format=format,
        location=location.strip(),
        agenda=agenda.strip(),
        updated_by=user,
    )
    meeting.full_clean()
    meeting.save()
    _audit(
        user=user,
        record=meeting,
        description=f"Netwerkbijeenkomst aangemaakt: {meeting}",
        action="aangemaakt",
        old=None,
        new=_state(meeting, MEETING_FIELDS),
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: NetworkMeeting,
    expected_version: int,
    user,
    network: str,
    starts_at: datetime,
    ends_at: datetime,
    format: str,
    location: str,
    agenda: str,
) -> NetworkMeeting:
    _require_vng(user)
    current = lock_and_compare(
        NetworkMeeting,
        pk=meeting.pk,
        expected_version=expected_version,
        message="Iemand anders heeft deze bijeenkomst opgeslagen nadat u begon met bewerken.",
    )
    old = _state(current, MEETING_FIELDS)
    current.network, current.starts_at, current.ends_at = network, starts_at, ends_at
    current.format, current.location, current.agenda = format, location.strip(), agenda.strip()
    current.updated_by = user
    current.version += 1
    current.full_clean()
    current.save()
    _audit(
        user=user,
        record=current,
        description=f"Netwerkbijeenkomst gewijzigd: {current}",
        action="gewijzigd",
        old=old,
        new=_state(current, MEETING_FIELDS),
    )
    return current


@transaction.atomic
def meeting_attendance_set(*, meeting: NetworkMeeting, user, represented_by: Mapping[int, str]) -> int:
    """Replace the meeting's attendance list: region id → "primair" or "vervanger" (absent regions are left out).

    Returns the number of regions present.
    """
    _require_vng(user)
    meeting = NetworkMeeting.objects.select_for_update().get(pk=meeting.pk)  # one attendance editor at a time
    old = {str(region_id): position for region_id, position in meeting.attendances.values_list("region_id", "represented_by")}
    new = {str(region_id): position for region_id, position in represented_by.items()}
    MeetingAttendance.objects.filter(meeting=meeting).delete()
    attendances = [
        MeetingAttendance(meeting=meeting, region_id=region_id, represented_by=position) for region_id, position in represented_by.items()
    ]
    for attendance in attendances:
        attendance.clean_fields(exclude=["meeting", "region"])  # choices only: no query per region
    MeetingAttendance.objects.bulk_create(attendances)
    if old != new:
        _audit(user=user, record=meeting, description=f"Aanwezigheid gewijzigd: {meeting}", action="aanwezigheid", old=old, new=new)
    return len(attendances)


def monthly_digest_send(
    *,
    moved_up: Sequence[Region],
    moved_down: Sequence[Region],
    new_lagging: Mapping[Region, str],
    today: date,
    dashboard_url: str,
    open_disagreements: int = 0,
) -> int:
    """E-mail the month's changes and the overdue follow-ups to every active VNG-medewerker; returns the count.

    Called after the monthly dashboard rebuild; `new_lagging` maps each newly lagging region to its reason;
    `open_disagreements` counts the statuses the regions did not agree with (niet akkoord) in the snapshot.
    """
    recipients = list(
        User.objects.filter(is_active=True, groups__name=Role.VNG_MEDEWERKER)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return 0
    with translation.override("nl"):
        month = formats.date_format(today, "F Y")
    context = {
        "month": month,
        "moved_up": moved_up,
        "moved_down": moved_down,
        "new_lagging": sorted(new_lagging.items(), key=lambda item: item[0].name),
        "overdue": overdue_support_actions(today=today),
        "dashboard_url": dashboard_url,
        "open_disagreements": open_disagreements,
    }
    subject = (
        f"NvO-dashboard {month}: {len(moved_up)} vooruit, {len(moved_down)} achteruit, "
        f"{len(new_lagging)} nieuwe achterblijver{'s' if len(new_lagging) != 1 else ''}"
    )
    text = render_to_string("support/email/digest.txt", context)
    html = render_to_string("support/email/digest.html", context)
    messages = []
    for recipient in recipients:
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [recipient])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    return get_connection().send_messages(messages)
