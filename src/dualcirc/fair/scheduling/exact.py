"""The assignment model, solved by CP-SAT (with a warm start) and relaxed by GLOP (for a bound).

One Boolean ``x[r, s]`` per request and possible slot. Constraints: a request meets at most
once; a person meets at most once per slot; a slot holds at most what its rooms have left; a
person meets at most their cap. Objective: the total weight of placed requests.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from dualcirc.fair.scheduling.greedy import UNPLACED, State
from dualcirc.fair.scheduling.model import Compiled


@dataclass
class ExactResult:
    slot_of: list[int]
    weight: int
    optimal: bool
    bound: float
    status: str


def _groups(c: Compiled) -> tuple[
    dict[tuple[int, int], list[tuple[int, int]]],
    dict[int, list[tuple[int, int]]],
    dict[int, list[tuple[int, int]]],
]:
    """Index the variables ``(r, s)`` by (person, slot), by slot and by person."""
    by_ps: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    by_s: dict[int, list[tuple[int, int]]] = defaultdict(list)
    by_p: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for r, (a, b) in enumerate(c.req_ends):
        for s in c.cand[r]:
            v = (r, s)
            by_ps[a, s].append(v)
            by_ps[b, s].append(v)
            by_s[s].append(v)
            by_p[a].append(v)
            by_p[b].append(v)
    return by_ps, by_s, by_p


def solve_cpsat(
    c: Compiled,
    hint: State,
    *,
    time_limit_s: float,
    num_workers: int = 2,
    seed: int = 0,
    log: bool = False,
) -> ExactResult | None:
    """Solve with CP-SAT from the ``hint``; None when it found nothing usable in time."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for r, slots in enumerate(c.cand):
        vs = []
        for s in slots:
            v = model.new_bool_var("")
            x[r, s] = v
            vs.append(v)
        if len(vs) > 1:
            model.add_at_most_one(vs)
    by_ps, by_s, by_p = _groups(c)
    for vs in by_ps.values():
        if len(vs) > 1:
            model.add_at_most_one(x[v] for v in vs)
    for s, vs in by_s.items():
        if len(vs) > c.room_left[s]:
            model.add(sum(x[v] for v in vs) <= c.room_left[s])
    for p, vs in by_p.items():
        if len({r for r, _ in vs}) > c.cap_left[p]:
            model.add(sum(x[v] for v in vs) <= c.cap_left[p])
    model.maximize(sum(c.weights[r] * v for (r, _s), v in x.items()))
    for (r, s), v in x.items():
        model.add_hint(v, hint.slot_of[r] == s)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit_s)
    solver.parameters.num_workers = num_workers
    solver.parameters.random_seed = seed
    solver.parameters.log_search_progress = log
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    slot_of = [UNPLACED] * len(c.weights)
    for (r, s), v in x.items():
        if solver.boolean_value(v):
            slot_of[r] = s
    weight = sum(w for r, w in enumerate(c.weights) if slot_of[r] != UNPLACED)
    return ExactResult(
        slot_of=slot_of,
        weight=weight,
        optimal=status == cp_model.OPTIMAL,
        bound=solver.best_objective_bound,
        status=solver.status_name(status),
    )


def lp_bound(c: Compiled, *, time_limit_s: float = 60.0) -> float | None:
    """The optimum of the LP relaxation (GLOP): no schedule can weigh more. None if GLOP did
    not prove optimality in time (an unproven value would not be a bound)."""
    from ortools.linear_solver import pywraplp

    if not c.weights:
        return 0.0
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:  # pragma: no cover - GLOP ships with every OR-Tools wheel
        return None
    lp.SetTimeLimit(int(time_limit_s * 1000))
    inf = lp.infinity()
    x = {}
    objective = lp.Objective()
    for r, slots in enumerate(c.cand):
        row = lp.Constraint(-inf, 1.0)
        for s in slots:
            v = lp.NumVar(0.0, 1.0, "")
            x[r, s] = v
            row.SetCoefficient(v, 1.0)
            objective.SetCoefficient(v, float(c.weights[r]))
    by_ps, by_s, by_p = _groups(c)
    for vs in by_ps.values():
        if len(vs) > 1:
            row = lp.Constraint(-inf, 1.0)
            for v in vs:
                row.SetCoefficient(x[v], 1.0)
    for s, vs in by_s.items():
        if len(vs) > c.room_left[s]:
            row = lp.Constraint(-inf, float(c.room_left[s]))
            for v in vs:
                row.SetCoefficient(x[v], 1.0)
    for p, vs in by_p.items():
        if len({r for r, _ in vs}) > c.cap_left[p]:
            row = lp.Constraint(-inf, float(c.cap_left[p]))
            for v in vs:
                row.SetCoefficient(x[v], 1.0)
    objective.SetMaximization()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return float(objective.Value())


