"""The dashboard reads a fixed number of queries however many chains the region has: the
chains come with the scope picker's list, their links in one prefetch."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dualcirc.l10n.rates import display_converter
from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import make_government_user
from tests.factories.bureau import make_chain, make_figures

pytestmark = pytest.mark.django_db

URL = "/en/bureau/?region=3702&period=month&month=2025-06"
# Session, user, memberships, regions; BureauSettings (read once, for the indicators and the
# report deadline); indicators; the picker's regions, belts and chains; alerts; chain links
# (one prefetch); projects; reporting coverage; cases; notifications; own-brand panel; orders
# from fairs (one query when no fair meeting is in scope); policy delivery (one grouped query).
BOUND = 28


def test_dashboard_queries_do_not_grow_with_chains_and_count_local_links(
    django_assert_max_num_queries: Any,
) -> None:
    regions = make_region_tree()
    firms = [make_enterprise(region=regions["laixi"], name_zh=f"莱西{i}厂") for i in range(3)]
    outside = make_enterprise(region=regions["jiaozhou"], name_zh="胶州厂")
    for e in [*firms, outside]:
        make_figures(enterprise=e, month="2025-06", revenue=100, exports={"US": 50})
    client = Client()
    client.force_login(make_government_user(region=regions["qingdao"]))
    display_converter()  # the rates a page converts with are read once per process
    client.get(URL)  # the first request after signing in also writes the session
    counts = []
    for n in (1, 5):
        while _chains() < n:
            chain = make_chain(region=regions["laixi"], name_zh=f"链{_chains()}")
            first, second, _third = chain.links.order_by("position")
            first.enterprises.add(*firms)  # strong: three local enterprises
            second.enterprises.add(outside)  # Jiaozhou is outside Laixi: still missing
        with django_assert_max_num_queries(BOUND), CaptureQueriesContext(connection) as ctx:
            response = client.get(URL)
        counts.append(len(ctx.captured_queries))
        settings_reads = [q for q in ctx.captured_queries if "bureau_bureausettings" in q["sql"]]
        assert len(settings_reads) == 1  # passed down to the indicators and the coverage
        summaries = response.context["chains"]
        assert [(c["links"], c["missing"], c["weak"]) for c in summaries] == [(3, 2, 0)] * n
    assert counts[0] == counts[1]


def _chains() -> int:
    from dualcirc.bureau.models import IndustrialChain

    return IndustrialChain.objects.count()
