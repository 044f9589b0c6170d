"""``dualcirc search-run --queries queries.tsv --out run.tsv``

Runs every query (columns qid, lang, query) against the current database as a signed-out buyer
sees the catalog and writes the top 10 per query as TSV with header ``qid sku rank``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dualcirc.matching.evaluation import read_queries
from dualcirc.search.queries import search_products
from dualcirc.search.service import get_service


class Command(BaseCommand):
    help = "Run a file of buyer queries and write the ranked SKUs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queries", required=True, type=Path)
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("-k", type=int, default=10)

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["queries"].exists():
            raise CommandError(f"--queries: no such file: {opts['queries']}")
        queries = read_queries(opts["queries"])
        get_service().sync()
        anonymous = AnonymousUser()
        started = time.perf_counter()
        with opts["out"].open("w", encoding="utf-8", newline="") as out:
            out.write("qid\tsku\trank\n")
            for qid, _lang, text in queries:
                found = search_products(user=anonymous, query=text, limit=opts["k"])
                for rank, match in enumerate(found.matches, 1):
                    out.write(f"{qid}\t{match.product.sku}\t{rank}\n")
        elapsed = time.perf_counter() - started
        self.stderr.write(f"{len(queries)} queries in {elapsed:.2f} s → {opts['out']}")
