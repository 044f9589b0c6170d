"""Listeners: a catalog change enqueues an index update (never done inside the request)."""

from __future__ import annotations

from typing import Any

from dualcirc.catalog.signals import products_changed

BATCH = 500


def enqueue_index_update(sender: Any, product_ids: list[int], **kwargs: Any) -> None:
    """Enqueue ``index_products_task`` for the changed products, in batches of ``BATCH``.

    ``products_changed`` is sent after the catalog transaction commits, so the task never
    reads rows that were rolled back. Deleted products are handled like any other: the task
    finds them gone and writes tombstones.
    """
    from dualcirc.search.tasks import index_products_task

    ids = sorted({int(pk) for pk in product_ids})
    for start in range(0, len(ids), BATCH):
        index_products_task.enqueue(ids[start : start + BATCH])


def connect() -> None:
    products_changed.connect(enqueue_index_update, dispatch_uid="search.enqueue_index_update")
