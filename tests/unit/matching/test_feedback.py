"""Pseudo-relevance feedback across the languages of bilingual listings
(``MatchingIndex._feedback_terms``): a buyer's word that no dictionary renders reaches the
listings written only in the other language through the titles of the bilingual ones."""

from typing import Any

import numpy as np

from dualcirc.matching.dense import CachedEmbedder, DictEmbeddingCache, HashEmbedder
from dualcirc.matching.engine import MatchingIndex, RankingConfig
from dualcirc.matching.types import ProductDoc, ReasonKind


def doc(doc_id: str, **titles: str) -> ProductDoc:
    return ProductDoc(doc_id=doc_id, enterprise_id=doc_id, sku=doc_id, titles=titles)


# three bilingual listings whose English titles say "barstool" and whose Chinese titles say
# 吧台凳; one Chinese-only listing of the same thing, and Chinese-only chairs of other kinds
BILINGUAL = [
    doc("b1", en="walnut barstool", zh="胡桃木吧台凳"),
    doc("b2", en="velvet barstool", zh="丝绒吧台凳"),
    doc("b3", en="metal barstool", zh="铁艺吧台凳"),
]
ZH_ONLY = [
    doc("zh-office", zh="网布办公椅 工厂直供"),
    doc("zh-dining", zh="实木餐椅 工厂直供"),
    doc("zh-sofa", zh="布艺沙发 工厂直供"),
    doc("zh-stool", zh="橡木吧台凳 工厂直供"),
]
FILLER = [doc(f"f{i}", en=f"filler item {i}") for i in range(40)]


class SameVector(HashEmbedder):
    """Every text gets one vector: the dense side ranks nothing, the words decide."""

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        v[0] = 1.0
        return v


def build(**config: Any) -> MatchingIndex:
    emb = CachedEmbedder(SameVector(), DictEmbeddingCache())
    # a small catalog: words in up to 0.2 × 47 ≈ 9 listings count as specific
    cfg = RankingConfig(**{"feedback_max_df": 0.2, **config})
    return MatchingIndex.build(BILINGUAL + ZH_ONLY + FILLER, emb, config=cfg)


def ranked(index: MatchingIndex, query: str) -> list[str]:
    return [h.doc_id for h in index.search(query, limit=10).hits]


def test_the_other_language_titles_of_the_best_hits_find_a_listing_in_that_language_only():
    with_feedback = ranked(build(), "barstool")
    assert set(with_feedback[:3]) == {"b1", "b2", "b3"}
    assert with_feedback[3] == "zh-stool"  # through 吧台凳, a word the buyer never wrote
    # without feedback the Chinese-only listing is not told apart from the other listings
    without = ranked(build(feedback_depth=0), "barstool")
    assert without.index("zh-stool") > 3


def test_a_word_too_few_of_the_best_hits_share_is_not_fed_back():
    # only one bilingual listing says 丝绒 (velvet): below feedback_min_docs (3)
    index = build()
    result = index.search("barstool", limit=10)
    matched = {t for h in result.hits for r in h.reasons for t in r.terms}
    assert "台凳" in matched  # of 吧台凳, in all three
    assert "丝绒" not in matched and "胡桃木" not in matched


def test_a_word_common_in_the_catalog_is_not_fed_back():
    # with a 5% bound (2 of 47 listings) neither 工厂直供 nor 吧台凳 counts as specific
    index = build(feedback_max_df=0.05)
    result = index.search("barstool", limit=10)
    matched = {t for h in result.hits for r in h.reasons for t in r.terms}
    assert "台凳" not in matched  # in 4 of 47 listings, above 5% too: nothing is fed back
    assert ranked(index, "barstool").index("zh-stool") > 3


def test_titles_in_the_query_language_are_not_fed_back():
    # a Chinese query: its best hits' Chinese titles are in its own language, and their
    # English titles' "barstool" is the only other word they share
    index = build()
    result = index.search("吧台凳", limit=10)
    assert {h.doc_id for h in result.hits[:4]} == {"b1", "b2", "b3", "zh-stool"}
    matched = {t for h in result.hits for r in h.reasons for t in r.terms}
    assert "barstool" in matched
    assert not matched & {"胡桃木", "丝绒", "工厂直供", "橡木"}


def test_the_feedbacks_words_are_shown_apart_as_related_not_as_the_buyers():
    result = build().search("barstool", limit=10)
    by_id = {h.doc_id: h for h in result.hits}
    stool = by_id["zh-stool"]  # found only through 吧台凳, a word the buyer never wrote
    assert not [r for r in stool.reasons if r.kind == ReasonKind.TERM]
    (related,) = [r for r in stool.reasons if r.kind == ReasonKind.RELATED]
    assert "台凳" in related.terms
    b1 = by_id["b1"]
    typed = {t for r in b1.reasons if r.kind == ReasonKind.TERM for t in r.terms}
    assert "barstool" in typed and "台凳" not in typed
    assert any("台凳" in r.terms for r in b1.reasons if r.kind == ReasonKind.RELATED)
