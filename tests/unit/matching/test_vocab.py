"""Trade glossary: concept lookup, expansions across en / zh / vi, and cross-lingual search."""

from decimal import Decimal

import numpy as np

from dualcirc.matching.engine import MatchingIndex
from dualcirc.matching.types import ProductDoc
from dualcirc.matching.vocab import (
    equivalents,
    exclusive_alternatives,
    expand_terms,
    find_concepts,
    glossary,
    pivot_text,
)


def keys(text: str, lang: str) -> list[str]:
    return [m.concept.key for m in find_concepts(text, lang)]


def test_glossary_is_broad_and_well_formed():
    g = glossary()
    assert len(g.concepts) >= 400
    kinds = {c.kind for c in g.concepts}
    assert {"type", "material", "color", "feature"} <= kinds
    for c in g.concepts:
        for name in c.narrower:
            assert name in g.by_name, f"{c.key}: unknown narrower concept {name!r}"


def test_find_concepts_longest_match_in_each_language():
    assert keys("brown sectional couch", "en") == ["brown", "sectional sofa"]
    assert keys("求购胡桃色吃饭椅子", "zh") == ["walnut color", "dining chair"]
    assert keys("ghế quầy bar vải nhung", "vi") == ["bar stool", "velvet"]
    # Vietnamese typed without tone marks still matches
    assert keys("ban chai danh rang tre em", "vi") == ["kids toothbrush"]
    # English stems: plural forms match
    assert keys("combination wrenches", "en") == ["combination wrench"]


def test_find_concepts_keeps_latin_words_whole_inside_chinese():
    assert keys("LED电视", "zh") == ["led tv"]
    assert keys("TC连体服", "zh") == ["polyester cotton", "coverall"]


def test_expand_terms_vietnamese_to_english_and_chinese():
    exp = expand_terms("rèm cửa xám", "vi")
    assert exp[0] == "curtain grey"
    joined = " ".join(exp[1:])
    assert "窗帘" in joined and "curtain" in joined
    assert "灰色" in joined and "grey" in joined


def test_expand_terms_english_pivot_is_chinese():
    exp = expand_terms("faux leather sofa bed", "en")
    assert exp[0] == "pu皮 沙发床"
    assert any("沙发床" in e for e in exp[1:])


def test_expand_terms_unknown_words_give_nothing():
    assert expand_terms("zzzz qqqq", "en") == []


def test_pivot_text_keeps_numbers_and_codes():
    assert pivot_text("tivi QLED 85 inch", "vi") == "qled tv 85 inch"


def test_equivalents_include_narrower_concepts():
    names = equivalents("solid wood")
    assert "实木" in names and "oak" in names and "胡桃木" in names and "gỗ sồi" in names
    assert equivalents("unknown thing") == ["unknown thing"]


def test_exclusive_alternatives():
    assert exclusive_alternatives("cordless") == ["corded"]
    assert exclusive_alternatives("black") == []


class ConstantEmbedder:
    """Every text gets the same vector: only the lexical side (and glossary) can match."""

    model_id = "constant-4"

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 4), dtype=np.float32) / 2

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.embed_queries(texts)


def test_engine_vietnamese_query_finds_chinese_only_listing_through_glossary():
    docs = [
        ProductDoc("curtain", "E1", "c1", {"zh": "全遮光涤纶灰色窗帘"}, hs_code="630392"),
        ProductDoc("towel", "E2", "t1", {"zh": "全棉灰色毛巾 500克"}, hs_code="630260"),
        ProductDoc(
            "sofa",
            "E3",
            "s1",
            {"zh": "布艺沙发 3人位"},
            hs_code="940161",
            moq=Decimal(10),
            unit="套",
        ),
    ]
    index = MatchingIndex.build(docs, ConstantEmbedder())
    res = index.search("rèm cửa xám giá sỉ")
    assert res.query.language == "vi"
    assert res.hits[0].doc_id == "curtain"
    term_reasons = [r for r in res.hits[0].reasons if r.kind == "term"]
    assert any("窗帘" in r.terms for r in term_reasons)
    # without the glossary no word of the query meets the listing
    bare = MatchingIndex.build(docs, ConstantEmbedder(), expander=lambda text, lang: [])
    bare_hits = {h.doc_id: h for h in bare.search("rèm cửa xám").hits}
    assert not [r for r in bare_hits["curtain"].reasons if r.kind == "term"]
