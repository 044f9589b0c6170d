"""The per-process cache of rankings (``SearchService.remember``): a repeated search reuses the
ranking, any change to the index empties it, and what each user may see is checked per search,
never taken from the cache."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone, translation

from dualcirc.catalog import domain
from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.models import Product
from dualcirc.search.indexing import index_products
from dualcirc.search.queries import SearchFilters, search_products
from dualcirc.search.service import SearchService, get_service
from tests.factories import make_user
from tests.factories.search import make_catalog

pytestmark = pytest.mark.django_db


def search(query: str, *, user=None, **kwargs):
    return search_products(user=user or AnonymousUser(), query=query, **kwargs)


def skus(query: str, *, user=None) -> list[str]:
    return [m.product.sku for m in search(query, user=user).matches]


def test_result_cache_serves_a_repeated_search_without_ranking_again():
    make_catalog()
    first = search("walnut wardrobe")

    again = search("walnut wardrobe")

    assert again.result is first.result  # the very ranking, not a recomputation
    assert [m.product.sku for m in again.matches] == [m.product.sku for m in first.matches]
    assert again.matches[0].product.sku == "LX-W1"


def test_result_cache_keys_on_query_filters_page_and_explain():
    make_catalog()
    plain = search("walnut wardrobe")

    assert search("walnut wardrobe ").result is plain.result  # the same query, trimmed
    assert search("oak table").result is not plain.result
    assert search("walnut wardrobe", filters=SearchFilters(hs_chapter="94")).result is not (
        plain.result
    )
    assert search("walnut wardrobe", offset=20).result is not plain.result
    unexplained = search("walnut wardrobe", explain=False)
    assert unexplained.result is not plain.result
    assert all(h.reasons == () for h in unexplained.result.hits)
    assert plain.result.hits[0].reasons  # the explained ranking was not replaced


def test_result_cache_is_emptied_when_the_index_changes(django_capture_on_commit_callbacks):
    catalog = make_catalog()
    member = make_user(organisation=catalog.laixi.organisation)
    before = search("zephyr")
    assert all("zephyr" not in m.explanation.matched_terms for m in before.matches)

    with django_capture_on_commit_callbacks(execute=True):
        domain.update_product(
            actor=member, product=catalog.wardrobe, data={"title_en": "Zephyr walnut wardrobe"}
        )

    after = search("zephyr")
    assert after.result is not before.result
    assert after.matches[0].product.sku == "LX-W1"
    assert "zephyr" in after.matches[0].explanation.matched_terms


def test_result_cache_sees_a_change_written_by_another_process():
    catalog = make_catalog()
    web = get_service()
    before = search("sofa")
    assert before.matches[0].product.sku == catalog.sofa.sku

    # the worker (another process) unpublishes the sofa and writes the change feed
    Product.objects.filter(pk=catalog.sofa.pk).update(status=ProductStatus.DRAFT)
    index_products([catalog.sofa.pk])

    after = search("sofa")
    assert after.result is not before.result
    assert str(catalog.sofa.pk) not in {h.doc_id for h in after.result.hits}
    assert str(catalog.sofa.pk) not in web.index()


def test_result_cache_rechecks_visibility_on_every_search(dummy_tasks):
    catalog = make_catalog()
    member = make_user(organisation=catalog.laixi.organisation)
    anonymous = search("walnut wardrobe")
    assert anonymous.matches[0].product.sku == "LX-W1"

    # unpublished behind the index's back: the index (and so the cached ranking) still has it
    Product.objects.filter(pk=catalog.wardrobe.pk).update(status=ProductStatus.DRAFT)

    for user in (AnonymousUser(), member, make_user()):
        found = search("walnut wardrobe", user=user)
        assert found.result is anonymous.result  # served from the cache …
        assert str(catalog.wardrobe.pk) in {h.doc_id for h in found.result.hits}
        assert "LX-W1" not in [m.product.sku for m in found.matches]  # … but never shown


def test_result_cache_never_shows_a_draft_to_its_own_enterprise():
    catalog = make_catalog()
    member = make_user(organisation=catalog.laixi.organisation)
    draft_words = catalog.draft.title_en or catalog.draft.title_zh
    search(draft_words)  # cached by a signed-out visitor

    found = search(draft_words, user=member)

    assert catalog.draft.sku not in [m.product.sku for m in found.matches]


def test_result_cache_keeps_no_result_computed_while_the_index_changed():
    make_catalog()
    service = SearchService()
    index = service.index()

    def ranking_during_a_change() -> str:
        service._forget_results()  # what applying feed rows does, before and after
        return "stale"

    assert service.remember("key", index, ranking_during_a_change) == "stale"
    assert service.remember("key", index, lambda: "fresh") == "fresh"
    assert service.remember("key", index, lambda: "again") == "fresh"


def test_result_cache_is_bypassed_for_a_replaced_index():
    make_catalog()
    service = SearchService()
    old = service.index()
    service.reset()
    service.index()

    assert service.remember("key", old, lambda: "old") == "old"
    assert service.remember("key", service.index(), lambda: "new") == "new"


def test_result_cache_holds_at_most_its_size():
    make_catalog()
    service = SearchService()
    service.result_cache_size = 2
    index = service.index()
    for key in ("a", "b", "c"):
        service.remember(key, index, key.upper)

    assert service.remember("a", index, lambda: "recomputed") == "recomputed"  # evicted
    assert service.remember("c", index, lambda: "recomputed") == "C"


def test_result_cache_off_when_its_size_is_zero():
    make_catalog()
    service = SearchService()
    service.result_cache_size = 0
    index = service.index()
    service.remember("a", index, lambda: 1)

    assert service.remember("a", index, lambda: 2) == 2


def _page(client, lang: str, query: str) -> str:
    """The hit list of the search page."""
    with translation.override(lang):
        url = reverse("search:search")
    html = client.get(url, {"q": query}).content.decode()
    return html[html.index('<ol class="hits"') : html.index("</ol>")]


def test_search_page_reuses_its_rendered_hits_only_while_they_are_current(client):
    catalog = make_catalog()
    first = _page(client, "en", "walnut wardrobe")
    assert _page(client, "en", "walnut wardrobe") == first

    # a change the index does not see (the ranking stays cached) but the page shows
    Product.objects.filter(pk=catalog.wardrobe.pk).update(
        price_min=Decimal("1234"), price_max=Decimal("1234"), updated_at=timezone.now()
    )

    again = _page(client, "en", "walnut wardrobe")
    assert "1,234" in again
    assert "1,234" not in first


def test_search_page_renders_the_cached_hits_in_each_language(client):
    catalog = make_catalog()
    english = _page(client, "en", "walnut wardrobe")

    chinese = _page(client, "zh-hans", "walnut wardrobe")

    assert f'href="/en/products/{catalog.wardrobe.pk}/"' in english
    assert f'href="/zh-hans/products/{catalog.wardrobe.pk}/"' in chinese
    assert "/en/products/" not in chinese
