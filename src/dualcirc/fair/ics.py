"""iCalendar (RFC 5545) files for agendas and sessions, written by hand (no dependency).

Events are written in the reader's own zone (``DTSTART;TZID=Europe/Berlin:…``) with a
VTIMEZONE that lists the zone's actual offset changes over the events' span, computed from the
tz database — no RRULE guesswork, so a meeting after a daylight-saving change shows at the right
local hour in every client. UTC readers get ``…Z`` times and no VTIMEZONE.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

PRODID = "-//dualcirc//online fair//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime  # aware
    end: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    sequence: int = 0  # RFC 5545 revision: raised when a published event changes (cancelled)


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets (UTF-8), never inside a character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


def _local(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def offset_changes(zone: str, start: datetime, end: datetime) -> list[datetime]:
    """The UTC instants (to the minute) in [start, end] at which ``zone``'s offset changes."""
    tz = ZoneInfo(zone)
    out: list[datetime] = []
    t = start.astimezone(UTC).replace(second=0, microsecond=0)
    stop = end.astimezone(UTC)
    step = timedelta(hours=1)
    while t < stop:
        nxt = t + step
        if t.astimezone(tz).utcoffset() != nxt.astimezone(tz).utcoffset():
            lo, hi = t, nxt  # bisect to the minute
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(second=0, microsecond=0)
                if mid.astimezone(tz).utcoffset() == lo.astimezone(tz).utcoffset():
                    lo = mid
                else:
                    hi = mid
            out.append(hi)
        t = nxt
    return out


def vtimezone(zone: str, start: datetime, end: datetime) -> list[str]:
    tz = ZoneInfo(zone)
    first = (start - timedelta(days=1)).astimezone(tz)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone}"]

    def component(at_utc: datetime, before: datetime) -> list[str]:
        after = at_utc.astimezone(tz)
        kind = "DAYLIGHT" if after.dst() else "STANDARD"
        from_offset = before.utcoffset()
        # DTSTART is the local time of the change, read in the offset in force before it.
        local_start = (at_utc + (from_offset or timedelta())).replace(tzinfo=None)
        return [
            f"BEGIN:{kind}",
            f"DTSTART:{_local(local_start)}",
            f"TZOFFSETFROM:{_offset(from_offset)}",
            f"TZOFFSETTO:{_offset(after.utcoffset())}",
            f"TZNAME:{after.tzname()}",
            f"END:{kind}",
        ]

    lines += component(first.astimezone(UTC), first)
    for change in offset_changes(zone, start - timedelta(days=1), end + timedelta(days=1)):
        lines += component(change, (change - timedelta(minutes=1)).astimezone(tz))
    lines.append("END:VTIMEZONE")
    return lines


def build_calendar(events: Sequence[CalendarEvent], *, zone: str, name: str = "") -> str:
    """A VCALENDAR with ``events`` in ``zone`` (an IANA name), CRLF line endings, folded."""
    now = datetime.now(UTC)
    use_utc = zone in ("UTC", "Etc/UTC")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    if not use_utc:
        lines.append(f"X-WR-TIMEZONE:{zone}")
    if events and not use_utc:
        lines += vtimezone(zone, min(e.start for e in events), max(e.end for e in events))
    tz = ZoneInfo(zone)
    for e in events:
        if use_utc:
            when = [f"DTSTART:{_utc(e.start)}", f"DTEND:{_utc(e.end)}"]
        else:
            when = [
                f"DTSTART;TZID={zone}:{_local(e.start.astimezone(tz))}",
                f"DTEND;TZID={zone}:{_local(e.end.astimezone(tz))}",
            ]
        lines += ["BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{_utc(now)}", *when]
        lines.append(f"SEQUENCE:{e.sequence}")
        lines.append(f"SUMMARY:{escape_text(e.summary)}")
        if e.description:
            lines.append(f"DESCRIPTION:{escape_text(e.description)}")
        if e.location:
            lines.append(f"LOCATION:{escape_text(e.location)}")
        if e.url:
            lines.append(f"URL:{e.url}")
        lines.append(f"STATUS:{'CANCELLED' if e.cancelled else 'CONFIRMED'}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
