"""Constraint checks: units, currencies, certifications, markets, attributes; ranking effect."""

from decimal import Decimal

import numpy as np
import pytest

from dualcirc.matching.constraints import canonical_unit, check_constraint, to_base
from dualcirc.matching.engine import MatchingIndex
from dualcirc.matching.types import Constraint, ConstraintKind, ProductDoc, RateTable

K = ConstraintKind
D = Decimal
RATES = RateTable()


def doc(**kw) -> ProductDoc:
    base = {"doc_id": "d", "enterprise_id": "e", "sku": "s", "titles": {"zh": "全棉帆布"}}
    base.update(kw)
    return ProductDoc(**base)


@pytest.mark.parametrize(
    ("unit", "canonical"),
    [
        ("Meters", "m"),
        ("米", "m"),
        ("码", "yd"),
        ("yards", "yd"),
        ("张", "pcs"),
        ("把", "pcs"),
        ("台", "pcs"),
        ("套", "sets"),
        ("双", "pairs"),
        ("公斤", "kg"),
        ("吨", "t"),
        ("tons", "t"),
        ("units", "pcs"),
        ("panels", "pcs"),
        ("fathoms", ""),
    ],
)
def test_canonical_unit_folds_english_and_chinese_units(unit, canonical):
    assert canonical_unit(unit) == canonical


def test_to_base_converts_yards_and_tons():
    assert to_base(D(1000), "yards") == (D("914.4000"), "m")
    assert to_base(D(2), "吨") == (D(2000), "kg")
    assert to_base(D(5), "双") == (D(5), "pcs")


@pytest.mark.parametrize(
    ("constraint", "product", "satisfied", "detail"),
    [
        (
            Constraint(K.MOQ_MAX, D(3000), unit="m", inclusive=False),
            doc(moq=D(500), unit="米"),
            True,
            "MOQ 500 m < 3000 m",
        ),
        (
            Constraint(K.MOQ_MAX, D(3000), unit="m", inclusive=False),
            doc(moq=D(4000), unit="yards"),
            False,
            "MOQ 4000 yd = 3657.6 m ≥ 3000 m",
        ),
        (
            Constraint(K.MOQ_MAX, D(2), unit="kg"),
            doc(moq=D(1), unit="tons"),
            False,
            "MOQ 1 t = 1000 kg > 2 kg",
        ),
        (
            Constraint(K.MOQ_MAX, D(200), unit="pcs"),
            doc(moq=D(200), unit="pairs"),
            True,
            "MOQ 200 pairs = 200 pcs ≤ 200 pcs",
        ),
        (
            Constraint(K.MOQ_MAX, D(200), unit="kg"),
            doc(moq=D(200), unit="pcs"),
            None,
            "MOQ 200 pcs not comparable with kg",
        ),
        (Constraint(K.MOQ_MAX, D(200), unit="pcs"), doc(), None, "MOQ not stated"),
    ],
)
def test_check_moq_in_canonical_units(constraint, product, satisfied, detail):
    check = check_constraint(constraint, product, RATES)
    assert (check.satisfied, check.detail) == (satisfied, detail)


@pytest.mark.parametrize(
    ("constraint", "product", "satisfied", "detail"),
    [
        (
            Constraint(K.PRICE_MAX, D(25), currency="CNY"),
            doc(price_min=D("2.95"), currency="USD", unit="米"),
            True,
            "price 2.95 USD = 21.24 CNY ≤ 25 CNY",
        ),
        (
            Constraint(K.PRICE_MAX, D("2.5"), unit="m", currency="USD", inclusive=False),
            doc(price_min=D("2.4"), currency="USD", unit="yards"),
            False,
            "price 2.4 USD/yd = 2.62 USD/m ≥ 2.5 USD/m",
        ),
        (
            Constraint(K.PRICE_MAX, D(800000), currency="VND"),
            doc(price_min=D(30), currency="CNY", unit="pcs"),
            True,
            "price 30 CNY = 104166.67 VND ≤ 800000 VND",
        ),
        (
            Constraint(K.PRICE_MAX, D(20), currency="CNY", inclusive=False),
            doc(price_min=D(20), currency="CNY", unit="pcs"),
            False,
            "price 20 CNY ≥ 20 CNY",
        ),
        (
            Constraint(K.PRICE_MAX, D(5), currency="GBP"),
            doc(price_min=D(2), currency="USD", unit="pcs"),
            None,
            "no rate USD→GBP",
        ),
    ],
)
def test_check_price_converts_currency_and_unit_with_decimals(
    constraint, product, satisfied, detail
):
    check = check_constraint(constraint, product, RATES)
    assert (check.satisfied, check.detail) == (satisfied, detail)


