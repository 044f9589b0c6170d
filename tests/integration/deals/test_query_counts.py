"""The deal list pages run the same, bounded number of queries for 3 rows as for 30 (no N+1).

The bound is exact for today's pages: a page that needs one more query raises it on purpose.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories.deals import add_rows, make_deal_world, make_request
from tests.factories.query_counts import page_queries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("what", "side", "path", "expect", "bound"),
    [
        ("requests", "buyer", "/en/deals/requests/", "Oak dining tables for Hamburg", 5),
        ("invitations", "supplier_user", "/en/deals/invitations/", "Oak dining tables", 7),
        ("quotes", "supplier_user", "/en/deals/quotes/", "128.50", 5),
        ("orders", "buyer", "/en/deals/orders/", 'href="/en/deals/orders/', 5),
    ],
)
def test_deal_list_page_queries_do_not_grow_with_rows(
    django_assert_max_num_queries: Any, what: str, side: str, path: str, expect: str, bound: int
) -> None:
    world = make_deal_world()

    counts = page_queries(
        django_assert_max_num_queries,
        getattr(world, side),
        path,
        lambda n: add_rows(world, what, n),
        expect,
        bound,
    )

    assert counts == [bound, bound]


def test_quotes_compared_page_queries_do_not_grow_with_quotes(
    django_assert_max_num_queries: Any,
) -> None:
    world = make_deal_world()
    rfq = make_request(world, max_quotes=100)

    counts = page_queries(
        django_assert_max_num_queries,
        world.buyer,
        f"/en/deals/requests/{rfq.pk}/?currency=USD",
        lambda n: add_rows(world, "offers", n, request=rfq),
        "Laixi Furniture No.",  # the suppliers' English names on the English page
        11,
    )

    assert counts == [11, 11]  # the rates are read once per currency, not once per quote


def test_invitations_page_queries_do_not_grow_with_public_requests(
    django_assert_max_num_queries: Any,
) -> None:
    world = make_deal_world()

    counts = page_queries(
        django_assert_max_num_queries,
        world.supplier_user,
        "/en/deals/invitations/",
        lambda n: [make_request(world, visibility="public", invite=()) for _i in range(n)],
        "Oak dining tables for Hamburg",
        7,
    )

    assert counts == [7, 7]
