"""Background tasks of deals: thin wrappers that call a domain function."""

from __future__ import annotations

from django_tasks import task

from dualcirc.deals.domain import close_due_requests


@task()
def close_due_requests_task() -> int:
    """Close every open sourcing request whose deadline has passed (run periodically by the
    worker; pages also close a request lazily when they show it). Returns how many closed."""
    return close_due_requests()
