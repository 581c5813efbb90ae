"""The calendar file: no text value can break its line and smuggle in a property of its own (RFC 5545)."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from accounts.roles import Role
from support.ics import meeting_ics
from support.tests.factories import NetworkMeetingFactory

pytestmark = pytest.mark.django_db

PROPERTIES = {
    "BEGIN",
    "END",
    "VERSION",
    "PRODID",
    "CALSCALE",
    "METHOD",
    "UID",
    "DTSTAMP",
    "SEQUENCE",
    "DTSTART",
    "DTEND",
    "SUMMARY",
    "LOCATION",
    "DESCRIPTION",
    "URL",
}
INJECTED = "ATTENDEE;RSVP=TRUE:mailto:aanvaller@example.org"


def _lenient_lines(raw: str) -> list[str]:
    """How a lenient parser reads the file: unfold, then break on any line break (CR, LF, NEL, U+2028 …)."""
    return raw.replace("\r\n ", "").splitlines()


@pytest.mark.parametrize(
    "line_break",
    ["\r", "\n", "\r\n", "\n\r", "\x85", "\u2028", "\x0b", "\x1b"],
    ids=["CR", "LF", "CRLF", "LFCR", "NEL", "LINE-SEPARATOR", "VT", "ESC"],
)
def test_no_text_value_can_start_a_property(line_break):
    meeting = NetworkMeetingFactory(
        starts_at=datetime(2026, 12, 10, 13, 0, tzinfo=UTC),
        location=f"Stadhuis{line_break}{INJECTED}",
        agenda=f"1. Opening{line_break}{INJECTED}{line_break}END:VEVENT",
    )
    raw = meeting_ics(meeting, host=f"testserver{line_break}{INJECTED}", url=f"https://x.nl/{line_break}{INJECTED}")

    assert raw.replace("\r\n", "").count("\r") == 0 and raw.replace("\r\n", "").count("\n") == 0
    lines = _lenient_lines(raw)
    assert {line.split(":")[0].split(";")[0] for line in lines} == PROPERTIES
    assert [line for line in lines if line.startswith(("END:VEVENT", "ATTENDEE"))] == ["END:VEVENT"]
    location = next(line for line in lines if line.startswith("LOCATION:"))
    assert location.startswith("LOCATION:Stadhuis")
    assert "ATTENDEE\\;RSVP=TRUE:mailto:aanvaller@example.org" in location


def test_every_line_break_in_a_text_value_becomes_the_escape_n():
    meeting = NetworkMeetingFactory(location="Zaal 1\rZaal 2\nZaal 3\r\nZaal 4", agenda="")
    raw = meeting_ics(meeting, host="testserver", url="https://x.nl/")
    assert "LOCATION:Zaal 1\\nZaal 2\\nZaal 3\\nZaal 4\r\n" in raw.replace("\r\n ", "")


def test_the_downloaded_file_has_the_escaped_location(client, make_user):
    meeting = NetworkMeetingFactory(location=f"Stadhuis\r{INJECTED}")
    client.force_login(make_user(Role.REGIO_GEBRUIKER))
    raw = client.get(reverse("support:meeting_ics", args=[meeting.pk])).content.decode()
    assert not any(line.startswith("ATTENDEE") for line in _lenient_lines(raw))
    assert "LOCATION:Stadhuis\\nATTENDEE\\;RSVP=TRUE:mailto:aanvaller@example.org\r\n" in raw.replace("\r\n ", "")
