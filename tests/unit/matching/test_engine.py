from decimal import Decimal

import pytest

from dualcirc.matching.dense import CachedEmbedder, DictEmbeddingCache, HashEmbedder
from dualcirc.matching.engine import MatchingIndex
from dualcirc.matching.types import (
    Constraint,
    ConstraintCheck,
    ConstraintKind,
    ParsedQuery,
    ProductDoc,
    RateTable,
    ReasonKind,
)


def doc(doc_id, title, *, ent="E1", lang="en", hs="", certs=(), moq=None, **kw):
    return ProductDoc(
        doc_id=doc_id,
        enterprise_id=ent,
        sku=doc_id,
        titles={lang: title},
        hs_code=hs,
        certifications=tuple(certs),
        moq=Decimal(moq) if moq is not None else None,
        unit="pcs",
        **kw,
    )


DOCS = [
    doc("sofa1", "three seat leather sofa", hs="940161", certs=("ISO 9001",), moq=50),
    doc("sofa2", "fabric corner sofa", hs="940161", ent="E2", moq=500),
    doc("cover", "stretch sofa cover", hs="630492", ent="E3"),
    doc("table", "oak dining table", hs="940360", ent="E2", certs=("FSC",)),
    doc("zhtable", "橡木餐桌", lang="zh", hs="940360", ent="E4"),
    doc("brush", "bamboo toothbrush", hs="960321", ent="E5"),
]


def check(c: Constraint, d: ProductDoc, rates: RateTable) -> ConstraintCheck:
    if c.kind == ConstraintKind.CERTIFICATION:
        return ConstraintCheck(c, c.value in d.certifications)
    if c.kind == ConstraintKind.MOQ_MAX:
        return ConstraintCheck(c, None if d.moq is None else d.moq <= Decimal(c.value))
    return ConstraintCheck(c, None)


@pytest.fixture
def index() -> MatchingIndex:
    emb = CachedEmbedder(HashEmbedder(), DictEmbeddingCache())
    return MatchingIndex.build(DOCS, emb, checker=check)


def ids(result):
    return [h.doc_id for h in result.hits]


def test_search_finds_type_and_explains(index):
    res = index.search("leather sofa", limit=3)
    assert ids(res)[0] == "sofa1"
    kinds = {r.kind for r in res.hits[0].reasons}
    assert ReasonKind.TERM in kinds and ReasonKind.SEMANTIC in kinds
    term = next(r for r in res.hits[0].reasons if r.kind == ReasonKind.TERM)
    assert term.field == "title" and "leather" in term.terms


def test_satisfied_constraint_lifts(index):
    pq = ParsedQuery(
        text="sofa moq 100",
        language="en",
        terms="sofa",
        constraints=(Constraint(ConstraintKind.MOQ_MAX, Decimal(100), unit="pcs"),),
    )
    res = index.search(pq, limit=3)
    assert ids(res)[0] == "sofa1"  # moq 50 holds, sofa2 (500) fails
    checks = [r.check for r in res.hits[0].reasons if r.kind == ReasonKind.CONSTRAINT]
    assert checks and checks[0].satisfied is True
    # the failing sofa is demoted, not dropped
    assert "sofa2" in ids(index.search(pq, limit=6))


def test_hard_filter_excludes(index):
    f = Constraint(ConstraintKind.CERTIFICATION, "FSC", hard=True)
    res = index.search("table", filters=[f], limit=5)
    assert ids(res) == ["table"]


def test_visible_callable(index):
    res = index.search("sofa", visible=lambda d: d != "sofa1", limit=5)
    assert "sofa1" not in ids(res) and "sofa2" in ids(res)


def test_upsert_replaces_and_delete_removes(index):
    index.upsert([doc("brush", "wooden hanger", hs="442110", ent="E5")])
    assert "brush" not in ids(index.search("toothbrush", limit=3))
    assert ids(index.search("wooden hanger", limit=1)) == ["brush"]
    assert index.delete(["brush", "nope"]) == 1
    assert "brush" not in index
    assert "brush" not in ids(index.search("wooden hanger", limit=6))


def test_many_changes_trigger_compaction_and_stay_consistent(index):
    for i in range(100):
        index.upsert([doc("sofa2", f"fabric corner sofa v{i}", hs="940161", ent="E2")])
    assert index.n_slots < 100  # dead slots were compacted away
    assert ids(index.search("corner sofa", limit=1)) == ["sofa2"]
    assert len(index) == len(DOCS)


def test_embeddings_computed_once_per_text():
    emb = CachedEmbedder(HashEmbedder(), DictEmbeddingCache())
    idx = MatchingIndex.build(DOCS, emb)
    n = emb.computed
    idx.upsert(DOCS[:2])  # unchanged texts: cache hits
    assert emb.computed == n


def test_similar(index):
    sims = [h.doc_id for h in index.similar("sofa1", limit=2)]
    assert "sofa1" not in sims and sims[0] == "sofa2"


def test_similar_leaves_out_deleted_products(index):
    index.delete(["sofa2"])  # one dead slot of six: not compacted yet

    sims = [h.doc_id for h in index.similar("sofa1", limit=10)]

    assert index.n_slots == len(DOCS)
    assert sorted(sims) == ["brush", "cover", "table", "zhtable"]


def test_suppliers_for_need(index):
    out = index.suppliers_for_need(
        "sofa", quantity=Decimal(100), unit="pcs", certifications=["ISO 9001"], limit=3
    )
    assert out[0].enterprise_id == "E1"
    assert out[0].products[0].doc_id == "sofa1"
    assert {r.check.constraint.kind for r in out[0].reasons if r.check} == {
        ConstraintKind.MOQ_MAX,
        ConstraintKind.CERTIFICATION,
    }


def test_search_of_an_empty_index_finds_nothing():
    index = MatchingIndex(HashEmbedder())

    result = index.search("实木餐桌 FSC MOQ under 50 pcs")

    assert result.hits == ()
    assert result.total_candidates == 0


def test_suppliers_for_need_leaves_out_unrelated_factories(index):
    out = index.suppliers_for_need("leather sofa", limit=10)

    enterprises = [s.enterprise_id for s in out]
    assert enterprises[0] == "E1"
    assert "E5" not in enterprises  # the toothbrush factory is no sofa supplier
