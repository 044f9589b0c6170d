"""Inputs and outputs of the meeting scheduler, and their compilation into index form.

Times are aware ``datetime`` values; the scheduler works in UTC and never needs a person's zone
(kept on :class:`Participant` only so that callers can report in it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from itertools import pairwise


class SchedulingInputError(ValueError):
    """The problem itself is inconsistent (overlapping slots, kept meetings that collide, …)."""


class Preference(StrEnum):
    """One side's wish about meeting the other side."""

    MUST = "must"
    WOULD = "would"
    UNSTATED = "unstated"
    NO = "no"


@dataclass(frozen=True)
class WeightPolicy:
    """How much a requested pair is worth.

    A side that must meet is worth ``must``, one that would like to ``would``; a pair where both
    sides want the meeting earns ``mutual_bonus`` on top. The defaults (20, 3, 3) give
    must+must 43 > must+would 26 > must+unstated 20 > would+would 9 > would+unstated 3, and a
    must-meet side (20) outweighs two meetings without one (≤ 18), so the solver never gives up a
    must-meet for two lesser meetings of the same people. A "no" from either side, or no wish
    from either, is worth 0 and never scheduled.
    """

    must: int = 20
    would: int = 3
    mutual_bonus: int = 3

    def side(self, pref: Preference) -> int:
        if pref == Preference.MUST:
            return self.must
        if pref == Preference.WOULD:
            return self.would
        return 0


def pair_weight(a: Preference, b: Preference, policy: WeightPolicy | None = None) -> int:
    policy = policy or WeightPolicy()
    if Preference.NO in (a, b):
        return 0
    wa, wb = policy.side(a), policy.side(b)
    bonus = policy.mutual_bonus if wa and wb else 0
    return wa + wb + bonus


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime

    def contains(self, start: datetime, end: datetime) -> bool:
        return self.start <= start and end <= self.end


@dataclass(frozen=True)
class Participant:
    id: Hashable
    available: tuple[Interval, ...]
    cap: int
    time_zone: str = "UTC"


@dataclass(frozen=True)
class Request:
    a: Hashable
    b: Hashable
    pref_a: Preference
    pref_b: Preference

    @property
    def key(self) -> frozenset[Hashable]:
        return frozenset((self.a, self.b))


@dataclass(frozen=True)
class Slot:
    id: Hashable
    start: datetime
    end: datetime
    capacity: int


@dataclass(frozen=True)
class KeptMeeting:
    """A confirmed meeting: re-running the scheduler keeps it in its slot."""

    a: Hashable
    b: Hashable
    slot: Hashable


@dataclass(frozen=True)
class Problem:
    participants: Sequence[Participant]
    requests: Sequence[Request]
    slots: Sequence[Slot]
    kept: Sequence[KeptMeeting] = ()
    policy: WeightPolicy = field(default_factory=WeightPolicy)


@dataclass(frozen=True)
class Placement:
    a: Hashable
    b: Hashable
    slot: Hashable
    weight: int
    kept: bool = False


@dataclass
class Schedule:
    """The result. ``placements`` holds kept and new meetings; ``method`` says which solver's
    answer it is ("cp-sat optimal", "cp-sat", "greedy", "kept only")."""

    placements: list[Placement]
    total_weight: int
    method: str
    upper_bound: int | None = None
    greedy_weight: int = 0
    seconds: float = 0.0
    unplaced: list[Request] = field(default_factory=list)
    stats: dict[str, float] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        """Relative gap to the upper bound (0.01 = the schedule is within 1% of the bound)."""
        if self.upper_bound is None or self.upper_bound <= 0:
            return None
        return max(0.0, (self.upper_bound - self.total_weight) / self.upper_bound)


@dataclass
class Compiled:
    """The problem in index form: participants, slots and requests numbered from 0.

    ``cand[r]`` lists the slot indices where request ``r`` may go: inside both people's
    availability, not in a slot one of them already spends in a kept meeting, and in a slot with
    capacity left. ``cap_left[p]`` and ``room_left[s]`` are what kept meetings leave over.
    """

    problem: Problem
    pids: list[Hashable]
    sids: list[Hashable]
    req_ends: list[tuple[int, int]]
    weights: list[int]
    cand: list[list[int]]
    cap_left: list[int]
    room_left: list[int]
    kept: list[tuple[int, int, int, int]]  # (a, b, slot, weight)
    requests: list[Request]
    dropped: list[Request]


