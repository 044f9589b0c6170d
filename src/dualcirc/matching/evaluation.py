"""Offline relevance evaluation: metrics, and readers for the sourcing-bench files.

Conventions (as in TREC-style graded evaluation):

* ``qrels``: ``{qid: {sku: grade}}`` with grades 0, 1, 2 (unlisted = 0);
* ``run``: ``{qid: [sku, ...]}`` in rank order;
* **nDCG@k**: gain ``2**g - 1``, discount ``1 / log2(rank + 1)``; the ideal DCG sorts *all*
  judged documents of the query by grade; a query without any positive judgement scores 0;
* **Recall@k**: share of the query's grade-2 documents found in the top k (queries without
  grade-2 documents are skipped);
* **MRR@k**: reciprocal rank of the first grade-2 document within the top k (0 if none): the
  conventional choice for "the first fully satisfying product"; ``min_grade`` changes it.

Averages are arithmetic means over queries, overall and per query language.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

from dualcirc.matching.types import ProductDoc

Qrels = Mapping[str, Mapping[str, int]]
Run = Mapping[str, Sequence[str]]


def dcg(grades: Iterable[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg_at_k(qrels: Mapping[str, int], ranked: Sequence[str], k: int = 10) -> float:
    """nDCG@k of one ranked list against one query's judgements."""
    ideal = dcg(sorted((g for g in qrels.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg(qrels.get(d, 0) for d in ranked[:k]) / ideal


def recall_at_k(
    qrels: Mapping[str, int], ranked: Sequence[str], k: int = 10, grade: int = 2
) -> float:
    rel = {d for d, g in qrels.items() if g >= grade}
    if not rel:
        return 0.0
    return len(rel.intersection(ranked[:k])) / len(rel)


def mrr_at_k(
    qrels: Mapping[str, int], ranked: Sequence[str], k: int = 10, min_grade: int = 2
) -> float:
    for i, d in enumerate(ranked[:k]):
        if qrels.get(d, 0) >= min_grade:
            return 1.0 / (i + 1)
    return 0.0


def evaluate(
    qrels: Qrels,
    run: Run,
    *,
    k: int = 10,
    languages: Mapping[str, str] | None = None,
) -> dict[str, dict[str, float]]:
    """Mean nDCG/Recall/MRR@k overall (key ``all``) and per language (keys from ``languages``).

    Every query in ``qrels`` counts (a query missing from ``run`` scores 0).
    """
    groups: dict[str, list[str]] = {"all": list(qrels)}
    if languages:
        for qid in qrels:
            groups.setdefault(languages.get(qid, "?"), []).append(qid)
    out: dict[str, dict[str, float]] = {}
    for name, qids in groups.items():
        metrics: dict[str, Callable[[Mapping[str, int], Sequence[str]], float]] = {
            f"ndcg@{k}": lambda q, r: ndcg_at_k(q, r, k),
            f"recall@{k}": lambda q, r: recall_at_k(q, r, k),
            f"mrr@{k}": lambda q, r: mrr_at_k(q, r, k),
        }
        row: dict[str, float] = {"queries": float(len(qids))}
        for mname, fn in metrics.items():
            if mname.startswith("recall"):
                pool = [q for q in qids if any(g >= 2 for g in qrels[q].values())]
            else:
                pool = qids
            row[mname] = (
                sum(fn(qrels[q], run.get(q, ())) for q in pool) / len(pool) if pool else 0.0
            )
        out[name] = row
    return out


# --------------------------------------------------------------------------- readers
def read_queries(path: str | os.PathLike[str]) -> list[tuple[str, str, str]]:
    """``queries.tsv`` → ``[(qid, lang, text)]``."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(r["qid"], r["lang"], r["query"]) for r in rows]


def read_qrels(path: str | os.PathLike[str]) -> dict[str, dict[str, int]]:
    """``qrels.tsv`` (``qid sku grade``) → ``{qid: {sku: grade}}``."""
    out: dict[str, dict[str, int]] = {}
    with Path(path).open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            out.setdefault(r["qid"], {})[r["sku"]] = int(r["grade"])
    return out


def read_run(path: str | os.PathLike[str]) -> dict[str, list[str]]:
    """Run TSV with header ``qid sku rank`` → ``{qid: [sku by rank]}``."""
    tmp: dict[str, list[tuple[int, str]]] = {}
    with Path(path).open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            tmp.setdefault(r["qid"], []).append((int(r["rank"]), r["sku"]))
    return {q: [s for _, s in sorted(v)] for q, v in tmp.items()}


def write_run(path: str | os.PathLike[str], run: Run) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        fh.write("qid\tsku\trank\n")
        for qid, skus in run.items():
            for i, sku in enumerate(skus, 1):
                fh.write(f"{qid}\t{sku}\t{i}\n")


def _dec(v: str) -> Decimal | None:
    v = (v or "").strip()
    if not v:
        return None
    try:
        return Decimal(v)
    except InvalidOperation:
        return None


def parse_attributes(text: str) -> dict[str, str]:
    """``"k=v; k=v"`` → dict (keys and values stripped; pieces without ``=`` ignored)."""
    out: dict[str, str] = {}
    for part in (text or "").split(";"):
        if "=" in part:
            k, v = part.split("=", 1)
            if k.strip():
                out[k.strip()] = v.strip()
    return out


def _split(v: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in (v or "").split(";") if x.strip())


def product_from_row(row: Mapping[str, str]) -> ProductDoc:
    """One ``catalog.csv`` row → :class:`ProductDoc` (``doc_id`` = sku, enterprise by name)."""
    titles = {lang: row.get(f"title_{lang}", "").strip() for lang in ("zh", "en")}
    descs = {lang: row.get(f"description_{lang}", "").strip() for lang in ("zh", "en")}
    lead = (row.get("lead_time_days") or "").strip()
    return ProductDoc(
        doc_id=row["sku"],
        enterprise_id=row.get("enterprise_en") or row.get("enterprise", ""),
        sku=row["sku"],
        titles={k: v for k, v in titles.items() if v},
        descriptions={k: v for k, v in descs.items() if v},
        attributes=parse_attributes(row.get("attributes", "")),
        hs_code=(row.get("hs_code") or "").strip(),
        moq=_dec(row.get("moq", "")),
        unit=(row.get("unit") or "").strip(),
        price_min=_dec(row.get("price_min", "")),
        price_max=_dec(row.get("price_max", "")),
        currency=(row.get("currency") or "").strip().upper(),
        certifications=_split(row.get("certifications", "")),
        export_markets=tuple(c.upper() for c in _split(row.get("export_markets", ""))),
        lead_time_days=int(lead) if lead.isdigit() else None,
        industry=(row.get("industry") or "").strip(),
        enterprise_name=(row.get("enterprise") or "").strip(),
        enterprise_name_en=(row.get("enterprise_en") or "").strip(),
        region=((row.get("province") or "") + (row.get("city") or "")).strip(),
    )


def load_catalog_csv(path: str | os.PathLike[str]) -> list[ProductDoc]:
    """Read a sourcing-bench ``catalog.csv`` into :class:`ProductDoc` objects."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return [product_from_row(r) for r in csv.DictReader(fh)]
