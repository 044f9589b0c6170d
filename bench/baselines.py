"""Honest baselines for the search benchmark, over the same listing text as the engine.

Every baseline indexes :func:`listing_text`: what the listing itself says (titles,
descriptions, attribute keys and values, certifications, industry, enterprise names). None
gets the engine's extras (HS nomenclature text, trade glossary, constraint parsing,
embeddings): they are what a shop platform gets out of the box.

- :class:`Bm25Baseline`: bm25s (Lucene BM25, k1=1.2, b=0.75) with a competent tokenizer:
  NFKC + lower-case, English stop words removed, Latin/Vietnamese words kept whole (with their
  diacritics), Chinese runs segmented with jieba (``cut_for_search``) or split into character
  bigrams (``cjk="bigram"``). No stemming (PyStemmer is not a dependency).
- :class:`Fts5Baseline`: SQLite FTS5 with its default ``unicode61`` tokenizer, the query's
  words OR-ed, ranked by ``bm25()``.
- :class:`PgFtsBaseline`: PostgreSQL full-text search, ``simple`` configuration, GIN index on
  a stored ``tsvector``, the query's words OR-ed, ranked by ``ts_rank``; in a temporary
  database created for the run and dropped by :meth:`PgFtsBaseline.drop`.

Each baseline can be reopened from its on-disk artifact in another process
(:func:`open_searcher`), which the 2-worker throughput measurement uses.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from dualcirc.matching.types import ProductDoc

WORD = re.compile(r"\w+", re.UNICODE)
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PIECE = re.compile(rf"[{_CJK}]+|[^\W{_CJK}]+", re.UNICODE)


class Searcher(Protocol):
    def search(self, query: str, k: int = 10) -> list[str]: ...


def listing_text(doc: ProductDoc) -> str:
    """The listing's own text: titles, descriptions, attributes, certifications, names."""
    parts = [*doc.titles.values(), *doc.descriptions.values()]
    parts += [f"{k} {v}" for k, v in doc.attributes.items()]
    parts += list(doc.certifications)
    parts += [doc.industry, doc.enterprise_name, doc.enterprise_name_en]
    return " \n ".join(p for p in parts if p)


# --------------------------------------------------------------------------- BM25 (bm25s)
class Bm25Tokenizer:
    """NFKC + lower-case; CJK runs via jieba (search mode) or character bigrams."""

    def __init__(self, cjk: str = "jieba") -> None:
        if cjk not in ("jieba", "bigram"):
            raise ValueError(f"cjk must be 'jieba' or 'bigram', not {cjk!r}")
        from bm25s.stopwords import STOPWORDS_EN

        self.cjk = cjk
        self.stop = frozenset(STOPWORDS_EN)
        if cjk == "jieba":
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            self._cut = jieba.lcut_for_search

    def _cjk_tokens(self, run: str) -> list[str]:
        if self.cjk == "jieba":
            return [t for t in self._cut(run) if t.strip()]
        if len(run) == 1:
            return [run]
        return [run[i : i + 2] for i in range(len(run) - 1)]

    def __call__(self, text: str) -> list[str]:
        out: list[str] = []
        for piece in _PIECE.findall(unicodedata.normalize("NFKC", text).lower()):
            if "\u3400" <= piece[0] <= "\u9fff" or "\uf900" <= piece[0] <= "\ufaff":
                out.extend(self._cjk_tokens(piece))
            elif piece not in self.stop:
                out.append(piece)
        return out


def _top_ids(scores: np.ndarray, ids: Sequence[str], k: int) -> list[str]:
    pos = np.flatnonzero(scores > 0)
    if not len(pos):
        return []
    if len(pos) > k:
        pos = pos[np.argpartition(-scores[pos], k - 1)[:k]]
    pos = pos[np.lexsort((pos, -scores[pos]))]
    return [ids[int(i)] for i in pos]


