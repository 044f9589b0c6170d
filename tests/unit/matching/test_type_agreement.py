"""Type agreement in ranking (``RankingConfig.named_weight``): a hit that states what the query
names (``vocab.query_units``: the product phrase, each thing by any of its names) is lifted
over hits that only share its other words."""

from typing import Any

import pytest

from dualcirc.matching.dense import CachedEmbedder, DictEmbeddingCache
from dualcirc.matching.engine import MatchingIndex, RankingConfig
from dualcirc.matching.types import ProductDoc, ReasonKind
from dualcirc.matching.vocab import query_units
from tests.unit.matching.test_feedback import SameVector


def doc(doc_id: str, **titles: str) -> ProductDoc:
    return ProductDoc(doc_id=doc_id, enterprise_id=doc_id, sku=doc_id, titles=titles)


# "TC" (polyester-cotton) is what the grey cloths say, three times; the coverall says what the
# buyer asks for, 连体服, in Chinese only, and is not TC
DOCS = [doc(f"cloth{i}", en=f"TC grey fabric, TC {i}") for i in range(3)]
DOCS += [doc("coverall", zh="纯棉连体服")]
DOCS += [doc(f"f{i}", en=f"filler item {i}") for i in range(30)]
QUERY = "TC coverall"


def scores(**config: Any) -> dict[str, float]:
    cfg = RankingConfig(**{"feedback_depth": 0, **config})
    index = MatchingIndex.build(
        DOCS, CachedEmbedder(SameVector(), DictEmbeddingCache()), config=cfg
    )
    return {h.doc_id: h.score for h in index.search(QUERY, limit=10).hits}


def test_the_query_names_the_coverall_by_all_its_names():
    (unit,) = query_units(QUERY, "en")
    assert "coverall" in unit and "连体服" in unit


def test_a_hit_stating_what_the_query_names_is_lifted_by_the_weight():
    off, on = scores(named_weight=0.0), scores(named_weight=0.3)
    assert on["coverall"] - off["coverall"] == pytest.approx(0.3)
    assert on["cloth0"] == pytest.approx(off["cloth0"])  # says TC, not a coverall
    assert on["f0"] == pytest.approx(off["f0"])


def test_enough_weight_puts_the_named_product_above_the_modifier_matches():
    off, on = scores(named_weight=0.0), scores(named_weight=1.0)
    assert max(off, key=off.__getitem__).startswith("cloth")
    assert max(on, key=on.__getitem__) == "coverall"


def test_the_hit_says_what_it_is_of_what_the_query_names():
    embedder = CachedEmbedder(SameVector(), DictEmbeddingCache())
    index = MatchingIndex.build(DOCS, embedder, config=RankingConfig(feedback_depth=0))
    hits = {h.doc_id: h for h in index.search(QUERY, limit=10).hits}
    named = [r for r in hits["coverall"].reasons if r.kind == ReasonKind.NAMED]
    assert [r.terms for r in named] == [("连体服",)]  # by the product's own name for it
    assert not [r for r in hits["cloth0"].reasons if r.kind == ReasonKind.NAMED]
