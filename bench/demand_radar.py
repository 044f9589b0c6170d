"""Demand radar at scale: 1,000,000 recorded signals aggregated into the radar, on SQLite and
PostgreSQL, from the pre-aggregated monthly rows beside a plain GROUP BY over the signals.

    python bench/demand_radar.py [--signals 1000000] [--repeat 3] [--no-postgres] [--no-sqlite]

Each database (a fresh SQLite file in a temporary DUALCIRC_DATA_DIR; a fresh PostgreSQL
database on 127.0.0.1:5432, dropped after) is migrated by a child process, which then writes
``--signals`` rows deterministically (seed 14): 24 months ending 2026-11, 400 subjects (300 HS
headings, 100 product-word subjects without a heading), 40 markets, 3 languages, 5,000 buyer
keys (10 % anonymous), 20 % of searches with no good match; searches and requests ask for a
quantity (30 %), a price ceiling (25 %) and a certification (10 %); SQLite by ``executemany``
in one transaction, PostgreSQL by ``COPY``; then ``ANALYZE``.

Timed once: building the pre-aggregated rows of all 24 months (``rebuild_demand_months``;
``dualcirc periodic`` rebuilds only the current month each minute). Timed ``--repeat`` times
(median and best), over the 12 months 2025-12 … 2026-11, with no filter (what ``/demand/``
runs, less the template: the 200 busiest rows, the trend and the counts) and for one
market (``VN``): ``demand.queries.demand_radar`` (the roll-up) and the baseline
``demand_radar_from_signals`` (one GROUP BY with COUNT DISTINCT over the signals). The two
must give the same figures. Then the gaps: one factory's (``enterprise_gaps``, 3 products) and
the bureau's roll-up over 50 enterprises in 5 counties, 2 belts and a chain (``region_gaps`` +
``gap_rollups``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

LAST_MONTH = 2026 * 12 + 10  # 2026-11
MONTHS = 24


def rows(n: int) -> Any:
    rnd = random.Random(14)
    headings = [f"{h:04d}" for h in rnd.sample(range(100, 9700), 300)]
    words = [f"product words {i}" for i in range(100)]
    markets = [f"{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(0, 40 * 7, 7)]
    languages = ["zh", "en", "vi"]
    kinds = ["search"] * 8 + ["request", "booth_visit"]
    for i in range(n):
        month = LAST_MONTH - min(int(rnd.expovariate(1 / 8)), MONTHS - 1)
        subject = rnd.randrange(400)
        buyer = rnd.randrange(5000)
        heading = headings[subject] if subject < 300 else ""
        product_type = "" if subject < 300 else words[subject - 300]
        kind = kinds[i % 10]
        good = 0 if rnd.random() < 0.2 else rnd.randrange(1, 20)
        key = "" if buyer < 500 else f"{buyer:016x}"
        year, mon = divmod(month, 12)
        # terms asked (searches and requests): a quantity in 30 %, a price ceiling in 25 %,
        # a certification in 10 %
        asks = kind != "booth_visit"
        quantity = rnd.choice(QUANTITIES) if asks and rnd.random() < 0.3 else None
        price = rnd.choice(PRICES) if asks and rnd.random() < 0.25 else None
        certs = [rnd.choice(CERTIFICATIONS)] if asks and rnd.random() < 0.1 else []
        yield (
            kind,
            month,
            f"{year:04d}-{mon + 1:02d}-01",
            rnd.choice(languages),
            product_type,
            heading,
            rnd.choice(markets),
            good,
            key,
            rnd.choice(UNITS) if quantity else "",
            quantity,
            rnd.choice(CURRENCIES) if price else "",
            price,
            json.dumps(certs),
        )


QUANTITIES = [20, 50, 100, 200, 500, 1000, 5000]
UNITS = ["pcs", "pcs", "pcs", "sets", "kg"]
PRICES = [5, 12, 40, 100, 250, 800]
CURRENCIES = ["USD", "USD", "EUR", "CNY"]
CERTIFICATIONS = ["FSC", "CE", "ISO9001", "BSCI", "GOTS"]
COLUMNS = (
    "kind, month, recorded_on, language, product_type, hs_heading, market, good_matches, "
    "buyer_key, unit, quantity, currency, price_max, certifications, buyer_country"
)
N_COLUMNS = 15


def load(n: int) -> float:
    from django.db import connection, transaction

    started = time.perf_counter()
    fixed = ("",)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            copy_sql = f"COPY demand_demandsignal ({COLUMNS}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows(n):
                    copy.write_row(row + fixed)
            cursor.execute("ANALYZE demand_demandsignal")
    else:
        marks = ", ".join(["%s"] * N_COLUMNS)
        with transaction.atomic(), connection.cursor() as cursor:
            batch: list[tuple[Any, ...]] = []
            for row in rows(n):
                batch.append(row + fixed)
                if len(batch) == 50_000:
                    cursor.executemany(
                        f"INSERT INTO demand_demandsignal ({COLUMNS}) VALUES ({marks})", batch
                    )
                    batch = []
            if batch:
                cursor.executemany(
                    f"INSERT INTO demand_demandsignal ({COLUMNS}) VALUES ({marks})", batch
                )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


def worker(args: argparse.Namespace) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "dualcirc.settings"
    os.environ.setdefault("DUALCIRC_DEBUG", "0")
    os.environ.setdefault("DUALCIRC_SECRET_KEY", "bench-" + "x" * 50)
    os.environ.setdefault("DUALCIRC_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dualcirc.demand.domain import rebuild_demand_months
    from dualcirc.demand.queries import RadarFilters, demand_radar, demand_radar_from_signals

    call_command("migrate", verbosity=0)
    result: dict[str, Any] = {"vendor": connection.vendor, "load": load(args.signals)}
    started = time.perf_counter()
    result["rollup_rows"] = rebuild_demand_months(
        months=range(LAST_MONTH - MONTHS + 1, LAST_MONTH + 1)
    )
    result["rollup"] = time.perf_counter() - started
    from dualcirc.demand.models import DemandAsk

    result["ask_rows"] = DemandAsk.objects.count()
    first = LAST_MONTH - 11
    timings: dict[str, dict[str, list[float]]] = {}
    for name, market in (("all markets", ""), ("one market", "VN")):
        filters = RadarFilters(market=market, month_from=first, month_to=LAST_MONTH)
        timings[name] = {}
        found = {}
        for how, radar in (
            ("roll-up", demand_radar),
            ("plain GROUP BY", demand_radar_from_signals),
        ):
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                found[how] = radar(filters=filters)
                times.append(time.perf_counter() - started)
            timings[name][how] = times
        a, b = found["roll-up"], found["plain GROUP BY"]
        # the same figures; rows tied on month and volume at the 200th may differ by collation
        assert (a.total, a.hidden, a.trend) == (b.total, b.hidden, b.trend), "they disagree"
        assert [(r.month, r.volume) for r in a.rows] == [(r.month, r.volume) for r in b.rows]
        if not market:
            result["rows"] = found["roll-up"].total
            result["hidden"] = found["roll-up"].hidden
    timings.update(time_gaps(args.repeat))
    result["timings"] = timings
    print("RESULT " + json.dumps(result), flush=True)


def time_gaps(repeat: int) -> dict[str, dict[str, list[float]]]:
    """A factory's gaps and the bureau's roll-up over the signals: 50 enterprises in 5
    counties of one city, 3 published products each in the busiest headings, 2 belts, one
    chain of 20 of them."""
    from datetime import date
    from decimal import Decimal

    from dualcirc.bureau.models import ChainLink, IndustrialChain
    from dualcirc.catalog.models import Enterprise, IndustrialBelt, Product
    from dualcirc.core.models import Organisation, Region
    from dualcirc.demand.gap_queries import enterprise_gaps, gap_rollups, region_gaps

    headings = [f"{h:04d}" for h in random.Random(14).sample(range(100, 9700), 300)][:30]
    province = Region.objects.create(code="37", name_zh="山东省", level="province")
    city = Region.objects.create(code="3702", name_zh="青岛市", level="city", parent=province)
    counties = [
        Region.objects.create(code=f"37028{i}", name_zh=f"县{i}", level="county", parent=city)
        for i in range(5)
    ]
    belts = [
        IndustrialBelt.objects.create(
            slug=f"belt-{i}",
            name_zh=f"产业带{i}",
            name_en=f"Belt {i}",
            industry="x",
            region=counties[i],
        )
        for i in range(2)
    ]
    enterprises = []
    for i in range(50):
        org = Organisation.objects.create(kind="enterprise", name=f"E{i}", region=counties[i % 5])
        enterprises.append(
            Enterprise.objects.create(
                organisation=org,
                name_zh=f"企业{i}",
                region=counties[i % 5],
                belt=belts[i % 2] if i < 20 else None,
                export_markets=["US"],
            )
        )
    Product.objects.bulk_create(
        Product(
            enterprise=e,
            sku=f"S{e.pk}-{j}",
            title_en="x",
            status="published",
            hs_code=headings[(e.pk * 3 + j) % len(headings)] + "00",
            moq=Decimal(300),
            unit="pcs",
            price_min=Decimal(50),
            currency="USD",
        )
        for e in enterprises
        for j in range(3)
    )
    chain = IndustrialChain.objects.create(name_zh="链", region=city)
    link = ChainLink.objects.create(chain=chain, stage="midstream", name_zh="环节")
    link.enterprises.add(*enterprises[:20])
    today = date(2026, 11, 15)
    out: dict[str, list[float]] = {"one factory": [], "bureau (50)": []}
    for _ in range(repeat):
        started = time.perf_counter()
        enterprise_gaps(enterprise=enterprises[0], today=today)
        out["one factory"].append(time.perf_counter() - started)
        started = time.perf_counter()
        rows = region_gaps(enterprises=Enterprise.objects.select_related("region").order_by("pk"))
        gap_rollups(rows=rows, region_path=city.path)
        out["bureau (50)"].append(time.perf_counter() - started)
    return {"gaps": out}


def run_child(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", "--signals", str(args.signals)]
    command += ["--repeat", str(args.repeat)]
    child_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    out = subprocess.run(
        command, env={**child_env, **env}, stdout=subprocess.PIPE, text=True, cwd=ROOT, check=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    return dict(json.loads(line[len("RESULT ") :]))


def report(name: str, r: dict[str, Any], n: int) -> list[str]:
    lines = [
        f"{name}: {n:,} signals loaded in {r['load']:.0f} s; roll-up of 24 months built in "
        f"{r['rollup']:.1f} s ({r['rollup_rows']:,} rows, {r['ask_rows']:,} ask rows); "
        f"12 months → {r['rows']:,} radar rows"
        f" with 3 buyers or more (the page shows the 200 busiest), {r['hidden']:,} hidden"
        " (fewer than 3 buyers)"
    ]
    for what, hows in r["timings"].items():
        parts = []
        for how, times in hows.items():
            parts.append(f"{how} median {statistics.median(times):.3f} s (best {min(times):.3f} s)")
        label = "gaps," if what == "gaps" else f"radar, {what}"
        lines.append(f"  {label:<18} " + " | ".join(parts))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    from _pg import PG_DSN, drop_database, scratch_database

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Demand radar: {args.signals:,} signals; {os.cpu_count()} CPUs, load average {load}")
    summary: list[str] = []
    with tempfile.TemporaryDirectory(prefix="dualcirc-bench-demand-") as tmp:
        if not args.no_sqlite:
            summary += report("SQLite", run_child(args, {"DUALCIRC_DATA_DIR": tmp}), args.signals)
        name = None if args.no_postgres else scratch_database(f"dc_bench_demand_{os.getpid()}")
        if name is not None:
            try:
                env = {"DUALCIRC_DATA_DIR": tmp, "DATABASE_URL": f"{PG_DSN}/{name}"}
                summary += report("PostgreSQL", run_child(args, env), args.signals)
            finally:
                drop_database(name)
    print("\n".join(summary))


if __name__ == "__main__":
    main()
