"""A fast greedy schedule with one-move repair: the solver's warm start and its fallback.

Requests go in order of weight (must-meet first), the most constrained (fewest possible slots)
first among equals. Each goes to the free slot its two people are least asked for by their other
pending requests, so that scarce slots stay open for the requests that need them. Then a repair
pass places left-over requests by moving a meeting that blocks them to another slot its own two
people share.
"""

from __future__ import annotations

from dualcirc.fair.scheduling.model import Compiled

UNPLACED = -1
KEPT = -2  # in State.at: the slot holds a kept meeting, which never moves


class State:
    """Who is busy when, what is left of caps and rooms, and where each request went."""

    def __init__(self, c: Compiled) -> None:
        self.c = c
        # at[p][s]: the request index p meets in slot s; KEPT for a kept meeting; absent when free.
        self.at: list[dict[int, int]] = [{} for _ in c.pids]
        for a, b, s, _w in c.kept:
            self.at[a][s] = KEPT
            self.at[b][s] = KEPT
        self.cap = list(c.cap_left)
        self.room = list(c.room_left)
        self.slot_of = [UNPLACED] * len(c.weights)

    def has_cap(self, r: int) -> bool:
        """Both of request ``r``'s people are below their meeting cap."""
        a, b = self.c.req_ends[r]
        return self.cap[a] > 0 and self.cap[b] > 0

    def fits(self, r: int, s: int) -> bool:
        """Slot ``s`` has room and both of request ``r``'s people are free in it."""
        a, b = self.c.req_ends[r]
        return self.room[s] > 0 and s not in self.at[a] and s not in self.at[b]

    def place(self, r: int, s: int) -> None:
        a, b = self.c.req_ends[r]
        self.at[a][s] = r
        self.at[b][s] = r
        self.cap[a] -= 1
        self.cap[b] -= 1
        self.room[s] -= 1
        self.slot_of[r] = s

    def remove(self, r: int) -> None:
        s = self.slot_of[r]
        a, b = self.c.req_ends[r]
        del self.at[a][s]
        del self.at[b][s]
        self.cap[a] += 1
        self.cap[b] += 1
        self.room[s] += 1
        self.slot_of[r] = UNPLACED

    def open_slots(self, r: int, *, skip: int = UNPLACED) -> list[int]:
        return [s for s in self.c.cand[r] if s != skip and self.fits(r, s)]

    def weight(self) -> int:
        return weight_of(self.c, self.slot_of)


def weight_of(c: Compiled, slot_of: list[int]) -> int:
    """The total weight of the placed requests (kept meetings not included)."""
    return sum(w for r, w in enumerate(c.weights) if slot_of[r] != UNPLACED)


def order(c: Compiled) -> list[int]:
    return sorted(range(len(c.weights)), key=lambda r: (-c.weights[r], len(c.cand[r]), r))


def greedy(c: Compiled, *, repair_rounds: int = 2) -> State:
    st = State(c)
    n_s = len(c.sids)
    demand = [[0] * n_s for _ in c.pids]
    for r, (a, b) in enumerate(c.req_ends):
        for s in c.cand[r]:
            demand[a][s] += 1
            demand[b][s] += 1
    for r in order(c):
        a, b = c.req_ends[r]
        for s in c.cand[r]:
            demand[a][s] -= 1
            demand[b][s] -= 1
        if not st.has_cap(r):
            continue
        options = st.open_slots(r)
        if options:
            da, db = demand[a], demand[b]
            st.place(r, min(options, key=lambda s: (da[s] + db[s], s)))
    for _ in range(repair_rounds):
        if not repair(st):
            break
    return st


def _move_away(st: State, blocker: int, s: int) -> bool:
    """Move request ``blocker`` out of slot ``s`` to another slot its people share."""
    options = st.open_slots(blocker, skip=s)
    if not options:
        return False
    st.remove(blocker)
    st.place(blocker, options[0])
    return True


def repair(st: State) -> int:
    """Place unplaced requests by moving at most two blocking meetings each; returns how many
    requests it placed."""
    c = st.c
    placed = 0
    for r in order(c):
        if st.slot_of[r] != UNPLACED:
            continue
        if not st.has_cap(r):
            continue
        a, b = c.req_ends[r]
        for s in c.cand[r]:
            blockers = {st.at[p][s] for p in (a, b) if s in st.at[p]}
            if KEPT in blockers:
                continue
            if not blockers and st.room[s] <= 0:
                continue
            moved: list[tuple[int, int]] = []
            ok = True
            for m in blockers:
                old = st.slot_of[m]
                if _move_away(st, m, s):
                    moved.append((m, old))
                else:
                    ok = False
                    break
            if ok and st.fits(r, s):
                st.place(r, s)
                placed += 1
                break
            for m, old in reversed(moved):  # undo
                st.remove(m)
                st.place(m, old)
    return placed
