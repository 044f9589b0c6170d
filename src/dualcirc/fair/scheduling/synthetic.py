"""Deterministic synthetic fairs for the benchmark and the tests.

Chinese exhibitors (Asia/Shanghai) meet visitors from eight time zones. Day one runs 08:00–16:00
Shanghai time (for Asia and Europe), day two 16:00–24:00 (for Europe and the Americas).
Exhibitors are free 08:00–23:00 local, visitors 07:00–21:00 local, each minus a few random busy
hours. With ``peer_share`` some pairs are visitor–visitor or exhibitor–exhibitor (a harder,
non-bipartite instance). Visitors ask for exhibitors by popularity (a Zipf law, so popular
booths are over-asked and caps bind); the asking side must-meet 20% of the time, the asked side
answers must / would / unstated / no.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dualcirc.fair.scheduling.model import Interval, Participant, Preference, Problem, Request, Slot

ZONES = (
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Sao_Paulo",
)
ORGANISER_ZONE = "Asia/Shanghai"


def fair_slots(
    *,
    first_day: date,
    windows: tuple[tuple[time, time], ...],
    minutes: int,
    capacity: int,
    zone: str = ORGANISER_ZONE,
) -> list[Slot]:
    """Slots of ``minutes`` filling each day's window (organiser's local times), in UTC."""
    tz = ZoneInfo(zone)
    out: list[Slot] = []
    for day_no, (start, end) in enumerate(windows):
        day = first_day + timedelta(days=day_no)
        t = datetime.combine(day, start, tz).astimezone(UTC)
        stop = (
            datetime.combine(day, end, tz)
            if end != time(0)
            else datetime.combine(day + timedelta(days=1), end, tz)
        ).astimezone(UTC)
        while t + timedelta(minutes=minutes) <= stop:
            out.append(
                Slot(id=len(out), start=t, end=t + timedelta(minutes=minutes), capacity=capacity)
            )
            t += timedelta(minutes=minutes)
    return out


def _local_availability(
    rng: random.Random, zone: str, days: list[date], start_h: int, end_h: int, busy_hours: int
) -> tuple[Interval, ...]:
    tz = ZoneInfo(zone)
    out: list[Interval] = []
    for day in days:
        hours = list(range(start_h, end_h))
        busy = set(rng.sample(hours, min(busy_hours, len(hours))))
        run_start: int | None = None
        for h in [*hours, end_h]:
            free = h < end_h and h not in busy
            if free and run_start is None:
                run_start = h
            elif not free and run_start is not None:
                s = datetime.combine(day, time(run_start), tz).astimezone(UTC)
                e = datetime.combine(day, time(0), tz) + timedelta(hours=h)
                out.append(Interval(s, e.astimezone(UTC)))
                run_start = None
    return tuple(out)


def make_fair(
    *,
    seed: int = 0,
    participants: int = 2000,
    pairs: int = 10_000,
    slot_minutes: int = 30,
    capacity: int = 300,
    exhibitor_share: float = 0.3,
    peer_share: float = 0.0,
    first_day: date = date(2025, 10, 21),
) -> Problem:
    rng = random.Random(seed)
    slots = fair_slots(
        first_day=first_day,
        windows=((time(8), time(16)), (time(16), time(0))),
        minutes=slot_minutes,
        capacity=capacity,
    )
    # Local calendar days around the fair, so that every zone's local hours are covered.
    days = [first_day + timedelta(days=d) for d in range(-1, 3)]
    n_ex = max(1, int(participants * exhibitor_share))
    people: list[Participant] = []
    for i in range(participants):
        if i < n_ex:
            zone, start_h, end_h, cap = ORGANISER_ZONE, 8, 23, rng.randint(8, 16)
        else:
            zone, start_h, end_h, cap = rng.choice(ZONES), 7, 21, rng.randint(4, 10)
        avail = _local_availability(rng, zone, days, start_h, end_h, busy_hours=rng.randint(1, 4))
        people.append(Participant(id=i, available=avail, cap=cap, time_zone=zone))

    popularity = [1.0 / (k + 1) ** 0.8 for k in range(n_ex)]
    seen: set[tuple[int, int]] = set()
    requests: list[Request] = []
    while len(requests) < pairs:
        visitor = rng.randrange(n_ex, participants)
        exhibitor = rng.choices(range(n_ex), weights=popularity)[0]
        if rng.random() < peer_share:  # a visitor–visitor or exhibitor–exhibitor meeting
            if rng.random() < 0.5:
                exhibitor = rng.randrange(n_ex, participants)
            else:
                visitor = rng.choices(range(n_ex), weights=popularity)[0]
            if visitor == exhibitor or (exhibitor, visitor) in seen:
                continue
        if (visitor, exhibitor) in seen:
            continue
        seen.add((visitor, exhibitor))
        asker = Preference.MUST if rng.random() < 0.2 else Preference.WOULD
        asked = rng.choices(
            [Preference.MUST, Preference.WOULD, Preference.UNSTATED, Preference.NO],
            weights=[5, 35, 50, 10],
        )[0]
        if rng.random() < 0.8:  # most requests come from visitors
            requests.append(Request(visitor, exhibitor, asker, asked))
        else:
            requests.append(Request(exhibitor, visitor, asker, asked))
    return Problem(participants=people, requests=requests, slots=slots)
