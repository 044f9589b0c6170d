"""Background tasks of the search app: thin wrappers that take ids and call a domain function.

Run by the task worker (``dualcirc db_worker`` with the database backend), never inside the
request that changed the catalog.
"""

from __future__ import annotations

from django_tasks import task

from dualcirc.search import indexing
from dualcirc.search.service import get_service


@task()
def index_products_task(product_ids: list[int]) -> int:
    """Bring the change feed up to date for these products; returns how many rows changed.

    Side effects: ``SearchDocument``/``IndexCounter``/``EmbeddingCache`` rows (see
    ``indexing.index_products``); the worker's own index is synchronised and the on-disk
    snapshot rewritten when it lags too far behind the feed.
    """
    changed = indexing.index_products(product_ids)
    if changed:
        get_service().refresh_snapshot()
    return changed
