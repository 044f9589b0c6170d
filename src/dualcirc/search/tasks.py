"""Background tasks of the search app: thin wrappers that take ids and call a domain function.

Run by the task worker (``dualcirc db_worker`` with the database backend), never inside the
request that changed the catalog. Indexing is split in two so that neither a new catalog's
searchability nor the rest of the background work waits for the embedding model:

- ``index_products_task`` (default priority): the lexical side, a fraction of a second per
  batch; the products are searchable by their words once it has run;
- ``embed_products_task`` (``EMBED_PRIORITY``, the lowest): the dense side, in chunks of
  ``indexing.EMBED_CHUNK`` products (a few seconds each). The worker takes the task of
  highest priority first, so a task queued after thousands of pending embeddings (an alert
  refresh after ``dualcirc demo``) runs as soon as the chunk in hand is done.

Only the embedding tasks synchronise the worker's own index and rewrite the on-disk snapshot
(``SearchService.refresh_snapshot``): that costs tokenising what changed, which the lexical
task leaves to the search processes that need it.
"""

from __future__ import annotations

from django_tasks import task

from dualcirc.search import indexing
from dualcirc.search.service import get_service

EMBED_PRIORITY = -50  # below every other task of the project (default 0; range −100…100)


@task()
def index_products_task(product_ids: list[int]) -> int:
    """Bring the change feed up to date for these products; returns how many rows changed.

    Side effects: ``SearchDocument``/``IndexCounter`` rows (see ``indexing.index_products``);
    one ``embed_products_task`` queued per ``EMBED_CHUNK`` products still lacking an embedding.
    Nothing else: the worker's own index and the on-disk snapshot are brought up to date by
    the embedding tasks, off the path from a catalog change to its searchability.
    """
    changed = indexing.index_products(product_ids)
    enqueue_embeddings(indexing.pending_embeddings(product_ids))
    return changed


@task(priority=EMBED_PRIORITY)
def embed_products_task(product_ids: list[int]) -> int:
    """Embed the passages of these products that lack one and write them to the feed; returns
    how many rows changed (see ``indexing.embed_products``). The worker's own index is then
    synchronised and the on-disk snapshot rewritten when it lags too far behind the feed."""
    changed = indexing.embed_products(product_ids)
    get_service().refresh_snapshot()
    return changed


def enqueue_embeddings(product_ids: list[int]) -> int:
    """Queue ``embed_products_task`` for ``product_ids`` in chunks; returns the tasks queued."""
    chunk = indexing.EMBED_CHUNK
    for start in range(0, len(product_ids), chunk):
        embed_products_task.enqueue(product_ids[start : start + chunk])
    return (len(product_ids) + chunk - 1) // chunk
