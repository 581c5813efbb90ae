"""An RFC 5545 calendar file for one network meeting.

Written by hand: it is one fixed event, and escaping plus line folding are a dozen lines, less than
learning and pinning a library for it.
"""

import re
from datetime import UTC, datetime

from support.models import NetworkMeeting

# Control characters are not allowed in TEXT (RFC 5545 3.3.11; HTAB is). Line breaks include the ones a lenient
# parser may split on (NEL, LINE and PARAGRAPH SEPARATOR, as Python's str.splitlines does).
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    """A TEXT value: every line break (CRLF, a lone CR or a lone LF) becomes the escape `\\n`, so no value can
    end its line and start a property of its own; other control characters are dropped."""
    text = _CONTROL.sub("", _LINE_BREAK.sub("\n", text))
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\n", "\\n")


def _uri(text: str) -> str:
    """A URI value has no escapes; it never contains a line break or a control character."""
    return _CONTROL.sub("", _LINE_BREAK.sub("", text))


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
        f"UID:netwerkbijeenkomst-{meeting.pk}@{_uri(host)}",
        f"DTSTAMP:{_utc(meeting.updated_at)}",
        f"SEQUENCE:{meeting.version - 1}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}",
        f"SUMMARY:{_escape(meeting.title)}",
        f"LOCATION:{_escape(location)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{_uri(url)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)
