"""``dualcirc search-eval --qrels qrels.tsv --run run.tsv [--queries queries.tsv]``

Prints nDCG@10 (gain 2^g−1), Recall@10 of grade-2 items and MRR@10 (first grade-2 item),
overall and per query language. Languages come from ``--queries`` (default: the
``queries.tsv`` beside the qrels), else from a language code inside the query id.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dualcirc.matching.evaluation import evaluate, read_qrels, read_queries, read_run

LANG_IN_QID = re.compile(r"(?:^|[-_])([a-z]{2})(?:[-_]|$)")


def query_languages(qids: list[str], queries_path: Path | None) -> dict[str, str]:
    if queries_path is not None and queries_path.exists():
        return {qid: lang for qid, lang, _ in read_queries(queries_path)}
    found = {qid: m.group(1) for qid in qids if (m := LANG_IN_QID.search(qid))}
    return found if len(found) == len(qids) else {}


class Command(BaseCommand):
    help = "Score a run file against graded relevance judgements."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--qrels", required=True, type=Path)
        parser.add_argument("--run", required=True, type=Path)
        parser.add_argument("--queries", type=Path, default=None)
        parser.add_argument("-k", type=int, default=10)

    def handle(self, *args: Any, **opts: Any) -> None:
        for name in ("qrels", "run"):
            if not opts[name].exists():
                raise CommandError(f"--{name}: no such file: {opts[name]}")
        qrels = read_qrels(opts["qrels"])
        run = read_run(opts["run"])
        queries = opts["queries"] or opts["qrels"].with_name("queries.tsv")
        languages = query_languages(list(qrels), queries)
        k = opts["k"]
        table = evaluate(qrels, run, k=k, languages=languages or None)
        self.stdout.write(
            f"{'group':<8}{'queries':>8}"
            f"{'nDCG@' + str(k):>10}{'R@' + str(k):>8}{'MRR@' + str(k):>9}"
        )
        for group in ["all", *sorted(g for g in table if g != "all")]:
            row = table[group]
            self.stdout.write(
                f"{group:<8}{int(row['queries']):>8}{row[f'ndcg@{k}']:>10.4f}"
                f"{row[f'recall@{k}']:>8.4f}{row[f'mrr@{k}']:>9.4f}"
            )
