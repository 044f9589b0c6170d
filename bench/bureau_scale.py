"""Bureau at scale: the city dashboard and the year-to-date report over 10,000 enterprises ×
60 months of figures, on SQLite and PostgreSQL, beside a plain ORM loop.

    python bench/bureau_scale.py [--enterprises 10000] [--months 60] [--repeat 3]
                                 [--no-postgres] [--no-sqlite] [--no-baseline]

For each database (a fresh SQLite file in a temporary DUALCIRC_DATA_DIR; a fresh PostgreSQL
database created on 127.0.0.1:5432 and dropped after), a child process sets Django up,
migrates and writes, deterministically (seeded by the enterprise's number):

- Shandong → Qingdao (3 counties, 60 % of the enterprises) and Yantai (2 counties, 40 %);
- ``--enterprises`` enterprises, each with ``--months`` months of figures ending 2025-12
  (one in five starts later; ~1 % of months are not reported), 2–4 domestic channels and
  8–12 export destinations *every month* (≈ 10 export lines per month: 6 million lines for
  10,000 × 60), mostly general trade;
- 6 industrial chains of 5 links, 2,000 support cases, 120 investment projects, and the
  at-risk alerts of 2025-12 (``refresh_alerts``, timed).

The rows are generated once into tab-separated files, then loaded into each database with
``executemany`` INSERTs in 200,000-row transactions (SQLite) or ``COPY`` (PostgreSQL, psycopg;
foreign-key triggers off for the load, as a restore does); then the pre-aggregated
``YearlySales`` and ``YearlyFigures`` rows are rebuilt from them (``bureau.domain.rollups``,
timed) and the database is ``ANALYZE``d.

Then it signs in as the Qingdao city bureau and times, ``--repeat`` times each (median and
best), the whole page as a browser gets it (Django test client, templates included):

- the dashboard ``/en/bureau/?period=ytd&month=2025-12`` (every indicator of the city, the
  monthly sales mix, alerts, chains, cases, projects);
- the year-to-date report ``/en/bureau/report/?period=ytd&month=2025-12``;
- the monthly analysis report as files, in Chinese: ``report.docx``, ``report.xlsx`` and
  ``report.pdf`` (the PDF embeds a subset of its CJK font);

and, once, the baseline: a plain ORM loop that computes the dashboard's indicators (totals,
comparable year-on-year growth, channels, modes, destinations, HHI) by iterating the city's
enterprises and their figures and sales lines in Python. Its totals must equal the page's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from _pg import PG_DSN, drop_database, scratch_database

ROOT = Path(__file__).resolve().parents[1]
LAST_MONTH = (2025, 12)
ANCHOR = "2025-12"
COUNTRIES = (
    "US", "DE", "JP", "KR", "GB", "FR", "IT", "ES", "NL", "PL", "VN", "TH", "MY", "ID", "PH",
    "SG", "IN", "AE", "SA", "RU", "TR", "AU", "CA", "MX", "BR", "CL", "ZA", "NG", "EG", "KZ",
)  # fmt: skip
CHANNELS = ("offline_wholesale", "tmall", "taobao", "jd", "1688", "douyin", "other")
COUNTIES = (  # (code, name_zh, name_en, parent city code, share of the enterprises)
    ("370285", "莱西市", "Laixi", "3702", 0.25),
    ("370281", "胶州市", "Jiaozhou", "3702", 0.20),
    ("370211", "黄岛区", "Huangdao", "3702", 0.15),
    ("370612", "牟平区", "Muping", "3706", 0.20),
    ("370681", "龙口市", "Longkou", "3706", 0.20),
)
CHUNK = 250  # enterprises written per batch


def progress(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", flush=True)


# The child process: one database --------------------------------------------------------------


def month_dates(months: int) -> list[dt.date]:
    year, month = LAST_MONTH
    last = year * 12 + month - 1
    return [dt.date(m // 12, m % 12 + 1, 1) for m in range(last - months + 1, last + 1)]


def enterprise_rows(
    number: int, enterprise_id: int, months: list[dt.date]
) -> Iterator[tuple[dt.date, tuple[int, ...], dict[str, int], dict[tuple[str, str], int]]]:
    """One enterprise's months: (month, scalars, domestic lines, export lines), all in whole
    yuan, the same on every run."""
    rng = random.Random(number * 7919 + 17)
    base = rng.uniform(0.3, 6.0) * 1_000_000
    share = rng.choice((0.1, 0.3, 0.5, 0.75, 0.9))
    trend = rng.uniform(-0.015, 0.02)
    countries = rng.sample(COUNTRIES, rng.randint(8, 12))
    weights = [rng.uniform(0.2, 1.0) for _ in countries]
    total_w = sum(weights)
    shares = [w / total_w for w in weights]
    first_mode = rng.choice(("general_trade", "cross_border_ecommerce", "processing_trade"))
    modes = [first_mode] + ["general_trade"] * (len(countries) - 1)
    channels = rng.sample(CHANNELS, rng.randint(2, 4))
    start = rng.randint(0, len(months) // 2) if rng.random() < 0.2 else 0
    for step, month in enumerate(months):
        if step < start or rng.random() < 0.01:
            continue
        season = 1.0 + 0.15 * (month.month >= 10) - 0.2 * (month.month == 2)
        revenue = base * (1 + trend) ** step * season * rng.uniform(0.9, 1.1)
        export = revenue * share
        domestic = revenue - export
        exports = {
            (c, m): int(export * s) for c, m, s in zip(countries, modes, shares, strict=True)
        }
        dom = {ch: int(domestic / len(channels)) for ch in channels}
        scalars = (
            int(revenue * rng.uniform(1.0, 1.15)),  # output value
            int(revenue),
            sum(dom.values()),
            sum(exports.values()),
            int(domestic * rng.uniform(0.8, 1.6)),  # orders on hand
            int(export * rng.uniform(0.8, 1.6)),
            int(base / 40_000) + rng.randint(0, 10),  # employees
        )
        yield month, scalars, dom, exports


FIGURES_COLS = ("id", "enterprise_id", "month", "output_value", "revenue", "domestic_sales",
                "export_sales", "orders_domestic", "orders_export", "employees", "version",
                "source", "submitted_at", "updated_at")  # fmt: skip
DOMESTIC_COLS = ("id", "figures_id", "channel", "amount")
EXPORT_COLS = ("id", "figures_id", "enterprise_id", "month", "country", "mode", "amount")
FILES = {"figures": FIGURES_COLS, "domestic": DOMESTIC_COLS, "exports": EXPORT_COLS}
STAMP = "2026-01-10 00:00:00"  # submitted_at / updated_at (UTC)


def write_figures_files(folder: Path, enterprises: int, months: list[dt.date]) -> dict[str, int]:
    """Every month, channel line and export line of enterprises 1…``enterprises`` (their ids
    in a fresh database) as tab-separated files (PostgreSQL COPY text format), written once
    and loaded into each database; returns the row counts."""
    ids = {"figures": 0, "domestic": 0, "exports": 0}
    out = {key: (folder / f"{key}.tsv").open("w", encoding="utf-8") for key in FILES}
    started = time.perf_counter()
    try:
        for number in range(enterprises):
            eid = number + 1
            figures, domestic, exports = [], [], []
            for month, scalars, dom, lines in enterprise_rows(number, eid, months):
                ids["figures"] += 1
                fid = ids["figures"]
                values = "\t".join(map(str, scalars))
                figures.append(f"{fid}\t{eid}\t{month}\t{values}\t1\tdemo\t{STAMP}\t{STAMP}\n")
                for channel, amount in dom.items():
                    ids["domestic"] += 1
                    domestic.append(f"{ids['domestic']}\t{fid}\t{channel}\t{amount}\n")
                for (country, mode), amount in lines.items():
                    ids["exports"] += 1
                    exports.append(
                        f"{ids['exports']}\t{fid}\t{eid}\t{month}\t{country}\t{mode}\t{amount}\n"
                    )
            out["figures"].write("".join(figures))
            out["domestic"].write("".join(domestic))
            out["exports"].write("".join(exports))
            if (number + 1) % 2000 == 0 or number + 1 == enterprises:
                rate = ids["exports"] / (time.perf_counter() - started)
                progress(f"generated {number + 1:,} enterprises: {ids['figures']:,} months, "
                         f"{ids['exports']:,} export lines ({rate:,.0f} lines/s)")  # fmt: skip
    finally:
        for f in out.values():
            f.close()
    return ids


def insert_rows(sql: str, rows: list[list[str]]) -> int:
    """One transaction per batch (in autocommit mode SQLite would commit every row)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def load_figures(folder: Path) -> dict[str, int]:
    """Load the files of :func:`write_figures_files`: COPY on PostgreSQL (foreign keys not
    checked row by row, as in a restore), multi-row INSERTs on SQLite; returns row counts."""
    from django.db import connection

    from dualcirc.bureau.models import DomesticSalesLine, ExportSalesLine, MonthlyFigures

    tables = {"figures": MonthlyFigures, "domestic": DomesticSalesLine, "exports": ExportSalesLine}
    postgres = connection.vendor == "postgresql"
    counts = dict.fromkeys(FILES, 0)
    connection.ensure_connection()
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute("PRAGMA cache_size = -400000")  # 400 MB while loading
    for key, cols in FILES.items():
        table = tables[key]._meta.db_table
        started = time.perf_counter()
        with (folder / f"{key}.tsv").open(encoding="utf-8") as f:
            if postgres:
                with (
                    connection.connection.cursor() as cur,
                    cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy,
                ):
                    while block := f.read(1 << 20):
                        copy.write(block)
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT count(*) FROM {table}")
                    counts[key] = cursor.fetchone()[0]
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)",
                        [max(counts[key], 1)],
                    )
            else:
                sql = (f"INSERT INTO {table} ({', '.join(cols)}) "
                       f"VALUES ({', '.join(['%s'] * len(cols))})")  # fmt: skip
                rows: list[list[str]] = []
                for line in f:
                    rows.append(line.rstrip("\n").split("\t"))
                    if len(rows) == 200_000:
                        counts[key] += insert_rows(sql, rows)
                        rows = []
                counts[key] += insert_rows(sql, rows)
        progress(f"{counts[key]:,} rows into {table} in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("PRAGMA cache_size = -2000")
    return counts


def build_world(args: argparse.Namespace) -> dict[str, Any]:
    """Regions, enterprises, figures, chains, cases, projects, alerts; returns timings."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from dualcirc.bureau.domain.alerts import refresh_alerts
    from dualcirc.bureau.domain.rollups import rebuild_yearly_sales
    from dualcirc.bureau.enums import CaseStatus, ChainStage, NeedType, ProjectStage
    from dualcirc.bureau.indicators import month_index
    from dualcirc.bureau.models import (
        ChainLink,
        IndustrialChain,
        InvestmentProject,
        SupportCase,
    )
    from dualcirc.catalog.models import Enterprise, IndustrialBelt
    from dualcirc.core.enums import OrganisationKind, RegionLevel
    from dualcirc.core.models import Membership, Organisation, Region

    info: dict[str, Any] = {}
    started = time.perf_counter()
    province = Region.objects.create(code="37", name_zh="山东省", name_en="Shandong",
                                     level=RegionLevel.PROVINCE)  # fmt: skip
    cities = {
        "3702": Region.objects.create(code="3702", name_zh="青岛市", name_en="Qingdao",
                                      level=RegionLevel.CITY, parent=province),
        "3706": Region.objects.create(code="3706", name_zh="烟台市", name_en="Yantai",
                                      level=RegionLevel.CITY, parent=province),
    }  # fmt: skip
    counties = [
        (Region.objects.create(code=code, name_zh=zh, name_en=en, level=RegionLevel.COUNTY,
                               parent=cities[parent]), share)
        for code, zh, en, parent, share in COUNTIES
    ]  # fmt: skip
    belts = [
        IndustrialBelt.objects.create(slug="laixi-furniture", name_zh="莱西家具",
                                      name_en="Laixi furniture", industry="furniture",
                                      region=counties[0][0]),
        IndustrialBelt.objects.create(slug="jiaozhou-textiles", name_zh="胶州纺织",
                                      name_en="Jiaozhou textiles", industry="textiles",
                                      region=counties[1][0]),
    ]  # fmt: skip
    n = args.enterprises
    placement: list[Region] = []
    for county, share in counties:
        placement += [county] * round(n * share)
    placement = (placement + [counties[-1][0]] * n)[:n]
    orgs = Organisation.objects.bulk_create(
        [Organisation(kind=OrganisationKind.ENTERPRISE, name=f"企业{i:05d}", region=placement[i])
         for i in range(n)],
        batch_size=2000,
    )  # fmt: skip
    rng = random.Random(2025)
    industries = ("furniture", "textiles", "appliances", "machinery")
    enterprises = Enterprise.objects.bulk_create(
        [
            Enterprise(
                organisation=org, name_zh=f"企业{i:05d}", name_en=f"Enterprise {i:05d}",
                region=placement[i], industries=[industries[i % 4]],
                belt=belts[0] if placement[i] == counties[0][0] and i % 2 else
                (belts[1] if placement[i] == counties[1][0] and i % 2 else None),
                employees=rng.randint(10, 2000),
                export_share=Decimal(rng.choice((10, 30, 50, 75, 90))),
            )
            for i, org in enumerate(orgs)
        ],
        batch_size=1000,
    )  # fmt: skip
    ids = [e.pk for e in enterprises]
    # Registration dates spread over five years (new enterprises of the period).
    for year in range(2021, 2026):
        chosen = [pk for k, pk in enumerate(ids) if k % 5 == year - 2021 and k % 3 == 0]
        Enterprise.objects.filter(pk__in=chosen[:900]).update(
            created_at=dt.datetime(year, 3, 15, tzinfo=dt.UTC)
        )
    progress(f"{n:,} enterprises in {time.perf_counter() - started:.1f} s")

    assert ids == list(range(1, n + 1)), "a fresh database numbers enterprises from 1"
    started = time.perf_counter()
    counts = load_figures(Path(args.data))
    info["load_seconds"] = time.perf_counter() - started
    info["rows"] = counts
    started = time.perf_counter()
    rebuild_yearly_sales()  # YearlySales, YearlyFigures: submit_figures keeps them up to date
    info["rollup_seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    info["analyze_seconds"] = time.perf_counter() - started
    progress(
        f"figures written in {info['load_seconds']:.1f} s, yearly rollups rebuilt in "
        f"{info['rollup_seconds']:.1f} s, ANALYZE {info['analyze_seconds']:.1f} s"
    )

    qingdao = cities["3702"]
    in_city = [pk for pk, region in zip(ids, placement, strict=True)
               if region.path.startswith(qingdao.path)]  # fmt: skip
    stages = (ChainStage.UPSTREAM, ChainStage.MIDSTREAM, ChainStage.MIDSTREAM,
              ChainStage.DOWNSTREAM, ChainStage.DOWNSTREAM)  # fmt: skip
    through = ChainLink.enterprises.through
    members = []
    for c in range(6):
        chain = IndustrialChain.objects.create(
            name_zh=f"产业链{c}", name_en=f"Chain {c}", region=qingdao, lead_official=f"副市长{c}"
        )
        for p, stage in enumerate(stages):
            link = ChainLink.objects.create(chain=chain, stage=stage, position=p,
                                            name_zh=f"环节{c}-{p}", min_enterprises=5)  # fmt: skip
            count = (0, 3, 40, 200, 12)[(c + p) % 5]
            members += [through(chainlink_id=link.pk, enterprise_id=pk)
                        for pk in rng.sample(in_city, count)]  # fmt: skip
    through.objects.bulk_create(members, batch_size=2000)
    now = timezone.now()
    cases = []
    for k in range(2000):
        received = now - dt.timedelta(days=rng.randint(1, 400), hours=rng.randint(0, 23))
        closed = k % 4 != 0
        cases.append(
            SupportCase(
                enterprise_id=rng.choice(ids), need_type=NeedType.values[k % 7], source="visit",
                title=f"需求{k}", status=CaseStatus.CLOSED if closed else CaseStatus.HANDLING,
                received_at=received, respond_due=received + dt.timedelta(days=1),
                close_due=received + dt.timedelta(days=7),
                responded_at=received + dt.timedelta(hours=rng.randint(1, 40)),
                closed_at=received + dt.timedelta(days=rng.randint(1, 10)) if closed else None,
                rating=rng.randint(3, 5) if closed and k % 3 else None,
            )
        )  # fmt: skip
    SupportCase.objects.bulk_create(cases, batch_size=1000)
    InvestmentProject.objects.bulk_create(
        [InvestmentProject(name=f"项目{k}", investor=f"投资方{k}", amount=Decimal(10_000_000 * k),
                           stage=ProjectStage.values[k % 6],
                           region=cities["3702" if k % 3 else "3706"])
         for k in range(120)]
    )  # fmt: skip
    started = time.perf_counter()
    info["alerts"] = refresh_alerts(month=month_index(*LAST_MONTH), today=dt.date(2026, 1, 20))
    info["alerts_seconds"] = time.perf_counter() - started
    progress(f"{info['alerts']:,} alerts for {ANCHOR} in {info['alerts_seconds']:.1f} s")

    body = Organisation.objects.create(kind=OrganisationKind.GOVERNMENT, name="青岛市商务局",
                                       region=qingdao)  # fmt: skip
    user = get_user_model().objects.create(username="qingdao-bureau")
    Membership.objects.create(user=user, organisation=body)
    info["city_enterprises"] = len(in_city)
    info["user_id"] = user.pk
    return info


def plain_orm_loop(region_path: str, period: list[dt.date], year_ago: list[dt.date]) -> dict:
    """The dashboard's indicators computed the obvious way: for each enterprise of the city,
    its months, then its sales lines, added up in Python."""
    from dualcirc.bureau.indicators import Reported, comparable_growth, hhi
    from dualcirc.bureau.models import DomesticSalesLine, ExportSalesLine, MonthlyFigures
    from dualcirc.catalog.models import Enterprise

    metrics = ("output_value", "revenue", "domestic_sales", "export_sales")
    totals = dict.fromkeys(metrics, Decimal(0))
    cur: dict[str, dict[int, Reported]] = {m: {} for m in metrics}
    old: dict[str, dict[int, Reported]] = {m: {} for m in metrics}
    channels: dict[str, Decimal] = defaultdict(Decimal)
    modes: dict[str, Decimal] = defaultdict(Decimal)
    countries: dict[str, Decimal] = defaultdict(Decimal)
    for enterprise in Enterprise.objects.filter(region__path__startswith=region_path):
        sums: dict[str, dict[str, list[Decimal]]] = {"cur": {}, "old": {}}
        for f in MonthlyFigures.objects.filter(enterprise=enterprise,
                                               month__in=period + year_ago):  # fmt: skip
            key = "cur" if f.month in period else "old"
            for m in metrics:
                value = getattr(f, m)
                if value is not None:
                    sums[key].setdefault(m, []).append(value)
        for m in metrics:
            if m in sums["cur"]:
                cur[m][enterprise.pk] = Reported(sum(sums["cur"][m]), len(sums["cur"][m]))
                totals[m] += sum(sums["cur"][m])
            if m in sums["old"]:
                old[m][enterprise.pk] = Reported(sum(sums["old"][m]), len(sums["old"][m]))
        for line in DomesticSalesLine.objects.filter(figures__enterprise=enterprise,
                                                     figures__month__in=period):  # fmt: skip
            channels[line.channel] += line.amount
        for x in ExportSalesLine.objects.filter(enterprise=enterprise, month__in=period):
            modes[x.mode] += x.amount
            countries[x.country] += x.amount
    growth = {
        m: comparable_growth(cur[m], old[m], current_months=len(period),
                             previous_months=len(year_ago)).rate
        for m in metrics
    }  # fmt: skip
    return {
        "totals": {m: str(v) for m, v in totals.items()},
        "yoy": {m: str(g) for m, g in growth.items()},
        "channels": {c: str(a) for c, a in channels.items()},
        "modes": {m: str(a) for m, a in modes.items()},
        "hhi": str(hhi(countries)),
    }


def worker(args: argparse.Namespace) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "dualcirc.settings"
    os.environ.setdefault("DUALCIRC_DEBUG", "0")
    os.environ.setdefault("DUALCIRC_SECRET_KEY", "bench-" + "x" * 50)
    os.environ.setdefault("DUALCIRC_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DUALCIRC_TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dualcirc.bureau import indicators as ind
    from dualcirc.bureau.queries import compute_indicators, dates
    from dualcirc.bureau.scopes import resolve_scope

    # DEBUG is off (as in production) but there is no collectstatic manifest here.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    result: dict[str, Any] = {"vendor": connection.vendor}
    result |= build_world(args)

    client = Client()
    client.force_login(get_user_model().objects.get(pk=result["user_id"]))
    pages = {
        "dashboard": f"/en/bureau/?period=ytd&month={ANCHOR}",
        "report": f"/en/bureau/report/?period=ytd&month={ANCHOR}",
        "docx": f"/zh-hans/bureau/report.docx?period=ytd&month={ANCHOR}",
        "xlsx": f"/zh-hans/bureau/report.xlsx?period=ytd&month={ANCHOR}",
        "pdf": f"/zh-hans/bureau/report.pdf?period=ytd&month={ANCHOR}",
    }
    for name, url in pages.items():
        seconds = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get(url)
            seconds.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        result[name] = {"median": statistics.median(seconds), "best": min(seconds),
                        "first": seconds[0], "queries": len(queries)}  # fmt: skip
        progress(f"{name}: median {result[name]['median']:.3f} s, best "
                 f"{result[name]['best']:.3f} s, {len(queries)} queries")  # fmt: skip

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(client.get, pages["dashboard"])
        stats = pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative")
        stats.print_stats(r"dualcirc/(bureau|l10n)|execute|render", 30)

    user = get_user_model().objects.get(pk=result["user_id"])
    scope = resolve_scope(actor=user, param="region:3702")
    anchor = ind.month_index(*LAST_MONTH)
    computed = compute_indicators(scope=scope, period="ytd", anchor=anchor)
    period = dates(ind.period_months("ytd", anchor))
    year_ago = dates(ind.shifted(ind.period_months("ytd", anchor), 12))
    if not args.no_baseline:
        started = time.perf_counter()
        loop = plain_orm_loop(scope.region.path if scope.region else "/", period, year_ago)
        result["baseline_seconds"] = time.perf_counter() - started
        progress(f"plain ORM loop: {result['baseline_seconds']:.1f} s")
        sql = {
            "totals": {m: str(v) for m, v in computed.totals.items()},
            "yoy": {m: str(g.rate) for m, g in computed.yoy.items()},
            "channels": {c: str(a) for c, a in computed.channels},
            "modes": {m: str(a) for m, a in computed.modes},
            "hhi": str(computed.hhi),
        }
        assert loop == sql, ("the loop and the queries disagree", loop, sql)
    result["indicators"] = {
        "enterprises": computed.enterprises,
        "revenue": str(computed.totals["revenue"]),
        "revenue_yoy": str(computed.yoy["revenue"].rate),
        "compared": computed.yoy["revenue"].compared,
        "above_scale": computed.above_scale,
    }
    print("RESULT " + json.dumps(result), flush=True)


# The parent process --------------------------------------------------------------------------


def run_child(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", "--enterprises", str(args.enterprises)]
    command += ["--months", str(args.months), "--repeat", str(args.repeat), "--data", args.data]
    if args.no_baseline:
        command.append("--no-baseline")
    if args.profile:
        command.append("--profile")
    child_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    process = subprocess.Popen(
        command, env={**child_env, **env}, stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    result: dict[str, Any] | None = None
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("RESULT "):
            result = dict(json.loads(line[len("RESULT ") :]))
        else:
            print(line, end="", flush=True)
    if process.wait() != 0 or result is None:
        raise RuntimeError("the benchmark child failed (see above)")
    return result


def report_lines(name: str, r: dict[str, Any]) -> list[str]:
    rows = r["rows"]
    lines = [
        f"{name}: {rows['figures']:,} months, {rows['domestic']:,} channel lines, "
        f"{rows['exports']:,} export lines written in {r['load_seconds']:.0f} s "
        f"(yearly rollups rebuilt in {r['rollup_seconds']:.0f} s); "
        f"{r['alerts']:,} alerts in {r['alerts_seconds']:.1f} s; city of "
        f"{r['city_enterprises']:,} enterprises ({r['indicators']['enterprises']:,} reporting)",
    ]
    for page in ("dashboard", "report", "docx", "xlsx", "pdf"):
        if page not in r:
            continue
        p = r[page]
        line = (f"  {page:<9} median {p['median']:.3f} s (best {p['best']:.3f} s, first "
                f"{p['first']:.3f} s, {p['queries']} queries)")  # fmt: skip
        if "baseline_seconds" in r and page in ("dashboard", "report"):
            line += f" | plain ORM loop {r['baseline_seconds']:.1f} s"
            line += f" | ×{r['baseline_seconds'] / p['median']:,.0f}"
        lines.append(line)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--profile", action="store_true",
                        help="print the dashboard's 20 costliest functions (cProfile)")  # fmt: skip
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    print(f"Bureau at scale: {args.enterprises:,} enterprises × {args.months} months, "
          f"dashboard and report for Qingdao, year to date {ANCHOR}")  # fmt: skip
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average {load} (other work on the machine slows it)")
    summary: list[str] = []
    with tempfile.TemporaryDirectory(prefix="dualcirc-bench-bureau-") as tmp:
        args.data = tmp
        started = time.perf_counter()
        written = write_figures_files(Path(tmp), args.enterprises, month_dates(args.months))
        print(
            f"generated {written['exports']:,} export lines in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
        if not args.no_sqlite:
            data_dir = Path(tmp) / "sqlite"
            data_dir.mkdir()
            print("SQLite:", flush=True)
            summary += report_lines("SQLite", run_child(args, {"DUALCIRC_DATA_DIR": str(data_dir)}))
        name = None if args.no_postgres else scratch_database(f"dc_bench_bureau_{os.getpid()}")
        if name is not None:
            pg_dir = Path(tmp) / "pg"
            pg_dir.mkdir()
            print("PostgreSQL:", flush=True)
            try:
                result = run_child(
                    args, {"DUALCIRC_DATA_DIR": str(pg_dir), "DATABASE_URL": f"{PG_DSN}/{name}"}
                )
                summary += report_lines("PostgreSQL", result)
            finally:
                drop_database(name)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nload average now {load}")
    print("\n".join(summary))


if __name__ == "__main__":
    main()
