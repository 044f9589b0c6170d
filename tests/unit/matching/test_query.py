"""Query understanding: language, constraints (en / zh / vi) and product terms."""

from decimal import Decimal

import pytest

from dualcirc.matching.types import Constraint, ConstraintKind
from dualcirc.matching.understanding import (
    detect_language,
    market_members,
    normalise_certification,
    parse_number,
    parse_query,
)

K = ConstraintKind


def constraints_of(text: str, kind: ConstraintKind) -> list[Constraint]:
    return [c for c in parse_query(text).constraints if c.kind == kind]


def one(text: str, kind: ConstraintKind) -> Constraint:
    found = constraints_of(text, kind)
    assert len(found) == 1, (text, parse_query(text).constraints)
    return found[0]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("sofa 3 seater", "en"),
        ("求购牛仔面料", "zh"),
        ("Mua bàn chải đánh răng", "vi"),
        ("tivi OLED", "vi"),
        ("диван оптом", "other"),
    ],
)
def test_detect_language_recognises_en_zh_vi_other(text, lang):
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    ("raw", "lang", "value"),
    [
        ("2,000", "en", Decimal("2000")),
        ("2.5", "en", Decimal("2.5")),
        ("800.000", "vi", Decimal("800000")),
        ("2,5", "vi", Decimal("2.5")),
        ("2.5", "vi", Decimal("2.5")),
        ("1.234.567", "vi", Decimal("1234567")),
    ],
)
def test_parse_number_follows_language_conventions(raw, lang, value):
    assert parse_number(raw, lang) == value


# ------------------------------------------------------------------ English
@pytest.mark.parametrize(
    ("text", "kind", "value", "unit", "currency", "inclusive"),
    [
        ("denim MOQ under 3000 meters", K.MOQ_MAX, Decimal(3000), "m", "", False),
        ("towels, MOQ ≤ 200 pcs", K.MOQ_MAX, Decimal(200), "pcs", "", True),
        ("sandals MOQ up to 2000 prs", K.MOQ_MAX, Decimal(2000), "pairs", "", True),
        ("kelp, MOQ below 2,000 kgs", K.MOQ_MAX, Decimal(2000), "kg", "", False),
        ("silk mask, min order <= 200 pieces", K.MOQ_MAX, Decimal(200), "pcs", "", True),
        ("canvas under $2.5/m", K.PRICE_MAX, Decimal("2.5"), "m", "USD", False),
        (
            "dishwasher target price USD 300/pc or less",
            K.PRICE_MAX,
            Decimal(300),
            "pcs",
            "USD",
            True,
        ),
        ("moccasins max 40 USD/pair", K.PRICE_MAX, Decimal(40), "pairs", "USD", True),
        ("fish jerky under US$20/kg", K.PRICE_MAX, Decimal(20), "kg", "USD", False),
        ("linen, delivery within 15 days", K.LEAD_TIME_MAX, Decimal(15), "days", "", True),
        ("silk tie - lead time under 20 days", K.LEAD_TIME_MAX, Decimal(20), "days", "", False),
        ("microwave, at least 20L", K.ATTRIBUTE_MIN, Decimal(20), "l", "", True),
        ("fleece blanket; at least 300gsm", K.ATTRIBUTE_MIN, Decimal(300), "g", "", True),
        ("TV 55 inch or more", K.ATTRIBUTE_MIN, Decimal(55), "inch", "", True),
    ],
)
def test_parse_english_numeric_constraints(text, kind, value, unit, currency, inclusive):
    c = one(text, kind)
    assert (c.value, c.unit, c.currency, c.inclusive) == (value, unit, currency, inclusive)
    assert c.source and c.source in text


@pytest.mark.parametrize(
    ("text", "certs"),
    [
        ("polar fleece, must have ISO9001", ["ISO 9001"]),
        ("TV supplier, ISO 14001 certified", ["ISO 14001"]),
        ("silk, Oeko-Tex 100 certified", ["OEKO-TEX Standard 100"]),
        ("vest; must have EN 20471", ["EN ISO 20471"]),
        ("floss picks with FDA registered and BRC", ["FDA", "BRCGS"]),
        ("organic tee GOTS and GRS, BSCI audited", ["GOTS", "GRS", "BSCI"]),
        ("drill with CE and UL", ["CE", "UL"]),
    ],
)
def test_parse_certifications_are_normalised(text, certs):
    assert [c.value for c in constraints_of(text, K.CERTIFICATION)] == certs


