"""MatchingIndex.warm_up: one query per interface language loads what a first search loads,
and leaves the query-embedding cache as it was."""

import numpy as np

from dualcirc.matching import lexicon as lexicon_module
from dualcirc.matching.dense import HashEmbedder
from dualcirc.matching.engine import WARM_UP_QUERIES, MatchingIndex
from dualcirc.matching.types import ProductDoc


class Recording(HashEmbedder):
    def __init__(self) -> None:
        super().__init__(64)
        self.queries: list[str] = []

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        self.queries += texts
        return super().embed_queries(texts)


def _index() -> tuple[MatchingIndex, Recording]:
    emb = Recording()
    docs = [
        ProductDoc(doc_id="t", enterprise_id="E", sku="t", titles={"zh": "纯棉毛巾"}),
        ProductDoc(doc_id="s", enterprise_id="E", sku="s", titles={"en": "fabric sofa"}),
    ]
    index = MatchingIndex.build(docs, emb)
    emb.queries.clear()  # (the toy embedder embeds passages through embed_queries)
    return index, emb


def test_warm_up_runs_a_query_in_each_language_through_the_model():
    index, emb = _index()
    lexicon_module.lexicon.cache_clear()
    index.warm_up()
    assert len(WARM_UP_QUERIES) == 3
    for text in ("纯棉毛巾", "cotton towels", "khăn bông"):
        assert any(q.startswith(text) for q in emb.queries), (text, emb.queries)
    assert lexicon_module.lexicon.cache_info().currsize == 1  # the lexicons are loaded


def test_warm_up_leaves_the_query_cache_as_it_was():
    index, emb = _index()
    index.search("fabric sofa")
    before = list(index._qcache)
    index.warm_up()
    assert list(index._qcache) == before
    emb.queries.clear()
    index.search("fabric sofa")  # still cached: no model call
    assert emb.queries == []
    index.search("纯棉毛巾 起订量500条")  # a warm-up text is embedded afresh when a buyer asks it
    assert emb.queries
