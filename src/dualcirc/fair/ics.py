"""iCalendar (RFC 5545) files for agendas and sessions, written with the icalendar package.

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

import icalendar

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


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


def _local(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


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
    """A VCALENDAR with ``events`` in ``zone`` (an IANA name), CRLF line endings, folded;
    written with the icalendar package, the VTIMEZONE computed here (:func:`vtimezone`)."""
    now = datetime.now(UTC)
    use_utc = zone in ("UTC", "Etc/UTC")
    cal = icalendar.Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", icalendar.vText(name))  # TEXT, escaped like SUMMARY
    if not use_utc:
        cal.add("x-wr-timezone", zone)
    if events and not use_utc:
        text = "\r\n".join(
            vtimezone(zone, min(e.start for e in events), max(e.end for e in events))
        )
        cal.add_component(icalendar.Timezone.from_ical(text))
    tz = UTC if use_utc else ZoneInfo(zone)
    for e in events:
        event = icalendar.Event()
        event.add("uid", e.uid)
        event.add("dtstamp", now)
        event.add("dtstart", e.start.astimezone(tz))
        event.add("dtend", e.end.astimezone(tz))
        event.add("sequence", e.sequence)
        event.add("summary", e.summary)
        if e.description:
            event.add("description", e.description)
        if e.location:
            event.add("location", e.location)
        if e.url:
            event.add("url", e.url)
        event.add("status", "CANCELLED" if e.cancelled else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical(sorted=False).decode("utf-8")  # properties in the order written
