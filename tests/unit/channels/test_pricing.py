"""Domestic pricing help: the arithmetic, the data file and its checks."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from dualcirc.channels.pricing import load_pricing, read_pricing, suggest_domestic_prices
from dualcirc.channels.rules import DATA_DIR, RuleFileError, load_rule_book

D = Decimal


def test_fob_price_becomes_wholesale_and_retail_bands_with_vat_commission_and_shipping():
    band = suggest_domestic_prices(
        export_price_cny=(D("1000"), D("1200")),
        incoterm="FOB",
        channel="tmall",
        assumptions=load_pricing(),
    )

    # EXW 970 / 1164; wholesale ×1.10×1.13 and ×1.25×1.13; retail (w + 12)×1.6/0.95, ×2.2/0.95
    assert band.exw_cny == D("970.00")
    assert band.wholesale == (D("1205.71"), D("1644.15"))
    assert band.retail == (D("2050.88"), D("3835.29"))


def test_exw_is_not_reduced_and_1688_has_no_retail_band():
    band = suggest_domestic_prices(
        export_price_cny=(D("100"), D("100")),
        incoterm="EXW",
        channel="1688",
        assumptions=load_pricing(),
        wholesale_only=True,
    )

    assert (band.exw_cny, band.wholesale, band.retail) == (
        D("100.00"),
        (D("124.30"), D("141.25")),
        None,
    )


def test_every_channel_has_costs_with_a_source():
    doc = json.loads((DATA_DIR / "pricing.json").read_text(encoding="utf-8"))

    assert set(load_pricing().channels) == set(load_rule_book().channels)
    assert all(len(c["source"]) > 20 for c in doc["channels"].values())
    with pytest.raises(ValueError):
        suggest_domestic_prices(
            export_price_cny=(D(1), D(1)), incoterm="CIF", channel="jd", assumptions=load_pricing()
        )


def test_a_share_out_of_range_names_file_and_key(tmp_path: Path):
    path = tmp_path / "pricing.json"
    shutil.copy(DATA_DIR / "pricing.json", path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["channels"]["jd"]["commission"] = "1.5"
    path.write_text(json.dumps(doc), encoding="utf-8")

    with pytest.raises(RuleFileError) as caught:
        read_pricing(path)

    assert str(caught.value) == (
        "pricing.json: channels.jd.commission: expected a share between 0 and 1"
    )
