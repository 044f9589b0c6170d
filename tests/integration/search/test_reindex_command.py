"""``dualcirc reindex`` reconciles the change feed with the catalog and starts a new epoch."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from dualcirc.catalog.enums import ProductStatus
from dualcirc.search.models import IndexCounter, SearchDocument
from dualcirc.search.queries import search_products
from dualcirc.search.service import SearchService, get_service
from tests.factories.search import make_catalog

pytestmark = pytest.mark.django_db


def reindex() -> str:
    out = io.StringIO()
    call_command("reindex", stdout=out)
    return out.getvalue()


def test_reindex_indexes_every_published_product_and_nothing_else():
    catalog = make_catalog(index=False)

    output = reindex()

    live = set(SearchDocument.objects.filter(deleted=False).values_list("product_id", flat=True))
    assert live == {p.pk for p in catalog.published}
    assert output.startswith(
        "search index: 5 products, 5 documents changed, 5 embedded, epoch 2, snapshot written"
    )


def test_reindex_catches_changes_that_were_never_signalled():
    catalog = make_catalog()
    # changes behind the domain's back (a bulk SQL fix, a restored backup): no task ran
    type(catalog.sofa).objects.filter(pk=catalog.sofa.pk).delete()
    type(catalog.table).objects.filter(pk=catalog.table.pk).update(status=ProductStatus.DRAFT)
    type(catalog.draft).objects.filter(pk=catalog.draft.pk).update(status=ProductStatus.PUBLISHED)
    type(catalog.canvas).objects.filter(pk=catalog.canvas.pk).update(title_en="Heavy canvas tarp")

    output = reindex()

    live = set(SearchDocument.objects.filter(deleted=False).values_list("product_id", flat=True))
    assert live == {catalog.wardrobe.pk, catalog.denim.pk, catalog.draft.pk, catalog.canvas.pk}
    # 4 documents: sofa and table gone, draft published, canvas edited; 2 passages embedded
    assert "4 products, 4 documents changed, 2 embedded" in output
    found = search_products(user=AnonymousUser(), query="canvas tarp", limit=1)
    assert found.matches[0].product.sku == "LN-C1"


def test_reindex_makes_every_process_reload():
    make_catalog()
    other_process = SearchService()
    other_process.sync()
    epoch = IndexCounter.objects.get().epoch

    reindex()

    assert IndexCounter.objects.get().epoch == epoch + 1
    other_process.sync()
    assert other_process.last_start == "snapshot"  # the snapshot reindex wrote
    assert len(other_process.index()) == len(get_service().index()) == 5
    assert reindex().startswith("search index: 5 products, 0 documents changed, 0 embedded,")
