"""The index follows the catalog: create, edit, delete and unpublish reach search through the
background task; every process sees the change; a missing or corrupt index is rebuilt."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import numpy as np
import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django_tasks import default_task_backend

from dualcirc.catalog import domain
from dualcirc.catalog.enums import ProductStatus
from dualcirc.matching.dense import CachedEmbedder
from dualcirc.search.indexing import (
    DbEmbeddingCache,
    embed_products,
    embedding_model,
    index_products,
)
from dualcirc.search.models import IndexCounter, SearchDocument
from dualcirc.search.queries import search_products
from dualcirc.search.service import FEED_FILE, SearchService, get_service
from tests.factories import make_user
from tests.factories.search import make_catalog

pytestmark = pytest.mark.django_db


def skus(query: str, *, user=None) -> list[str]:
    found = search_products(user=user or AnonymousUser(), query=query, limit=10)
    return [m.product.sku for m in found.matches]


def test_created_product_is_found_once_the_task_has_run(django_capture_on_commit_callbacks):
    catalog = make_catalog()
    member = make_user(organisation=catalog.laixi.organisation)

    with django_capture_on_commit_callbacks(execute=True):
        domain.create_product(
            actor=member,
            enterprise=catalog.laixi,
            data={
                "sku": "LX-B1",
                "title_en": "Bamboo bunk bed for children",
                "hs_code": "940350",
                "moq": Decimal("30"),
                "unit": "pcs",
            },
        )

    assert skus("bamboo bunk bed")[0] == "LX-B1"


def test_created_product_waits_for_the_worker_not_the_request(
    dummy_tasks, django_capture_on_commit_callbacks
):
    catalog = make_catalog()
    member = make_user(organisation=catalog.laixi.organisation)

    with django_capture_on_commit_callbacks(execute=True):
        product = domain.create_product(
            actor=member,
            enterprise=catalog.laixi,
            data={"sku": "LX-B1", "title_en": "Bamboo bunk bed", "hs_code": "940350"},
        )

    assert "LX-B1" not in skus("bamboo bunk bed")  # the request did not index it
    queued = list(default_task_backend.results)  # type: ignore[attr-defined]
    assert [r.args for r in queued] == [[[product.pk]]]
    queued[0].task.call(*queued[0].args)  # what the worker does
    assert skus("bamboo bunk bed")[0] == "LX-B1"


def matched_words(query: str, sku: str) -> set[str]:
    found = search_products(user=AnonymousUser(), query=query, limit=10)
    hit = next(m.hit for m in found.matches if m.product.sku == sku)
    return {t for r in hit.reasons for t in r.terms}


def test_edited_product_is_found_by_its_new_words(django_capture_on_commit_callbacks):
    catalog = make_catalog()
    member = make_user(organisation=catalog.laixi.organisation)
    assert matched_words("zephyr", "LX-W1") == set()

    with django_capture_on_commit_callbacks(execute=True):
        domain.update_product(
            actor=member, product=catalog.wardrobe, data={"title_en": "Zephyr walnut wardrobe"}
        )

    assert skus("zephyr")[0] == "LX-W1"
    assert matched_words("zephyr", "LX-W1") == {"zephyr"}
    row = SearchDocument.objects.get(product_id=catalog.wardrobe.pk)
    assert row.payload["titles"] == {"en": "Zephyr walnut wardrobe"}


def test_deleted_product_disappears(django_capture_on_commit_callbacks):
    catalog = make_catalog()
    member = make_user(organisation=catalog.laixi.organisation)
    assert skus("walnut wardrobe")[0] == "LX-W1"

    pk = catalog.wardrobe.pk

    with django_capture_on_commit_callbacks(execute=True):
        domain.delete_product(actor=member, product=catalog.wardrobe)

    assert "LX-W1" not in skus("walnut wardrobe")
    row = SearchDocument.objects.get(product_id=pk)
    assert (row.deleted, row.payload, row.embedding) == (True, {}, None)
    assert str(pk) not in get_service().index()


def test_unpublished_product_disappears_at_once_before_the_index_catches_up(
    dummy_tasks, django_capture_on_commit_callbacks
):
    catalog = make_catalog()
    member = make_user(organisation=catalog.laixi.organisation)

    with django_capture_on_commit_callbacks(execute=True):
        domain.update_product(
            actor=member, product=catalog.wardrobe, data={"status": ProductStatus.DRAFT}
        )

    assert str(catalog.wardrobe.pk) in get_service().index()  # the task has not run yet
    assert "LX-W1" not in skus("walnut wardrobe")
    assert "LX-W1" not in skus("walnut wardrobe", user=member)  # drafts are never searchable


def test_unpublished_product_leaves_the_feed_when_the_task_runs(
    django_capture_on_commit_callbacks,
):
    catalog = make_catalog()
    member = make_user(organisation=catalog.laixi.organisation)

    with django_capture_on_commit_callbacks(execute=True):
        domain.update_product(
            actor=member, product=catalog.wardrobe, data={"status": ProductStatus.DRAFT}
        )

    assert str(catalog.wardrobe.pk) not in get_service().index()
    assert SearchDocument.objects.get(product_id=catalog.wardrobe.pk).deleted is True


def test_drafts_are_not_indexed():
    catalog = make_catalog()

    assert not SearchDocument.objects.filter(product_id=catalog.draft.pk).exists()
    assert set(get_service().index().docs) == {str(p.pk) for p in catalog.published}


def test_every_process_sees_a_change_made_elsewhere():
    catalog = make_catalog()
    web_1, web_2 = SearchService(), SearchService()
    assert str(catalog.sofa.pk) in web_1.index()
    assert str(catalog.sofa.pk) in web_2.index()

    # the worker (another process) writes the change feed
    type(catalog.sofa).objects.filter(pk=catalog.sofa.pk).update(status=ProductStatus.DRAFT)
    index_products([catalog.sofa.pk])

    assert web_1.sync() == 1
    assert str(catalog.sofa.pk) not in web_1.index()
    assert str(catalog.sofa.pk) not in web_2.index()
    assert web_1.applied_seq == web_2.applied_seq == IndexCounter.objects.get().seq


def test_reindexing_an_unchanged_product_writes_nothing():
    catalog = make_catalog()
    seq = IndexCounter.objects.get().seq

    assert index_products([p.pk for p in catalog.published]) == 0
    assert IndexCounter.objects.get().seq == seq


class ChangingWhileReading(CachedEmbedder):
    """An embedder whose cache lookup stands for "someone unpublished the product meanwhile"."""

    def __init__(self, product) -> None:
        super().__init__(embedding_model(), DbEmbeddingCache(embedding_model().model_id))
        self.product = product

    def lookup_passages(self, texts):
        found = super().lookup_passages(texts)
        type(self.product).objects.filter(pk=self.product.pk).update(
            status=ProductStatus.DRAFT, updated_at=timezone.now()
        )
        return found


def test_a_product_changed_while_it_was_indexed_is_left_to_its_own_task():
    catalog = make_catalog()
    product = catalog.sofa
    type(product).objects.filter(pk=product.pk).update(title_en="Corner sofa")

    written = index_products([product.pk], embedder=ChangingWhileReading(product))

    assert written == 0  # the older, published state is not written after the newer one
    row = SearchDocument.objects.get(product_id=product.pk)
    assert row.payload["titles"] == {"en": "Three seat fabric sofa"}
    assert index_products([product.pk]) == 1  # the task the change enqueued
    assert SearchDocument.objects.get(product_id=product.pk).deleted is True


def test_an_embedding_of_a_document_changed_while_it_was_embedded_is_not_written(fake_model):
    catalog = make_catalog()
    product = catalog.sofa
    type(product).objects.filter(pk=product.pk).update(title_en="Corner sofa")
    index_products([product.pk])
    original = fake_model.embed_passages

    def embed_while_someone_edits(texts):
        vectors = original(texts)
        type(product).objects.filter(pk=product.pk).update(
            title_en="Curved sofa", updated_at=timezone.now()
        )
        index_products([product.pk])  # the edit's own task, while the model ran
        return vectors

    fake_model.embed_passages = embed_while_someone_edits  # type: ignore[method-assign]
    try:
        written = embed_products([product.pk])
    finally:
        del fake_model.embed_passages

    assert written == 0  # "Corner sofa"'s vector is not written over "Curved sofa"'s row
    row = SearchDocument.objects.get(product_id=product.pk)
    assert (row.payload["titles"], row.embedding) == ({"en": "Curved sofa"}, None)
    assert embed_products([product.pk]) == 1  # the embedding task the edit queued
    assert SearchDocument.objects.get(product_id=product.pk).model_id == fake_model.model_id


# ---------------------------------------------------------------------- embeddings cache


def test_each_passage_is_embedded_once(fake_model):
    catalog = make_catalog(index=False)
    ids = [p.pk for p in catalog.published]

    index_products(ids)
    embed_products(ids)
    first = len(fake_model.passages)
    SearchDocument.objects.all().delete()  # lose the feed, keep the embedding cache
    index_products(ids)  # embeddings found in the cache are written with the document

    assert first == 10  # five titles and the descriptions of their five HS subheadings
    assert len(fake_model.passages) == 10
    assert SearchDocument.objects.filter(deleted=False, model_id=fake_model.model_id).count() == 5
    assert embed_products(ids) == 0


def test_a_change_outside_the_embedded_text_reuses_the_embedding(fake_model):
    catalog = make_catalog()
    before = SearchDocument.objects.get(product_id=catalog.sofa.pk)
    fake_model.passages.clear()

    type(catalog.sofa).objects.filter(pk=catalog.sofa.pk).update(price_min=Decimal("199"))
    assert index_products([catalog.sofa.pk]) == 1

    after = SearchDocument.objects.get(product_id=catalog.sofa.pk)
    assert fake_model.passages == []
    assert bytes(after.embedding) == bytes(before.embedding)
    assert after.payload["price_min"] == {"__decimal__": "199.0000"}
    assert after.seq > before.seq


# ---------------------------------------------------------------------- snapshot on disk


def test_the_first_search_writes_a_snapshot_that_the_next_process_loads(settings):
    catalog = make_catalog()
    expected = skus("oak dining table")
    assert get_service().last_start == "feed"
    assert (settings.SEARCH_INDEX_DIR / FEED_FILE).exists()

    another = SearchService()
    another.sync()

    assert another.last_start == "snapshot"
    assert set(another.index().docs) == {str(p.pk) for p in catalog.published}
    assert expected[0] == "LX-T1"


def test_deleted_index_files_are_rebuilt_and_the_search_is_right(settings):
    import shutil

    catalog = make_catalog()
    expected = skus("oak dining table")
    shutil.rmtree(settings.SEARCH_INDEX_DIR)

    get_service().reset()  # a process starting now
    assert skus("oak dining table") == expected
    assert get_service().last_start == "feed"
    assert set(get_service().index().docs) == {str(p.pk) for p in catalog.published}
    assert (settings.SEARCH_INDEX_DIR / FEED_FILE).exists()  # written again


@pytest.mark.parametrize("damage", ["flip-bytes", "truncate", "manifest", "feed-file"])
def test_corrupt_index_files_are_rebuilt_never_served(settings, damage):
    catalog = make_catalog()
    expected = skus("walnut wardrobe")
    directory = settings.SEARCH_INDEX_DIR
    snapshot = next(directory.glob("snap-*"))
    if damage == "flip-bytes":
        raw = bytearray((snapshot / "emb_rows.npy").read_bytes())
        raw[-8:] = b"\xff" * 8
        (snapshot / "emb_rows.npy").write_bytes(bytes(raw))
    elif damage == "truncate":
        (snapshot / "docs.jsonl").write_text('{"doc_id": "1"', encoding="utf-8")
    elif damage == "manifest":
        (directory / "MANIFEST.json").write_text("{not json", encoding="utf-8")
    else:
        (directory / FEED_FILE).write_text("[]", encoding="utf-8")

    fresh = SearchService()
    fresh.sync()

    assert fresh.last_start == "feed"
    assert set(fresh.index().docs) == {str(p.pk) for p in catalog.published}
    get_service().reset()
    assert skus("walnut wardrobe") == expected


def test_a_snapshot_behind_the_feed_is_caught_up_with_it(django_capture_on_commit_callbacks):
    catalog = make_catalog()
    get_service().sync()  # snapshot at the current seq
    type(catalog.sofa).objects.filter(pk=catalog.sofa.pk).delete()
    index_products([catalog.sofa.pk])

    later = SearchService()
    later.sync()

    assert later.last_start == "snapshot"
    assert str(catalog.sofa.pk) not in later.index()
    assert len(later.index()) == 4


def test_a_snapshot_of_another_feed_is_not_used(settings):
    make_catalog()
    get_service().sync()
    IndexCounter.objects.update(feed_id="restored-elsewhere")

    fresh = SearchService()
    fresh.sync()

    assert fresh.last_start == "feed"
    meta = json.loads((settings.SEARCH_INDEX_DIR / FEED_FILE).read_text())
    assert meta["feed_id"] == "restored-elsewhere"


def test_a_process_notices_a_new_feed_and_rebuilds():
    make_catalog()
    service = get_service()
    service.sync()
    IndexCounter.objects.update(feed_id="another-database")
    SearchDocument.objects.all().delete()

    service.sync()

    assert len(service.index()) == 0


def test_embeddings_of_another_model_are_never_mixed_in(settings):
    from django.core.management import call_command

    make_catalog()
    assert skus("walnut wardrobe")[0] == "LX-W1"

    settings.SEARCH_EMBEDDER = "tests.factories.search.OtherFakeEmbedder"
    wardrobe = str(SearchDocument.objects.get(payload__sku="LX-W1").product_id)
    assert skus("walnut wardrobe")[0] == "LX-W1"  # still found by its words
    served = get_service().index().embedding(wardrobe)
    assert (served.shape, float(np.abs(served).sum())) == ((48,), 0.0)  # no foreign vector
    call_command("reindex", stdout=io.StringIO())

    assert skus("walnut wardrobe")[0] == "LX-W1"
    vector = np.frombuffer(bytes(SearchDocument.objects.first().embedding), dtype="<f4")
    assert vector.shape == (48,)
    assert float(np.abs(get_service().index().embedding(wardrobe)).sum()) > 0


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections
def test_the_database_queue_and_its_worker_bring_a_new_product_to_search(settings):
    from django.core.management import call_command

    from dualcirc.search.models import EmbeddingCache

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    catalog = make_catalog()
    member = make_user(organisation=catalog.laixi.organisation)

    domain.create_product(  # commits: the task is queued in the database
        actor=member,
        enterprise=catalog.laixi,
        data={"sku": "LX-B1", "title_en": "Bamboo bunk bed", "hs_code": "940350"},
    )
    assert "LX-B1" not in skus("bamboo bunk bed")
    assert EmbeddingCache.objects.count() == 10  # the catalog's; the request embedded nothing

    call_command("db_worker", "--batch", "--interval", "0", verbosity=0)  # `dualcirc db_worker`

    assert skus("bamboo bunk bed")[0] == "LX-B1"


def test_the_worker_rewrites_a_snapshot_that_lags_behind_the_feed(
    settings, django_capture_on_commit_callbacks
):
    from dualcirc.matching.store import IndexStore

    settings.SEARCH_SNAPSHOT_LAG = 2
    catalog = make_catalog()
    get_service().sync()
    store = IndexStore(settings.SEARCH_INDEX_DIR)
    assert store.generation() == 10  # 5 documents, then their 5 embeddings
    member = make_user(organisation=catalog.laixi.organisation)

    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            domain.create_product(
                actor=member,
                enterprise=catalog.laixi,
                data={"sku": f"LX-N{n}", "title_en": f"Pine stool {n}", "hs_code": "940169"},
            )
        # two rows per product (document, embedding): 11 and 12 are within the allowed lag;
        # at 14 the snapshot is 4 rows behind and rewritten; 15 and 16 are within the lag
        assert store.generation() == (10 if n < 1 else 14)

    assert len(SearchService().index()) == 8
