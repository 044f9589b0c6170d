"""The index's state: one copy of the documents, embeddings filled in behind the words, the
passage texts shared across products, and the on-disk snapshot."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dualcirc.matching.dense import CachedEmbedder, DictEmbeddingCache, HashEmbedder
from dualcirc.matching.engine import MatchingIndex, embed_documents, passage_texts
from dualcirc.matching.hs import HSNomenclature
from dualcirc.matching.store import IndexCorrupt, IndexMissing, IndexStore
from dualcirc.matching.types import ProductDoc

HS_CSV = "section,hscode,description,parent,level\n"
HS_CSV += "XX,94,Furniture,TOTAL,2\nXX,9401,Seats,94,4\n"
HS_CSV += "XX,940161,Seats; upholstered with wooden frames,9401,6\n"


def doc(doc_id: str, title: str, *, hs: str = "", lang: str = "en") -> ProductDoc:
    return ProductDoc(
        doc_id=doc_id, enterprise_id="E1", sku=doc_id, titles={lang: title}, hs_code=hs
    )


class CountingEmbedder(HashEmbedder):
    def __init__(self) -> None:
        super().__init__(dim=16)
        self.passages: list[str] = []

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.passages.extend(texts)
        return super().embed_passages(texts)


@pytest.fixture
def hs(tmp_path: Path) -> HSNomenclature:
    path = tmp_path / "hs.csv"
    path.write_text(HS_CSV, encoding="utf-8")
    return HSNomenclature.from_csv(path)


def test_docs_are_read_through_the_slots_after_upserts_deletes_and_compaction():
    index = MatchingIndex.build([doc("a", "oak table"), doc("b", "pine chair")], HashEmbedder())

    index.upsert([doc("a", "walnut table"), doc("c", "birch stool")])
    index.delete(["b"])
    index.compact()

    assert dict(index.docs) == {"a": doc("a", "walnut table"), "c": doc("c", "birch stool")}
    assert "b" not in index.docs
    assert len(index) == len(index.docs) == index.n_slots == 2
    assert [h.doc_id for h in index.search("walnut", explain=False).hits][:1] == ["a"]


def test_set_embeddings_replaces_vectors_without_touching_the_words():
    index = MatchingIndex.build(
        [doc("a", "oak table")], HashEmbedder(), embeddings=np.zeros((1, 64))
    )
    postings = index.lexical.to_arrays()
    generation = index.generation
    vector = HashEmbedder().embed_passages(["oak table"])[0]

    assert index.set_embeddings(["a", "gone"], np.stack([vector, vector])) == 1

    assert np.array_equal(index.embedding("a"), vector)
    assert index.generation == generation + 1
    after = index.lexical.to_arrays()
    assert (after.terms, after.slots.tolist()) == (postings.terms, postings.slots.tolist())


def test_a_product_without_an_embedding_is_found_by_its_words_only():
    index = MatchingIndex.build(
        [doc("a", "bamboo bunk bed"), doc("b", "oak table")],
        HashEmbedder(),
        embeddings=np.vstack([np.zeros(64), HashEmbedder().embed_passages(["oak table"])]),
    )

    found = index.search("bamboo bed")

    assert found.hits[0].doc_id == "a"
    semantic = [r.score for r in found.hits[0].reasons if r.kind == "semantic"]
    assert semantic == [0.0]


def test_the_hs_description_is_shared_and_embedded_once_per_code(hs):
    model = CountingEmbedder()
    embedder = CachedEmbedder(model, DictEmbeddingCache())
    docs = [doc("a", "fabric sofa", hs="940161"), doc("b", "leather sofa", hs="940161")]

    index = MatchingIndex.build(docs, embedder, hs=hs)

    assert passage_texts(docs[0], hs) == ("fabric sofa", "Seats; upholstered with wooden frames")
    assert sorted(model.passages) == sorted(
        ["fabric sofa", "leather sofa", "Seats; upholstered with wooden frames"]
    )
    assert np.linalg.norm(index.embedding("a")) == pytest.approx(1.0)
    assert not np.allclose(index.embedding("a"), model.embed_passages(["fabric sofa"])[0])


def test_a_document_with_a_text_missing_from_the_lookup_gets_no_vector(hs):
    docs = [doc("a", "fabric sofa", hs="940161"), doc("b", "oak table")]
    cache = CachedEmbedder(HashEmbedder(dim=16), DictEmbeddingCache())
    cache.embed_passages(["oak table", "fabric sofa"])  # not the HS description

    vectors = embed_documents(docs, hs, cache.lookup_passages)

    assert vectors[0] is None
    assert vectors[1] is not None and np.linalg.norm(vectors[1]) == pytest.approx(1.0)


def test_a_snapshot_round_trips_and_a_damaged_one_is_refused(tmp_path):
    index = MatchingIndex.build([doc("a", "oak table"), doc("b", "pine chair")], HashEmbedder())
    index.delete(["b"])
    store = IndexStore(tmp_path / "idx")
    with pytest.raises(IndexMissing):
        store.load(HashEmbedder())

    store.save(index)
    loaded = store.load(HashEmbedder())

    assert dict(loaded.docs) == dict(index.docs)
    assert np.array_equal(loaded.embedding("a"), index.embedding("a"))
    assert store.generation() == index.generation == loaded.generation
    snapshot = next((tmp_path / "idx").glob("snap-*"))
    (snapshot / "emb_rows.npy").write_bytes(b"damaged")
    with pytest.raises(IndexCorrupt):
        store.load(HashEmbedder())


def test_vectors_shared_by_products_are_stored_once_and_scored_per_slot():
    emb = HashEmbedder(dim=16)
    same = emb.embed_passages(["oak table"])[0]
    other = emb.embed_passages(["pine chair"])[0]
    index = MatchingIndex.build(
        [doc("a", "oak table"), doc("b", "oak table v2"), doc("c", "pine chair")],
        emb,
        embeddings=np.vstack([same, same, other]),
    )
    _docs, vectors = index.state()

    assert vectors.n_rows == 3  # the zero row (no embedding yet) and two distinct vectors
    scores = vectors.scores(same, 3)
    assert scores.tolist() == pytest.approx([1.0, 1.0, float(other @ same)])
    index.delete(["a", "b"])
    index.compact()
    assert index.state()[1].n_rows == 2
    assert np.array_equal(index.embedding("c"), other)


def test_the_embedded_title_does_not_depend_on_the_order_of_the_titles(hs):
    zh_first = ProductDoc("a", "E1", "a", titles={"zh": "布艺沙发", "en": "Fabric sofa"})
    en_first = ProductDoc("a", "E1", "a", titles={"en": "Fabric sofa", "zh": "布艺沙发"})

    assert passage_texts(zh_first, hs) == passage_texts(en_first, hs) == ("布艺沙发",)
