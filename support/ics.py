"""An RFC 5545 calendar file for one network meeting.

Written by hand: it is one fixed event, and escaping plus line folding are a dozen lines, less than
learning and pinning a library for it.
"""

from datetime import UTC, datetime

from support.models import NetworkMeeting


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF and a space (RFC 5545 3.1)."""
    chunks, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not chunks else 74):
            chunks.append(current.decode())
            current = b""
        current += encoded
    chunks.append(current.decode())
    return "\r\n ".join(chunks)


def meeting_ics(meeting: NetworkMeeting, *, host: str, url: str) -> str:
    location = meeting.location or meeting.get_format_display()
    description = f"{meeting.agenda}\n\n{url}" if meeting.agenda else url
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//VNG//NvO Tracker//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:netwerkbijeenkomst-{meeting.pk}@{host}",
        f"DTSTAMP:{_utc(meeting.updated_at)}",
        f"SEQUENCE:{meeting.version - 1}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}",
        f"SUMMARY:{_escape(meeting.title)}",
        f"LOCATION:{_escape(location)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)
