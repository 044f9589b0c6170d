"""Catalog import rate: rows per second on SQLite and PostgreSQL, beside a naive per-row import.

    python bench/import_rate.py [--rows 100000] [--sample 2000] [--no-postgres]

Builds a CSV of ``--rows`` rows deterministically by cycling the shared catalog.csv
(../shared/data/sourcing-bench-dev/): cycle k renames every enterprise "…{k}号分厂" and suffixes
every SKU with "-k", so rows stay unique and spread over 150 × cycles enterprises. Then, for
each database (a fresh SQLite file in a temporary DUALCIRC_DATA_DIR; a fresh PostgreSQL
database created on 127.0.0.1:5432 and dropped after), in a child process that sets Django up
itself and migrates:

- the baseline: a naive per-row import of the first ``--sample`` rows (its own enterprises):
  one enterprise lookup per row, then ``catalog.domain.create_product`` per row, each in its
  own transaction with its own products_changed notification;
- ``catalog.importing.import_catalog`` of the whole file (bulk writes, one transaction, one
  notification), from reading the file to commit;
- the same file imported again (every row unchanged).

Prints rows/second for each and the ratio of the bulk import to the baseline.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
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
SHARED_CATALOG = ROOT.parent / "shared" / "data" / "sourcing-bench-dev" / "catalog.csv"


def build_csv(path: Path, rows: int) -> int:
    """Write ``rows`` rows cycling the shared catalog; return the number of enterprises."""
    with SHARED_CATALOG.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        source = list(reader)
    enterprises: set[str] = set()
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        for n in range(rows):
            cycle, row = divmod(n, len(source))
            record = dict(source[row])
            if cycle:
                record["enterprise"] = f"{record['enterprise']}{cycle}号分厂"
                record["enterprise_en"] = f"{record['enterprise_en']} Branch {cycle}"
                record["sku"] = f"{record['sku']}-{cycle}"
            enterprises.add(record["enterprise"])
            writer.writerow(record)
    return len(enterprises)


def build_sample(source: Path, path: Path, rows: int) -> None:
    """The baseline's rows: the first ``rows`` of the file, for enterprises of their own."""
    with source.open(encoding="utf-8", newline="") as f, path.open("w", encoding="utf-8") as out:
        reader = csv.DictReader(f)
        writer = csv.DictWriter(out, fieldnames=list(reader.fieldnames or []))
        writer.writeheader()
        for n, record in enumerate(reader):
            if n >= rows:
                break
            record["enterprise"] = f"{record['enterprise']}（逐行）"
            record["enterprise_en"] = f"{record['enterprise_en']} (per row)"
            writer.writerow(record)


# The child process: one database --------------------------------------------------------------


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def naive_import(path: Path) -> int:
    """What a first version would do: one lookup and one domain call per row."""
    from dualcirc.catalog.domain import create_product
    from dualcirc.catalog.import_format import parse_product_cells
    from dualcirc.catalog.models import Enterprise
    from dualcirc.core.enums import OrganisationKind, RegionLevel
    from dualcirc.core.models import Organisation, Region, User

    actor = User(username="platform", is_superuser=True)
    count = 0
    with path.open(encoding="utf-8", newline="") as f:
        for record in csv.DictReader(f):
            enterprise = Enterprise.objects.filter(name_zh=record["enterprise"]).first()
            if enterprise is None:
                province, _ = Region.objects.get_or_create(
                    name_zh=record["province"],
                    level=RegionLevel.PROVINCE,
                    defaults={"code": "P" + _digest(record["province"])},
                )
                city, _ = Region.objects.get_or_create(
                    name_zh=record["city"],
                    parent=province,
                    defaults={
                        "code": "C" + _digest(record["province"] + record["city"]),
                        "level": RegionLevel.CITY,
                    },
                )
                organisation = Organisation.objects.create(
                    kind=OrganisationKind.ENTERPRISE, name=record["enterprise"], region=city
                )
                enterprise = Enterprise.objects.create(
                    organisation=organisation,
                    name_zh=record["enterprise"],
                    name_en=record["enterprise_en"],
                    region=city,
                    industries=[record["industry"]],
                )
            cells = {
                k: v
                for k, v in record.items()
                if k not in ("enterprise", "enterprise_en", "province", "city", "industry")
            }
            data, bad = parse_product_cells(cells)
            assert not bad, bad
            create_product(actor=actor, enterprise=enterprise, data=data)
            count += 1
    return count


