"""Fielded BM25 (BM25F-style) over slot-addressed documents, with cheap incremental change.

Layout (like a search engine's segments, in miniature):

* a **base segment** in CSR form: ``vocab`` (term → id), ``indptr``/``slots``/``tfs``
  numpy arrays, one posting list per term, sorted by slot;
* a **delta segment**: postings of documents added since the last compaction, in plain
  Python lists per term;
* an ``alive`` mask: deleting (or replacing) a document only clears its slot.

``add`` and ``remove`` are O(terms of the document). Document frequencies count dead
postings until :meth:`compact` merges the delta into the base and drops dead slots (a
vectorised numpy pass: ~1 s for 100k products). The caller (``engine.MatchingIndex``)
decides the slot numbering so that this index and the dense matrix stay aligned.

Scoring: per document, the weighted term frequency ``tf = Σ_f w_f · tf_f`` and weighted
length ``dl = Σ_f w_f · len_f`` over its fields (title weighted above attributes, above
description, above HS text and enterprise), then Okapi BM25 with ``k1``/``b``; query
terms carry weights (expansions from the glossary count less than the buyer's own words).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from dualcirc.matching.text import term_counts, tokenize

TEXT_CACHE_SIZE = 20_000  # field texts whose tokens an index remembers (see LexicalIndex._counts)

DEFAULT_FIELD_WEIGHTS: dict[str, float] = {
    "title": 3.0,
    "attributes": 1.5,
    "description": 1.0,
    "hs": 0.6,
    "industry": 0.6,
    "enterprise": 0.4,
}


@dataclass(frozen=True, slots=True)
class LexicalArrays:
    """The compacted index as plain arrays (what :mod:`store` persists)."""

    terms: list[str]
    indptr: np.ndarray  # int64, len(terms) + 1
    slots: np.ndarray  # int32
    tfs: np.ndarray  # float32
    dl: np.ndarray  # float32, per slot
    alive: np.ndarray  # bool, per slot


class LexicalIndex:
    def __init__(
        self,
        field_weights: Mapping[str, float] | None = None,
        *,
        k1: float = 1.2,
        b: float = 0.75,
    ) -> None:
        self.field_weights = dict(field_weights or DEFAULT_FIELD_WEIGHTS)
        self.k1 = k1
        self.b = b
        self._vocab: dict[str, int] = {}
        self._terms: list[str] = []
        self._indptr = np.zeros(1, dtype=np.int64)
        self._slots = np.zeros(0, dtype=np.int32)
        self._tfs = np.zeros(0, dtype=np.float32)
        self._delta: dict[int, tuple[list[int], list[float]]] = {}
        self._delta_postings = 0
        self._dl = np.zeros(0, dtype=np.float32)
        self._alive = np.zeros(0, dtype=bool)
        self._n_alive = 0
        self._dl_sum = 0.0
        self._text_cache: dict[str, tuple[int, dict[str, int]]] = {}

    # ----------------------------------------------------------------- documents
    def analyse(self, fields: Mapping[str, str]) -> tuple[dict[str, float], float]:
        """Weighted term frequencies and weighted length of one document."""
        tf: dict[str, float] = {}
        dl = 0.0
        for name, text in fields.items():
            w = self.field_weights.get(name, 0.0)
            if not text or w <= 0:
                continue
            n, counts = self._counts(text)
            dl += w * n
            for t, c in counts.items():
                tf[t] = tf.get(t, 0.0) + w * c
        return tf, dl

    def terms_of(self, text: str) -> Collection[str]:
        """The distinct tokens of ``text`` (from the same memory as :meth:`analyse`)."""
        return self._counts(text)[1].keys()

    def _counts(self, text: str) -> tuple[int, dict[str, int]]:
        """Token count and term counts of ``text``, remembered for ``TEXT_CACHE_SIZE`` texts:
        many products share a field's text (an HS subheading's description, an enterprise's
        name, an industry, the titles of a factory's variants), and tokenising (jieba) is
        most of what indexing a product costs."""
        found = self._text_cache.get(text)
        if found is None:
            toks = tokenize(text)
            found = (len(toks), term_counts(toks))
            if len(self._text_cache) >= TEXT_CACHE_SIZE:
                self._text_cache.clear()
            self._text_cache[text] = found
        return found

    def _ensure_slots(self, n: int) -> None:
        if n <= len(self._alive):
            return
        cap = max(n, int(len(self._alive) * 1.5) + 16)
        alive = np.zeros(cap, dtype=bool)
        alive[: len(self._alive)] = self._alive
        dl = np.zeros(cap, dtype=np.float32)
        dl[: len(self._dl)] = self._dl
        self._alive, self._dl = alive, dl

    def add(self, slot: int, fields: Mapping[str, str]) -> None:
        """Index a document at ``slot`` (which must be free)."""
        self.add_analysed(slot, *self.analyse(fields))

    def add_analysed(self, slot: int, tf: Mapping[str, float], dl: float) -> None:
        self._ensure_slots(slot + 1)
        if self._alive[slot]:
            raise ValueError(f"slot {slot} is in use")
        for term, f in tf.items():
            tid = self._vocab.get(term)
            if tid is None:
                tid = len(self._terms)
                self._vocab[term] = tid
                self._terms.append(term)
            post = self._delta.get(tid)
            if post is None:
                post = self._delta[tid] = ([], [])
            post[0].append(slot)
            post[1].append(f)
        self._delta_postings += len(tf)
        self._alive[slot] = True
        self._dl[slot] = dl
        self._n_alive += 1
        self._dl_sum += dl

    def remove(self, slot: int) -> None:
        if slot < len(self._alive) and self._alive[slot]:
            self._alive[slot] = False
            self._n_alive -= 1
            self._dl_sum -= float(self._dl[slot])

    @property
    def n_slots(self) -> int:
        return len(self._alive)

    @property
    def delta_postings(self) -> int:
        return self._delta_postings

    @property
    def base_postings(self) -> int:
        return len(self._slots)

    # ----------------------------------------------------------------- scoring
    def _postings(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        parts_s: list[np.ndarray] = []
        parts_f: list[np.ndarray] = []
        if tid + 1 < len(self._indptr):
            a, z = int(self._indptr[tid]), int(self._indptr[tid + 1])
            parts_s.append(self._slots[a:z])
            parts_f.append(self._tfs[a:z])
        d = self._delta.get(tid)
        if d is not None:
            parts_s.append(np.asarray(d[0], dtype=np.int32))
            parts_f.append(np.asarray(d[1], dtype=np.float32))
        if not parts_s:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        if len(parts_s) == 1:
            return parts_s[0], parts_f[0]
        return np.concatenate(parts_s), np.concatenate(parts_f)

    def df(self, term: str) -> int:
        tid = self._vocab.get(term)
        return 0 if tid is None else len(self._postings(tid)[0])

    def idf(self, df: int) -> float:
        n = max(self._n_alive, 1)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query_terms: Mapping[str, float]) -> np.ndarray:
        """BM25 score of every slot (dead slots score 0) for weighted query terms."""
        out = np.zeros(len(self._alive), dtype=np.float32)
        if self._n_alive == 0:
            return out
        avgdl = max(self._dl_sum / self._n_alive, 1e-6)
        k1, b = self.k1, self.b
        for term, qw in query_terms.items():
            tid = self._vocab.get(term)
            if tid is None or qw == 0:
                continue
            slots, tfs = self._postings(tid)
            if len(slots) == 0:
                continue
            idf = self.idf(len(slots))
            norm = k1 * (1.0 - b + b * self._dl[slots] / avgdl)
            out[slots] += (qw * idf) * tfs * (k1 + 1.0) / (tfs + norm)
        out[~self._alive] = 0.0
        return out

    def max_score(self, query_terms: Mapping[str, float]) -> float:
        """Upper bound of a document's score: every term matched with a saturating tf."""
        total = 0.0
        for term, qw in query_terms.items():
            tid = self._vocab.get(term)
            if tid is None:
                continue
            total += qw * self.idf(len(self._postings(tid)[0])) * (self.k1 + 1.0)
        return total

    # ----------------------------------------------------------------- maintenance
    def compact(self, remap: np.ndarray | None = None, n_slots: int | None = None) -> None:
        """Merge the delta into the base, drop dead postings and unused terms.

        ``remap[old_slot]`` gives the new slot (``-1`` for dead) when the caller renumbers;
        ``n_slots`` is then the new slot count.
        """
        counts = np.diff(self._indptr)
        tids = [np.repeat(np.arange(len(counts), dtype=np.int64), counts)]
        slots = [self._slots.astype(np.int64)]
        tfs = [self._tfs]
        for tid, (s, f) in self._delta.items():
            tids.append(np.full(len(s), tid, dtype=np.int64))
            slots.append(np.asarray(s, dtype=np.int64))
            tfs.append(np.asarray(f, dtype=np.float32))
        all_t = np.concatenate(tids)
        all_s = np.concatenate(slots)
        all_f = np.concatenate(tfs)
        keep = self._alive[all_s] if len(all_s) else np.zeros(0, dtype=bool)
        all_t, all_s, all_f = all_t[keep], all_s[keep], all_f[keep]
        alive, dl = self._alive, self._dl
        if remap is not None:
            all_s = remap[all_s]
            size = int(n_slots if n_slots is not None else (remap.max(initial=-1) + 1))
            new_alive = np.zeros(size, dtype=bool)
            new_dl = np.zeros(size, dtype=np.float32)
            old = np.nonzero(remap >= 0)[0]
            old = old[old < len(alive)]
            new_alive[remap[old]] = alive[old]
            new_dl[remap[old]] = dl[old]
            alive, dl = new_alive, new_dl
        # drop unused terms
        used = np.bincount(all_t, minlength=len(self._terms)) if len(self._terms) else np.zeros(0)
        keep_terms = np.nonzero(used > 0)[0]
        new_id = np.full(len(self._terms), -1, dtype=np.int64)
        new_id[keep_terms] = np.arange(len(keep_terms))
        all_t = new_id[all_t]
        order = np.lexsort((all_s, all_t))
        all_t, all_s, all_f = all_t[order], all_s[order], all_f[order]
        terms = [self._terms[i] for i in keep_terms]
        indptr = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(np.bincount(all_t, minlength=len(terms)), out=indptr[1:])
        self._set_arrays(
            LexicalArrays(
                terms=terms,
                indptr=indptr,
                slots=all_s.astype(np.int32),
                tfs=all_f.astype(np.float32),
                dl=dl,
                alive=alive,
            )
        )

    def to_arrays(self) -> LexicalArrays:
        """Compacted arrays (compacts first if there is a delta)."""
        if self._delta:
            self.compact()
        return LexicalArrays(
            terms=list(self._terms),
            indptr=self._indptr,
            slots=self._slots,
            tfs=self._tfs,
            dl=self._dl,
            alive=self._alive,
        )

    @classmethod
    def from_arrays(
        cls,
        arrays: LexicalArrays,
        field_weights: Mapping[str, float] | None = None,
        *,
        k1: float = 1.2,
        b: float = 0.75,
    ) -> LexicalIndex:
        idx = cls(field_weights, k1=k1, b=b)
        idx._set_arrays(arrays)
        return idx

    def _set_arrays(self, a: LexicalArrays) -> None:
        self._terms = list(a.terms)
        self._vocab = {t: i for i, t in enumerate(self._terms)}
        self._indptr, self._slots, self._tfs = a.indptr, a.slots, a.tfs
        self._dl = np.asarray(a.dl, dtype=np.float32).copy()
        self._alive = np.asarray(a.alive, dtype=bool).copy()
        self._delta = {}
        self._delta_postings = 0
        self._n_alive = int(self._alive.sum())
        self._dl_sum = float(self._dl[self._alive].sum())


def query_terms(texts: Sequence[tuple[str, float]]) -> dict[str, float]:
    """Weighted query terms from (text, weight) pairs; a term keeps its largest weight."""
    out: dict[str, float] = {}
    for text, w in texts:
        for t in tokenize(text):
            if w > out.get(t, 0.0):
                out[t] = w
    return out


def matched_terms(fields: Mapping[str, str], terms: Mapping[str, float]) -> dict[str, list[str]]:
    """Which query terms occur in which field (for :class:`Reason` explanations)."""
    out: dict[str, list[str]] = {}
    for name, text in fields.items():
        if not text:
            continue
        toks = set(tokenize(text))
        hit = [t for t in terms if t in toks]
        if hit:
            out[name] = hit
    return out
