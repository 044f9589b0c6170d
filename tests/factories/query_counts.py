"""Helper for list-page query-count tests: the page's queries stay bounded as its rows grow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from dualcirc.core.models import User
from dualcirc.l10n.rates import display_converter


def page_queries(
    assert_max: Any, user: User, url: str, grow: Callable[[int], Any], expect: str, bound: int
) -> list[int]:
    """Grow the data to 3 rows, then to 30, reading the page each time within ``bound``.

    ``assert_max`` is pytest-django's ``django_assert_max_num_queries``; ``expect`` is a text
    that appears once per row, so the page must show at least 3, then 30 of it.
    """
    client = Client()
    client.force_login(user)
    # The rates that pages show converted figures with are read once per process and kept a
    # few minutes (dualcirc.l10n.rates); count the queries of a process that has them.
    display_converter()
    counts = []
    for n in (3, 27):
        grow(n)
        with assert_max(bound) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count(expect) >= 3 + 27 * (n == 27)
        counts.append(len(ctx.captured_queries))
    return counts
