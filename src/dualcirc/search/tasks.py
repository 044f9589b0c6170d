"""Background tasks of the search app: thin wrappers that take ids and call a domain function."""

from __future__ import annotations

from django_tasks import task

from dualcirc.search import indexing


@task()
def index_products_task(product_ids: list[int]) -> int:
    """Bring the change feed up to date for these products; returns how many changed."""
    return indexing.index_products(product_ids)
