"""The process-wide search index, kept in step with the database change feed.

Each server process (and the task worker, and the CLI) holds one :class:`SearchService`.
Before answering, :meth:`SearchService.sync` reads the feed's counter (one indexed query) and
applies the ``SearchDocument`` rows it has not seen yet, so a change committed by any process
is visible to every process at its next search. A process starts from the on-disk snapshot
(``SEARCH_INDEX_DIR``) when it is valid, else from the feed itself; a missing or corrupt snapshot
is rebuilt and never served.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from functools import cache

import numpy as np
from django.conf import settings

from dualcirc.matching.dense import Embedder
from dualcirc.matching.engine import MatchingIndex
from dualcirc.search.documents import payload_to_doc
from dualcirc.search.indexing import get_embedder, hs_nomenclature
from dualcirc.search.models import IndexCounter, SearchDocument

log = logging.getLogger(__name__)


def feed_position() -> tuple[int, int]:
    """(epoch, seq) of the change feed."""
    row = IndexCounter.objects.filter(pk=1).values_list("epoch", "seq").first()
    return (row[0], row[1]) if row else (1, 0)


class SearchService:
    def __init__(self, embedder: Embedder | None = None) -> None:
        self._embedder = embedder
        self._index: MatchingIndex | None = None
        self._epoch = 0
        self._seq = 0
        self._lock = threading.Lock()

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder()
        return self._embedder

    def new_index(self) -> MatchingIndex:
        return MatchingIndex(self.embedder, hs=hs_nomenclature())

    def index(self) -> MatchingIndex:
        """The index, brought up to date with every committed change."""
        self.sync()
        assert self._index is not None
        return self._index

    @property
    def applied_seq(self) -> int:
        return self._seq

    def sync(self) -> int:
        """Apply unseen feed rows; returns how many were applied."""
        epoch, seq = feed_position()
        with self._lock:
            if self._index is None or epoch != self._epoch:
                self._index = self.new_index()
                self._epoch, self._seq = epoch, 0
            if seq <= self._seq:
                return 0
            return self._apply(SearchDocument.objects.filter(seq__gt=self._seq).order_by("seq"))

    def _apply(self, rows: Iterable[SearchDocument]) -> int:
        assert self._index is not None
        upserts, vectors, deletes = [], [], []
        applied = 0
        for row in rows.iterator(chunk_size=2000) if hasattr(rows, "iterator") else rows:
            applied += 1
            self._seq = max(self._seq, row.seq)
            if row.deleted:
                deletes.append(str(row.product_id))
            else:
                upserts.append(payload_to_doc(row.payload))
                vectors.append(np.frombuffer(bytes(row.embedding or b""), dtype=np.float32))
        if deletes:
            self._index.delete(deletes)
        if upserts:
            self._index.upsert(upserts, embeddings=np.stack(vectors))
        log.debug("search index: applied %d changes up to seq %d", applied, self._seq)
        return applied

    def reset(self) -> None:
        with self._lock:
            self._index = None
            self._epoch = self._seq = 0


@cache
def get_service() -> SearchService:
    """The one service of this process."""
    return SearchService()


def index_dir() -> str:
    return str(settings.SEARCH_INDEX_DIR)
