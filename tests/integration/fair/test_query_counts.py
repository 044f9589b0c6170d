"""The fair list pages run the same, bounded number of queries for 3 rows as for 30 (no N+1).

The bound is exact for today's pages: a page that needs one more query raises it on purpose.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories.fair import FairWorld, add_booked_sessions, add_booths, add_fairs, add_leads
from tests.factories.query_counts import page_queries

pytestmark = pytest.mark.django_db

# Session and user (2), then the page's own reads.
# booths: +2 for the showcased products and their pictures on each booth card (prefetched).
BOUNDS = {"fairs": 5, "booths": 10, "agenda": 8, "leads": 14}


def test_fair_list_queries_do_not_grow_with_fairs(django_assert_max_num_queries: Any) -> None:
    world = FairWorld()

    counts = page_queries(
        django_assert_max_num_queries,
        world.visitors[0].contact,
        "/en/fair/",
        lambda n: add_fairs(world, n),
        "Lanxi Textile Online Fair",
        BOUNDS["fairs"],
    )

    assert counts == [BOUNDS["fairs"]] * 2


def test_hall_page_queries_do_not_grow_with_booths(django_assert_max_num_queries: Any) -> None:
    world = FairWorld()

    counts = page_queries(
        django_assert_max_num_queries,
        world.visitors[0].contact,
        f"/en/fair/{world.fair.pk}/halls/{world.hall.pk}/",
        lambda n: add_booths(world, n),
        'href="/en/fair/booths/',
        BOUNDS["booths"],
    )

    assert counts == [BOUNDS["booths"]] * 2


def test_agenda_queries_do_not_grow_with_sessions(django_assert_max_num_queries: Any) -> None:
    world = FairWorld()
    visitor = world.visitors[0].contact

    counts = page_queries(
        django_assert_max_num_queries,
        visitor,
        f"/en/fair/{world.fair.pk}/agenda/",
        lambda n: add_booked_sessions(world, visitor, n),
        "Roadshow · Furniture hall",
        BOUNDS["agenda"],
    )

    assert counts == [BOUNDS["agenda"]] * 2


def test_leads_page_queries_do_not_grow_with_leads(django_assert_max_num_queries: Any) -> None:
    world = FairWorld()
    booth = world.exhibitors[0].booth

    counts = page_queries(
        django_assert_max_num_queries,
        world.exhibitors[0].contact,
        f"/en/fair/booths/{booth.pk}/edit/",
        lambda n: add_leads(world, n),
        "Price list please",
        BOUNDS["leads"],
    )

    assert counts == [BOUNDS["leads"]] * 2