@pytest.mark.parametrize(
    ("constraint", "product", "satisfied", "detail"),
    [
        (
            Constraint(K.CERTIFICATION, "ISO9001"),
            doc(certifications=("ISO 9001", "FSC")),
            True,
            "certified ISO 9001",
        ),
        (Constraint(K.CERTIFICATION, "3C"), doc(certifications=("CCC",)), True, "certified CCC"),
        (
            Constraint(K.CERTIFICATION, "CCC"),
            doc(certifications=("ISO 9001",)),
            False,
            "no CCC (has ISO 9001)",
        ),
        (
            Constraint(K.CERTIFICATION, "BSCI"),
            doc(descriptions={"en": "Compliant with BSCI and ISO 9001."}),
            True,
            "BSCI (stated in the description)",
        ),
        (Constraint(K.CERTIFICATION, "BSCI"), doc(), None, "no certifications stated"),
        (
            Constraint(K.MARKET, "ASEAN"),
            doc(export_markets=("TH", "US")),
            True,
            "exports to TH (ASEAN)",
        ),
        (
            Constraint(K.MARKET, "FR"),
            doc(export_markets=("US",)),
            False,
            "no export to FR (exports to US)",
        ),
        (Constraint(K.MARKET, "EU"), doc(export_markets=("DE",)), True, "exports to DE (EU)"),
        (Constraint(K.MARKET, "EU"), doc(), None, "no export markets stated"),
        (
            Constraint(K.LEAD_TIME_MAX, D(20), unit="days", inclusive=False),
            doc(lead_time_days=20),
            False,
            "lead time 20 days ≥ 20 days",
        ),
        (
            Constraint(K.LEAD_TIME_MAX, D(20), unit="days"),
            doc(lead_time_days=20),
            True,
            "lead time 20 days ≤ 20 days",
        ),
    ],
)
def test_check_certifications_markets_lead_time(constraint, product, satisfied, detail):
    check = check_constraint(constraint, product, RATES)
    assert (check.satisfied, check.detail) == (satisfied, detail)


@pytest.mark.parametrize(
    ("constraint", "product", "satisfied", "detail"),
    [
        (
            Constraint(K.ATTRIBUTE, "solid wood"),
            doc(titles={"en": "Oak Wardrobe"}),
            True,
            "solid wood (oak)",
        ),
        (
            Constraint(K.ATTRIBUTE, "black"),
            doc(titles={"en": "Navy Blue Silk Tie"}),
            False,
            "navy, not black",
        ),
        (
            Constraint(K.ATTRIBUTE, "black"),
            doc(titles={"zh": "黑色真丝领带"}),
            True,
            "black (black)",
        ),
        (
            Constraint(K.ATTRIBUTE, "cordless"),
            doc(titles={"en": "Corded Circular Saw 1400W"}),
            False,
            "corded, not cordless",
        ),
        (
            Constraint(K.ATTRIBUTE, "12oz"),
            doc(titles={"en": "Stretch Denim 14oz"}),
            False,
            "14oz, not 12oz",
        ),
        (
            Constraint(K.ATTRIBUTE, "12oz"),
            doc(titles={"zh": "弹力牛仔布"}, descriptions={"zh": "克重12盎司。"}),
            True,
            "12oz stated",
        ),
        (Constraint(K.ATTRIBUTE, "1.8m"), doc(titles={"zh": "1.8米床四件套"}), True, "1.8m stated"),
        (
            Constraint(K.ATTRIBUTE, "waterproof"),
            doc(titles={"en": "Cotton Tablecloth"}),
            None,
            "waterproof not stated",
        ),
        (
            Constraint(K.ATTRIBUTE_MIN, D(55), unit="inch"),
            doc(titles={"zh": "4K液晶电视 65英寸"}),
            True,
            "65 inch ≥ 55 inch",
        ),
        (
            Constraint(K.ATTRIBUTE_MIN, D(20), unit="l"),
            doc(titles={"en": "Microwave 900W"}, attributes={"capacity": "17L"}),
            False,
            "17 l < 20 l",
        ),
        (
            Constraint(K.ATTRIBUTE_MIN, D(300), unit="g"),
            doc(titles={"en": "Fleece Blanket"}, descriptions={"en": "Weight 280 g/m2."}),
            False,
            "280 g < 300 g",
        ),
        (
            Constraint(K.ATTRIBUTE_MIN, D(20), unit="pcs"),
            doc(titles={"zh": "家用工具箱"}, descriptions={"zh": "MOQ：500件。"}),
            None,
            "no pcs stated",
        ),
    ],
)
def test_check_attributes_read_titles_attributes_and_descriptions(
    constraint, product, satisfied, detail
):
    check = check_constraint(constraint, product, RATES)
    assert (check.satisfied, check.detail) == (satisfied, detail)


class ConstantEmbedder:
    """Every text gets the same vector: the dense side ranks nothing."""

    model_id = "constant-4"

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 4), dtype=np.float32) / 2

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.embed_queries(texts)


def test_engine_moq_under_n_demotes_product_above_n():
    docs = [
        ProductDoc(
            "big",
            "E1",
            "big",
            {"en": "Cotton Canvas Fabric 400gsm"},
            moq=D(5000),
            unit="meters",
            hs_code="520911",
        ),
        ProductDoc(
            "small",
            "E2",
            "small",
            {"en": "Cotton Canvas Fabric 400gsm"},
            moq=D(800),
            unit="米",
            hs_code="520911",
        ),
        ProductDoc(
            "tee", "E3", "tee", {"en": "Cotton T-Shirt"}, moq=D(100), unit="pcs", hs_code="610910"
        ),
    ]
    index = MatchingIndex.build(docs, ConstantEmbedder())
    plain = index.search("cotton canvas fabric")
    assert {h.doc_id for h in plain.hits[:2]} == {"big", "small"}
    res = index.search("cotton canvas fabric, MOQ under 3000 meters")
    assert [h.doc_id for h in res.hits][:2] == ["small", "big"]
    moq = next(c for c in res.query.constraints if c.kind == K.MOQ_MAX)
    assert (moq.value, moq.unit, moq.inclusive) == (D(3000), "m", False)
    checks = {
        h.doc_id: [
            r.check.detail
            for r in h.reasons
            if r.check is not None and r.check.constraint.kind == K.MOQ_MAX
        ]
        for h in res.hits
    }
    assert checks["small"] == ["MOQ 800 m < 3000 m"]
    assert checks["big"] == ["MOQ 5000 m ≥ 3000 m"]
