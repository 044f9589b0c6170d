"""The dense scan of a large catalog: distinct vectors are scanned on their main directions
first, and the best of that scan — and every candidate — are scored exactly
(``MatchingIndex._dense``, ``dense.VectorTable.best_rows``, ``RankingConfig.dense_prefilter_*``)."""

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


def test_a_small_table_or_all_dimensions_keep_every_row():
    vecs = clustered(50)
    table = table_of(vecs)
    assert sorted(table.best_rows(vecs[0], keep=60, dims=4)) == list(range(51))
    assert sorted(table.best_rows(vecs[0], keep=10, dims=32)) == list(range(51))


def test_the_best_rows_of_the_scan_hold_the_exact_best():
    vecs = clustered(2000)
    table = table_of(vecs)  # row r + 1 holds vecs[r] (row 0 is the zero vector)
    rng = np.random.default_rng(9)
    for _ in range(20):
        query = unit(vecs[rng.integers(0, 2000)] + 0.3 * rng.standard_normal(32))
        rows = table.best_rows(query, keep=300, dims=20)
        assert len(rows) == 300 and len(set(rows.tolist())) == 300
        exact_best = np.argsort(-(vecs @ query))[:10] + 1
        assert set(exact_best) <= set(rows.tolist())
        slots = np.array([5, 17, 1999])
        assert np.allclose(table.exact(query, slots), vecs[slots] @ query, atol=1e-6)


def test_rows_added_after_the_fit_are_projected_and_found():
    vecs = clustered(1000)
    table = table_of(vecs)
    query = vecs[10]
    table.best_rows(query, keep=100, dims=8)  # fits the projection
    late = unit(np.asarray(query) + 0.01)
    table.set(1000, late)
    rows = table.best_rows(query, keep=100, dims=8)
    assert table.row_of[1000] in rows and table.row_of[10] in rows
    assert table.exact(query, np.array([1000]))[0] == pytest.approx(float(late @ query), abs=1e-6)


def test_compaction_keeps_the_projections_of_the_rows_left():
    vecs = clustered(1500)
    table = table_of(vecs)
    table.best_rows(vecs[0], keep=100, dims=8)
    basis = table._basis
    table.compact(list(range(500, 1500)))
    assert table._basis is basis and table._proj_n == table.n_rows == 1001
    assert np.allclose(table._proj[1:1001], vecs[500:1500] @ basis, atol=1e-5)
    query = vecs[700]
    rows = table.best_rows(query, keep=100, dims=8)
    assert table.row_of[200] in rows  # slot 700 is slot 200 after renumbering
    assert table.exact(query, np.array([200]))[0] == pytest.approx(1.0, abs=1e-5)


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
        c1, _l1, _d1, _t1, gap1, _r1 = exact._retrieve(pq)
        c2, _l2, _d2, _t2, gap2, _r2 = quick._retrieve(pq)
        # the scan kept the exact scan's best, and every candidate's dense gap is exact
        # (exact score, exact catalog mean) ...
        common, i1, i2 = np.intersect1d(c1, c2, return_indices=True)
        assert len(common) >= 0.9 * len(c1)
        top_exact, _ = exact._dense(exact._query_vector(pq), 600, exact._alive_mask(600))
        top_quick, score_of = quick._dense(quick._query_vector(pq), 600, quick._alive_mask(600))
        assert set(top_exact[:10]) <= set(top_quick)
        assert np.allclose(
            score_of(top_exact[:10]),
            exact._vectors.exact(exact._query_vector(pq), top_exact[:10]),
            atol=1e-6,
        )
        assert np.allclose(gap1[i1], gap2[i2], atol=1e-5)
        # ... so the hits are the same
        assert [h.doc_id for h in exact.search(text).hits] == [
            h.doc_id for h in quick.search(text).hits
        ]


def test_equal_vectors_share_a_row_and_a_hash_shared_by_another_vector_costs_only_the_sharing():
    a, b = unit(np.array([1.0, 0.0])), unit(np.array([0.6, 0.8]))
    table = table_of(np.vstack([a, a]))
    assert table.n_rows == 2 and table.row_of[0] == table.row_of[1]
    # b's hash as if it collided with a's row: b must still get a row of its own
    table._row_by_hash[hash(b.tobytes())] = int(table.row_of[0])
    table.set(2, b)
    table.set(3, b)
    assert table.n_rows == 4  # the zero row, a, and b twice (its hash finds a's row)
    assert np.allclose(table.scores(b, 4), [float(a @ b), float(a @ b), 1.0, 1.0])


def test_a_loaded_index_has_its_projection_fitted_before_the_first_query(tmp_path):
    from dualcirc.matching.store import IndexStore

    emb = HashEmbedder(dim=64)
    scan = RankingConfig(
        candidates=40, dense_prefilter_rows=0, dense_prefilter_dims=32, dense_prefilter_keep=150
    )
    IndexStore(tmp_path).save(MatchingIndex.build(catalog(300), emb, config=scan))
    loaded = IndexStore(tmp_path).load(emb, config=scan)
    table = loaded._vectors
    assert table._basis is not None and table._proj_n == table.n_rows
    exact = IndexStore(tmp_path).load(emb)  # the default: 300 rows are scanned exactly
    assert exact._vectors._basis is None
    assert [h.doc_id for h in loaded.search("oak chair").hits] == [
        h.doc_id for h in exact.search("oak chair").hits
    ]
