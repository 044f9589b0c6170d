"""The hand-written iCalendar output: folding, escaping, zones and offset changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dualcirc.fair.ics import CalendarEvent, build_calendar, offset_changes


def test_fold_splits_at_75_octets_without_cutting_a_chinese_character() -> None:
    line = "SUMMARY:" + "莱西家具" * 10
    start = datetime(2025, 10, 31, 14, 0, tzinfo=UTC)
    event = CalendarEvent(uid="a@x", start=start, end=start + timedelta(hours=1), summary=line[8:])

    written = build_calendar([event], zone="UTC").split("\r\n")
    first = next(i for i, p in enumerate(written) if p.startswith("SUMMARY:"))
    end = next(i for i in range(first + 1, len(written)) if not written[i].startswith(" "))
    folded = written[first:end]

    assert all(len(part.encode()) <= 75 for part in written)
    assert "".join(p[1:] if i else p for i, p in enumerate(folded)) == line


def test_build_calendar_writes_new_york_times_across_us_dst_end() -> None:
    events = [
        CalendarEvent(
            uid="a@x",
            start=datetime(2025, 10, 31, 14, 0, tzinfo=UTC),
            end=datetime(2025, 10, 31, 15, 0, tzinfo=UTC),
            summary="Before; the change, here",
        ),
        CalendarEvent(
            uid="b@x",
            start=datetime(2025, 11, 3, 14, 0, tzinfo=UTC),
            end=datetime(2025, 11, 3, 15, 0, tzinfo=UTC),
            summary="After",
        ),
    ]

    lines = build_calendar(events, zone="America/New_York").split("\r\n")

    assert "DTSTART;TZID=America/New_York:20251031T100000" in lines
    assert "DTSTART;TZID=America/New_York:20251103T090000" in lines
    assert "SUMMARY:Before\\; the change\\, here" in lines
    assert "DTSTART:20251102T020000" in lines  # 02:00 EDT → 01:00 EST
    assert offset_changes("America/New_York", events[0].start, events[1].end) == [
        datetime(2025, 11, 2, 6, 0, tzinfo=UTC)
    ]


def test_build_calendar_in_utc_has_no_vtimezone() -> None:
    event = CalendarEvent(
        uid="a@x",
        start=datetime(2025, 10, 24, 7, 0, tzinfo=UTC),
        end=datetime(2025, 10, 24, 7, 30, tzinfo=UTC),
        summary="Meeting",
    )

    lines = build_calendar([event], zone="UTC").split("\r\n")

    assert "DTSTART:20251024T070000Z" in lines
    assert "BEGIN:VTIMEZONE" not in lines
    assert lines[-1] == ""


# --- read back by an independent parser (the icalendar package) ---------------------------------

BERLIN_EVENTS = [
    CalendarEvent(
        uid="meeting-1@dualcirc",
        start=datetime(2025, 10, 24, 7, 0, tzinfo=UTC),  # 09:00 CEST
        end=datetime(2025, 10, 24, 7, 30, tzinfo=UTC),
        summary="Meeting with 莱西橡木家具有限公司, Laixi; 1:1 \\ oak",
        description="Line one\nline two, with a comma; and a semicolon",
        location="Hall A, table 3",
        url="https://meet.example.com/room?id=1&x=2",
    ),
    CalendarEvent(
        uid="meeting-2@dualcirc",
        start=datetime(2025, 10, 27, 7, 0, tzinfo=UTC),  # 08:00 CET, after the change
        end=datetime(2025, 10, 27, 7, 30, tzinfo=UTC),
        summary="路演：" + "青岛家电出口带" * 12,
        cancelled=True,
    ),
]


def test_build_calendar_is_read_back_by_the_icalendar_package() -> None:
    import icalendar

    text = build_calendar(BERLIN_EVENTS, zone="Europe/Berlin", name="莱西, 家具; 展")

    cal = icalendar.Calendar.from_ical(text)
    events = cal.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == ["meeting-1@dualcirc", "meeting-2@dualcirc"]
    assert [str(e["SUMMARY"]) for e in events] == [ev.summary for ev in BERLIN_EVENTS]
    assert str(events[0]["DESCRIPTION"]) == BERLIN_EVENTS[0].description
    assert str(events[0]["LOCATION"]) == "Hall A, table 3"
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CANCELLED"]
    for parsed, ev in zip(events, BERLIN_EVENTS, strict=True):
        assert parsed.decoded("DTSTART") == ev.start
        assert parsed.decoded("DTEND") == ev.end
        assert parsed["DTSTART"].params["TZID"] == "Europe/Berlin"
        stamp = parsed.decoded("DTSTAMP")
        assert stamp.utcoffset() == timedelta(0)
    # An X- property the parser keeps as written: escaped as TEXT, like SUMMARY.
    assert "X-WR-CALNAME:莱西\\, 家具\\; 展" in text.replace("\r\n ", "").split("\r\n")


def test_build_calendar_vtimezone_alone_gives_the_right_offsets_around_the_change() -> None:
    import icalendar

    text = build_calendar(BERLIN_EVENTS, zone="Europe/Berlin")

    (vtz,) = icalendar.Calendar.from_ical(text).walk("VTIMEZONE")
    own_tz = vtz.to_tz()  # built from our VTIMEZONE's rules, not from the tz database
    before = datetime(2025, 10, 24, 9, 0).replace(tzinfo=own_tz)
    after = datetime(2025, 10, 27, 8, 0).replace(tzinfo=own_tz)
    assert before.utcoffset() == timedelta(hours=2)
    assert after.utcoffset() == timedelta(hours=1)
    assert before.astimezone(UTC) == BERLIN_EVENTS[0].start
    assert after.astimezone(UTC) == BERLIN_EVENTS[1].start


def test_build_calendar_lines_are_crlf_and_folded_at_75_octets() -> None:
    text = build_calendar(BERLIN_EVENTS, zone="Europe/Berlin")

    raw = text.encode()
    assert raw.count(b"\n") == raw.count(b"\r\n")  # no bare LF anywhere
    lines = text.split("\r\n")
    assert lines[-1] == "" and lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert max(len(line.encode()) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines)  # the long summary was folded
    assert sum(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines) == 2