def worker(args: argparse.Namespace) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "dualcirc.settings"
    os.environ.setdefault("DUALCIRC_DEBUG", "0")
    os.environ.setdefault("DUALCIRC_SECRET_KEY", "bench-" + "x" * 50)
    os.environ.setdefault("DUALCIRC_LOG_LEVEL", "WARNING")
    # The benchmark's file is past the default import limits (10 MB, 50,000 rows): an operator
    # importing a whole belt raises them the same way (docs/operations.md, "Limits").
    os.environ.setdefault("DUALCIRC_IMPORT_MAX_BYTES", str(1024 * 1024 * 1024))
    os.environ.setdefault("DUALCIRC_IMPORT_MAX_ROWS", "10000000")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dualcirc.catalog.importing import import_catalog
    from dualcirc.core.models import User

    call_command("migrate", verbosity=0)
    result: dict[str, Any] = {"vendor": connection.vendor}

    started = time.perf_counter()
    result["naive_rows"] = naive_import(Path(args.sample_csv))
    result["naive_seconds"] = time.perf_counter() - started

    actor = User(username="platform", is_superuser=True)
    started = time.perf_counter()
    report = import_catalog(actor=actor, file=Path(args.csv))
    result["bulk_seconds"] = time.perf_counter() - started
    result["bulk_rows"] = report.rows
    result["created"] = report.created
    result["enterprises_created"] = report.enterprises_created

    started = time.perf_counter()
    again = import_catalog(actor=actor, file=Path(args.csv))
    result["reimport_seconds"] = time.perf_counter() - started
    result["unchanged"] = again.unchanged
    print("RESULT " + json.dumps(result), flush=True)


# The parent process --------------------------------------------------------------------------


def run_child(csv_path: Path, sample_path: Path, env: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", "--csv", str(csv_path)]
    command += ["--sample-csv", str(sample_path)]
    child_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(
        command, env={**child_env, **env}, capture_output=True, text=True, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[len("RESULT ") :]))
    raise RuntimeError(f"the benchmark child failed:\n{done.stdout}\n{done.stderr}")


def report_line(name: str, r: dict[str, Any]) -> str:
    bulk = r["bulk_rows"] / r["bulk_seconds"]
    naive = r["naive_rows"] / r["naive_seconds"]
    again = r["bulk_rows"] / r["reimport_seconds"]
    return (
        f"{name:<11} {r['bulk_rows']:>8,} rows in {r['bulk_seconds']:7.1f} s = {bulk:8,.0f} rows/s"
        f" | re-import (unchanged) {again:8,.0f} rows/s"
        f" | naive per-row ({r['naive_rows']:,} rows) {naive:6,.0f} rows/s"
        f" | bulk/naive ×{bulk / naive:,.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2_000, help="rows of the naive baseline")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--sample-csv", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    with tempfile.TemporaryDirectory(prefix="dualcirc-bench-import-") as tmp:
        csv_path = Path(tmp) / "catalog.csv"
        sample_path = Path(tmp) / "sample.csv"
        enterprises = build_csv(csv_path, args.rows)
        build_sample(csv_path, sample_path, args.sample)
        size = csv_path.stat().st_size / 1e6
        print(f"Catalog import: {args.rows:,} rows, {enterprises:,} enterprises, {size:.1f} MB CSV")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{os.cpu_count()} CPUs, load average {load} (other work on the machine slows it)")

        data_dir = Path(tmp) / "sqlite"
        data_dir.mkdir()
        result = run_child(csv_path, sample_path, {"DUALCIRC_DATA_DIR": str(data_dir)})
        print(report_line("SQLite", result), flush=True)

        name = None if args.no_postgres else scratch_database(f"dc_bench_import_{os.getpid()}")
        if name is not None:
            pg_dir = Path(tmp) / "pg"
            pg_dir.mkdir()
            try:
                result = run_child(
                    csv_path,
                    sample_path,
                    {"DUALCIRC_DATA_DIR": str(pg_dir), "DATABASE_URL": f"{PG_DSN}/{name}"},
                )
                print(report_line("PostgreSQL", result), flush=True)
            finally:
                drop_database(name)


if __name__ == "__main__":
    main()
