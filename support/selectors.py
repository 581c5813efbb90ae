"""Reads for the follow-up of lagging regions and the BW-MO network; every function runs a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet
from django.utils import timezone

from core.dates import months_earlier
from regions.models import ContactPerson, Region
from support.models import MeetingAttendance, NetworkMeeting, SupportAction

NO_CONTACT_MONTHS = 3


def open_support_actions(*, today: date) -> QuerySet[SupportAction]:
    return (
        SupportAction.objects.filter(status=SupportAction.State.OPEN)
        .select_related("region", "agreement", "vng_staff")
        .annotate(overdue=ExpressionWrapper(Q(next_step_due__isnull=False, next_step_due__lt=today), output_field=BooleanField()))
        .order_by("next_step_due", "-date", "-id")
    )


def region_open_support_actions(*, region_id: int, today: date) -> list[SupportAction]:
    return list(open_support_actions(today=today).filter(region_id=region_id))


def overdue_support_actions(*, today: date) -> list[SupportAction]:
    """Open actions whose agreed next step is past its due date (for the monthly digest)."""
    return list(open_support_actions(today=today).filter(next_step_due__lt=today).order_by("next_step_due", "region__name"))


def meetings_upcoming_and_past(*, now: datetime) -> tuple[list[NetworkMeeting], list[NetworkMeeting]]:
    """Upcoming meetings (soonest first) and past ones (latest first), each with its number of regions present."""
    meetings = NetworkMeeting.objects.annotate(attendance_count=Count("attendances"))
    upcoming = list(meetings.filter(ends_at__gte=now).order_by("starts_at"))
    past = list(meetings.filter(ends_at__lt=now).order_by("-starts_at"))
    return upcoming, past


def meeting_attendance_by_region(*, meeting: NetworkMeeting) -> tuple[list[Region], dict[int, str]]:
    """Every region, and region id → represented_by for the regions on the meeting's attendance list."""
    regions = list(Region.objects.order_by("name"))
    attendance = dict(MeetingAttendance.objects.filter(meeting=meeting).values_list("region_id", "represented_by"))
    return regions, attendance


def _last_12_months(today: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(months_earlier(today, 12), time.min, tzinfo=tz)
    return start, datetime.combine(today + timedelta(days=1), time.min, tzinfo=tz)


def attendance_last_12_months(*, today: date) -> dict[int, tuple[int, int]]:
    """Region id → (meetings attended, meetings held) over the 12 months up to and including `today`."""
    start, end = _last_12_months(today)
    held = NetworkMeeting.objects.filter(starts_at__gte=start, starts_at__lt=end).count()
    attended = Region.objects.annotate(
        attended=Count(
            "meeting_attendances",
            filter=Q(meeting_attendances__meeting__starts_at__gte=start, meeting_attendances__meeting__starts_at__lt=end),
        )
    ).values_list("id", "attended")
    return {region_id: (count, held) for region_id, count in attended}


def region_attendance_last_12_months(*, region: Region, today: date) -> tuple[int, int]:
    """(meetings attended, meetings held) of one region over the 12 months up to and including `today`."""
    start, end = _last_12_months(today)
    held = NetworkMeeting.objects.filter(starts_at__gte=start, starts_at__lt=end)
    return held.filter(attendances__region=region).count(), held.count()


@dataclass(frozen=True)
class NetworkContactRow:
    region: Region
    primair: ContactPerson | None
    vervanger: ContactPerson | None

    @property
    def missing(self) -> list[str]:
        return [label for label, contact in (("primair", self.primair), ("vervanger", self.vervanger)) if contact is None]


def network_contacts(*, network: str) -> list[NetworkContactRow]:
    """Per region the primary and vervanger contact of `network` (bestuurlijk or ambtelijk); None when missing."""
    regions = Region.objects.order_by("name").prefetch_related(
        Prefetch("contacts", queryset=ContactPerson.objects.filter(kind=network), to_attr="network_contacts")
    )
    rows = []
    for region in regions:
        by_position = {contact.position: contact for contact in region.network_contacts}
        rows.append(NetworkContactRow(region, by_position.get("primair"), by_position.get("vervanger")))
    return rows
