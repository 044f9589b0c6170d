"""The tests' task queue (django-tasks' DummyBackend): what was enqueued, and clearing it."""

from __future__ import annotations

from django_tasks import default_task_backend


def queued() -> list[tuple[str, list[object]]]:
    """(task name, arguments) of each task enqueued since the queue was last cleared."""
    return [(r.task.name, list(r.args)) for r in default_task_backend.results]  # type: ignore[attr-defined]


def clear_queue() -> None:
    default_task_backend.clear()  # type: ignore[attr-defined]
