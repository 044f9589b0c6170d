"""Honest baselines for the matching benchmark, over the same product text as the engine.

- ``Bm25Plain``: bm25s with its default tokenizer (lower-cased word tokens, no CJK
  segmentation, no query understanding, no embeddings).
- ``Fts5``: SQLite FTS5 with its default ``unicode61`` tokenizer, query terms OR-ed, ranked by
  ``bm25()`` — what a typical shop platform on SQLite does.
- ``PgFts``: PostgreSQL full-text search with the ``simple`` configuration, terms OR-ed, ranked by
  ``ts_rank`` (needs a reachable PostgreSQL; skipped otherwise).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence

import bm25s
import numpy as np

from dualcirc.matching.types import ProductDoc

WORD = re.compile(r"\w+", re.UNICODE)


def product_text(doc: ProductDoc) -> str:
    """The listing's own text: titles, descriptions, attributes, certifications."""
    parts = [*doc.titles.values(), *doc.descriptions.values()]
    parts += [f"{k} {v}" for k, v in doc.attributes.items()]
    parts += list(doc.certifications)
    return " ".join(p for p in parts if p)


class Bm25Plain:
    name = "BM25 (bm25s, default tokenizer)"

    def __init__(self, docs: Sequence[ProductDoc]) -> None:
        self.ids = [d.doc_id for d in docs]
        self.retriever = bm25s.BM25()
        self.retriever.index(
            bm25s.tokenize([product_text(d) for d in docs], show_progress=False),
            show_progress=False,
        )

    def search(self, query: str, k: int = 10) -> list[str]:
        tokens = bm25s.tokenize([query], show_progress=False)
        if not tokens.vocab:
            return []
        k = min(k, len(self.ids))
        results, _scores = self.retriever.retrieve(tokens, k=k, show_progress=False)
        return [self.ids[int(i)] for i in np.asarray(results)[0]]


def _or_terms(query: str) -> list[str]:
    return [t for t in WORD.findall(query.lower()) if t]


class Fts5:
    name = "SQLite FTS5 (unicode61)"

    def __init__(self, docs: Sequence[ProductDoc]) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE p USING fts5(doc_id UNINDEXED, body)")
        self.db.executemany(
            "INSERT INTO p(doc_id, body) VALUES (?, ?)",
            [(d.doc_id, product_text(d)) for d in docs],
        )

    def search(self, query: str, k: int = 10) -> list[str]:
        terms = _or_terms(query)
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = self.db.execute(
            "SELECT doc_id FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT ?", (match, k)
        ).fetchall()
        return [r[0] for r in rows]


class PgFts:
    name = "PostgreSQL FTS ('simple')"

    def __init__(self, docs: Sequence[ProductDoc], dsn: str) -> None:
        import psycopg

        self.conn = psycopg.connect(dsn, autocommit=True)
        with self.conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS bench_fts")
            cur.execute("CREATE TABLE bench_fts (doc_id text primary key, body text, tsv tsvector)")
            with cur.copy("COPY bench_fts (doc_id, body) FROM STDIN") as copy:
                for d in docs:
                    copy.write_row((d.doc_id, product_text(d)))
            cur.execute("UPDATE bench_fts SET tsv = to_tsvector('simple', body)")
            cur.execute("CREATE INDEX ON bench_fts USING gin(tsv)")

    def search(self, query: str, k: int = 10) -> list[str]:
        terms = _or_terms(query)
        if not terms:
            return []
        with self.conn.cursor() as cur:
            cur.execute(
                "SELECT doc_id FROM bench_fts, to_tsquery('simple', %s) q "
                "WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC, doc_id LIMIT %s",
                (" | ".join(terms), k),
            )
            return [r[0] for r in cur.fetchall()]

    def close(self) -> None:
        with self.conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS bench_fts")
        self.conn.close()
