"""The scheduler's entry point: greedy, then CP-SAT warm-started from it, validated, with a
bound."""

from __future__ import annotations

import time

from dualcirc.fair.scheduling.exact import integral_bound, lp_bound, solve_cpsat
from dualcirc.fair.scheduling.greedy import UNPLACED, greedy
from dualcirc.fair.scheduling.model import Compiled, Placement, Problem, Schedule, compile_problem
from dualcirc.fair.scheduling.validate import find_violations


def _placements(c: Compiled, slot_of: list[int]) -> list[Placement]:
    out = [
        Placement(a=c.pids[a], b=c.pids[b], slot=c.sids[s], weight=w, kept=True)
        for a, b, s, w in c.kept
    ]
    for r, s in enumerate(slot_of):
        if s != UNPLACED:
            req = c.requests[r]
            out.append(Placement(a=req.a, b=req.b, slot=c.sids[s], weight=c.weights[r]))
    return out


def schedule_meetings(
    problem: Problem,
    *,
    time_limit_s: float = 30.0,
    num_workers: int = 2,
    use_solver: bool = True,
    compute_bound: bool = True,
    bound_time_limit_s: float = 60.0,
    seed: int = 0,
) -> Schedule:
    """Assign requested meetings to slots, maximising total weight; always a valid schedule.

    Steps: compile and check the problem (raises ``SchedulingInputError`` when kept meetings
    collide or slots overlap); a greedy schedule with repair; CP-SAT for ``time_limit_s``
    warm-started from it (skipped when ``use_solver`` is false); the better of the two, checked
    by :func:`find_violations` — a solver answer that fails the check is dropped for the greedy
    one, and a greedy one that fails for the kept meetings alone. With ``compute_bound`` the LP
    relaxation (GLOP) gives ``upper_bound``; CP-SAT's own proven bound tightens it.
    Pure: no I/O, no Django.
    """
    started = time.perf_counter()
    c = compile_problem(problem)
    kept_weight = sum(w for *_rest, w in c.kept)
    st = greedy(c)
    greedy_slot_of = list(st.slot_of)
    greedy_weight = st.weight() + kept_weight
    stats: dict[str, float] = {
        "requests": float(len(problem.requests)),
        "candidates": float(sum(len(x) for x in c.cand)),
        "greedy_seconds": time.perf_counter() - started,
    }
    options: list[tuple[str, list[int]]] = []
    solver_bound: int | None = None
    if use_solver and c.weights:
        remaining = time_limit_s - (time.perf_counter() - started)
        t0 = time.perf_counter()
        res = solve_cpsat(c, st, time_limit_s=remaining, num_workers=num_workers, seed=seed)
        stats["solver_seconds"] = time.perf_counter() - t0
        if res is not None:
            name = "cp-sat optimal" if res.optimal else "cp-sat"
            options.append((name, res.slot_of))
            solver_bound = integral_bound(res.bound) + kept_weight
    options.append(("greedy", greedy_slot_of))

    def weight_of(slot_of: list[int]) -> int:
        return sum(w for r, w in enumerate(c.weights) if slot_of[r] != UNPLACED)

    options.sort(key=lambda o: -weight_of(o[1]))
    chosen: tuple[str, list[Placement]] | None = None
    for name, slot_of in options:
        placements = _placements(c, slot_of)
        if not find_violations(problem, placements):
            chosen = (name, placements)
            break
    if chosen is None:
        chosen = ("kept only", _placements(c, [UNPLACED] * len(c.weights)))
    method, placements = chosen
    total = sum(p.weight for p in placements)
    schedule_seconds = time.perf_counter() - started

    bound: int | None = solver_bound
    if compute_bound:
        t0 = time.perf_counter()
        value = lp_bound(c, time_limit_s=bound_time_limit_s)
        stats["bound_seconds"] = time.perf_counter() - t0
        if value is not None:
            lp = integral_bound(value) + kept_weight
            bound = lp if bound is None else min(bound, lp)
    if method == "cp-sat optimal":
        bound = total
    placed = {frozenset((p.a, p.b)) for p in placements}
    unplaced = [r for r in problem.requests if r.key not in placed]
    return Schedule(
        placements=placements,
        total_weight=total,
        method=method,
        upper_bound=bound,
        greedy_weight=greedy_weight,
        seconds=schedule_seconds,
        unplaced=unplaced,
        stats=stats,
    )
