"""A fresh query's model calls: the buyer's words and, where configured, the glossary's pivot
rendering — blended from two calls, joined into one text, or skipped for a language."""

from dataclasses import replace

import numpy as np

from dualcirc.matching.dense import HashEmbedder
from dualcirc.matching.engine import MatchingIndex
from dualcirc.matching.types import ProductDoc


class Recording(HashEmbedder):
    """The hashing embedder, remembering the query texts it was asked for."""

    def __init__(self) -> None:
        super().__init__(64)
        self.queries: list[str] = []

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        self.queries += texts
        return super().embed_queries(texts)


def _index() -> tuple[MatchingIndex, Recording]:
    emb = Recording()
    docs = [
        ProductDoc(doc_id="s", enterprise_id="E", sku="s", titles={"zh": "布艺沙发"}),
        ProductDoc(doc_id="t", enterprise_id="E", sku="t", titles={"en": "oak dining table"}),
    ]
    index = MatchingIndex.build(docs, emb)
    emb.queries.clear()  # (the toy embedder embeds passages through embed_queries)
    return index, emb


def test_default_embeds_the_words_and_the_pivot_once_each():
    index, emb = _index()
    index.search("布艺沙发")
    assert len(emb.queries) == 2 and emb.queries[0] == "布艺沙发"
    assert "sofa" in emb.queries[1]
    emb.queries.clear()
    index.search("布艺沙发")  # the process's query cache: no model call
    assert emb.queries == []


def test_joined_pivot_is_one_model_call_with_both_texts():
    index, emb = _index()
    index.config = replace(index.config, pivot_joined=True)
    index.search("布艺沙发")
    assert len(emb.queries) == 1
    assert emb.queries[0].startswith("布艺沙发 ") and "sofa" in emb.queries[0]


def test_languages_without_pivot_make_one_call_and_still_find_by_words():
    index, emb = _index()
    index.config = replace(index.config, pivot_languages=frozenset({"en", "vi"}))
    hits = index.search("布艺沙发").hits
    assert emb.queries == ["布艺沙发"]
    assert [h.doc_id for h in hits][:1] == ["s"]
