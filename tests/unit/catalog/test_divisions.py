"""GB/T 2260 divisions from a credit code or a registered name (catalog.divisions): pure."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from dualcirc.catalog.divisions import (
    division_of_credit_code,
    division_table,
    infer_division_from_name,
    parse_credit_code,
)
from dualcirc.catalog.validators import CREDIT_CODE_CHARSET, credit_code_check_character

body = st.text(alphabet=CREDIT_CODE_CHARSET, min_size=17, max_size=17)
division_codes = st.sampled_from(sorted(c for c in division_table().by_code if len(c) == 6))


def with_check(first17: str) -> str:
    return first17 + credit_code_check_character(first17)


def credit_code(division: str, rest: str = "MA3C12345") -> str:
    return with_check(f"91{division}{rest}")


@given(body=body, division=division_codes)
def test_a_code_with_its_check_character_parses_by_position(body, division):
    code = with_check(body[:2] + division + body[8:])

    parsed = parse_credit_code(code.lower())

    assert (parsed.code, parsed.division_code, parsed.check) == (code, division, code[17])
    assert parsed.organisation_code == code[8:17]


@given(
    body=body,
    position=st.integers(min_value=0, max_value=17),
    replacement=st.sampled_from(CREDIT_CODE_CHARSET),
)
def test_any_single_changed_character_breaks_the_check(body, position, replacement):
    code = with_check(body)
    changed = code[:position] + replacement + code[position + 1 :]
    if changed == code:
        return

    with pytest.raises(ValidationError):
        parse_credit_code(changed)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("91370285MA3C1234", "credit_code_length"),
        ("91370285MA3C1234IO", "credit_code_charset"),
        ("91370285MA3C12345A", "credit_code_check"),
    ],
)
def test_a_malformed_code_is_refused_with_its_reason(text, reason):
    with pytest.raises(ValidationError) as caught:
        parse_credit_code(text)

    assert caught.value.code == reason


def test_letters_where_the_division_code_goes_are_refused():
    with pytest.raises(ValidationError) as caught:
        parse_credit_code(with_check("91ABCDEF" + "MA3C12345"))

    assert caught.value.code == "credit_code_division"


@pytest.mark.parametrize(
    ("division", "expected"),
    [
        ("370285", "370285"),  # 莱西市: a county-level city
        ("370200", "3702"),  # 青岛市 itself
        ("370201", "3702"),  # 青岛市市辖区: no division of its own
        ("370284", "3702"),  # 胶南市, merged into 黄岛区 in 2012: its city
        ("370000", "37"),  # 山东省
        ("379999", "37"),
        ("990000", None),
    ],
)
def test_the_division_of_a_credit_code_is_the_finest_the_table_knows(division, expected):
    found = division_of_credit_code(credit_code(division))

    assert (found.code if found else None) == expected


def test_an_invalid_credit_code_gives_no_division():
    code = credit_code("370285")
    wrong = code[:17] + ("0" if code[17] != "0" else "1")

    assert division_of_credit_code(wrong) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("莱西市好工匠家具有限公司", "370285"),
        ("莱西好工匠家具有限公司", "370285"),  # without 市
        ("青岛琴岛家具有限公司", "3702"),
        ("青岛莱西好工匠家具有限公司", "370285"),  # city, then its county
        ("山东莱西好工匠家具有限公司", "370285"),
        ("兰溪市天宇纺织有限公司", "330781"),
        ("浙江兰溪天宇纺织有限公司", "330781"),
        ("吉林化纤股份有限公司", "22"),  # 吉林省 and 吉林市: the province holds both
        ("广西桂林某某公司", "4503"),
    ],
)
def test_the_place_that_opens_a_registered_name_gives_its_division(name, expected):
    inference = infer_division_from_name(name)

    assert inference.division is not None
    assert inference.division.code == expected


def test_a_name_of_several_places_gives_none_and_lists_them():
    inference = infer_division_from_name("朝阳好运家具有限公司")

    assert inference.division is None and inference.ambiguous
    codes = {d.code for d in inference.candidates}
    assert {"2113", "110105", "211321", "220104"} <= codes


def test_a_name_without_a_place_gives_nothing():
    inference = infer_division_from_name("好工匠家具有限公司")

    assert (inference.division, inference.candidates) == (None, ())


def test_one_character_short_names_do_not_count():
    # 沛县 would be 沛 without its suffix: too many names open with one character
    assert infer_division_from_name("沛县某某公司").division.code == "320322"
    assert infer_division_from_name("沛然家具有限公司").division is None


def test_full_names_read_province_city_county():
    table = division_table()

    assert table.full_name(table.by_code["370285"]) == "山东省 青岛市 莱西市"
    assert table.full_name(table.by_code["110105"]) == "北京市 朝阳区"  # 市辖区 left out


real_divisions = st.sampled_from(
    sorted(c for c in division_table().by_code if division_table().real(c) is not None)
)


@given(code=real_divisions, rest=st.sampled_from(["某某家具有限公司", "华美纺织厂", "有限公司"]))
def test_a_name_opening_with_a_full_chain_of_places_gives_that_division(code, rest):
    table = division_table()
    division = table.by_code[code]
    name = "".join(d.name for d in table.chain(division)) + rest

    assert table.infer(name).division == division


def test_the_table_holds_only_gbt2260_levels():
    lengths = {len(code) for code in division_table().by_code}

    assert lengths == {2, 4, 6}
