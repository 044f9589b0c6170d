"""The hand-written iCalendar output: folding, escaping, zones and offset changes."""

from __future__ import annotations

from datetime import UTC, datetime

from dualcirc.fair.ics import CalendarEvent, build_calendar, fold, offset_changes


def test_fold_splits_at_75_octets_without_cutting_a_chinese_character() -> None:
    line = "SUMMARY:" + "莱西家具" * 10

    folded = fold(line).split("\r\n")

    assert all(len(part.encode()) <= 75 for part in folded)
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