class Bm25Baseline:
    def __init__(self, docs: Sequence[ProductDoc], *, cjk: str = "jieba") -> None:
        import bm25s

        self.name = f"BM25 (bm25s, {'jieba' if cjk == 'jieba' else 'CJK bigrams'})"
        self.cjk = cjk
        self.tok = Bm25Tokenizer(cjk)
        self.ids = [d.doc_id for d in docs]
        self.retriever = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
        self.retriever.index([self.tok(listing_text(d)) for d in docs], show_progress=False)

    @classmethod
    def load(cls, directory: Path, cjk: str) -> Bm25Baseline:
        import bm25s

        self = cls.__new__(cls)
        self.cjk = cjk
        self.tok = Bm25Tokenizer(cjk)
        self.ids = (directory / "ids.txt").read_text(encoding="utf-8").split("\n")
        self.retriever = bm25s.BM25.load(str(directory), mmap=True)
        return self

    def save(self, directory: Path) -> None:
        self.retriever.save(str(directory))
        (directory / "ids.txt").write_text("\n".join(self.ids), encoding="utf-8")

    def memory_bytes(self) -> int:
        return int(sum(np.asarray(a).nbytes for a in self.retriever.scores.values()))

    def search(self, query: str, k: int = 10) -> list[str]:
        toks = [t for t in self.tok(query) if t in self.retriever.vocab_dict]
        if not toks:
            return []
        return _top_ids(np.asarray(self.retriever.get_scores(toks)), self.ids, k)


# --------------------------------------------------------------------------- SQLite FTS5
def or_terms(query: str) -> list[str]:
    """The query's words (``\\w+`` runs, lower-cased, de-duplicated), to be OR-ed."""
    return list(dict.fromkeys(t for t in WORD.findall(query.lower()) if t))


class Fts5Baseline:
    name = "SQLite FTS5 (unicode61, OR, bm25())"

    def __init__(self, docs: Sequence[ProductDoc], path: Path) -> None:
        path.unlink(missing_ok=True)
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE VIRTUAL TABLE p USING fts5(doc_id UNINDEXED, body)")
        self.db.executemany(
            "INSERT INTO p(doc_id, body) VALUES (?, ?)",
            [(d.doc_id, listing_text(d)) for d in docs],
        )
        self.db.commit()

    @classmethod
    def load(cls, path: Path) -> Fts5Baseline:
        self = cls.__new__(cls)
        self.path = path
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        return self

    def search(self, query: str, k: int = 10) -> list[str]:
        terms = or_terms(query)
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = self.db.execute(
            "SELECT doc_id FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT ?", (match, k)
        ).fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        self.db.close()


# --------------------------------------------------------------------------- PostgreSQL FTS
PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"


def pg_dsn(dbname: str) -> str:
    return f"postgresql://postgres@127.0.0.1:5432/{dbname}"


class PgFtsBaseline:
    name = "PostgreSQL FTS ('simple', OR, ts_rank)"

    def __init__(self, docs: Sequence[ProductDoc], dbname: str) -> None:
        import psycopg

        self.dbname = dbname
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            admin.execute(f'CREATE DATABASE "{dbname}"')
        self.conn = psycopg.connect(pg_dsn(dbname), autocommit=True)
        with self.conn.cursor() as cur:
            cur.execute("CREATE TABLE p (doc_id text PRIMARY KEY, body text, tsv tsvector)")
            with cur.copy("COPY p (doc_id, body) FROM STDIN") as copy:
                for d in docs:
                    copy.write_row((d.doc_id, listing_text(d)))
            cur.execute("UPDATE p SET tsv = to_tsvector('simple', body)")
            cur.execute("CREATE INDEX p_tsv ON p USING gin (tsv)")
            cur.execute("VACUUM ANALYZE p")

    @classmethod
    def load(cls, dbname: str) -> PgFtsBaseline:
        import psycopg

        self = cls.__new__(cls)
        self.dbname = dbname
        self.conn = psycopg.connect(pg_dsn(dbname), autocommit=True)
        return self

    def size_bytes(self) -> int:
        row = self.conn.execute("SELECT pg_total_relation_size('p')").fetchone()
        return int(row[0]) if row else 0

    def search(self, query: str, k: int = 10) -> list[str]:
        # each word is quoted so that to_tsquery reads it as one operand
        terms = ["'" + t.replace("'", "''") + "'" for t in or_terms(query)]
        if not terms:
            return []
        rows = self.conn.execute(
            "SELECT doc_id FROM p, to_tsquery('simple', %s) q "
            "WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC, doc_id LIMIT %s",
            (" | ".join(terms), k),
        ).fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        self.conn.close()

    def drop(self) -> None:
        import psycopg

        self.close()
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.dbname}"')


def open_searcher(system: str, artifact: str) -> Any:
    """Reopen a built baseline from its artifact (a directory, file or database name)."""
    if system in ("bm25-jieba", "bm25-bigram"):
        return Bm25Baseline.load(Path(artifact), system.split("-", 1)[1])
    if system == "fts5":
        return Fts5Baseline.load(Path(artifact))
    if system == "pg":
        return PgFtsBaseline.load(artifact)
    raise ValueError(f"unknown baseline {system!r}")
