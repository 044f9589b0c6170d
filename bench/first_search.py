"""A new server worker's first searches, with and without the warm-up.

Each gunicorn worker warms up as it starts (``ops.gunicorn_hooks``, ``DUALCIRC_WARM_UP``):
it loads the URL configuration, the search index and what a first search loads (jieba, the
lexicons, the model's weights), the exchange rates and the HS descriptions. This starts the
production server's gunicorn command line (``ops.server.gunicorn_argv``, one worker) on a
loopback port against a SQLite demo (``dualcirc demo`` into ``--data-dir`` when it holds no
database yet), ``--rounds`` times with the warm-up off and on, alternating. Each round waits
until the worker answers ``/health/live`` and then ``--settle`` seconds (or, warm-up on,
until the worker logs that it is warm, if later), then times the first search page
(``GET /en/search/?q=…``) and the next two, each a query not asked before. Prints the median
of each over the rounds.

    .venv/bin/python bench/first_search.py                    # a demo in /tmp/dualcirc-first-search
    .venv/bin/python bench/first_search.py --rounds 5 --settle 15
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[1]
QUERIES = (  # one per round and position: never the same query twice in a process
    ("rèm cửa màu xám", "stainless steel kettle", "纯棉浴巾 白色"),
    ("ghế ăn gỗ sồi", "denim fabric 12 oz", "电动牙刷头"),
    ("khăn tắm cotton", "down jacket women", "实木餐桌 6人"),
    ("giày thể thao trẻ em", "silk pillowcase", "冷冻鱿鱼"),
    ("máy giặt cửa trước", "safety helmet ABS", "羊毛地毯"),
    ("chăn lông cừu", "bamboo toothbrush", "牛仔面料 弹力"),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, timeout: float = 60) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=timeout) as r:
        r.read()
    return time.perf_counter() - started


def one_round(
    env: dict[str, str], warm: bool, queries: tuple[str, ...], settle: float
) -> list[float]:
    port = _free_port()
    env = {**env, "DUALCIRC_WARM_UP": "1" if warm else "0"}
    code = (
        "import os, sys, django; django.setup()\n"
        "from dualcirc.ops.server import gunicorn_argv\n"
        f"argv = gunicorn_argv('127.0.0.1', '{port}')\n"
        "argv[argv.index('--workers') + 1] = '1'\n"
        "os.execv(argv[0], argv)\n"
    )
    log_path = Path(env["DUALCIRC_DATA_DIR"]) / f"gunicorn-{port}.log"
    with log_path.open("w") as log:
        server = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=log, stderr=log)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                _get(base + "/health/live", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(f"the server did not start: {log_path}") from None
                time.sleep(0.2)
        ready = time.monotonic()
        while time.monotonic() < ready + settle or (
            warm and "warmed up in" not in log_path.read_text() and time.monotonic() < deadline
        ):
            time.sleep(0.2)
        return [_get(base + "/en/search/?q=" + quote_plus(q)) for q in queries]
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=Path("/tmp/dualcirc-first-search"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--settle", type=float, default=10.0, help="seconds to wait after start")
    args = ap.parse_args(argv)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dualcirc.settings",
        "DUALCIRC_DATA_DIR": str(args.data_dir),
        "DUALCIRC_LOG_LEVEL": "INFO",
        "OMP_NUM_THREADS": "1",
    }
    env.pop("DATABASE_URL", None)
    if not any(args.data_dir.glob("*.sqlite3")):
        args.data_dir.mkdir(parents=True, exist_ok=True)
        print(f"loading the demo into {args.data_dir} …", flush=True)
        subprocess.run(
            [str(ROOT / ".venv/bin/dualcirc"), "demo"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    print(
        f"first searches of a new worker, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; {args.rounds} rounds each, "
        f"settle {args.settle:g} s",
        flush=True,
    )
    times: dict[bool, list[list[float]]] = {False: [], True: []}
    for r in range(args.rounds):
        for warm in (False, True):
            queries = QUERIES[(2 * r + warm) % len(QUERIES)]
            times[warm].append(one_round(env, warm, queries, args.settle))
            print(
                f"  round {r + 1}, warm-up {'on ' if warm else 'off'}: "
                + "  ".join(f"{t * 1000:.0f} ms" for t in times[warm][-1]),
                flush=True,
            )
    print("| warm-up | 1st search page, median | 2nd | 3rd |")
    print("|---|---:|---:|---:|")
    for warm in (False, True):
        cols = [statistics.median(run[i] for run in times[warm]) * 1000 for i in range(3)]
        print(
            f"| {'on (default)' if warm else 'off (baseline)'} | "
            + " | ".join(f"{c:.0f} ms" for c in cols)
            + " |"
        )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
