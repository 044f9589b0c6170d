"""How long `dualcirc demo` takes (what `make run` waits for before serving), beside its budget.

Runs `dualcirc demo` in a fresh data directory (migrate, catalog, figures and alerts, then the
activity: deals, the live fair with its scheduler run, the bureau's cases, chains, projects),
then again in the same directory (the reload a second `make run` does), and prints wall clock
and CPU time of each beside the budget of 60 s on the 2-core development machine. The search
index is not part of it: the task worker embeds the products after start-up.

    .venv/bin/python bench/demo_load.py [--runs 1]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_S = 60.0
DUALCIRC = Path(sys.executable).with_name("dualcirc")


def run_demo(data_dir: str) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the child, its summary line) of one `dualcirc demo`."""
    env = {**os.environ, "DUALCIRC_DATA_DIR": data_dir, "DUALCIRC_LANGUAGE": "en"}
    env.pop("DATABASE_URL", None)  # the demo's own SQLite database in ``data_dir``
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [str(DUALCIRC), "demo"], env=env, capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = next((ln for ln in done.stdout.splitlines() if ln.startswith("Live fair")), "")
    return wall, cpu, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="fresh + reload pairs to time")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}  load average: {os.getloadavg()[0]:.1f}")
    print(f"{'run':<8} {'wall s':>8} {'cpu s':>8} {'budget s':>9}")
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="dualcirc-demo-bench-") as data_dir:
            for label in ("fresh", "reload"):
                wall, cpu, summary = run_demo(data_dir)
                verdict = "ok" if wall <= BUDGET_S else "OVER BUDGET"
                print(f"{label:<8} {wall:8.1f} {cpu:8.1f} {BUDGET_S:9.0f}  {verdict}")
    print(summary)


if __name__ == "__main__":
    main()
