"""Jumps in headline figures: the pure comparison behind the confirmation step."""

from __future__ import annotations

from decimal import Decimal as D

from dualcirc.bureau.domain.jumps import compare_headlines


def test_change_past_the_threshold_either_way_is_a_jump() -> None:
    current = {"revenue": D(160), "export_sales": D(40), "domestic_sales": D(100)}
    bases = {"mom": {"revenue": D(100), "export_sales": D(100), "domestic_sales": D(100)}}
    jumps = compare_headlines(current, bases, D(50))
    assert [(j["field"], j["change"]) for j in jumps] == [
        ("revenue", "60.0"),
        ("export_sales", "-60.0"),
    ]


def test_exactly_the_threshold_is_not_a_jump() -> None:
    assert compare_headlines({"revenue": D(150)}, {"mom": {"revenue": D(100)}}, D(50)) == []


def test_missing_or_zero_values_are_not_compared() -> None:
    current = {"revenue": D(500), "output_value": None, "export_sales": D(10)}
    bases = {"yoy": {"revenue": None, "output_value": D(100), "export_sales": D(0)}}
    assert compare_headlines(current, bases, D(50)) == []


def test_each_basis_is_reported_on_its_own() -> None:
    jumps = compare_headlines(
        {"revenue": D(300)}, {"mom": {"revenue": D(250)}, "yoy": {"revenue": D(100)}}, D(50)
    )
    assert jumps == [
        {"field": "revenue", "basis": "yoy", "before": "100", "after": "300", "change": "200.0"}
    ]