@pytest.mark.parametrize(
    ("text", "market"),
    [
        ("kids toothbrush; shipping to South Korea", "KR"),
        ("moccasins, exporting to Saudi Arabia", "SA"),
        ("workwear jacket export to the EU", "EU"),
        ("laver - must ship to Canada", "CA"),
        ("towels for the Middle East market", "MIDDLE_EAST"),
        ("tools exported to Southeast Asia", "SOUTHEAST_ASIA"),
    ],
)
def test_parse_english_markets(text, market):
    assert [c.value for c in constraints_of(text, K.MARKET)] == [market]


def test_parse_english_terms_drop_constraints_and_filler():
    pq = parse_query(
        "Where to buy inverter microwave in bulk, CCC certified, at least 20L, MOQ max 40 units"
    )
    assert pq.language == "en"
    assert pq.terms == "inverter microwave"
    kinds = [c.kind for c in pq.constraints]
    assert kinds == [K.ATTRIBUTE, K.CERTIFICATION, K.ATTRIBUTE_MIN, K.MOQ_MAX]


def test_parse_english_attribute_values():
    pq = parse_query("brown leather 2-door walnut wardrobe 12oz")
    values = [c.value for c in pq.constraints if c.kind == K.ATTRIBUTE]
    assert values == ["brown", "leather", "2doors", "walnut", "12oz"]
    assert all(not c.hard for c in pq.constraints)


# ------------------------------------------------------------------ Chinese
@pytest.mark.parametrize(
    ("text", "kind", "value", "unit", "currency", "inclusive"),
    [
        ("名片 起订量50张以内", K.MOQ_MAX, Decimal(50), "pcs", "", True),
        ("电竞椅：起订量不超过40把", K.MOQ_MAX, Decimal(40), "pcs", "", True),
        ("灯芯绒批发，最低起订1500米以内", K.MOQ_MAX, Decimal(1500), "m", "", True),
        ("扇贝柱：MOQ60kg以下", K.MOQ_MAX, Decimal(60), "kg", "", True),
        ("脆鱼皮，起订量不超过200千克", K.MOQ_MAX, Decimal(200), "kg", "", True),
        ("餐椅，价格¥800/把以下", K.PRICE_MAX, Decimal(800), "pcs", "CNY", True),
        ("枕头 价格低于20元", K.PRICE_MAX, Decimal(20), "", "CNY", False),
        ("牙刷，预算每支5元以内", K.PRICE_MAX, Decimal(5), "pcs", "CNY", True),
        ("T恤；单价$5以内", K.PRICE_MAX, Decimal(5), "", "USD", True),
        ("鱼皮 单价40美元以内", K.PRICE_MAX, Decimal(40), "", "USD", True),
        ("雨靴 交期15天内", K.LEAD_TIME_MAX, Decimal(15), "days", "", True),
        ("热水器 货期不超过40天", K.LEAD_TIME_MAX, Decimal(40), "days", "", True),
        ("角磨机 1010W以上", K.ATTRIBUTE_MIN, Decimal(1010), "w", "", True),
        ("斜纹布 280克以上", K.ATTRIBUTE_MIN, Decimal(280), "g", "", True),
    ],
)
def test_parse_chinese_numeric_constraints(text, kind, value, unit, currency, inclusive):
    c = one(text, kind)
    assert (c.value, c.unit, c.currency, c.inclusive) == (value, unit, currency, inclusive)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("需要3C认证的独立式洗碗机", K.CERTIFICATION, "CCC"),
        ("找角磨机厂家 UL认证", K.CERTIFICATION, "UL"),
        ("需要EN20471认证的反光夹克", K.CERTIFICATION, "EN ISO 20471"),
        ("求购胡桃色餐椅，有出口法国经验", K.MARKET, "FR"),
        ("低帮帆布鞋，有出口北美经验", K.MARKET, "NORTH_AMERICA"),
        ("高跟鞋，能做意大利市场", K.MARKET, "IT"),
        ("洗衣机 出口东南亚", K.MARKET, "SOUTHEAST_ASIA"),
        ("床护垫，出口中东", K.MARKET, "MIDDLE_EAST"),
        ("毛巾 出口一带一路国家", K.MARKET, "BELT_AND_ROAD"),
    ],
)
def test_parse_chinese_certifications_and_markets(text, kind, value):
    assert [c.value for c in constraints_of(text, kind)] == [value]


def test_parse_chinese_terms_and_attributes():
    pq = parse_query("求购19姆米黑色桑蚕丝睡衣，需要ISO9001认证，最低起订300套以内")
    assert pq.language == "zh"
    assert pq.terms == "19姆米黑色桑蚕丝睡衣"
    attrs = [c.value for c in pq.constraints if c.kind == K.ATTRIBUTE]
    assert attrs == ["19mm", "black", "silk"]
    moq = one(pq.text, K.MOQ_MAX)
    assert (moq.value, moq.unit, moq.source) == (Decimal(300), "sets", "最低起订300套以内")


