"""Faults: kill processes with SIGKILL at the worst moment, restart them, check what survived.

    .venv/bin/python bench/faults.py                  # a, b, c, then d (restarts PostgreSQL)
    .venv/bin/python bench/faults.py import deals     # only these
    .venv/bin/python bench/faults.py --no-postgres-restart

Scenarios (each prints PASS or FAIL and what it checked):

- import: ``kill -9`` a ``dualcirc import`` of a large CSV while it writes its rows → the
  database holds none of the file's rows (the import is one transaction); the import run again
  completes with all of them.
- deals: ``kill -9`` the production server (gunicorn, the whole process group) while 12
  clients accept quotes through the API, three clients racing on each request; restart it; the
  clients retry with the same Idempotency-Key → every request has exactly one order, every
  order is whole (5 milestones, audit entry, final number) and matches one accepted offer, no
  offer is accepted twice, and no order answered 201 is missing.
- index: ``kill -9`` ``dualcirc db_worker`` while it embeds a batch of newly imported products →
  its task stays RUNNING; the restarted worker queues it again and the change feed catches up:
  every published product in the feed once, sequence numbers unique and ending at the counter,
  a fresh process's index serving exactly the published products.
- postgres (last, once): restart PostgreSQL (``pg_ctlcluster … restart``) while 8 clients read
  catalog pages (page cache off, so each request reads the database) and the worker waits for
  tasks → count errors during the outage, the time until requests succeed again, and that
  neither the server nor the worker needed a restart (the worker runs a new task afterwards).

Loopback only; PostgreSQL on 127.0.0.1:5432 (trust auth, user postgres). Each scenario uses its
own database ``dc_faults_<scenario>`` (copied from a migrated template), dropped at the end.
Bounded: every wait has a deadline; the whole run takes a few minutes.
"""

from __future__ import annotations

import argparse
import concurrent.futures as futures
import contextlib
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from _pg import create_database, drop_database  # noqa: E402  (bench/ is on the path now)
from import_rate import SHARED_CATALOG, build_csv  # noqa: E402  (bench/ is on the path now)

PYTHON = str(ROOT / ".venv" / "bin" / "python")
DUALCIRC = str(ROOT / ".venv" / "bin" / "dualcirc")
CHECKS = str(ROOT / "bench" / "faults_checks.py")
PG = ["-h", "127.0.0.1", "-U", "postgres"]
TEMPLATE = "dc_faults_template"
PORT = 8972


@dataclass
class Outcome:
    name: str
    passed: bool
    checked: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    def check(self, ok: bool, what: str) -> None:
        self.checked.append(f"{'ok  ' if ok else 'FAIL'} {what}")
        self.passed = self.passed and ok

    def show(self) -> None:
        print(f"\n{'PASS' if self.passed else 'FAIL'} {self.name}")
        for line in self.checked:
            print(f"  {line}")
        if self.figures:
            print(f"  figures: {json.dumps(self.figures, ensure_ascii=False)}")


# --- processes and databases ---------------------------------------------------------------


