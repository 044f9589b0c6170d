"""MatchingIndex.warm_up: one query per interface language loads what a first search loads,
and leaves the query-embedding cache as it was."""

from dualcirc.matching import lexicon as lexicon_module
from dualcirc.matching.engine import WARM_UP_QUERIES

# a two-product index whose embedder remembers the query texts it was asked for
from tests.unit.matching.test_query_embedding import _index


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
    index.search("oak dining table")
    before = list(index._qcache)
    index.warm_up()
    assert list(index._qcache) == before
    emb.queries.clear()
    index.search("oak dining table")  # still cached: no model call
    assert emb.queries == []
    index.search("纯棉毛巾 起订量500条")  # a warm-up text is embedded afresh when a buyer asks it
    assert emb.queries
