"""The assignment model: relaxed by GLOP (bound and rounding), solved by CP-SAT.

One variable ``x[r, s]`` per request and possible slot. Constraints: a request meets at most
once; a person meets at most once per slot; a slot holds at most what its rooms have left; a
person meets at most their cap. Objective: the total weight of placed requests.

On fairs where visitors meet exhibitors, the LP's optimal vertex is usually integral already
(each slot's meetings form a bipartite matching); then it is an optimal schedule, proven by its
own bound. When it is not, its rounding and CP-SAT take over (see solve.py).
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass

from dualcirc.fair.scheduling.greedy import UNPLACED, State, order, repair
from dualcirc.fair.scheduling.model import Compiled

Var = tuple[int, int]  # (request, slot)


@dataclass
class ExactResult:
    slot_of: list[int]
    weight: int
    optimal: bool
    bound: float
    status: str


@dataclass
class LpResult:
    value: float
    x: dict[Var, float]

    def integral(self) -> bool:
        return all(v < 1e-6 or v > 1 - 1e-6 for v in self.x.values())


def _groups(c: Compiled) -> tuple[dict[Var, list[Var]], dict[int, list[Var]], dict[int, list[Var]]]:
    """Index the variables ``(r, s)`` by (person, slot), by slot and by person."""
    by_ps: dict[Var, list[Var]] = defaultdict(list)
    by_s: dict[int, list[Var]] = defaultdict(list)
    by_p: dict[int, list[Var]] = defaultdict(list)
    for r, (a, b) in enumerate(c.req_ends):
        for s in c.cand[r]:
            v = (r, s)
            by_ps[a, s].append(v)
            by_ps[b, s].append(v)
            by_s[s].append(v)
            by_p[a].append(v)
            by_p[b].append(v)
    return by_ps, by_s, by_p


def solve_lp(c: Compiled, *, time_limit_s: float = 60.0) -> LpResult | None:
    """The LP relaxation solved by GLOP: its value bounds every schedule from above. None if
    GLOP did not prove optimality in time (an unproven value would not be a bound)."""
    from ortools.linear_solver import pywraplp

    if not c.weights:
        return LpResult(0.0, {})
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:  # pragma: no cover - GLOP ships with every OR-Tools wheel
        return None
    lp.SetTimeLimit(max(1, int(time_limit_s * 1000)))
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
    limits: list[tuple[list[Var], float]] = [(vs, 1.0) for vs in by_ps.values() if len(vs) > 1]
    limits += [(vs, c.room_left[s]) for s, vs in by_s.items() if len(vs) > c.room_left[s]]
    limits += [(vs, c.cap_left[p]) for p, vs in by_p.items() if len(vs) > c.cap_left[p]]
    for vs, limit in limits:
        row = lp.Constraint(-inf, float(limit))
        for v in vs:
            row.SetCoefficient(x[v], 1.0)
    objective.SetMaximization()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return LpResult(float(objective.Value()), {k: v.solution_value() for k, v in x.items()})


def integral_bound(value: float) -> int:
    """Weights are integers, so a fractional bound rounds down (allowing for LP tolerance)."""
    return math.floor(value + 1e-6)


def round_lp(c: Compiled, lp: LpResult) -> State:
    """A schedule from the LP: its whole variables first, then the fractional ones by value,
    then whatever still fits (greedy order), then the greedy repair pass."""
    st = State(c)
    ranked = sorted(lp.x.items(), key=lambda kv: (-kv[1], -c.weights[kv[0][0]], kv[0]))
    for (r, s), value in ranked:
        if value < 1e-6:
            break
        if st.slot_of[r] == UNPLACED and st.has_cap(r) and st.fits(r, s):
            st.place(r, s)
    for r in order(c):
        if st.slot_of[r] == UNPLACED and st.has_cap(r):
            options = st.open_slots(r)
            if options:
                st.place(r, options[0])
    repair(st)
    return st


def solve_cpsat(
    c: Compiled,
    hint: State,
    *,
    time_limit_s: float,
    num_workers: int = 2,
    seed: int = 0,
    log: bool = False,
) -> ExactResult | None:
    """Solve the whole model with CP-SAT from the ``hint``; None when it found nothing in time."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x: dict[Var, cp_model.IntVar] = {}
    for r, slots in enumerate(c.cand):
        vs = []
        for s in slots:
            v = model.new_bool_var("")
            x[r, s] = v
            vs.append(v)
        if len(vs) > 1:
            model.add_at_most_one(vs)
    by_ps, by_s, by_p = _groups(c)
    for keys in by_ps.values():
        if len(keys) > 1:
            model.add_at_most_one(x[k] for k in keys)
    for s, keys in by_s.items():
        if len(keys) > c.room_left[s]:
            model.add(sum(x[k] for k in keys) <= c.room_left[s])
    for p, keys in by_p.items():
        if len(keys) > c.cap_left[p]:
            model.add(sum(x[k] for k in keys) <= c.cap_left[p])
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


def improve_lns(
    c: Compiled,
    st: State,
    *,
    deadline: float,
    num_workers: int = 2,
    seed: int = 0,
    requests_per_move: int = 400,
    move_time_s: float = 2.0,
) -> dict[str, float]:
    """Large-neighbourhood search for models too big for CP-SAT whole: repeatedly free the
    requests of a group of people around an unplaced request (at most ``requests_per_move``),
    and let CP-SAT re-place them optimally around the fixed rest.

    Mutates ``st``, never for the worse: CP-SAT starts from the current placement and its
    answer is kept only if it weighs more. Returns counters.
    """
    from ortools.sat.python import cp_model

    rng = random.Random(seed)
    reqs_of: list[list[int]] = [[] for _ in c.pids]
    for r, (a, b) in enumerate(c.req_ends):
        reqs_of[a].append(r)
        reqs_of[b].append(r)
    moves = improved = gained = 0
    while time.perf_counter() < deadline - 0.1:
        unplaced = [r for r in range(len(c.weights)) if st.slot_of[r] == UNPLACED]
        if not unplaced:
            break
        frontier = list(c.req_ends[rng.choice(unplaced)])
        seen: set[int] = set()
        free: set[int] = set()
        while frontier:
            p = frontier.pop(0)
            if p in seen:
                continue
            if free and len(free) + len(reqs_of[p]) > requests_per_move:
                continue
            seen.add(p)
            free.update(reqs_of[p])
            partners = [sum(c.req_ends[r]) - p for r in reqs_of[p] if st.slot_of[r] != UNPLACED]
            rng.shuffle(partners)
            frontier.extend(q for q in partners if q not in seen)
        old = {r: st.slot_of[r] for r in free}
        old_weight = sum(c.weights[r] for r, s in old.items() if s != UNPLACED)
        for r, s in old.items():
            if s != UNPLACED:
                st.remove(r)

        model = cp_model.CpModel()
        x: dict[Var, cp_model.IntVar] = {}
        by_ps: dict[Var, list[cp_model.IntVar]] = defaultdict(list)
        by_s: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        by_p: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for r in sorted(free):
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
        for group in by_ps.values():
            if len(group) > 1:
                model.add_at_most_one(group)
        for s, group in by_s.items():
            if len(group) > st.room[s]:
                model.add(sum(group) <= st.room[s])
        for p, group in by_p.items():
            if len(group) > st.cap[p]:
                model.add(sum(group) <= st.cap[p])
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
    return {"lns_moves": moves, "lns_improving_moves": improved, "lns_gain": gained}