def psql(database: str, sql: str) -> str:
    done = subprocess.run(
        ["psql", *PG, "-d", database, "-tAc", sql], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def count(database: str, table: str) -> int:
    return int(psql(database, f"SELECT count(*) FROM {table}"))


def environment(database: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DUALCIRC_ENV="production",
        DUALCIRC_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        DUALCIRC_DATA_DIR=str(data_dir),
        DUALCIRC_ALLOWED_HOSTS="127.0.0.1,localhost",
        DUALCIRC_SECURE_COOKIES="0",
        DUALCIRC_BEHIND_TLS_PROXY="0",
        DUALCIRC_WEB_WORKERS="3",
        DUALCIRC_LOG_LEVEL="WARNING",
        DUALCIRC_LANGUAGE="en",
    )
    env.update(extra)
    return env


def make_template(data_dir: Path) -> None:
    """A migrated database that each scenario's database is copied from."""
    create_database(TEMPLATE)
    subprocess.run([DUALCIRC, "migrate", "-v0"], env=environment(TEMPLATE, data_dir), check=True)


def new_database(name: str, data_dir: Path) -> str:
    """A copy of the template, migrated again in case a migration arrived meanwhile."""
    create_database(name, template=TEMPLATE)
    subprocess.run([DUALCIRC, "migrate", "-v0"], env=environment(name, data_dir), check=True)
    return name


def start(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start a process in a session of its own (so that its children can be killed with it)."""
    with log.open("ab") as out:
        return subprocess.Popen(argv, env=env, stdout=out, stderr=out, start_new_session=True)


def kill9(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process and every process of its group (gunicorn's workers too)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(40)
        except subprocess.TimeoutExpired:
            kill9(process)


def wait_for(condition: Callable[[], bool], *, timeout: float, every: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


def django(env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run bench/faults_checks.py with the scenario's environment; its JSON answer."""
    done = subprocess.run(
        [PYTHON, CHECKS, *args], env=env, capture_output=True, text=True, timeout=300
    )
    if done.returncode:
        raise RuntimeError(f"faults_checks {args[0]} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def http(
    method: str, url: str, *, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    """(status, JSON body or None); status 0 when the server could not be reached."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            raw = answer.read()
            return answer.status, json.loads(raw) if raw[:1] in (b"{", b"[") else None
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        return exc.code, json.loads(raw) if raw[:1] in (b"{", b"[") else None
    except (OSError, ValueError):
        return 0, None


def server_ready(base: str) -> bool:
    return http("GET", base + "/health/ready")[0] == 200


def queue_state(database: str) -> dict[str, int]:
    rows = psql(
        database,
        "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status",
    )
    return {s: int(n) for s, n in (line.split("|") for line in rows.splitlines() if line)}


# --- a: kill an import ----------------------------------------------------------------------


def scenario_import(work: Path, rows: int) -> Outcome:
    out = Outcome(f"import: kill -9 `dualcirc import` of {rows:,} rows while it writes", True)
    database = new_database("dc_faults_import", work)
    # Tasks are not run here (the index is scenario c's): keep the queue out of the way.
    env = environment(
        database, work, DUALCIRC_TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend"
    )
    csv_path = work / "import.csv"
    enterprises = build_csv(csv_path, rows)
    before = count(database, "catalog_product"), count(database, "catalog_enterprise")
    importer = start([DUALCIRC, "import", str(csv_path)], env, work / "import.log")
    started = time.monotonic()
    writing = wait_for(
        lambda: (
            psql(
                database,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND query ILIKE 'INSERT INTO \"catalog_product\"%'",
            )
            != "0"
        ),
        timeout=240,
    )
    time.sleep(0.3)  # well inside the bulk inserts of products
    killed_at = time.monotonic() - started
    alive = importer.poll() is None
    kill9(importer)
    out.check(writing and alive, f"killed while inserting products ({killed_at:.1f} s in)")
    wait_for(
        lambda: (
            psql(
                database,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()",
            )
            == "0"
        ),
        timeout=30,
        every=0.2,
    )
    after = count(database, "catalog_product"), count(database, "catalog_enterprise")
    out.check(
        after == before,
        f"nothing of the file was written: products {before[0]} → {after[0]}, "
        f"enterprises {before[1]} → {after[1]}",
    )
    t0 = time.monotonic()
    again = subprocess.run(
        [DUALCIRC, "import", str(csv_path)], env=env, capture_output=True, text=True, timeout=400
    )
    rerun = time.monotonic() - t0
    final = count(database, "catalog_product"), count(database, "catalog_enterprise")
    out.check(
        again.returncode == 0 and final == (rows, enterprises),
        f"the import run again completes: {final[0]:,} products, {final[1]:,} enterprises "
        f"(expected {rows:,}, {enterprises:,}) in {rerun:.1f} s",
    )
    out.figures = {"killed_after_s": round(killed_at, 1), "rerun_s": round(rerun, 1)}
    drop_database(database)
    return out


# --- b: kill the server during quote acceptances ---------------------------------------------


def scenario_deals(work: Path, requests: int) -> Outcome:
    out = Outcome(
        f"deals: kill -9 the production server during {requests * 3} concurrent accepts", True
    )
    database = new_database("dc_faults_deals", work)
    env = environment(database, work, DUALCIRC_TASKS_BACKEND="django_tasks_db.DatabaseBackend")
    setup = django(env, "deals-setup", "--requests", str(requests))
    base = f"http://127.0.0.1:{PORT}"
    server = start([DUALCIRC, "serve", f"127.0.0.1:{PORT}"], env, work / "deals-server.log")
    if not wait_for(lambda: server_ready(base), timeout=120, every=0.5):
        stop(server)
        out.check(False, f"the server became ready: {http('GET', base + '/health/ready')}")
        return out
    headers = {"Authorization": f"Bearer {setup['token']}"}
    jobs = [(r, q) for r, quotes in setup["requests"] for q in quotes]  # racing per request
    answers: dict[int, tuple[int, Any]] = {}
    lost_connections = 0
    lock = threading.Lock()

    def accept(job: tuple[int, int]) -> None:
        nonlocal lost_connections
        _request, quote = job
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status, body = http(
                "POST",
                f"{base}/api/deals/quotes/{quote}/accept",
                body={"offer_number": 1, "note": "faults"},
                headers={**headers, "Idempotency-Key": f"faults-accept-{quote}"},
            )
            if status in (0, 502, 503) or status >= 500:
                with lock:
                    lost_connections += 1
                time.sleep(0.2)  # the server is down: try again, same key
                continue
            with lock:
                answers[quote] = (status, body)
            return

    killed = threading.Event()
    restart_took: list[float] = []
    servers: list[subprocess.Popen[bytes]] = []
    answered_before_kill: list[int] = []

    def killer() -> None:
        wait_for(lambda: len(answers) >= len(jobs) // 4, timeout=60, every=0.01)
        kill9(server)
        answered_before_kill.append(len(answers))
        killed.set()
        t0 = time.monotonic()
        restarted = start(
            [DUALCIRC, "serve", "--skip-collectstatic", f"127.0.0.1:{PORT}"],
            env,
            work / "deals-server.log",
        )
        wait_for(lambda: server_ready(base), timeout=120, every=0.2)
        restart_took.append(time.monotonic() - t0)
        servers.append(restarted)

    killer_thread = threading.Thread(target=killer)
    killer_thread.start()
    with futures.ThreadPoolExecutor(12) as pool:
        list(pool.map(accept, jobs))
    killer_thread.join(150)
    out.check(killed.is_set(), "the server was killed (SIGKILL to gunicorn and its workers)")
    out.check(len(answers) == len(jobs), f"every accept got an answer ({len(answers)}/{len(jobs)})")
    created = {q: body["id"] for q, (status, body) in answers.items() if status == 201}
    conflicts = sum(1 for status, _b in answers.values() if status == 409)
    check = django(env, "deals-check", "--acknowledged", ",".join(map(str, created.values())))
    out.check(
        check["orders"] == requests and len(set(created.values())) == requests,
        f"one order per request: {check['orders']} orders for {requests} requests, "
        f"{len(created)} answers 201, {conflicts} answers 409",
    )
    out.check(
        not check["problems"],
        "every order whole and matching one accepted offer; none accepted twice; "
        "no acknowledged order lost" + (f": {check['problems'][:5]}" if check["problems"] else ""),
    )
    for s in servers:
        stop(s)
    out.figures = {
        "answered_before_kill": answered_before_kill[0] if answered_before_kill else None,
        "failed_attempts_while_down": lost_connections,
        "restart_to_ready_s": round(restart_took[0], 1) if restart_took else None,
        "accepted_quotes": check["accepted_quotes"],
        "rejected_quotes": check["rejected_quotes"],
    }
    drop_database(database)
    return out


# --- c: kill the worker during indexing ------------------------------------------------------


def scenario_index(
    work: Path, rows: int
) -> tuple[Outcome, str, dict[str, str], subprocess.Popen[bytes]]:
    """Returns the outcome, the database and environment (kept for the PostgreSQL restart) and
    the running worker."""
    out = Outcome(f"index: kill -9 `dualcirc db_worker` while it indexes {rows:,} products", True)
    database = new_database("dc_faults_index", work)
    env = environment(database, work, DUALCIRC_TASKS_BACKEND="django_tasks_db.DatabaseBackend")
    csv_path = work / "index.csv"
    build_csv(csv_path, rows)
    subprocess.run(
        [DUALCIRC, "import", str(csv_path)], env=env, check=True, capture_output=True, timeout=300
    )
    queued = queue_state(database)
    worker_argv = [DUALCIRC, "db_worker", "--no-startup-delay", "--interval", "0.5"]
    worker = start(worker_argv, env, work / "worker.log")
    t0 = time.monotonic()
    running = wait_for(lambda: queue_state(database).get("RUNNING", 0) > 0, timeout=120)
    time.sleep(3)  # inside the batch: loading the model, embedding
    still = queue_state(database).get("RUNNING", 0) > 0
    kill9(worker)
    out.check(
        running and still,
        f"killed while a batch was running ({time.monotonic() - t0:.1f} s after start; "
        f"queue before: {queued})",
    )
    stuck = queue_state(database)
    out.check(stuck.get("RUNNING", 0) == 1, f"the killed task is left RUNNING: {stuck}")
    t1 = time.monotonic()
    worker = start(worker_argv, env, work / "worker.log")
    caught_up = wait_for(
        lambda: set(queue_state(database)) == {"SUCCESSFUL"}, timeout=420, every=0.5
    )
    took = time.monotonic() - t1
    attempts = psql(
        database,
        "SELECT max(jsonb_array_length(worker_ids)) FROM django_tasks_database_dbtaskresult",
    )
    out.check(
        caught_up,
        f"after the restart every task succeeded ({queue_state(database)}) in {took:.1f} s; "
        f"the killed one ran {attempts} times",
    )
    check = django(env, "index-check")
    out.check(
        not check["problems"],
        f"feed and index caught up: {check['published']} published, {check['feed_rows']} in "
        f"the feed, counter {check['counter']}, {check['served']} served by a new process"
        + (f": {check['problems']}" if check["problems"] else ""),
    )
    out.figures = {"catch_up_s": round(took, 1)}
    return out, database, env, worker


# --- d: restart PostgreSQL under load ---------------------------------------------------------


def scenario_postgres(
    work: Path, database: str, env: dict[str, str], seconds: float, *, pretend: bool = False
) -> Outcome:
    """``pretend``: sleep instead of restarting PostgreSQL (to try the scenario's plumbing)."""
    out = Outcome("postgres: restart PostgreSQL under load (server and worker keep running)", True)
    env = env | {"DUALCIRC_PAGE_CACHE_SECONDS": "0"}  # every page reads the database
    base = f"http://127.0.0.1:{PORT}"
    server = start([DUALCIRC, "serve", f"127.0.0.1:{PORT}"], env, work / "pg-server.log")
    if not wait_for(lambda: server_ready(base), timeout=120, every=0.5):
        stop(server)
        out.check(False, f"the server became ready: {http('GET', base + '/health/ready')}")
        return out
    worker = start(
        [DUALCIRC, "db_worker", "--no-startup-delay", "--interval", "0.5"],
        env,
        work / "pg-worker.log",
    )
    product = psql(database, "SELECT min(id) FROM catalog_product")
    pages = ["/en/products/", "/en/enterprises/", f"/en/products/{product}/", "/health/ready"]
    results: list[tuple[float, int]] = []  # (time since start, status)
    lock = threading.Lock()
    stop_load = threading.Event()
    t0 = time.monotonic()

    def client(n: int) -> None:
        rng = random.Random(n)
        while not stop_load.is_set():
            status = http("GET", base + rng.choice(pages))[0]
            with lock:
                results.append((time.monotonic() - t0, status))
            if status != 200:
                time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    time.sleep(3)
    cluster = sorted(os.listdir("/etc/postgresql"))[-1]
    restart_at = time.monotonic() - t0
    restart = ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"]
    subprocess.run(["sleep", "2"] if pretend else restart, check=True, timeout=60)
    restarted_at = time.monotonic() - t0
    time.sleep(seconds)
    stop_load.set()
    for t in threads:
        t.join(15)
    failures = [(at, s) for at, s in results if s != 200]
    last_failure = max((at for at, _s in failures), default=restart_at)
    after = [s for at, s in results if at > last_failure]
    ok_before = sum(1 for at, s in results if at < restart_at and s == 200)
    out.check(
        all(s == 200 for at, s in results if at < restart_at),
        f"{ok_before} requests answered 200 before the restart",
    )
    out.check(
        server.poll() is None and worker.poll() is None,
        "the server and the worker were not restarted (both processes still running)",
    )
    recovery = last_failure - restart_at if failures else 0.0
    first_failure = min((at for at, _s in failures), default=restart_at) - restart_at
    out.check(
        len(after) > 50 and last_failure < restarted_at + 10,
        f"errors from {first_failure:.1f} s to {recovery:.1f} s after `pg_ctlcluster restart` "
        f"began (it took {restarted_at - restart_at:.1f} s), none after: {len(after)} "
        f"requests answered 200 after the last error",
    )
    task = django(env, "enqueue")["task"]
    ran = wait_for(
        lambda: (
            psql(
                database,
                f"SELECT status FROM django_tasks_database_dbtaskresult WHERE id = '{task}'",
            )
            == "SUCCESSFUL"
        ),
        timeout=60,
        every=0.5,
    )
    out.check(ran, "the same worker runs a task queued after the restart")
    out.figures = {
        "requests": len(results),
        "errors_during_outage": len(failures),
        "error_statuses": sorted({s for _a, s in failures}),
        "pg_ctlcluster_restart_s": round(restarted_at - restart_at, 1),
        "first_error_s": round(first_failure, 1),
        "recovery_s": round(recovery, 1),
    }
    stop(server)
    stop(worker)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenarios", nargs="*", default=["import", "deals", "index", "postgres"])
    parser.add_argument("--import-rows", type=int, default=30000)
    parser.add_argument("--index-rows", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--load-seconds", type=float, default=8)
    parser.add_argument("--no-postgres-restart", action="store_true")
    parser.add_argument(
        "--pretend-restart", action="store_true", help="postgres: sleep instead of restarting"
    )
    args = parser.parse_args()
    if not SHARED_CATALOG.exists():
        raise SystemExit(f"{SHARED_CATALOG} is missing (../shared/data beside the checkout)")
    work = Path(tempfile.mkdtemp(prefix="dualcirc-faults-"))
    print(
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}; logs in {work}"
    )
    make_template(work)
    outcomes = []
    index_db: tuple[str, dict[str, str]] | None = None
    try:
        if "import" in args.scenarios:
            outcomes.append(scenario_import(work, args.import_rows))
            outcomes[-1].show()
        if "deals" in args.scenarios:
            outcomes.append(scenario_deals(work, args.requests))
            outcomes[-1].show()
        if "index" in args.scenarios or "postgres" in args.scenarios:
            outcome, database, env, worker = scenario_index(work, args.index_rows)
            stop(worker)
            index_db = (database, env)
            if "index" in args.scenarios:
                outcomes.append(outcome)
                outcome.show()
        if "postgres" in args.scenarios and not args.no_postgres_restart and index_db:
            outcomes.append(
                scenario_postgres(work, *index_db, args.load_seconds, pretend=args.pretend_restart)
            )
            outcomes[-1].show()
    finally:
        if index_db:
            drop_database(index_db[0])
        drop_database(TEMPLATE)
    print(f"\n{sum(o.passed for o in outcomes)}/{len(outcomes)} scenarios passed")
    return 0 if all(o.passed for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
