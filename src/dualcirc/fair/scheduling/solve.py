"""The scheduler's entry point: greedy, then CP-SAT warm-started from it, validated, with a
bound."""

from __future__ import annotations

import time

from dualcirc.fair.scheduling.exact import (
    improve_lns,
    integral_bound,
    round_lp,
    solve_cpsat,
    solve_lp,
)
from dualcirc.fair.scheduling.greedy import UNPLACED, greedy, weight_of
from dualcirc.fair.scheduling.model import (
    Compiled,
    Placement,
    Problem,
    Schedule,
    compile_problem,
    pair_weight,
)
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


FULL_MODEL_VARS = 40_000
"""Up to this many (request, slot) variables CP-SAT gets the whole model; above, it improves the
schedule by large-neighbourhood search (exact.improve_lns)."""


def schedule_meetings(
    problem: Problem,
    *,
    time_limit_s: float = 30.0,
    num_workers: int = 2,
    use_solver: bool = True,
    compute_bound: bool = True,
    use_lp_rounding: bool = True,
    full_model_vars: int = FULL_MODEL_VARS,
    gap_tolerance: float = 1e-4,
    seed: int = 0,
) -> Schedule:
    """Assign requested meetings to slots, maximising total weight; always a valid schedule.

    Steps, all within ``time_limit_s`` (give or take model building):
    1. compile and check the problem (raises ``SchedulingInputError`` when kept meetings
       collide or slots overlap);
    2. a greedy schedule with repair — the fallback;
    3. the LP relaxation (GLOP): its value is ``upper_bound``; its solution, rounded, is a second
       candidate (optimal when the LP's vertex is integral, as it usually is for
       visitor–exhibitor meetings);
    4. unless a candidate is already within ``gap_tolerance`` of the bound (relative; 1e-4
       means one meeting of weight 6 in a fair of weight 60,000), CP-SAT warm-started from the
       best candidate:
       on the whole model when it is small (``FULL_MODEL_VARS``), else by large-neighbourhood
       search until the time is up;
    5. the heaviest candidate that passes :func:`find_violations`; if none does (a solver bug),
       the kept meetings alone.
    When the time is up after step 2, steps 3 and 4 are skipped and the greedy schedule is
    returned (``method`` "greedy", no ``upper_bound``); a step that runs out of time mid-way
    leaves the candidates found so far (an LP that did not finish gives no bound).
    ``use_solver=False`` stops after step 2 (plus step 3's bound when ``compute_bound``);
    ``use_lp_rounding=False`` skips step 3's candidate (the benchmark compares the paths).
    Pure: no I/O, no Django.
    """
    started = time.perf_counter()
    deadline = started + time_limit_s
    c = compile_problem(problem)
    kept_weight = sum(w for *_rest, w in c.kept)
    n_vars = sum(len(x) for x in c.cand)
    st = greedy(c)
    greedy_weight = st.weight() + kept_weight
    stats: dict[str, float] = {
        "requests": float(len(problem.requests)),
        "variables": float(n_vars),
        "greedy_seconds": time.perf_counter() - started,
    }
    candidates: list[tuple[str, list[int]]] = [("greedy", list(st.slot_of))]
    best = st
    bound: int | None = kept_weight if (use_solver or compute_bound) else None
    # Out of time after the greedy pass: the greedy schedule is the answer (no bound, since
    # computing one would overrun the limit). ``use_solver=False`` asks for the bound anyway.
    timed_out = use_solver and time.perf_counter() >= deadline
    if timed_out:
        bound = None
        stats["timed_out"] = 1.0
    if (use_solver or compute_bound) and c.weights and not timed_out:
        t0 = time.perf_counter()
        lp = solve_lp(c, time_limit_s=deadline - t0 if use_solver else 60.0)
        stats["lp_seconds"] = time.perf_counter() - t0
        bound = None
        if lp is not None:
            bound = integral_bound(lp.value) + kept_weight
            stats["lp_integral"] = float(lp.integral())
            if use_solver and use_lp_rounding:
                rounded = round_lp(c, lp)
                candidates.append(("lp rounding", list(rounded.slot_of)))
                if rounded.weight() > best.weight():
                    best = rounded
    close_enough = bound is not None and best.weight() + kept_weight >= bound * (1 - gap_tolerance)
    if use_solver and c.weights and not close_enough and time.perf_counter() < deadline:
        t0 = time.perf_counter()
        if n_vars <= full_model_vars:
            res = solve_cpsat(
                c,
                best,
                time_limit_s=deadline - t0,
                num_workers=num_workers,
                seed=seed,
            )
            if res is not None:
                candidates.append(("cp-sat", res.slot_of))
                solver_bound = integral_bound(res.bound) + kept_weight
                bound = solver_bound if bound is None else min(bound, solver_bound)
        else:
            counters = improve_lns(c, best, deadline=deadline, num_workers=num_workers, seed=seed)
            stats.update({k: float(v) for k, v in counters.items()})
            candidates.append(("cp-sat lns", list(best.slot_of)))
        stats["cpsat_seconds"] = time.perf_counter() - t0

    # Heaviest first; among equals, the earlier (simpler) method.
    ranked = sorted(enumerate(candidates), key=lambda ic: (-weight_of(c, ic[1][1]), ic[0]))
    chosen: tuple[str, list[Placement]] | None = None
    for _i, (name, slot_of) in ranked:
        placements = _placements(c, slot_of)
        if not find_violations(problem, placements):
            chosen = (name, placements)
            break
    if chosen is None:
        chosen = ("kept only", _placements(c, [UNPLACED] * len(c.weights)))
    method, placements = chosen
    total = sum(p.weight for p in placements)
    if bound is not None and total >= bound:
        method += " (optimal)"
    placed = {frozenset((p.a, p.b)) for p in placements}
    unplaced = [
        r
        for r in problem.requests
        if r.key not in placed and pair_weight(r.pref_a, r.pref_b, problem.policy) > 0
    ]
    return Schedule(
        placements=placements,
        total_weight=total,
        method=method,
        upper_bound=bound,
        greedy_weight=greedy_weight,
        seconds=time.perf_counter() - started,
        unplaced=unplaced,
        stats=stats,
    )
