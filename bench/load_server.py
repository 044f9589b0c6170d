"""Load on the production server: wrk against catalog, product and search pages on PostgreSQL.

Starts `dualcirc serve` in production mode (gunicorn, DUALCIRC_WEB_WORKERS processes) on a
loopback port against a PostgreSQL database holding the demo data (ten belts, 450 products,
search index built), warms every URL up, then runs `wrk --latency` on each for --seconds and
prints requests/s, p50 and p99 latency and errors as a Markdown table.

Search is measured three ways: one query repeated; a mix of the 160 dev queries
(../shared/data/sourcing-bench-dev/queries.tsv), each already asked several times during the
warm-up (what popular queries cost); and an all-distinct mix (every published product title,
each asked once: every request embeds its query). The mixes run with a wrk Lua script that
walks a list of URLs; a row says so when a list ran out and started over.

    .venv/bin/python bench/load_server.py --prepare   # dc_load_bench: migrate, demo, reindex
    .venv/bin/python bench/load_server.py             # the measurement only
    .venv/bin/python bench/load_server.py --prepare --database dc_load_search \
        --catalog ../shared/data/sourcing-bench-dev/catalog.csv  # demo + the dev catalog
    .venv/bin/python bench/load_server.py --database dc_load_search --only search --workers 2

Needs `wrk` (Debian package; `make bench-load` installs it) and PostgreSQL on 127.0.0.1:5432.
Loopback only. Targets: ≥ 300 requests/s for cached catalog pages, ≥ 100 for search, 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote_plus

from _pg import PG_DSN, create_database

ROOT = Path(__file__).resolve().parents[1]
DUALCIRC = str(ROOT / ".venv" / "bin" / "dualcirc")
DATABASE = "dc_load_bench"
DEV_QUERIES = ROOT.parent / "shared" / "data" / "sourcing-bench-dev" / "queries.tsv"
URLS = {
    "catalog: product list (cached, signed out)": "/en/products/",
    "catalog: enterprise list (cached, signed out)": "/en/enterprises/",
    "catalog: product page (cached, signed out)": "/en/products/{product}/",
    "search: 'solid oak dining table'": "/en/search/?q=solid+oak+dining+table",
    "search: '牛仔布 起订量3000米以内'": "/en/search/?q=" + quote_plus("牛仔布 起订量3000米以内"),
}
SEARCH = "/en/search/?q="
WARM_ROUNDS = 6  # each mix query is asked this often before the repeated-mix measurement
# wrk walks a list of URLs: thread k of n takes items k, k+n, k+2n, … (no URL twice until the
# list runs out; then it starts over and the row says so).
MIX_LUA = """
local paths = %s
local n_threads = %d
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
local i = 0
function request()
  local p = paths[((id or 0) + i * n_threads) %% #paths + 1]
  i = i + 1
  return wrk.format("GET", p)
end
"""


def environment(data_dir: Path, *, workers: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DUALCIRC_ENV="production",
        DUALCIRC_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"{PG_DSN}/{DATABASE}",
        DUALCIRC_DATA_DIR=str(data_dir),
        DUALCIRC_ALLOWED_HOSTS="127.0.0.1,localhost",
        DUALCIRC_SECURE_COOKIES="0",
        DUALCIRC_WEB_WORKERS=str(workers),
        DUALCIRC_LOG_LEVEL="WARNING",
    )
    return env


def prepare(env: dict[str, str], catalog: Path | None = None) -> None:
    create_database(DATABASE)
    commands = [["migrate", "-v0"], ["demo", "--force"]]
    if catalog is not None:  # embedding 3,000 new passages takes minutes on 2 busy cores
        commands.append(["import", str(catalog)])
    commands.append(["reindex"])
    for command in commands:
        subprocess.run([DUALCIRC, *command], env=env, check=True)


def psql(sql: str) -> list[str]:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DATABASE, "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line for line in out.splitlines() if line.strip()]


def dev_queries() -> list[str]:
    lines = DEV_QUERIES.read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t")[2].strip() for line in lines if line.count("\t") >= 2]


def distinct_queries(exclude: set[str]) -> list[str]:
    """Every published product's titles (zh, en, vi), each once, as buyers' queries."""
    titles = psql(
        "SELECT DISTINCT t FROM catalog_product p, "
        "LATERAL (VALUES (p.title_zh), (p.title_en), (p.title_vi)) AS v(t) "
        "WHERE p.status = 'published' AND length(trim(t)) > 1 ORDER BY t"
    )
    return [t.strip() for t in titles if t.strip() not in exclude]


def mix_script(paths: list[str], threads: int) -> str:
    """A wrk Lua script walking ``paths`` (written to a temporary file; the caller removes it)."""
    table = "{" + ",".join(json.dumps(p) for p in paths) + "}"
    fd, name = tempfile.mkstemp(suffix=".lua", prefix="dualcirc-wrk-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(MIX_LUA % (table, threads))
    return name


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


def wrk(
    url: str, *, seconds: int, connections: int, threads: int, script: str | None = None
) -> dict[str, str]:
    extra = ["-s", script] if script else []
    done = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", *extra, url],
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


def warm(urls: list[str], rounds: int) -> None:
    """Ask every URL ``rounds`` times (8 at a time), so that each worker has seen it."""
    from concurrent.futures import ThreadPoolExecutor

    def get(url: str) -> None:
        urllib.request.urlopen(url, timeout=60).read()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(get, [u for _ in range(rounds) for u in urls]))


def row(label: str, r: dict[str, str], note: str = "") -> None:
    print(
        f"| {label} | {r['rate']} | {r['p50']} | {r['p99']} | {r['requests']} | "
        f"{r['errors']}{note} |",
        flush=True,
    )


def main() -> None:
    global DATABASE
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prepare", action="store_true", help="(re)create the database first")
    parser.add_argument("--catalog", type=Path, help="with --prepare: also import this CSV")
    parser.add_argument("--only", choices=("all", "catalog", "search"), default="all")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn processes (2×2+1)")
    parser.add_argument("--port", type=int, default=8971)
    parser.add_argument("--database", default=DATABASE, help="PostgreSQL database to use")
    args = parser.parse_args()
    DATABASE = args.database
    if shutil.which("wrk") is None:
        raise SystemExit(
            "wrk is not installed: `make bench-load` installs it (apt-get install wrk)"
        )
    data_dir = Path("/tmp/dualcirc-load-bench")
    if DATABASE != "dc_load_bench":
        data_dir = data_dir.with_name(f"{data_dir.name}-{DATABASE}")
    data_dir.mkdir(exist_ok=True)
    env = environment(data_dir, workers=args.workers)
    if args.prepare:
        prepare(env, args.catalog)
    product = psql("SELECT min(id) FROM catalog_product WHERE status = 'published'")[0]
    n_products = psql("SELECT count(*) FROM catalog_product WHERE status = 'published'")[0]
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [DUALCIRC, "serve", f"127.0.0.1:{args.port}"], env=env, start_new_session=True
    )
    scripts: list[str] = []
    try:
        wait_ready(base)
        print(
            f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores, {args.workers} gunicorn "
            f"workers × 4 threads, wrk {args.connections} connections × {args.seconds} s, "
            f"{n_products} published products\n"
        )
        print("| page | requests/s | p50 | p99 | requests | errors (non-2xx) |")
        print("|---|---:|---:|---:|---:|---|")
        wanted = ("catalog", "search") if args.only == "all" else (args.only,)
        for label, path in URLS.items():
            if not label.startswith(wanted):
                continue
            url = base + path.format(product=product)
            warm([url], 20)  # every worker's cache and index
            row(label, wrk(url, seconds=args.seconds, connections=args.connections, threads=2))
        if "search" not in wanted:
            return
        mixes = []
        queries = dev_queries()
        mixes.append(
            (f"search: mix of {len(queries)} dev queries, each asked before", queries, True)
        )
        distinct = distinct_queries(set(queries))
        mixes.append((f"search: all distinct ({len(distinct)} product titles)", distinct, False))
        for label, texts, repeated in mixes:
            paths = [SEARCH + quote_plus(t) for t in texts]
            if repeated:
                warm([base + p for p in paths], WARM_ROUNDS)
            else:
                warm([base + SEARCH + quote_plus("warm up")], 20)
            script = mix_script(paths, threads=2)
            scripts.append(script)
            r = wrk(
                base + "/",
                seconds=args.seconds,
                connections=args.connections,
                threads=2,
                script=script,
            )
            wrapped = r["requests"].isdigit() and int(r["requests"]) > len(paths)
            row(
                label, r, " (the list ran out and started over)" if wrapped and not repeated else ""
            )
    finally:
        for script in scripts:
            Path(script).unlink(missing_ok=True)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


if __name__ == "__main__":
    sys.exit(main())