def integral_bound(value: float) -> int:
    """Weights are integers, so a fractional bound rounds down (allowing for LP tolerance)."""
    return math.floor(value + 1e-6)


def improve_lns(
    c: Compiled,
    st: State,
    *,
    deadline: float,
    num_workers: int = 2,
    seed: int = 0,
    people_per_move: int = 60,
    move_time_s: float = 2.0,
) -> dict[str, float]:
    """Large-neighbourhood search: repeatedly free every request of a group of people around an
    unplaced request, and let CP-SAT re-place them optimally around the fixed rest.

    Mutates ``st``; it never gets worse (a move's answer is kept only if it weighs at least as
    much, and CP-SAT starts from the current placement). Returns counters.
    """
    import random
    import time

    from ortools.sat.python import cp_model

    rng = random.Random(seed)
    reqs_of: list[list[int]] = [[] for _ in c.pids]
    for r, (a, b) in enumerate(c.req_ends):
        reqs_of[a].append(r)
        reqs_of[b].append(r)
    moves = improved = 0
    gained = 0
    while time.perf_counter() < deadline - 0.05:
        unplaced = [r for r in range(len(c.weights)) if st.slot_of[r] == UNPLACED]
        if not unplaced:
            break
        start = rng.choice(unplaced)
        group: list[int] = []
        seen: set[int] = set()
        frontier = list(c.req_ends[start])
        while frontier and len(group) < people_per_move:
            p = frontier.pop(0)
            if p in seen:
                continue
            seen.add(p)
            group.append(p)
            partners = [c.req_ends[r][0] + c.req_ends[r][1] - p for r in reqs_of[p]]
            rng.shuffle(partners)
            frontier.extend(q for q in partners if q not in seen)
        free = sorted({r for p in group for r in reqs_of[p]})
        old = {r: st.slot_of[r] for r in free}
        old_weight = sum(c.weights[r] for r, s in old.items() if s != UNPLACED)
        for r, s in old.items():
            if s != UNPLACED:
                st.remove(r)

        model = cp_model.CpModel()
        x: dict[tuple[int, int], cp_model.IntVar] = {}
        by_ps: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        by_s: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        by_p: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for r in free:
            a, b = c.req_ends[r]
            if st.cap[a] <= 0 or st.cap[b] <= 0:
                continue
            vs = []
            for s in st.open_slots(r):
                v = model.new_bool_var("")
                x[r, s] = v
                vs.append(v)
                by_ps[a, s].append(v)
                by_ps[b, s].append(v)
                by_s[s].append(v)
                by_p[a].append(v)
                by_p[b].append(v)
                model.add_hint(v, old[r] == s)
            if len(vs) > 1:
                model.add_at_most_one(vs)
        for vs in by_ps.values():
            if len(vs) > 1:
                model.add_at_most_one(vs)
        for s, vs in by_s.items():
            if len(vs) > st.room[s]:
                model.add(sum(vs) <= st.room[s])
        for p, vs in by_p.items():
            if len(vs) > st.cap[p]:
                model.add(sum(vs) <= st.cap[p])
        model.maximize(sum(c.weights[r] * v for (r, _s), v in x.items()))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(
            0.05, min(move_time_s, deadline - time.perf_counter())
        )
        solver.parameters.num_workers = num_workers
        solver.parameters.random_seed = seed + moves
        status = solver.solve(model)
        moves += 1
        new: dict[int, int] = {}
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            new = {r: s for (r, s), v in x.items() if solver.boolean_value(v)}
        new_weight = sum(c.weights[r] for r in new)
        if new_weight > old_weight:
            improved += 1
            gained += new_weight - old_weight
            chosen = new
        else:
            chosen = {r: s for r, s in old.items() if s != UNPLACED}
        for r, s in chosen.items():
            st.place(r, s)
    return {"lns_moves": float(moves), "lns_improving_moves": float(improved), "lns_gain": gained}
