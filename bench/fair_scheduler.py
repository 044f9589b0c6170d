"""Benchmark of the 1:1 meeting scheduler on a synthetic fair.

2,000 participants (600 Chinese exhibitors, 1,400 visitors in 8 time zones), 10,000 requested
pairs, 32 slots of 30 minutes over two days (dualcirc.fair.scheduling.synthetic, seeded, so every
run sees the same fair). One run prints, for the scheduler as shipped: seconds, meetings
placed, total weight, the upper bound (LP relaxation, GLOP) and the gaps to the bound and to the
greedy baseline. ``--compare`` also runs the pipeline without the LP rounding (greedy, then
CP-SAT large-neighbourhood search for the whole time limit), which is what the scheduler falls
back on when the LP's solution is far from integral.

    .venv/bin/python bench/fair_scheduler.py [--time-limit 55] [--workers 2] [--seed 1] [--compare]
"""

from __future__ import annotations

import argparse
import platform
import time
from datetime import UTC, datetime

from dualcirc.fair.scheduling import Schedule, find_violations, schedule_meetings
from dualcirc.fair.scheduling.synthetic import make_fair


def _line(label: str, s: Schedule, wall: float) -> str:
    meetings = sum(1 for p in s.placements if not p.kept)
    gap = f"{100 * s.gap:.3f}%" if s.gap is not None else "n/a"
    over_greedy = 100 * (s.total_weight - s.greedy_weight) / max(1, s.greedy_weight)
    greedy_gap = (
        f"{100 * (s.upper_bound - s.greedy_weight) / s.upper_bound:.3f}%"
        if s.upper_bound
        else "n/a"
    )
    return (
        f"{label:<22} {wall:7.1f}s  meetings {meetings:5d}  weight {s.total_weight:6d}  "
        f"bound {s.upper_bound}  gap {gap}  greedy {s.greedy_weight} (gap {greedy_gap}, "
        f"+{over_greedy:.2f}% over it)  method: {s.method}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=55.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--capacity", type=int, default=300, help="tables per slot")
    parser.add_argument("--peer-share", type=float, default=0.0)
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args()

    t0 = time.perf_counter()
    problem = make_fair(
        seed=args.seed,
        participants=args.participants,
        pairs=args.pairs,
        capacity=args.capacity,
        peer_share=args.peer_share,
    )
    zones = {p.time_zone for p in problem.participants}
    print(
        f"fair: {len(problem.participants)} participants in {len(zones)} zones, "
        f"{len(problem.requests)} requested pairs, {len(problem.slots)} slots "
        f"(capacity {args.capacity}), built in {time.perf_counter() - t0:.1f}s"
    )
    print(
        f"date {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
        f"{platform.processor() or platform.machine()}, python {platform.python_version()}, "
        f"workers {args.workers}, time limit {args.time_limit}s"
    )
    runs = [("shipped pipeline", {})]
    if args.compare:
        runs.append(("without LP rounding", {"use_lp_rounding": False}))
    for label, extra in runs:
        t = time.perf_counter()
        s = schedule_meetings(
            problem, time_limit_s=args.time_limit, num_workers=args.workers, **extra
        )
        wall = time.perf_counter() - t
        assert not find_violations(problem, s.placements), "invalid schedule"
        print(_line(label, s, wall))
        print("  stats: " + ", ".join(f"{k}={v:.2f}" for k, v in sorted(s.stats.items())))


if __name__ == "__main__":
    main()
