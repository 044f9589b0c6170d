import pytest

from dualcirc.matching.evaluation import (
    evaluate,
    load_catalog_csv,
    mrr_at_k,
    ndcg_at_k,
    parse_attributes,
    read_qrels,
    read_queries,
    read_run,
    recall_at_k,
    write_run,
)

# q1: judged a=2, b=1, c=2, d=0; the run ranks b, a, x (x unjudged).
#   DCG  = (2^1-1)/log2(2) + (2^2-1)/log2(3) + 0        = 1 + 1.892789 = 2.892789
#   IDCG = grades 2,2,1: 3/log2(2) + 3/log2(3) + 1/log2(4) = 3 + 1.892789 + 0.5 = 5.392789
#   nDCG@10 = 0.536418; Recall@10 (grade 2: a, c) = 1/2; MRR@10 (first grade 2 at rank 2) = 1/2
# q2: judged e=2; the run ranks e first: nDCG = Recall = MRR = 1.
QRELS = {"q1": {"a": 2, "b": 1, "c": 2, "d": 0}, "q2": {"e": 2}}
RUN = {"q1": ["b", "a", "x"], "q2": ["e"]}


def test_ndcg_hand_computed():
    assert ndcg_at_k(QRELS["q1"], RUN["q1"]) == pytest.approx(0.536418, abs=1e-6)
    assert ndcg_at_k(QRELS["q2"], RUN["q2"]) == pytest.approx(1.0)


def test_ndcg_cutoff_uses_ideal_at_k():
    # @1: DCG = 1 (b, grade 1); IDCG@1 = 3 (a grade 2)
    assert ndcg_at_k(QRELS["q1"], RUN["q1"], k=1) == pytest.approx(1 / 3)


def test_ndcg_of_perfect_and_empty_runs():
    assert ndcg_at_k(QRELS["q1"], ["a", "c", "b"]) == pytest.approx(1.0)
    assert ndcg_at_k(QRELS["q1"], []) == 0.0
    assert ndcg_at_k({"z": 0}, ["z"]) == 0.0


def test_recall_and_mrr():
    assert recall_at_k(QRELS["q1"], RUN["q1"]) == pytest.approx(0.5)
    assert mrr_at_k(QRELS["q1"], RUN["q1"]) == pytest.approx(0.5)
    # with min_grade=1 the first relevant doc (b) is at rank 1
    assert mrr_at_k(QRELS["q1"], RUN["q1"], min_grade=1) == pytest.approx(1.0)
    assert mrr_at_k(QRELS["q1"], ["x", "y"]) == 0.0


def test_evaluate_overall_and_per_language():
    report = evaluate(QRELS, RUN, languages={"q1": "en", "q2": "zh"})
    assert report["all"]["ndcg@10"] == pytest.approx((0.536417 + 1) / 2, abs=1e-6)
    assert report["en"]["ndcg@10"] == pytest.approx(0.536418, abs=1e-6)
    assert report["zh"]["mrr@10"] == pytest.approx(1.0)
    assert report["all"]["recall@10"] == pytest.approx(0.75)
    # a query absent from the run counts as 0
    missing = evaluate(QRELS, {"q2": ["e"]})
    assert missing["all"]["ndcg@10"] == pytest.approx(0.5)


def test_tsv_round_trip(tmp_path):
    (tmp_path / "queries.tsv").write_text('qid\tlang\tquery\nq1\ten\tsofa "3 seat"\n')
    (tmp_path / "qrels.tsv").write_text("qid\tsku\tgrade\nq1\ta\t2\nq1\tb\t1\n")
    assert read_queries(tmp_path / "queries.tsv") == [("q1", "en", 'sofa "3 seat"')]
    assert read_qrels(tmp_path / "qrels.tsv") == {"q1": {"a": 2, "b": 1}}
    write_run(tmp_path / "run.tsv", {"q1": ["b", "a"]})
    assert read_run(tmp_path / "run.tsv") == {"q1": ["b", "a"]}
    # DCG = 1 + 3/log2(3) = 2.892789; IDCG = 3 + 1/log2(3) = 3.630930
    assert ndcg_at_k({"a": 2, "b": 1}, read_run(tmp_path / "run.tsv")["q1"]) == pytest.approx(
        0.796713, abs=1e-5
    )


def test_parse_attributes():
    assert parse_attributes("材质=橡木; color=Walnut Finish; junk") == {
        "材质": "橡木",
        "color": "Walnut Finish",
    }


def test_load_catalog_csv(tmp_path):
    p = tmp_path / "catalog.csv"
    p.write_text(
        "enterprise,enterprise_en,province,city,industry,sku,title_zh,title_en,description_zh,"
        "description_en,hs_code,attributes,moq,unit,price_min,price_max,currency,certifications,"
        "export_markets,lead_time_days\n"
        '某家具有限公司,"Some Furniture Co., Ltd.",山东省,莱西市,Furniture,S1,橡木餐桌,,'
        "好桌子。,,940360,材质=橡木,50,张,1200,1500,CNY,ISO 9001;FSC,us;DE,30\n",
        encoding="utf-8",
    )
    (doc,) = load_catalog_csv(p)
    assert doc.doc_id == doc.sku == "S1"
    assert doc.titles == {"zh": "橡木餐桌"}
    assert doc.attributes == {"材质": "橡木"}
    assert str(doc.moq) == "50" and str(doc.price_min) == "1200"
    assert doc.certifications == ("ISO 9001", "FSC")
    assert doc.export_markets == ("US", "DE")
    assert doc.lead_time_days == 30
    assert doc.enterprise_id == "Some Furniture Co., Ltd."
