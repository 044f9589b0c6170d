"""A new catalog through the real queue and worker: when is it searchable, when is it embedded,
and does the rest of the background work wait?

    python bench/index_lifecycle.py [--rows 3000] [--postgres]

In a fresh database (a temporary SQLite file, or a scratch PostgreSQL database with
``--postgres``) with an empty embedding cache, a real ``dualcirc db_worker`` runs in its own
process. The benchmark imports the dev catalog (``catalog.importing.import_catalog``: one
transaction, one ``products_changed`` notification, index tasks queued on commit), queues a
bureau alert refresh right after it (what a figures submission does), and then watches from a
"web" process of its own (``search.service.get_service``, synchronised with the change feed
as a search page is):

- **lexical**: seconds from the import's commit until every imported product is in this
  process's index and a search for one of the last rows' titles finds it;
- **alert refresh**: seconds from its enqueueing until the worker finished it;
- **dense**: seconds until every product is embedded (``indexing.index_progress``), and the
  build rate, products/s — from an empty embedding cache, with the worker's default OpenMP
  threads (2 on this machine).

The baseline beside it is what the same catalog cost before the dense side moved behind the
lexical one: ``--old-rate`` products/s (14, BENCHMARKS.md), i.e. searchable after rows/14 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _pg import PG_DSN, drop_database, scratch_database

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT.parent / "shared" / "data" / "sourcing-bench-dev" / "catalog.csv"


def child(args: argparse.Namespace) -> dict[str, Any]:
    os.environ["DJANGO_SETTINGS_MODULE"] = "dualcirc.settings"
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from dualcirc.bureau.tasks import refresh_alerts_task
    from dualcirc.catalog.importing import import_catalog
    from dualcirc.core.models import User
    from dualcirc.search.indexing import index_progress
    from dualcirc.search.queries import search_products
    from dualcirc.search.service import get_service

    call_command("migrate", verbosity=0)
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "dualcirc"), "db_worker", "--interval", "0.2"],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=open(Path(args.work) / "worker.log", "w"),  # noqa: SIM115 (lives with the child)
    )
    try:
        with Path(args.csv).open(encoding="utf-8", newline="") as fh:
            last = list(csv.DictReader(fh))[-1]
        probe = last["title_en"] or last["title_zh"]
        t0 = time.perf_counter()
        report = import_catalog(actor=User(username="bench", is_superuser=True), file=args.csv)
        imported = time.perf_counter()
        alert = refresh_alerts_task.enqueue("2026-10")
        out: dict[str, Any] = {"rows": report.rows, "import_s": imported - t0, "probe": probe}
        service = get_service()
        while "lexical_s" not in out or "alert_s" not in out:
            service.sync()
            if "lexical_s" not in out and len(service.index()) >= report.rows:
                found = search_products(user=AnonymousUser(), query=probe, limit=10)
                out["probe_found"] = last["sku"] in [m.product.sku for m in found.matches]
                out["lexical_s"] = time.perf_counter() - imported
            row = DBTaskResult.objects.get(pk=alert.id)
            if "alert_s" not in out and row.finished_at is not None:
                out["alert_s"] = (row.finished_at - row.enqueued_at).total_seconds()
                out["alert_status"] = row.status
            if time.perf_counter() - imported > args.timeout:
                break
            time.sleep(0.2)
        while time.perf_counter() - imported < args.timeout:
            progress = index_progress()
            if progress.searchable and progress.pending == 0:
                out["dense_s"] = time.perf_counter() - imported
                break
            time.sleep(1.0)
        progress = index_progress()
        out["embedded"], out["searchable"] = progress.embedded, progress.searchable
        return out
    finally:
        worker.terminate()
        worker.wait(30)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rows", type=int, default=3000)
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--old-rate", type=float, default=14.0)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--csv", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print("RESULT " + json.dumps(child(args)), flush=True)
        return 0
    with tempfile.TemporaryDirectory(prefix="dualcirc-bench-lifecycle-") as tmp:
        csv_path = Path(tmp) / "catalog.csv"
        with CATALOG.open(encoding="utf-8", newline="") as src, csv_path.open("w") as dst:
            reader = csv.DictReader(src)
            writer = csv.DictWriter(dst, fieldnames=list(reader.fieldnames or []))
            writer.writeheader()
            for n, row in enumerate(reader):
                if n >= args.rows:
                    break
                writer.writerow(row)
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "OMP_NUM_THREADS")}
        env.update(
            DUALCIRC_DATA_DIR=tmp,
            DUALCIRC_DEBUG="0",
            DUALCIRC_SECRET_KEY="bench-" + "x" * 50,
            DUALCIRC_LOG_LEVEL="WARNING",
        )
        name = scratch_database(f"dc_bench_lifecycle_{os.getpid()}") if args.postgres else None
        if name:
            env["DATABASE_URL"] = f"{PG_DSN}/{name}"
        try:
            cmd = [sys.executable, __file__, "--child", "--csv", str(csv_path), "--work", tmp]
            cmd += ["--timeout", str(args.timeout)]
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        finally:
            if name:
                drop_database(name)
        lines = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
        if not lines:
            print(done.stdout, done.stderr, file=sys.stderr)
            return 1
        r = json.loads(lines[0][7:])
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    db = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{r['rows']:,} products imported into {db} in {r['import_s']:.1f} s; load {load}")
    print(
        f"lexical: all searchable {r.get('lexical_s', float('nan')):.1f} s after the import "
        f"(probe found: {r.get('probe_found')}) | before: {r['rows'] / args.old_rate:.0f} s "
        f"(everything waited for the embeddings at {args.old_rate:g}/s)"
    )
    print(f"alert refresh queued after the import: done in {r.get('alert_s', float('nan')):.1f} s")
    dense = r.get("dense_s")
    if dense:
        print(f"dense: all {r['rows']:,} embedded in {dense:.1f} s = {r['rows'] / dense:.0f}/s")
    else:
        print(f"dense: {r['embedded']} of {r['searchable']} embedded at the timeout")
    return 0


if __name__ == "__main__":
    sys.exit(main())
