"""The lexical side of an index build (tokenising, stated facts, postings — everything but the
embeddings) from cold caches, with the glossary's phrase finder as now and with its former
exhaustive look-ups, side by side in one run (issue 11, item 5; no Django).

    python bench/index_rest.py [--data DIR] [--rounds N]

``vocab.Glossary.find`` runs on every product's whole text (``constraints._facts``). It used
to try every name length (1–``_max_cjk``) at every character and every phrase length at every
word; it now tries only the lengths of names starting with that character or word (the same
matches: checked here on the whole catalog). "before" emulates the old look-ups by giving
every character and word every length. Rounds alternate before/now so load hits both alike;
the vectors are zeros (the embedding is not part of this cost).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from dualcirc.matching import constraints
from dualcirc.matching.dense import HashEmbedder
from dualcirc.matching.engine import MatchingIndex
from dualcirc.matching.evaluation import load_catalog_csv
from dualcirc.matching.hs import HSNomenclature
from dualcirc.matching.vocab import Glossary, glossary, using_glossary

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "sourcing-bench-dev"
DEFAULT_HS = ROOT.parent / "shared" / "data" / "hs" / "harmonized-system.csv"


class _Every:
    """A length table that offers every length for every key (the former look-ups)."""

    def __init__(self, value: object) -> None:
        self.value = value

    def get(self, key: str, default: object = None) -> object:
        return self.value


def exhaustive(g: Glossary) -> Glossary:
    old = Glossary(g.concepts)
    setattr(old, "_cjk_lens", _Every(list(range(old._max_cjk, 0, -1))))  # noqa: B010
    setattr(old, "_latin_len", _Every(old._max_latin))  # noqa: B010
    return old


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--hs", type=Path, default=DEFAULT_HS)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)

    print(f"lexical index build, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load {os.getloadavg()}")
    docs = load_catalog_csv(args.data / "catalog.csv")
    hs = HSNomenclature.from_csv(args.hs) if args.hs.exists() else None
    now = glossary()
    before = exhaustive(now)
    texts = [f"{d.titles} {d.descriptions} {d.attributes}" for d in docs]
    for lang in ("en", "vi", "zh"):
        same = all(now.find(t, lang) == before.find(t, lang) for t in texts)
        print(f"same matches on all {len(texts)} products' texts ({lang}): {same}")
        if not same:
            return 1
    zeros = np.zeros((len(docs), 384), dtype=np.float32)
    times: dict[str, list[float]] = {"before": [], "now": []}
    for _ in range(args.rounds):
        for name, g in (("before", before), ("now", now)):
            constraints._clear_caches()
            with using_glossary(g):  # clears the caches derived from the glossary
                t = time.perf_counter()
                MatchingIndex.build(docs, HashEmbedder(384), hs=hs, embeddings=zeros)
                times[name].append(time.perf_counter() - t)
    print(f"load average at the end {os.getloadavg()}")
    print("| glossary look-ups | build s (median of rounds) | products/s | rounds s |")
    print("|---|---:|---:|---|")
    for name, ts in times.items():
        med = statistics.median(ts)
        rounds = ", ".join(f"{x:.1f}" for x in ts)
        print(f"| {name} | {med:.1f} | {len(docs) / med:.0f} | {rounds} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
