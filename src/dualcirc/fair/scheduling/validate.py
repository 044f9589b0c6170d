"""An independent check of a schedule against the hard rules (written apart from the solvers so
that a solver bug cannot hide behind the same bug in its own bookkeeping)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence

from dualcirc.fair.scheduling.model import Placement, Problem, pair_weight


def find_violations(problem: Problem, placements: Sequence[Placement]) -> list[str]:
    """Every broken hard rule, in words; an empty list means the schedule is valid.

    Rules: kept meetings are all present, in their slots; at most one meeting per person per
    slot and per pair; new meetings only in requested pairs with a positive weight, inside both
    people's availability, within the slot's capacity and each person's cap (kept meetings count
    towards both, and are never themselves faulted for them).
    """
    out: list[str] = []
    people = {p.id: p for p in problem.participants}
    slots = {s.id: s for s in problem.slots}
    kept = Counter((frozenset((k.a, k.b)), k.slot) for k in problem.kept)
    placed_kept = Counter((frozenset((m.a, m.b)), m.slot) for m in placements if m.kept)
    if placed_kept != kept:
        out.append("kept meetings were not all kept in their slots")
    wanted = {r.key: pair_weight(r.pref_a, r.pref_b, problem.policy) for r in problem.requests}
    person_slot: set[tuple[Hashable, Hashable]] = set()
    pairs: set[frozenset[Hashable]] = set()
    per_slot: Counter[Hashable] = Counter()
    per_slot_new: Counter[Hashable] = Counter()
    per_person: Counter[Hashable] = Counter()
    per_person_new: defaultdict[Hashable, int] = defaultdict(int)
    for m in placements:
        key = frozenset((m.a, m.b))
        if m.a == m.b or m.a not in people or m.b not in people or m.slot not in slots:
            out.append(f"{m!r} names an unknown person or slot")
            continue
        if key in pairs:
            out.append(f"{m.a!r} and {m.b!r} meet twice")
        pairs.add(key)
        for p in (m.a, m.b):
            if (p, m.slot) in person_slot:
                out.append(f"{p!r} is double-booked in slot {m.slot!r}")
            person_slot.add((p, m.slot))
            per_person[p] += 1
        per_slot[m.slot] += 1
        if m.kept:
            continue
        per_slot_new[m.slot] += 1
        per_person_new[m.a] += 1
        per_person_new[m.b] += 1
        if wanted.get(key, 0) <= 0:
            out.append(f"{m.a!r}–{m.b!r} was not requested by anyone who wants it")
        s = slots[m.slot]
        for p in (m.a, m.b):
            if not any(iv.contains(s.start, s.end) for iv in people[p].available):
                out.append(f"{p!r} is not available in slot {m.slot!r}")
    for sid, n in per_slot_new.items():
        if n and per_slot[sid] > slots[sid].capacity:
            out.append(f"slot {sid!r} holds {per_slot[sid]} > capacity {slots[sid].capacity}")
    for pid, n in per_person_new.items():
        if n and per_person[pid] > people[pid].cap:
            out.append(f"{pid!r} has {per_person[pid]} meetings > cap {people[pid].cap}")
    return out
