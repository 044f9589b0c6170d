"""Cost of running a catalog import as an import job (progress saved, cancel checked) beside the
same import called directly, on SQLite and PostgreSQL.

    python bench/import_jobs.py [--rows 20000] [--no-postgres]

Builds two CSV files of ``--rows`` rows each (distinct SKUs and enterprises, 20 products per
enterprise), then, for each database (a fresh SQLite file in a temporary DUALCIRC_DATA_DIR; a
fresh PostgreSQL database on 127.0.0.1:5432, dropped after), in a child process that sets
Django up and migrates:

- the baseline: ``catalog.importing.import_catalog`` of the first file, no progress;
- ``catalog.import_jobs.run_import_job`` of the second file (what the task worker runs): the
  stored file read back, counts saved after reading and every 500 rows checked, the cancel
  flag read at every report, the final state and report saved.

Prints seconds and rows/second for both and the job's overhead in per cent.
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
HEADER = ["enterprise", "province", "city", "sku", "title_zh", "title_en", "hs_code", "moq",
          "unit", "price_min", "price_max", "currency"]  # fmt: skip


def write_file(path: Path, rows: int, tag: str) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for i in range(rows):
            writer.writerow([f"莱西{tag}家具厂{i // 20}号", "山东省", "莱西市", f"{tag}-{i}",
                             "实木橡木餐桌", "Solid oak dining table", "940360", "50", "pcs",
                             "120", "150", "USD"])  # fmt: skip
    return path


def worker(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualcirc.settings")
    os.environ.setdefault("DUALCIRC_TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection

    from dualcirc.catalog.import_jobs import run_import_job, start_import_job
    from dualcirc.catalog.importing import import_catalog
    from dualcirc.core.models import User

    call_command("migrate", verbosity=0)
    actor = User.objects.create_superuser("bench", password="x")
    result: dict[str, Any] = {"vendor": connection.vendor}

    started = time.perf_counter()
    report = import_catalog(actor=actor, file=Path(args.direct))
    result["direct_seconds"] = time.perf_counter() - started
    result["direct_created"] = report.created

    data = Path(args.job).read_bytes()
    job = start_import_job(
        actor=actor, file=SimpleUploadedFile("job.csv", data, content_type="text/csv")
    )
    started = time.perf_counter()
    finished = run_import_job(job_id=job.pk)
    result["job_seconds"] = time.perf_counter() - started
    assert finished is not None
    result["job_state"] = finished.state
    result["job_written"] = finished.rows_written
    print("RESULT " + json.dumps(result), flush=True)


def run_child(direct: Path, job: Path, env: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", "--direct", str(direct), "--job", str(job)]
    child_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    out = subprocess.run(
        command, env={**child_env, **env}, capture_output=True, text=True, check=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    return dict(json.loads(line[len("RESULT ") :]))


def show(result: dict[str, Any], rows: int) -> None:
    direct, job = result["direct_seconds"], result["job_seconds"]
    print(
        f"{result['vendor']:>10}: direct import_catalog {direct:6.2f} s ({rows / direct:7.0f} "
        f"rows/s) | import job {job:6.2f} s ({rows / job:7.0f} rows/s, {result['job_state']}, "
        f"{result['job_written']} written) | job overhead {100 * (job - direct) / direct:+.1f}%"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--direct")
    parser.add_argument("--job")
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    with tempfile.TemporaryDirectory(prefix="bench-import-jobs-") as tmp:
        base = Path(tmp)
        direct = write_file(base / "direct.csv", args.rows, "D")
        job = write_file(base / "job.csv", args.rows, "J")
        print(f"{args.rows} rows per file ({job.stat().st_size / 1e6:.1f} MB)")
        (base / "sqlite").mkdir()
        show(run_child(direct, job, {"DUALCIRC_DATA_DIR": str(base / "sqlite")}), args.rows)
        if args.no_postgres:
            return
        name = scratch_database("bench_import_jobs")
        if name is None:
            return
        try:
            (base / "pg").mkdir()
            env = {"DUALCIRC_DATA_DIR": str(base / "pg"), "DATABASE_URL": f"{PG_DSN}/{name}"}
            show(run_child(direct, job, env), args.rows)
        finally:
            drop_database(name)


if __name__ == "__main__":
    main()
