"""The meeting scheduler's hard rules on random instances (hypothesis), its objective on small
instances checked against brute force, and its input checks. No Django, no database."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualcirc.fair.scheduling import (
    Interval,
    KeptMeeting,
    Participant,
    Placement,
    Preference,
    Problem,
    Request,
    Schedule,
    SchedulingInputError,
    Slot,
    find_violations,
    pair_weight,
    schedule_meetings,
)

T0 = datetime(2025, 10, 21, 1, 0, tzinfo=UTC)
MINUTES = 30
# Wishes weighted towards wanting a meeting, so that most drawn problems place some.
PREFS = [Preference.MUST, Preference.WOULD, Preference.WOULD, Preference.UNSTATED, Preference.NO]


def slot_times(i: int) -> tuple[datetime, datetime]:
    start = T0 + timedelta(minutes=MINUTES * i)
    return start, start + timedelta(minutes=MINUTES)


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    n_people = draw(st.integers(2, 8))
    n_slots = draw(st.integers(1, 6))
    slots = [
        Slot(
            id=f"s{i}",
            start=slot_times(i)[0],
            end=slot_times(i)[1],
            capacity=draw(st.integers(0, 4)) or draw(st.integers(0, 4)),
        )
        for i in range(n_slots)
    ]
    people = []
    for p in range(n_people):
        free = [i for i in range(n_slots) if draw(st.integers(0, 3))]  # free 3 times in 4
        intervals = tuple(Interval(*slot_times(i)) for i in free)
        people.append(
            Participant(
                id=p, available=intervals, cap=draw(st.integers(0, 4)) or draw(st.integers(0, 4))
            )
        )
    all_pairs = list(itertools.combinations(range(n_people), 2))
    chosen = draw(st.lists(st.sampled_from(all_pairs), unique=True, max_size=len(all_pairs)))
    requests = [
        Request(a, b, draw(st.sampled_from(PREFS)), draw(st.sampled_from(PREFS))) for a, b in chosen
    ]
    return Problem(participants=people, requests=requests, slots=slots)


def assert_hard_rules(problem: Problem, schedule: Schedule) -> None:
    """The rules checked here, apart from the scheduler's own validator."""
    people = {p.id: p for p in problem.participants}
    slots = {s.id: s for s in problem.slots}
    weight = {r.key: pair_weight(r.pref_a, r.pref_b) for r in problem.requests}
    new = [m for m in schedule.placements if not m.kept]
    person_slot = Counter(p for m in schedule.placements for p in ((m.a, m.slot), (m.b, m.slot)))
    assert max(person_slot.values(), default=0) <= 1, "double booking"
    pairs = Counter(frozenset((m.a, m.b)) for m in schedule.placements)
    assert max(pairs.values(), default=0) <= 1, "a pair meets twice"
    for m in new:
        assert weight[frozenset((m.a, m.b))] > 0, "an unwanted meeting"
        s = slots[m.slot]
        for p in (m.a, m.b):
            assert any(iv.start <= s.start and s.end <= iv.end for iv in people[p].available)
    per_slot = Counter(m.slot for m in schedule.placements)
    per_person = Counter(p for m in schedule.placements for p in (m.a, m.b))
    kept_per_slot = Counter(k.slot for k in problem.kept)
    kept_per_person = Counter(p for k in problem.kept for p in (k.a, k.b))
    for sid, n in per_slot.items():
        assert n <= max(slots[sid].capacity, kept_per_slot[sid]), "room capacity"
    for pid, n in per_person.items():
        assert n <= max(people[pid].cap, kept_per_person[pid]), "cap"
    assert schedule.total_weight == sum(m.weight for m in schedule.placements)
    assert find_violations(problem, schedule.placements) == []


def brute_force_optimum(problem: Problem) -> int:
    """Every assignment of requests to slots or nowhere — only for very small problems."""
    reqs = [r for r in problem.requests if pair_weight(r.pref_a, r.pref_b) > 0]
    options = [None, *problem.slots]
    best = 0
    for choice in itertools.product(options, repeat=len(reqs)):
        placements = [
            Placement(r.a, r.b, s.id, pair_weight(r.pref_a, r.pref_b))
            for r, s in zip(reqs, choice, strict=True)
            if s is not None
        ]
        total = sum(p.weight for p in placements)
        if total > best and not find_violations(problem, placements):
            best = total
    return best


FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(problems())
def test_schedule_meetings_respects_hard_rules(problem: Problem) -> None:
    schedule = schedule_meetings(problem, time_limit_s=2)

    assert_hard_rules(problem, schedule)
    assert schedule.upper_bound is not None
    assert schedule.greedy_weight <= schedule.total_weight <= schedule.upper_bound


@FAST
@given(problems())
def test_greedy_and_neighbourhood_search_respect_hard_rules(problem: Problem) -> None:
    greedy_only = schedule_meetings(problem, use_solver=False, compute_bound=False)
    lns = schedule_meetings(
        problem, time_limit_s=0.5, use_lp_rounding=False, full_model_vars=0, num_workers=1
    )

    assert_hard_rules(problem, greedy_only)
    assert greedy_only.method.startswith("greedy")
    assert_hard_rules(problem, lns)
    assert lns.total_weight >= greedy_only.total_weight


@FAST
@given(problems(), st.data())
def test_rerun_keeps_confirmed_meetings_and_fills_the_rest(
    problem: Problem, data: st.DataObject
) -> None:
    first = schedule_meetings(problem, time_limit_s=2)
    confirmed = (
        data.draw(st.lists(st.sampled_from(first.placements), unique=True))
        if first.placements
        else []
    )
    # Between runs people change their minds: availability shrinks, caps drop, new wishes come.
    changed_people = [
        Participant(id=p.id, available=p.available[: len(p.available) // 2], cap=max(0, p.cap - 1))
        for p in problem.participants
    ]
    rerun_problem = Problem(
        participants=changed_people,
        requests=problem.requests,
        slots=problem.slots,
        kept=[KeptMeeting(m.a, m.b, m.slot) for m in confirmed],
    )

    rerun = schedule_meetings(rerun_problem, time_limit_s=2)

    kept_now = {(frozenset((m.a, m.b)), m.slot) for m in rerun.placements if m.kept}
    assert kept_now == {(frozenset((m.a, m.b)), m.slot) for m in confirmed}
    assert_hard_rules(rerun_problem, rerun)


@settings(max_examples=25, deadline=None)
@given(
    problems().filter(
        lambda p: (
            sum(pair_weight(r.pref_a, r.pref_b) > 0 for r in p.requests) <= 5 and len(p.slots) <= 3
        )
    )
)
def test_schedule_meetings_finds_the_optimum_of_small_problems(problem: Problem) -> None:
    schedule = schedule_meetings(problem, time_limit_s=5)

    assert schedule.total_weight == brute_force_optimum(problem)


def test_pair_weight_puts_must_first_and_mutual_before_one_sided() -> None:
    m, w, u, n = Preference.MUST, Preference.WOULD, Preference.UNSTATED, Preference.NO

    ranked = [
        pair_weight(m, m),
        pair_weight(m, w),
        pair_weight(m, u),
        pair_weight(w, w),
        pair_weight(w, u),
    ]

    assert ranked == [43, 26, 20, 9, 3]
    assert pair_weight(m, u) > 2 * pair_weight(w, w)
    assert pair_weight(m, n) == pair_weight(u, u) == 0


def test_schedule_meetings_prefers_the_mutual_pair_when_one_person_has_one_slot() -> None:
    start, end = slot_times(0)
    everyone = (Interval(start, end),)
    people = [Participant(id=p, available=everyone, cap=1) for p in "xyz"]
    problem = Problem(
        participants=people,
        requests=[
            Request("x", "y", Preference.WOULD, Preference.UNSTATED),
            Request("x", "z", Preference.WOULD, Preference.WOULD),
        ],
        slots=[Slot("s0", start, end, capacity=5)],
    )

    schedule = schedule_meetings(problem, time_limit_s=2)

    assert [(m.a, m.b, m.slot, m.weight) for m in schedule.placements] == [("x", "z", "s0", 9)]
    assert schedule.upper_bound == 9
    assert schedule.method.endswith("(optimal)")


def test_schedule_meetings_refuses_kept_meetings_that_double_book() -> None:
    start, end = slot_times(0)
    people = [Participant(id=p, available=(Interval(start, end),), cap=2) for p in "xyz"]
    problem = Problem(
        participants=people,
        requests=[],
        slots=[Slot("s0", start, end, capacity=5)],
        kept=[KeptMeeting("x", "y", "s0"), KeptMeeting("x", "z", "s0")],
    )

    with pytest.raises(SchedulingInputError, match="double-book 'x'"):
        schedule_meetings(problem)


def test_schedule_meetings_refuses_overlapping_slots() -> None:
    start, end = slot_times(0)
    problem = Problem(
        participants=[],
        requests=[],
        slots=[Slot("a", start, end, 1), Slot("b", start + timedelta(minutes=10), end, 1)],
    )

    with pytest.raises(SchedulingInputError, match="overlap"):
        schedule_meetings(problem)


def test_schedule_meetings_places_synthetic_fair_within_bound() -> None:
    from dualcirc.fair.scheduling.synthetic import make_fair

    problem = make_fair(seed=3, participants=120, pairs=500, capacity=15)

    schedule = schedule_meetings(problem, time_limit_s=5)

    assert_hard_rules(problem, schedule)
    assert schedule.upper_bound is not None
    assert schedule.gap is not None and schedule.gap <= 0.02
    assert len({p.time_zone for p in problem.participants}) == 8


def test_schedule_meetings_puts_a_one_sided_must_meet_before_a_mutual_would_like() -> None:
    start, end = slot_times(0)
    everyone = (Interval(start, end),)
    people = [Participant(id=p, available=everyone, cap=1) for p in "xyz"]
    problem = Problem(
        participants=people,
        requests=[
            Request("x", "y", Preference.WOULD, Preference.WOULD),  # 9
            Request("x", "z", Preference.UNSTATED, Preference.MUST),  # 20
        ],
        slots=[Slot("s0", start, end, capacity=5)],
    )

    schedule = schedule_meetings(problem, time_limit_s=2)

    assert [(m.a, m.b, m.weight) for m in schedule.placements] == [("x", "z", 20)]


def test_schedule_meetings_gives_up_two_would_like_meetings_for_one_must_meet() -> None:
    # x and y may each meet once: either x–y (a must-meet, 20) or x–z and y–w (9 + 9 = 18).
    slots = [Slot(f"s{i}", *slot_times(i), capacity=5) for i in range(2)]
    everyone = (Interval(slot_times(0)[0], slot_times(1)[1]),)
    people = [
        Participant(id=p, available=everyone, cap=1 if p in "xy" else 2)
        for p in ("x", "y", "z", "w")
    ]
    problem = Problem(
        participants=people,
        requests=[
            Request("x", "z", Preference.WOULD, Preference.WOULD),
            Request("y", "w", Preference.WOULD, Preference.WOULD),
            Request("x", "y", Preference.MUST, Preference.UNSTATED),
        ],
        slots=slots,
    )

    schedule = schedule_meetings(problem, time_limit_s=2)

    assert [(m.a, m.b, m.weight) for m in schedule.placements] == [("x", "y", 20)]
    assert schedule.total_weight == schedule.upper_bound == 20


def test_schedule_meetings_falls_back_to_greedy_when_the_time_is_up() -> None:
    from dualcirc.fair.scheduling.synthetic import make_fair

    problem = make_fair(seed=5, participants=200, pairs=900, capacity=20)
    greedy_only = schedule_meetings(problem, use_solver=False, compute_bound=False)

    rushed = schedule_meetings(problem, time_limit_s=0.0)

    assert rushed.method == "greedy"
    assert rushed.upper_bound is None
    assert rushed.stats["timed_out"] == 1.0
    assert "lp_seconds" not in rushed.stats and "cpsat_seconds" not in rushed.stats
    assert rushed.total_weight == greedy_only.total_weight > 0
    assert sorted(map(repr, rushed.placements)) == sorted(map(repr, greedy_only.placements))
    assert_hard_rules(problem, rushed)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.sampled_from([0.0, 1e-4, 0.01]))
def test_schedule_meetings_is_valid_under_any_tiny_time_limit(
    problem: Problem, limit: float
) -> None:
    schedule = schedule_meetings(problem, time_limit_s=limit)

    assert_hard_rules(problem, schedule)
    assert schedule.total_weight >= schedule.greedy_weight
