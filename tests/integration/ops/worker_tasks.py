"""Tasks for the worker tests: each call leaves a line in a file, so a test can count calls
(across processes, too) and make the first ones fail."""

from __future__ import annotations

from pathlib import Path

from django_tasks import task


class Flaky(RuntimeError):
    """The failure of a flaky task's early attempts."""


@task()
def flaky_task(log_path: str, failures: int) -> int:
    """Fail the first ``failures`` calls, then succeed; returns the number of this call."""
    path = Path(log_path)
    with path.open("a") as f:
        f.write("call\n")
    calls = len(path.read_text().splitlines())
    if calls <= failures:
        raise Flaky(f"call {calls} of a task that fails {failures} times")
    return calls
