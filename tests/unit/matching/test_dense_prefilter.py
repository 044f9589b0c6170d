"""The dense scan of a large catalog: distinct vectors are scanned on their main directions
first, and the best of that scan — and every candidate — are scored exactly
(``dense.VectorTable.search_scores``, ``RankingConfig.dense_prefilter_*``)."""

from __future__ import annotations

import numpy as np
import pytest

from dualcirc.matching.dense import HashEmbedder, VectorTable
from dualcirc.matching.engine import MatchingIndex, RankingConfig
from dualcirc.matching.types import ProductDoc


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=-1, keepdims=True)).astype(np.float32)


def table_of(vectors: np.ndarray) -> VectorTable:
    table = VectorTable()
    for slot, vec in enumerate(vectors):
        table.set(slot, vec)
    return table


def clustered(n: int, dim: int = 32, *, seed: int = 3) -> np.ndarray:
    """Vectors as embeddings are: a shared direction, a few topics, some noise."""
    rng = np.random.default_rng(seed)
    common = rng.standard_normal(dim)
    topics = rng.standard_normal((6, dim))
    pick = rng.integers(0, 6, n)
    return unit(3 * common + 2 * topics[pick] + 0.6 * rng.standard_normal((n, dim)))


def test_a_small_table_is_scored_exactly():
    vecs = clustered(50)
    table = table_of(vecs)
    scores, approximate = table.search_scores(vecs[0], 50, keep=10, dims=4, min_rows=100)
    assert approximate is False
    assert np.allclose(scores, vecs @ vecs[0], atol=1e-6)


def test_a_large_table_scores_the_best_of_the_scan_exactly_and_finds_the_exact_best():
    vecs = clustered(2000)
    table = table_of(vecs)
    rng = np.random.default_rng(9)
    for _ in range(20):
        query = unit(vecs[rng.integers(0, 2000)] + 0.3 * rng.standard_normal(32))
        scores, approximate = table.search_scores(query, 2000, keep=300, dims=20, min_rows=0)
        exact = vecs @ query
        assert approximate is True
        best = np.argsort(-scores)[:10]
        assert set(best) == set(np.argsort(-exact)[:10])
        # the best of the scan carry their exact scores, the rest an approximation
        assert np.allclose(scores[best], exact[best], atol=1e-5)
        assert not np.allclose(scores, exact, atol=1e-3)
        some = np.array([5, 17, 1999])
        assert np.allclose(table.exact(query, some), exact[some], atol=1e-6)


def test_a_slot_without_an_embedding_scores_zero_and_rows_added_later_are_found():
    vecs = clustered(1000)
    table = table_of(vecs)
    table.grow(1002)  # slots 1000 and 1001 have no embedding yet (the zero row)
    query = vecs[10]
    scores, _ = table.search_scores(query, 1002, keep=100, dims=8, min_rows=0)
    assert scores[1000] == 0.0 and scores[1001] == 0.0
    late = unit(np.asarray(query) + 0.01)  # arrives after the projection was fitted
    table.set(1001, late)
    scores, approximate = table.search_scores(query, 1002, keep=100, dims=8, min_rows=0)
    assert approximate is True
    assert int(np.argmax(scores)) in (10, 1001)
    assert scores[1001] == pytest.approx(float(late @ query), abs=1e-6)


def test_compaction_refits_the_projection_to_the_rows_left():
    vecs = clustered(1500)
    table = table_of(vecs)
    table.search_scores(vecs[0], 1500, keep=100, dims=8, min_rows=0)
    live = list(range(500, 1500))
    table.compact(live)
    query = vecs[700]
    scores, _ = table.search_scores(query, 1000, keep=100, dims=8, min_rows=0)
    assert int(np.argmax(scores)) == 200  # slot 700 is slot 200 after renumbering
    assert scores[200] == pytest.approx(1.0, abs=1e-5)


def test_the_mean_vector_counts_each_slot():
    a, b = unit(np.array([1.0, 0.0])), unit(np.array([0.0, 1.0]))
    table = table_of(np.vstack([a, a, a, b]))
    assert np.allclose(table.mean(np.arange(4)), [0.75, 0.25])
    assert np.allclose(table.mean(np.array([3])), [0.0, 1.0])
    assert np.allclose(table.mean(np.array([], dtype=np.int64)), [0.0, 0.0])


WORDS = "oak pine walnut ash teak chair table sofa bed desk stool shelf bench lamp rug".split()


def catalog(n: int) -> list[ProductDoc]:
    rng = np.random.default_rng(4)
    return [
        ProductDoc(
            doc_id=f"p{i}",
            enterprise_id=f"E{i % 7}",
            sku=f"p{i}",
            titles={"en": " ".join(rng.choice(WORDS, 3, replace=False)) + f" model {i}"},
        )
        for i in range(n)
    ]


def test_the_engine_ranks_and_judges_a_prefiltered_scan_as_an_exact_one():
    docs = catalog(600)
    emb = HashEmbedder(dim=64)
    exact = MatchingIndex.build(docs, emb, config=RankingConfig(candidates=40))
    scan = RankingConfig(
        candidates=40, dense_prefilter_rows=0, dense_prefilter_dims=32, dense_prefilter_keep=150
    )
    quick = MatchingIndex.build(docs, emb, config=scan)
    for text in ("oak chair", "walnut desk lamp", "teak bench", "rug", "pine shelf model 12"):
        pq = exact.parse(text)
        c1, _l1, _d1, _t1, gap1 = exact._retrieve(pq)
        c2, _l2, _d2, _t2, gap2 = quick._retrieve(pq)
        # every candidate's dense gap is exact (exact score, exact catalog mean) ...
        common, i1, i2 = np.intersect1d(c1, c2, return_indices=True)
        assert len(common) >= 0.9 * len(c1)
        assert np.allclose(gap1[i1], gap2[i2], atol=1e-5)
        # ... so the hits are the same
        assert [h.doc_id for h in exact.search(text).hits] == [
            h.doc_id for h in quick.search(text).hits
        ]
