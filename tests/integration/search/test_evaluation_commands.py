"""``dualcirc search-run`` and ``dualcirc search-eval`` on a tiny hand-made catalog and qrels
whose scores are worked out by hand below."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from django.core.management import call_command

from dualcirc.cli import ALIASES
from tests.factories.search import make_catalog

QUERIES = (
    "qid\tlang\tquery\nq-en-1\ten\twalnut wardrobe\nq-zh-1\tzh\t牛仔布\nq-vi-1\tvi\tbàn ăn gỗ sồi\n"
)


def dualcirc(argv: list[str]) -> None:
    """``dualcirc <argv>`` in this process (``cli.main`` would set up Django's logging again)."""
    call_command(ALIASES[argv[0]], *argv[1:])


def test_the_command_line_names_of_the_evaluation_commands():
    assert (ALIASES["search-run"], ALIASES["search-eval"]) == ("search_run", "search_eval")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def scores(output: str) -> dict[str, tuple[int, float, float, float]]:
    """The table search-eval prints: group → (queries, nDCG@10, R@10, MRR@10)."""
    rows = {}
    for line in output.strip().splitlines()[1:]:
        group, n, ndcg, recall, mrr = line.split()
        rows[group] = (int(n), float(ndcg), float(recall), float(mrr))
    return rows


@pytest.mark.django_db
def test_search_run_writes_the_top_ten_per_query_as_a_signed_out_buyer(tmp_path, capsys):
    make_catalog()
    queries = write(tmp_path / "queries.tsv", QUERIES)
    run = tmp_path / "run.tsv"

    dualcirc(["search-run", "--queries", str(queries), "--out", str(run)])

    lines = run.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "qid\tsku\trank"
    rows = [line.split("\t") for line in lines[1:]]
    by_query: dict[str, list[tuple[str, int]]] = {}
    for qid, sku, rank in rows:
        by_query.setdefault(qid, []).append((sku, int(rank)))
    assert list(by_query) == ["q-en-1", "q-zh-1", "q-vi-1"]
    for ranked in by_query.values():
        # the five published products, ranked 1..5; the draft LX-D1 never
        assert [rank for _, rank in ranked] == [1, 2, 3, 4, 5]
        assert {sku for sku, _ in ranked} == {"LX-T1", "LX-S1", "LX-W1", "LN-D1", "LN-C1"}
    assert by_query["q-en-1"][0][0] == "LX-W1"
    assert by_query["q-zh-1"][0][0] == "LN-D1"
    assert by_query["q-vi-1"][0][0] == "LX-T1"
    assert "3 queries in" in capsys.readouterr().err


def test_search_eval_prints_hand_computed_scores_overall_and_per_language(tmp_path, capsys):
    qrels = write(
        tmp_path / "qrels.tsv",
        "qid\tsku\tgrade\n"
        "q-en-1\tA\t2\n"
        "q-en-1\tB\t1\n"
        "q-en-1\tC\t0\n"
        "q-en-1\tD\t2\n"
        "q-zh-1\tE\t2\n"
        "q-zh-1\tF\t1\n"
        "q-vi-1\tG\t1\n",
    )
    write(tmp_path / "queries.tsv", QUERIES)  # beside the qrels: languages come from it
    run = write(
        tmp_path / "run.tsv",
        "qid\tsku\trank\n"
        "q-en-1\tB\t1\n"
        "q-en-1\tA\t2\n"
        "q-en-1\tX\t3\n"
        "q-zh-1\tE\t1\n"
        "q-vi-1\tX\t1\n"
        "q-vi-1\tG\t2\n",
    )

    dualcirc(["search-eval", "--qrels", str(qrels), "--run", str(run)])

    # q-en-1: gains B=1, A=3 at ranks 1, 2; ideal 3, 3, 1 (A, D, B)
    ndcg_en = (1 / math.log2(2) + 3 / math.log2(3)) / (3 + 3 / math.log2(3) + 1 / math.log2(4))
    recall_en, mrr_en = 1 / 2, 1 / 2  # A of {A, D}; A, the first grade-2 item, at rank 2
    # q-zh-1: E (gain 3) at rank 1; ideal E, F
    ndcg_zh = 3 / (3 + 1 / math.log2(3))
    recall_zh, mrr_zh = 1.0, 1.0
    # q-vi-1: G (gain 1) at rank 2, ideal at rank 1; no grade-2 item: MRR 0, left out of recall
    ndcg_vi = (1 / math.log2(3)) / 1
    mrr_vi = 0.0
    expected = {
        "all": (
            3,
            (ndcg_en + ndcg_zh + ndcg_vi) / 3,
            (recall_en + recall_zh) / 2,
            (mrr_en + mrr_zh + mrr_vi) / 3,
        ),
        "en": (1, ndcg_en, recall_en, mrr_en),
        "vi": (1, ndcg_vi, 0.0, mrr_vi),
        "zh": (1, ndcg_zh, recall_zh, mrr_zh),
    }
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["group", "queries", "nDCG@10", "R@10", "MRR@10"]
    got = scores(out)
    assert list(got) == ["all", "en", "vi", "zh"]
    for group, (n, ndcg, recall, mrr) in expected.items():
        assert got[group] == (n, round(ndcg, 4), round(recall, 4), round(mrr, 4)), group
    assert got["all"] == (3, 0.6645, 0.75, 0.5)  # 0.5364, 0.8262, 0.6309 averaged


def test_search_eval_names_a_missing_file(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--run: no such file"):
        call_command(
            "search_eval",
            qrels=write(tmp_path / "q.tsv", "qid\tsku\tgrade\n"),
            run=tmp_path / "none.tsv",
        )


@pytest.mark.django_db
def test_search_run_then_search_eval_scores_the_run_of_the_catalog(tmp_path, capsys):
    make_catalog()
    queries = write(tmp_path / "queries.tsv", QUERIES)
    qrels = write(
        tmp_path / "qrels.tsv",
        "qid\tsku\tgrade\nq-en-1\tLX-W1\t2\nq-zh-1\tLN-D1\t2\nq-vi-1\tLX-T1\t2\nq-vi-1\tLX-D1\t1\n",
    )
    run = tmp_path / "run.tsv"

    dualcirc(["search-run", "--queries", str(queries), "--out", str(run)])
    capsys.readouterr()
    dualcirc(["search-eval", "--qrels", str(qrels), "--run", str(run)])

    got = scores(capsys.readouterr().out)
    # every grade-2 product is first; the vi query's grade-1 product is a draft nobody sees
    ndcg_vi = 3 / (3 + 1 / math.log2(3))
    assert got["en"] == got["zh"] == (1, 1.0, 1.0, 1.0)
    assert got["vi"] == (1, round(ndcg_vi, 4), 1.0, 1.0)
    assert got["all"] == (3, round((2 + ndcg_vi) / 3, 4), 1.0, 1.0)
