"""``dualcirc search-run --queries queries.tsv --out run.tsv [-k 10]``

Runs every query (columns qid, lang, query) against the current database as a signed-out buyer
sees the catalog and writes the top k per query as TSV with header ``qid sku rank``: only the
hits the engine presents as matches, so a query for a product the catalog does not hold (below
the engine's relevance floor) writes no rows.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dualcirc.core.errors import InvalidInput
from dualcirc.matching.evaluation import read_queries
from dualcirc.search.queries import MAX_LIMIT, search_products
from dualcirc.search.service import get_service


class Command(BaseCommand):
    help = "Run a file of buyer queries and write the ranked SKUs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queries", required=True, type=Path)
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("-k", type=int, default=10, help=f"hits per query (1–{MAX_LIMIT})")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["queries"].exists():
            raise CommandError(f"--queries: no such file: {opts['queries']}")
        if not 1 <= opts["k"] <= MAX_LIMIT:
            raise CommandError(f"-k: between 1 and {MAX_LIMIT}")
        try:
            queries = read_queries(opts["queries"])
        except KeyError as exc:
            raise CommandError(f"--queries: no column {exc} (qid, lang, query)") from exc
        get_service().sync()
        anonymous = AnonymousUser()
        latencies: list[float] = []
        with opts["out"].open("w", encoding="utf-8", newline="") as out:
            out.write("qid\tsku\trank\n")
            for qid, _lang, text in queries:
                if not text.strip():
                    continue
                started = time.perf_counter()
                try:
                    found = search_products(
                        user=anonymous, query=text, limit=opts["k"], explain=False
                    )
                except InvalidInput as exc:
                    raise CommandError(f"query {qid}: {exc.errors[0].message}") from exc
                latencies.append(time.perf_counter() - started)
                for rank, match in enumerate(found.matches, 1):
                    out.write(f"{qid}\t{match.product.sku}\t{rank}\n")
        if latencies:
            ms = sorted(t * 1000 for t in latencies)
            p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
            self.stderr.write(
                f"{len(ms)} queries in {sum(latencies):.2f} s "
                f"(p50 {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms) → {opts['out']}"
            )
