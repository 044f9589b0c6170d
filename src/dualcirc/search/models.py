"""Derived search data kept in the database: the change feed and the embedding cache.

The catalog is the source of truth. ``SearchDocument`` holds, per published product, the
flattened document and its embedding, stamped with a global, commit-ordered ``seq``: every
server process keeps an in-memory index and, before answering, applies the rows whose ``seq``
is above the last one it applied. Deleted or unpublished products leave a tombstone
(``deleted=True``) so that every process learns to drop them.
"""

from __future__ import annotations

import secrets

from django.db import models


def new_feed_id() -> str:
    return secrets.token_hex(8)


class IndexCounter(models.Model):
    """A single row whose lock serialises writers of the change feed (commit order = seq).

    ``feed_id`` is drawn when the row is created: a process that built its index from another
    feed (a restored or re-created database, a test database) notices the change and rebuilds.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    # Bumped by ``dualcirc reindex``: processes holding an older epoch reload everything.
    epoch = models.PositiveIntegerField(default=1)
    feed_id = models.CharField(max_length=32, default=new_feed_id)

    def __str__(self) -> str:
        return f"feed {self.feed_id}, epoch {self.epoch}, seq {self.seq}"


class SearchDocument(models.Model):
    product_id = models.BigIntegerField(primary_key=True)
    enterprise_id = models.BigIntegerField(db_index=True)
    seq = models.BigIntegerField(unique=True)
    deleted = models.BooleanField(default=False)
    payload = models.JSONField(default=dict)  # the ProductDoc, JSON-encoded
    payload_hash = models.CharField(max_length=64)
    # The model that computed ``embedding``; rows of another model are not served.
    model_id = models.CharField(max_length=100, blank=True)
    embedding = models.BinaryField(null=True)  # float32 little-endian
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"product {self.product_id} @ {self.seq}"


class EmbeddingCache(models.Model):
    """Embeddings computed once per (model, role, text): see ``matching.dense.cache_key``."""

    key = models.CharField(max_length=64, primary_key=True)
    model_id = models.CharField(max_length=100)
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.model_id}:{self.key[:12]}"
