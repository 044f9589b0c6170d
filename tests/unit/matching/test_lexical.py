import numpy as np
import pytest

from dualcirc.matching.lexical import LexicalIndex, matched_terms, query_terms

DOCS = {
    0: {"title": "oak dining table", "description": "solid wood table for six"},
    1: {"title": "sofa cover", "description": "stretch cover for a three seat sofa"},
    2: {"title": "three seat sofa", "attributes": "material leather"},
    3: {"title": "实木餐桌", "description": "橡木"},
}


def build() -> LexicalIndex:
    idx = LexicalIndex()
    for slot, fields in DOCS.items():
        idx.add(slot, fields)
    return idx


def top(idx: LexicalIndex, text: str) -> list[int]:
    s = idx.scores(query_terms([(text, 1.0)]))
    return [int(i) for i in np.argsort(-s) if s[i] > 0]


def test_title_outweighs_description():
    # "sofa" is in the title of 2 and only the description... and title of 1: 2 wins on
    # "seat" (title) vs 1's description
    assert top(build(), "three seat sofa")[0] == 2


def test_chinese_query_matches_chinese_doc():
    assert top(build(), "餐桌") == [3]


def test_remove_and_readd_slot():
    idx = build()
    idx.remove(2)
    assert 2 not in top(idx, "sofa")
    with pytest.raises(ValueError):
        idx.add(0, {"title": "x"})
    idx.add(4, {"title": "leather sofa"})
    assert top(idx, "leather sofa")[0] == 4


def test_compact_keeps_scores_and_renumbers():
    idx = build()
    idx.add(4, {"title": "leather sofa"})
    idx.remove(1)
    before = idx.scores(query_terms([("leather sofa table", 1.0)]))
    remap = np.array([0, -1, 1, 2, 3])
    idx.compact(remap, 4)
    after = idx.scores(query_terms([("leather sofa table", 1.0)]))
    assert idx.delta_postings == 0
    # document frequencies drop the dead doc after compaction, so compare orderings
    # (score arrays may be longer than the slots in use: capacity grows ahead)
    ranked_before = [
        int(remap[i]) for i in np.argsort(-before, kind="stable") if i < 5 and before[i] > 0
    ]
    ranked_after = [int(i) for i in np.argsort(-after, kind="stable") if i < 4 and after[i] > 0]
    assert ranked_after == [r for r in ranked_before if r >= 0]
    assert ranked_after[0] == 3  # "leather sofa", slot 4 before, renumbered to 3


def test_from_arrays_round_trip():
    idx = build()
    arrays = idx.to_arrays()
    again = LexicalIndex.from_arrays(arrays)
    q = query_terms([("sofa 餐桌 oak", 1.0)])
    assert np.allclose(idx.scores(q), again.scores(q))


def test_weighted_query_terms_and_matched_terms():
    q = query_terms([("sofa", 1.0), ("couch sofa", 0.5)])
    assert q == {"sofa": 1.0, "couch": 0.5, "couch_sofa": 0.5}
    m = matched_terms(DOCS[1], {"sofa": 1.0, "stretch": 1.0})
    assert m == {"title": ["sofa"], "description": ["sofa", "stretch"]}
