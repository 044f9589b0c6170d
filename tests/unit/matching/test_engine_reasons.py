"""Reasons come from each product's field tokens, kept in a small LRU: they follow an updated
product and do not depend on what is cached."""

from __future__ import annotations

from dualcirc.matching import engine
from dualcirc.matching.dense import CachedEmbedder, DictEmbeddingCache, HashEmbedder
from dualcirc.matching.engine import MatchingIndex
from dualcirc.matching.types import ProductDoc, ReasonKind


def doc(doc_id: str, title: str) -> ProductDoc:
    return ProductDoc(doc_id=doc_id, enterprise_id="E1", sku=doc_id, titles={"en": title})


def terms_by_doc(index: MatchingIndex, query: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for hit in index.search(query, limit=10).hits:
        out[hit.doc_id] = {
            t
            for r in hit.reasons
            if r.kind == ReasonKind.TERM and r.field == "title"
            for t in r.terms
        }
    return out


def make_index() -> MatchingIndex:
    emb = CachedEmbedder(HashEmbedder(), DictEmbeddingCache())
    return MatchingIndex.build(
        [doc("a", "walnut wardrobe"), doc("b", "oak dining table"), doc("c", "leather sofa")], emb
    )


def test_reasons_follow_an_updated_product():
    index = make_index()
    assert terms_by_doc(index, "zephyr wardrobe")["a"] == {"wardrobe"}

    index.upsert([doc("a", "zephyr walnut wardrobe")])

    assert terms_by_doc(index, "zephyr wardrobe")["a"] == {"zephyr", "wardrobe"}


def test_reasons_are_the_same_with_the_token_cache_cold_or_full(monkeypatch):
    index = make_index()
    warm = terms_by_doc(index, "oak table sofa")
    assert warm["b"] == {"oak", "table"}

    monkeypatch.setattr(engine, "TOKENS_CACHE_SIZE", 1)  # every lookup but the last evicts
    index._tokens_cache.clear()

    assert terms_by_doc(index, "oak table sofa") == warm
    assert len(index._tokens_cache) == 1
