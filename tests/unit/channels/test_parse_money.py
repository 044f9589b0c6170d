"""Domestic prices typed by an enterprise: extra decimals are refused, naming the field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dualcirc.channels.domain import parse_money, parse_spec_text, parse_tier_text
from dualcirc.core.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2599", Decimal("2599.00")), ("¥2,599.5", Decimal("2599.50")), ("12.500", Decimal("12.50"))],
)
def test_parse_money_reads_yuan_amounts(text, expected):
    assert parse_money(text, field="retail_price") == expected


@pytest.mark.parametrize("text", ["12.345", "0.001", "2599.999"])
def test_parse_money_refuses_more_decimals_than_the_yuan_has_and_names_the_field(text):
    with pytest.raises(InvalidInput) as caught:
        parse_money(text, field="retail_price")

    [error] = caught.value.errors
    assert (error.field, error.row) == ("retail_price", None)
    assert error.message == (f"{text} has more decimals than a price in yuan allows (2).")


def test_spec_and_tier_rows_with_extra_decimals_are_refused_by_row():
    with pytest.raises(InvalidInput) as spec:
        parse_spec_text("红色, L, 99.99, 5\n蓝色, M, 99.995, 5", axes=("颜色分类", "尺码"))
    with pytest.raises(InvalidInput) as tiers:
        parse_tier_text("10, 50\n100, 45.125")

    assert [(e.field, e.row) for e in spec.value.errors] == [("spec_matrix", 2)]
    assert [(e.field, e.row) for e in tiers.value.errors] == [("wholesale_tiers", 2)]
