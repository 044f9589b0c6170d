"""Reasons presented: constraint labels, chips, matched terms, highlighting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from dualcirc.matching.types import (
    Constraint,
    ConstraintCheck,
    ConstraintKind,
    Hit,
    Reason,
    ReasonKind,
)
from dualcirc.search.explain import (
    constraint_label,
    constraint_values,
    display_term,
    explain_hit,
    highlight,
    reason_values,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("constraint", "label"),
    [
        (Constraint(ConstraintKind.MOQ_MAX, Decimal("3000"), unit="m"), "MOQ ≤ 3,000 m"),
        (
            Constraint(ConstraintKind.MOQ_MAX, Decimal("50"), unit="pcs", inclusive=False),
            "MOQ < 50 pcs",
        ),
        (Constraint(ConstraintKind.PRICE_MAX, Decimal("2.50"), currency="USD"), "Price ≤ 2.5 USD"),
        (
            Constraint(ConstraintKind.PRICE_MAX, Decimal("12000"), currency="VND"),
            "Price ≤ 12,000 VND",
        ),
        (Constraint(ConstraintKind.CERTIFICATION, "FSC"), "FSC certified"),
        (Constraint(ConstraintKind.MARKET, "VN"), "Exports to Vietnam"),
        (Constraint(ConstraintKind.MARKET, "EU"), "Exports to the EU"),
        (Constraint(ConstraintKind.HS_PREFIX, "94"), "HS 94"),
        (Constraint(ConstraintKind.LANGUAGE, "vi"), "Listed in Vietnamese"),
        (Constraint(ConstraintKind.LEAD_TIME_MAX, Decimal("15")), "Lead time ≤ 15 days"),
        (Constraint(ConstraintKind.ATTRIBUTE, "walnut", source="gỗ óc chó"), "walnut"),
    ],
)
def test_constraint_label_reads_like_the_buyer_wrote_it(constraint, label):
    assert constraint_label(constraint) == label


def test_constraint_label_follows_the_ui_language():
    with translation.override("zh-hans"):
        assert constraint_label(Constraint(ConstraintKind.MARKET, "VN")).endswith("越南")


def test_constraint_values_keep_decimals_as_text():
    c = Constraint(ConstraintKind.PRICE_MAX, Decimal("4.50"), currency="USD", hard=True)

    assert constraint_values(c) == {
        "kind": "price_max",
        "value": "4.50",
        "unit": "",
        "currency": "USD",
        "inclusive": True,
        "source": "",
        "hard": True,
        "label": "Price ≤ 4.5 USD",
    }


def test_explain_hit_sorts_reasons_into_terms_meaning_and_chips():
    moq = Constraint(ConstraintKind.MOQ_MAX, Decimal("3000"), unit="m", source="MOQ ≤ 3000m")
    market = Constraint(ConstraintKind.MARKET, "VN")
    cert = Constraint(ConstraintKind.CERTIFICATION, "FSC")
    hit = Hit(
        "7",
        1.2,
        (
            Reason(ReasonKind.TERM, "title", ("牛仔", "牛仔布", "仔布", "denim"), 0.8),
            Reason(ReasonKind.TERM, "hs", ("denim", "woven_fabric", "woven"), 0.8),
            Reason(ReasonKind.SEMANTIC, "passage", score=0.734),
            Reason(
                ReasonKind.CONSTRAINT,
                "moq_max",
                check=ConstraintCheck(moq, True, "MOQ 500 m ≤ 3000 m"),
            ),
            Reason(ReasonKind.CONSTRAINT, "market", check=ConstraintCheck(market, False, "no VN")),
            Reason(ReasonKind.CONSTRAINT, "certification", check=ConstraintCheck(cert, None, "")),
        ),
    )

    explanation = explain_hit(hit)

    assert [(t.label, t.terms) for t in explanation.terms] == [
        ("title", ("牛仔布", "denim")),
        ("HS description", ("denim", "woven fabric")),
    ]
    assert explanation.matched_terms == ["牛仔布", "denim", "woven fabric"]
    assert explanation.semantic_percent == 73
    assert [(c.label, c.status, c.symbol, c.detail) for c in explanation.constraints] == [
        ("MOQ ≤ 3,000 m", "met", "✓", "MOQ 500 m ≤ 3000 m"),
        ("Exports to Vietnam", "failed", "✗", "no VN"),
        ("FSC certified", "unknown", "?", ""),
    ]
    assert [c.status_label for c in explanation.constraints] == ["met", "not met", "unknown"]


def test_reason_values_are_plain_json():
    c = Constraint(ConstraintKind.CERTIFICATION, "FSC")
    hit = Hit(
        "1",
        1.0,
        (
            Reason(
                ReasonKind.CONSTRAINT,
                "certification",
                score=1.0,
                check=ConstraintCheck(c, True, "certified FSC"),
            ),
        ),
    )

    assert reason_values(hit) == [
        {
            "kind": "constraint",
            "field": "certification",
            "terms": [],
            "score": 1.0,
            "constraint": constraint_values(c),
            "satisfied": True,
            "status": "met",
            "detail": "certified FSC",
        }
    ]


def test_display_term_shows_word_pairs_with_a_space():
    assert display_term("dining_table") == "dining table"


@pytest.mark.parametrize(
    ("text", "terms", "html"),
    [
        (
            "Solid oak dining tables",
            ["oak", "dining table"],
            "Solid <mark>oak</mark> <mark>dining table</mark>s",
        ),
        ("Cloak <b>stand</b>", ["oak"], "Cloak &lt;b&gt;stand&lt;/b&gt;"),
        ("实木橡木餐桌", ["橡木", "餐桌"], "实木<mark>橡木餐桌</mark>"),
        ("OAK & Walnut", ["oak", "walnut"], "<mark>OAK</mark> &amp; <mark>Walnut</mark>"),
        ("Vải denim co giãn", ["vải denim"], "<mark>Vải denim</mark> co giãn"),
        (
            "Solid oak dining table",
            ["oak_dining", "dining_table"],
            "Solid <mark>oak dining table</mark>",
        ),
        (
            "Solid oak dining table",
            ["oak dining", "dining table"],
            "Solid <mark>oak dining table</mark>",
        ),
        ("nothing", [], "nothing"),
    ],
)
def test_highlight_marks_terms_and_escapes_the_rest(text, terms, html):
    assert str(highlight(text, terms)) == html


def test_a_term_spelt_three_ways_is_shown_once_and_what_the_query_names_apart():
    hit = Hit(
        "9",
        1.0,
        (
            Reason(ReasonKind.NAMED, "product", ("T恤",), 0.3),
            Reason(ReasonKind.TERM, "title", ("t_shirt", "tshirt", "t-shirt", "crew_neck"), 0.5),
        ),
    )
    explanation = explain_hit(hit)
    assert explanation.named == ("T恤",)
    assert [t.terms for t in explanation.terms] == [("t-shirt", "crew neck")]
    assert reason_values(hit)[0] == {"kind": "named", "field": "product", "terms": ["T恤"],
                                     "score": 0.3}  # fmt: skip


def test_related_words_are_shown_apart_and_not_marked_as_the_buyers():
    from django.template.loader import render_to_string

    hit = Hit(
        doc_id="p",
        score=1.0,
        reasons=(
            Reason(ReasonKind.TERM, "title_en", ("barstool",), 1.0),
            Reason(ReasonKind.RELATED, "", ("台凳", "吧台凳"), 1.0),
            Reason(ReasonKind.SEMANTIC, "passage", score=0.5),
        ),
    )
    explanation = explain_hit(hit)
    assert explanation.related == ("吧台凳",)  # 台凳 is a piece of 吧台凳
    assert explanation.matched_terms == ["barstool"]  # what the title marks: the buyer's word
    html = render_to_string("search/partials/reasons.html", {"explanation": explanation})
    assert '<span class="reason reason-related">related words: 吧台凳</span>' in html
    assert "<mark>吧台凳</mark>" not in html
    assert [r["kind"] for r in reason_values(hit)] == ["term", "related", "semantic"]


def test_only_the_longest_related_words_are_shown():
    words = ("休闲椅", "藤编", "编休", "lounge chair", "色藤", "rattan lounge")
    hit = Hit(doc_id="p", score=1.0, reasons=(Reason(ReasonKind.RELATED, "", words, 1.0),))
    # a Chinese character counts as two letters; 编休 and 色藤 are pieces a search indexes
    assert explain_hit(hit).related == ("休闲椅", "藤编", "lounge chair", "rattan lounge")


def test_invitation_reasons_say_related_words_in_the_viewers_language():
    from dualcirc.deals.presentation import reason_labels

    reasons = [{"kind": "related", "terms": ["吧台凳"]}]
    assert reason_labels(reasons) == [{"label": "related words: 吧台凳", "status": "met"}]