# ------------------------------------------------------------------ Vietnamese
@pytest.mark.parametrize(
    ("text", "kind", "value", "unit", "currency", "inclusive"),
    [
        ("khoan pin số lượng tối thiểu ≤ 200 cái", K.MOQ_MAX, Decimal(200), "pcs", "", True),
        ("vải bố, MOQ dưới 2000 mét", K.MOQ_MAX, Decimal(2000), "m", "", False),
        ("chăn, đơn giá tối đa 800.000đ", K.PRICE_MAX, Decimal(800000), "", "VND", True),
        ("đầm lụa, đơn giá tối đa 2,5 triệu đ", K.PRICE_MAX, Decimal(2500000), "", "VND", True),
        ("áo phao, giá dưới 1,5 triệu đ/cái", K.PRICE_MAX, Decimal(1500000), "pcs", "VND", False),
        (
            "bàn chải giá không quá 10.000 đồng một cái",
            K.PRICE_MAX,
            Decimal(10000),
            "pcs",
            "VND",
            True,
        ),
        (
            "áo choàng tắm giá không quá 20 USD một cái",
            K.PRICE_MAX,
            Decimal(20),
            "pcs",
            "USD",
            True,
        ),
        ("vải bố, giá không quá 2.5$ một mét", K.PRICE_MAX, Decimal("2.5"), "m", "USD", True),
        ("sofa góc, giá dưới $2500/bộ", K.PRICE_MAX, Decimal(2500), "sets", "USD", False),
        ("cồi sò điệp giao hàng trong 30 ngày", K.LEAD_TIME_MAX, Decimal(30), "days", "", True),
        (
            "áo phản quang: thời gian sản xuất dưới 20 ngày",
            K.LEAD_TIME_MAX,
            Decimal(20),
            "days",
            "",
            False,
        ),
        ("tivi LCD 4K, 65 inch trở lên", K.ATTRIBUTE_MIN, Decimal(65), "inch", "", True),
        ("vải linen, từ 220gsm trở lên", K.ATTRIBUTE_MIN, Decimal(220), "g", "", True),
    ],
)
def test_parse_vietnamese_numeric_constraints(text, kind, value, unit, currency, inclusive):
    c = one(text, kind)
    assert (c.value, c.unit, c.currency, c.inclusive) == (value, unit, currency, inclusive)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("chăn 1m8, đạt chuẩn BSCI", K.CERTIFICATION, "BSCI"),
        ("áo phao: chứng chỉ ISO 9001", K.CERTIFICATION, "ISO 9001"),
        ("tảo bẹ khô giá sỉ xuất khẩu UAE", K.MARKET, "AE"),
        ("máy khoan đã xuất đi Thổ Nhĩ Kỳ", K.MARKET, "TR"),
        ("tivi xuất khẩu Ả Rập Xê Út", K.MARKET, "SA"),
        ("giày tây có xuất khẩu sang Việt Nam", K.MARKET, "VN"),
        ("cồi sò điệp xuất khẩu Đông Nam Á", K.MARKET, "SOUTHEAST_ASIA"),
        ("áo choàng tắm xuất khẩu Tây Ban Nha", K.MARKET, "ES"),
    ],
)
def test_parse_vietnamese_certifications_and_markets(text, kind, value):
    assert [c.value for c in constraints_of(text, kind)] == [value]


def test_parse_vietnamese_terms_drop_filler_keep_product_words():
    pq = parse_query("Cần tìm nhà cung cấp áo thun có cổ màu xám, đạt chuẩn BSCI")
    assert pq.language == "vi"
    assert pq.terms == "áo thun có cổ màu xám"
    assert [c.value for c in pq.constraints if c.kind == K.ATTRIBUTE] == ["grey"]
    pq2 = parse_query("Mua chăn 1m8 số lượng lớn, đơn giá tối đa 800.000đ")
    assert pq2.terms == "chăn 1m8"
    assert [c.value for c in pq2.constraints if c.kind == K.ATTRIBUTE] == ["1.8m"]


def test_normalise_certification_spellings():
    assert normalise_certification("ISO9001") == "ISO 9001"
    assert normalise_certification("3C") == "CCC"
    assert normalise_certification("OEKO-TEX Standard 100") == "OEKO-TEX Standard 100"
    assert normalise_certification("Oeko-Tex") == "OEKO-TEX Standard 100"
    assert normalise_certification("BRC") == "BRCGS"


def test_market_members_of_groups_and_countries():
    assert "VN" in market_members("ASEAN")
    assert "FR" in market_members("EU")
    assert "GB" not in market_members("EU")
    assert market_members("Vietnam") == frozenset({"VN"})
    assert market_members("DE") == frozenset({"DE"})
