"""Load on the production server: wrk against catalog, product and search pages on PostgreSQL.

Starts `dualcirc serve` in production mode (gunicorn, DUALCIRC_WEB_WORKERS processes) on a
loopback port against a PostgreSQL database holding the demo data (ten belts, 450 products,
search index built), warms every URL up, then runs `wrk --latency` on each for --seconds and
prints requests/s, p50 and p99 latency and errors as a Markdown table.

    .venv/bin/python bench/load_server.py --prepare   # dc_load_bench: migrate, demo, reindex
    .venv/bin/python bench/load_server.py             # the measurement only

Needs `wrk` (Debian package; `make bench-load` installs it) and PostgreSQL on 127.0.0.1:5432.
Loopback only. Targets: ≥ 300 requests/s for cached catalog pages, ≥ 100 for search, 2 cores.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[1]
DUALCIRC = str(ROOT / ".venv" / "bin" / "dualcirc")
DATABASE = "dc_load_bench"
URLS = {
    "catalog: product list (cached, signed out)": "/en/products/",
    "catalog: enterprise list (cached, signed out)": "/en/enterprises/",
    "catalog: product page (cached, signed out)": "/en/products/{product}/",
    "search: 'solid oak dining table'": "/en/search/?q=solid+oak+dining+table",
    "search: '牛仔布 起订量3000米以内'": "/en/search/?q=" + quote_plus("牛仔布 起订量3000米以内"),
}


def environment(data_dir: Path, *, workers: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DUALCIRC_ENV="production",
        DUALCIRC_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        DUALCIRC_DATA_DIR=str(data_dir),
        DUALCIRC_ALLOWED_HOSTS="127.0.0.1,localhost",
        DUALCIRC_SECURE_COOKIES="0",
        DUALCIRC_WEB_WORKERS=str(workers),
        DUALCIRC_LOG_LEVEL="WARNING",
    )
    return env


def prepare(env: dict[str, str]) -> None:
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE])
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    for command in (["migrate", "-v0"], ["demo", "--force"], ["reindex"]):
        subprocess.run([DUALCIRC, *command], env=env, check=True)


def wait_ready(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/health/ready", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not become ready")


def wrk(url: str, *, seconds: int, connections: int, threads: int) -> dict[str, str]:
    done = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    total = re.search(r"(\d+) requests in", out)
    return {
        "rate": rate.group(1) if rate else "?",
        "p50": p50.group(1) if p50 else "?",
        "p99": p99.group(1) if p99 else "?",
        "requests": total.group(1) if total else "?",
        "errors": (non2xx.group(1) if non2xx else "0")
        + (f"; socket {errors.group(1)}" if errors else ""),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prepare", action="store_true", help="(re)create the database first")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn processes (2×2+1)")
    parser.add_argument("--port", type=int, default=8971)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit(
            "wrk is not installed: `make bench-load` installs it (apt-get install wrk)"
        )
    data_dir = Path("/tmp/dualcirc-load-bench")
    data_dir.mkdir(exist_ok=True)
    env = environment(data_dir, workers=args.workers)
    if args.prepare:
        prepare(env)
    product = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            DATABASE,
            "-tAc",
            "SELECT min(id) FROM catalog_product WHERE status = 'published'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [DUALCIRC, "serve", f"127.0.0.1:{args.port}"], env=env, start_new_session=True
    )
    try:
        wait_ready(base)
        print(
            f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores, {args.workers} gunicorn "
            f"workers × 4 threads, wrk {args.connections} connections × {args.seconds} s\n"
        )
        print("| page | requests/s | p50 | p99 | requests | errors (non-2xx) |")
        print("|---|---:|---:|---:|---:|---|")
        for label, path in URLS.items():
            url = base + path.format(product=product)
            for _ in range(20):  # warm every worker's cache and index
                urllib.request.urlopen(url, timeout=30).read()
            r = wrk(url, seconds=args.seconds, connections=args.connections, threads=2)
            print(
                f"| {label} | {r['rate']} | {r['p50']} | {r['p99']} | {r['requests']} | "
                f"{r['errors']} |",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


if __name__ == "__main__":
    sys.exit(main())
