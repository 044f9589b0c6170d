"""The process-wide search index, kept in step with the database change feed.

Each server process (and the task worker, and the CLI) holds one :class:`SearchService`.
Before answering, :meth:`SearchService.sync` reads the feed's counter (one indexed query) and
applies the ``SearchDocument`` rows it has not seen yet, so a change committed by any process
is visible to every process at its next search.

Starting up, a process loads the on-disk snapshot in ``SEARCH_INDEX_DIR`` (written by
``matching.store.IndexStore``; every file is checked against its sha256) when it belongs to
the current feed (same ``feed_id`` and ``epoch``, not ahead of it, same embedding model), then
applies the feed rows written after it. A snapshot that is missing, corrupt, stale or of
another model is never served: the index is rebuilt from the feed — the database is the
source of truth — and a fresh snapshot is written. The snapshot only makes starting faster
(a 100,000-product index loads in about a second instead of being re-tokenised).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import numpy as np
from django.conf import settings

from dualcirc.matching.constraints import check_constraint
from dualcirc.matching.dense import Embedder, limit_blas_threads
from dualcirc.matching.engine import MatchingIndex
from dualcirc.matching.store import IndexStore, atomic_write, file_lock
from dualcirc.matching.types import ProductDoc
from dualcirc.matching.understanding import parse_query
from dualcirc.matching.vocab import expand_terms
from dualcirc.search.documents import payload_to_doc
from dualcirc.search.indexing import embedding_model, hs_nomenclature
from dualcirc.search.models import IndexCounter, SearchDocument

log = logging.getLogger(__name__)

FEED_FILE = "FEED.json"  # which feed (id, epoch) the current snapshot was built from
DEFAULT_SNAPSHOT_LAG = 1000  # feed rows a snapshot may lag behind before it is rewritten
_CHUNK = 2000
RESULT_CACHE_SIZE = 512  # searches remembered per process (see SearchService.remember)

T = TypeVar("T")


class FeedPosition(NamedTuple):
    feed_id: str
    epoch: int
    seq: int


def feed_position() -> FeedPosition:
    """Where the change feed stands: one indexed read of the counter row."""
    row = IndexCounter.objects.filter(pk=1).values_list("feed_id", "epoch", "seq").first()
    return FeedPosition(*row) if row else FeedPosition("", 1, 0)


def model_dimension(model: Embedder) -> int:
    """The size of ``model``'s vectors (its ``dim``, else one query embedded to see)."""
    dim = int(getattr(model, "dim", 0) or 0)
    return dim or int(np.asarray(model.embed_queries(["dimension"])).shape[1])


@cache
def index_options() -> dict[str, Any]:
    """How the matching core reads queries and products: HS texts, the query parser, the
    constraint checker and the cross-language glossary."""
    return {
        "hs": hs_nomenclature(),
        "parser": parse_query,
        "checker": check_constraint,
        "expander": expand_terms,
    }


def index_dir() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def snapshot_lag() -> int:
    return int(getattr(settings, "SEARCH_SNAPSHOT_LAG", DEFAULT_SNAPSHOT_LAG))


@dataclass(frozen=True)
class FacetValues:
    """What the indexed products offer, with product counts, for the search page's facets."""

    industries: list[tuple[str, int]] = field(default_factory=list)
    hs_chapters: list[tuple[str, int]] = field(default_factory=list)
    certifications: list[tuple[str, int]] = field(default_factory=list)
    markets: list[tuple[str, int]] = field(default_factory=list)
    languages: list[tuple[str, int]] = field(default_factory=list)


def _facet_values(docs: list[ProductDoc]) -> FacetValues:
    counters: dict[str, Counter[str]] = {
        name: Counter()
        for name in ("industries", "hs_chapters", "certifications", "markets", "languages")
    }
    for d in docs:
        if d.industry:
            counters["industries"][d.industry] += 1
        if len(d.hs_code) >= 2:
            counters["hs_chapters"][d.hs_code[:2]] += 1
        counters["certifications"].update(set(d.certifications))
        counters["markets"].update(set(d.export_markets))
        counters["languages"].update(d.languages)
    return FacetValues(
        **{name: sorted(c.items(), key=lambda kv: (-kv[1], kv[0])) for name, c in counters.items()}
    )