def compile_problem(problem: Problem) -> Compiled:
    """Check ``problem`` and number it. Raises :class:`SchedulingInputError`."""
    pids = [p.id for p in problem.participants]
    pidx = {pid: i for i, pid in enumerate(pids)}
    if len(pidx) != len(pids):
        raise SchedulingInputError("participant ids must be unique")
    slots = sorted(problem.slots, key=lambda s: (s.start, s.end))
    sids = [s.id for s in slots]
    sidx = {sid: i for i, sid in enumerate(sids)}
    if len(sidx) != len(sids):
        raise SchedulingInputError("slot ids must be unique")
    for s in slots:
        if s.end <= s.start or s.start.tzinfo is None:
            raise SchedulingInputError(f"slot {s.id!r}: needs an aware start before its end")
        if s.capacity < 0:
            raise SchedulingInputError(f"slot {s.id!r}: capacity must not be negative")
    for prev, nxt in pairwise(slots):
        if nxt.start < prev.end:
            raise SchedulingInputError(f"slots {prev.id!r} and {nxt.id!r} overlap")
    for p in problem.participants:
        if p.cap < 0:
            raise SchedulingInputError(f"participant {p.id!r}: cap must not be negative")

    busy: dict[int, set[int]] = defaultdict(set)
    in_slot = [0] * len(slots)
    used = [0] * len(pids)
    weight_of: dict[frozenset[Hashable], int] = {}
    for r in problem.requests:
        weight_of[r.key] = pair_weight(r.pref_a, r.pref_b, problem.policy)
    kept: list[tuple[int, int, int, int]] = []
    kept_pairs: set[frozenset[Hashable]] = set()
    for k in problem.kept:
        if k.a not in pidx or k.b not in pidx or k.slot not in sidx or k.a == k.b:
            raise SchedulingInputError(f"kept meeting {k!r} names an unknown person or slot")
        ka, kb, ks = pidx[k.a], pidx[k.b], sidx[k.slot]
        for person in (ka, kb):
            if ks in busy[person]:
                raise SchedulingInputError(
                    f"kept meetings double-book {pids[person]!r} in {k.slot!r}"
                )
            busy[person].add(ks)
            used[person] += 1
        in_slot[ks] += 1
        kept_pairs.add(frozenset((k.a, k.b)))
        kept.append((ka, kb, ks, weight_of.get(frozenset((k.a, k.b)), 0)))

    cap_left = [max(0, p.cap - used[i]) for i, p in enumerate(problem.participants)]
    room_left = [max(0, s.capacity - in_slot[i]) for i, s in enumerate(slots)]
    fits: list[set[int]] = []
    for p in problem.participants:
        ok = set()
        for i, s in enumerate(slots):
            if any(iv.contains(s.start, s.end) for iv in p.available):
                ok.add(i)
        fits.append(ok)

    seen: set[frozenset[Hashable]] = set()
    req_ends: list[tuple[int, int]] = []
    weights: list[int] = []
    cand: list[list[int]] = []
    reqs: list[Request] = []
    dropped: list[Request] = []
    for r in problem.requests:
        if r.a not in pidx or r.b not in pidx or r.a == r.b:
            raise SchedulingInputError(f"request {r.a!r}–{r.b!r} names an unknown person")
        if r.key in seen:
            raise SchedulingInputError(f"request {r.a!r}–{r.b!r} appears twice")
        seen.add(r.key)
        if r.key in kept_pairs:
            continue  # already meeting
        w = weight_of[r.key]
        a, b = pidx[r.a], pidx[r.b]
        slots_ok = sorted(
            s for s in fits[a] & fits[b] if s not in busy[a] and s not in busy[b] and room_left[s]
        )
        if w <= 0 or not slots_ok or not cap_left[a] or not cap_left[b]:
            dropped.append(r)
            continue
        req_ends.append((a, b))
        weights.append(w)
        cand.append(slots_ok)
        reqs.append(r)
    return Compiled(
        problem=problem,
        pids=pids,
        sids=sids,
        req_ends=req_ends,
        weights=weights,
        cand=cand,
        cap_left=cap_left,
        room_left=room_left,
        kept=kept,
        requests=reqs,
        dropped=dropped,
    )