class SearchService:
    """One in-memory :class:`MatchingIndex` per process, synchronised with the feed."""

    def __init__(self, *, model: Callable[[], Embedder] = embedding_model) -> None:
        # One BLAS thread: a search's matrix-vector product gains nothing from more, and idle
        # OpenBLAS threads spinning after each one cost a busy server CPU (see dense.py).
        limit_blas_threads(1)
        self._model = model
        self._index: MatchingIndex | None = None
        self._feed: tuple[str, int] = ("", 0)
        self._model_id = ""
        self._dim = 0  # the serving model's vector size (pending products get zero vectors)
        self._seq = 0
        self._facets: tuple[int, FacetValues] | None = None
        self._lock = threading.RLock()
        self._results: OrderedDict[Hashable, Any] = OrderedDict()
        self._results_lock = threading.Lock()
        self._results_version = 0
        self.result_cache_size = RESULT_CACHE_SIZE
        self.last_start = ""  # "snapshot" or "feed": how the index was last (re)built

    # ------------------------------------------------------------------ reading
    def index(self) -> MatchingIndex:
        """The index, brought up to date with every committed change."""
        self.sync()
        assert self._index is not None
        return self._index

    def warm(self) -> float:
        """Load the index (from the snapshot or the feed) and everything a first search loads
        (``MatchingIndex.warm_up``), so that a new serving process answers its first searches
        as fast as later ones; returns the seconds it took. The production server calls it in
        each worker as it starts (``ops.gunicorn_hooks``)."""
        started = time.perf_counter()
        self.index().warm_up()
        return time.perf_counter() - started

    @property
    def applied_seq(self) -> int:
        return self._seq

    def remember(self, key: Hashable, index: MatchingIndex, compute: Callable[[], T]) -> T:
        """``compute()`` (a search of ``index``, the object :meth:`index` returned), or its
        remembered result for ``key`` at the current index state.

        A per-process LRU of ``RESULT_CACHE_SIZE`` entries for what is derived from the index
        alone (the matching core's ranked hits). Every change to the index (feed rows applied,
        a rebuild, a reset) empties it and bumps a version, before and after the change; a
        result computed while the version moved is not kept. So a result is never served after
        a change it does not reflect. Call it after :meth:`index` (which syncs). Results must
        be immutable and must not depend on the user: visibility is checked per user afterwards.
        """
        if self.result_cache_size <= 0 or index is not self._index:
            return compute()  # an index replaced since the caller got it is not cached
        full = (index.generation, key)  # the index's own change counter, too
        with self._results_lock:
            version = self._results_version
            if full in self._results:
                self._results.move_to_end(full)
                cached: T = self._results[full]
                return cached
        value = compute()
        with self._results_lock:
            if version == self._results_version and index is self._index:  # nothing changed
                self._results[full] = value
                while len(self._results) > self.result_cache_size:
                    self._results.popitem(last=False)
        return value

    def _forget_results(self) -> None:
        """Empty the result cache (called before and after every change to the index)."""
        with self._results_lock:
            self._results.clear()
            self._results_version += 1

    def facets(self, *, synced: bool = False) -> FacetValues:
        """Facet values of the indexed products (recomputed when the index changed);
        ``synced=True`` skips the feed check when this request has just made one."""
        index = self._index if synced and self._index is not None else self.index()
        with self._lock:
            if self._facets is None or self._facets[0] != self._seq:
                self._facets = (self._seq, _facet_values(list(index.docs.values())))
            return self._facets[1]

    # ------------------------------------------------------------------ syncing
    def sync(self) -> int:
        """Apply unseen feed rows (rebuilding first when needed); returns rows applied."""
        feed = feed_position()
        model = self._model()
        with self._lock:
            if (
                self._index is None
                or (feed.feed_id, feed.epoch) != self._feed
                or model.model_id != self._model_id
                or feed.seq < self._seq
            ):
                return self._start(feed, model)
            if feed.seq <= self._seq:
                return 0
            return self._apply_after(self._seq)

    def _new_index(self, model: Embedder) -> MatchingIndex:
        return MatchingIndex(model, **index_options())

    def _start(self, feed: FeedPosition, model: Embedder) -> int:
        loaded = self._load_snapshot(feed, model)
        self._index = loaded if loaded is not None else self._new_index(model)
        self._seq = loaded.generation if loaded is not None else 0
        self._feed = (feed.feed_id, feed.epoch)
        self._model_id = model.model_id
        self._dim = model_dimension(model)
        self._facets = None
        self._forget_results()
        self.last_start = "feed" if loaded is None else "snapshot"
        applied = self._apply_after(self._seq)
        if loaded is None or applied > snapshot_lag():
            self.save_snapshot()
        log.info(
            "search index: started from the %s, %d products at seq %d",
            self.last_start,
            len(self._index),
            self._seq,
        )
        return applied

    def _apply_after(self, after: int) -> int:
        """Apply feed rows with ``seq > after`` in seq order. On any error the index is dropped
        (the next call rebuilds it) rather than served half-updated."""
        self._forget_results()
        try:
            return self._apply_rows(after)
        except BaseException:
            self._index = None
            raise
        finally:
            self._forget_results()

    def _apply_rows(self, after: int) -> int:
        """Apply the feed rows after ``after``. A row without an embedding of the serving
        model (not embedded yet, or by another model) is served by its words: it is indexed
        with a zero vector, which no query vector matches. A row that only brings the
        embedding of a document already indexed unchanged sets that vector in place."""
        assert self._index is not None
        index = self._index
        rows = SearchDocument.objects.filter(seq__gt=after).order_by("seq")
        if after == 0:
            rows = rows.filter(deleted=False)  # nothing to delete from an empty index
        applied = 0
        upserts: list[ProductDoc] = []
        vectors: list[np.ndarray] = []
        embedded: dict[str, np.ndarray] = {}
        deletes: list[str] = []
        foreign = 0
        zero = np.zeros(self._dim, dtype=np.float32)

        def flush() -> None:
            if deletes:
                index.delete(deletes)
            if upserts:
                index.upsert(upserts, embeddings=np.stack(vectors))
            if embedded:
                index.set_embeddings(list(embedded), np.stack(list(embedded.values())))
            upserts.clear()
            vectors.clear()
            embedded.clear()
            deletes.clear()

        docs = index.docs
        columns = ("product_id", "seq", "deleted", "payload", "model_id", "embedding")
        for product_id, seq, deleted, payload, model_id, embedding in rows.values_list(
            *columns
        ).iterator(chunk_size=_CHUNK):
            applied += 1
            self._seq = max(self._seq, seq)
            doc_id = str(product_id)
            if deleted:
                deletes.append(doc_id)
                continue
            doc = payload_to_doc(payload)
            ours = model_id == self._model_id and embedding
            foreign += bool(model_id and not ours)
            vector = np.frombuffer(bytes(embedding), dtype="<f4") if ours else zero
            if docs.get(doc_id) == doc:
                if ours:
                    embedded[doc_id] = vector
            else:
                upserts.append(doc)
                vectors.append(vector)
            if len(upserts) + len(deletes) + len(embedded) >= _CHUNK:
                flush()
        flush()
        if foreign:
            log.warning(
                "search index: %d products were embedded by another model than %s and are "
                "served by their words only; run `dualcirc reindex`",
                foreign,
                self._model_id,
            )
        if applied:
            self._facets = None
        return applied

    # ------------------------------------------------------------------ snapshot
    def _load_snapshot(self, feed: FeedPosition, model: Embedder) -> MatchingIndex | None:
        """The stored index when it is intact and belongs to this feed, else None."""
        directory = index_dir()
        if not (directory / FEED_FILE).exists():
            return None
        try:
            with file_lock(directory / ".feed.lock"):
                meta = json.loads((directory / FEED_FILE).read_text(encoding="utf-8"))
                index = IndexStore(directory).load(model, **index_options())
        except Exception as exc:  # any unreadable piece means: rebuild, never serve it
            log.warning("search index: snapshot in %s not used (%s); rebuilding", directory, exc)
            return None
        expected = {"snapshot": index.snapshot_id, "feed_id": feed.feed_id, "epoch": feed.epoch}
        if meta != expected or index.generation > feed.seq:
            log.info("search index: snapshot in %s is of another feed; rebuilding", directory)
            return None
        return index

    def save_snapshot(self) -> bool:
        """Write the in-memory index as the on-disk snapshot; False when it could not be."""
        directory = index_dir()
        with self._lock:
            if self._index is None:
                return False
            self._index.generation = self._seq
            try:
                with file_lock(directory / ".feed.lock"):
                    IndexStore(directory).save(self._index)
                    meta = {
                        "snapshot": self._index.snapshot_id,
                        "feed_id": self._feed[0],
                        "epoch": self._feed[1],
                    }
                    atomic_write(directory / FEED_FILE, json.dumps(meta).encode())
            except Exception:  # a snapshot is an optimisation: failing to write one is not fatal
                log.exception("search index: cannot write the snapshot in %s", directory)
                return False
            return True

    def snapshot_seq(self) -> int:
        """The feed position of the snapshot on disk (-1 when there is none or it is unreadable)."""
        try:
            return IndexStore(index_dir()).generation()
        except Exception:  # an unreadable snapshot counts as none
            return -1

    def refresh_snapshot(self) -> bool:
        """Catch up with the feed and rewrite the snapshot if it lags by more than
        ``SEARCH_SNAPSHOT_LAG`` rows or a tenth of the index, whichever is more (called by the
        embedding task, off the request path). Writing a snapshot costs time in proportion to
        the index (~20 s at 100,000 products under load), so a large index is rewritten less
        often: while a new 100,000-product catalog is embedded, every 10,000 rows, not 1,000."""
        self.sync()
        limit = max(snapshot_lag(), len(self._index) // 10 if self._index is not None else 0)
        if self._seq - self.snapshot_seq() > limit:
            return self.save_snapshot()
        return False

    def reset(self) -> None:
        """Forget the in-memory index: the next search loads the snapshot or the feed."""
        with self._lock:
            self._index = None
            self._feed = ("", 0)
            self._model_id = ""
            self._seq = 0
            self._facets = None
        self._forget_results()


@cache
def get_service() -> SearchService:
    """The one service of this process."""
    return SearchService()
