"""The shipped channel rule files and their loader."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dualcirc.channels.rules import DATA_DIR, RuleFileError, load_rule_book, read_rule_book
from dualcirc.demo import kinds_goods, kinds_textiles
from dualcirc.demo.types import ProductKind


def demo_hs_codes() -> set[str]:
    codes = set()
    for module in (kinds_goods, kinds_textiles):
        for value in vars(module).values():
            if isinstance(value, tuple) and value and isinstance(value[0], ProductKind):
                codes.update(kind.hs_code for kind in value)
    return codes


def test_rule_book_maps_every_demo_hs_code_to_a_category_on_every_channel():
    book = load_rule_book()

    unmapped = sorted(hs for hs in demo_hs_codes() if book.type_for(hs_code=hs) is None)

    assert unmapped == []
    assert list(book.channels) == ["tmall", "jd", "douyin", "pdd", "1688"]
    for channel in book.channels.values():
        assert set(channel.categories) == set(book.types)


def test_every_rule_and_requirement_names_its_source():
    for path in sorted(DATA_DIR.glob("channel_*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["category_source"].strip()
        for name, rule in doc["rules"].items():
            assert len(rule["source"]) > 20, f"{path.name}: rules.{name}"
    compliance = json.loads((DATA_DIR / "compliance.json").read_text(encoding="utf-8"))
    for key, requirement in compliance["requirements"].items():
        assert len(requirement["source"]) > 20, key


def test_ccc_applies_to_appliances_tvs_and_power_tools_and_sc_to_seafood():
    book = load_rule_book()

    def requirements(hs: str) -> tuple[str, ...]:
        ptype = book.type_for(hs_code=hs)
        assert ptype is not None
        return ptype.requirements

    assert [("ccc" in requirements(hs)) for hs in ("841810", "852872", "846721", "940360")] == [
        True,
        True,
        True,
        False,
    ]
    assert "sc-licence" in requirements("160521")
    assert "gb18401-class" in requirements("620342")
    assert "formaldehyde-grade" in requirements("940161")


def test_type_is_refined_by_the_title_words():
    book = load_rule_book()

    kids = book.type_for(hs_code="940350", text="Pine children's bed 儿童床")
    adult = book.type_for(hs_code="940350", text="实木双人床")

    assert (kids and kids.key, adult and adult.key) == ("furniture-kids", "furniture-bedroom")
    assert "children-furniture" in kids.requirements


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(path: Path, change) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def test_loader_names_file_and_key_of_a_wrong_type(data_copy: Path):
    edit(data_copy / "channel_jd.json", lambda d: d["rules"]["title"].update(max="forty"))

    with pytest.raises(RuleFileError) as caught:
        read_rule_book(data_copy)

    assert str(caught.value) == "channel_jd.json: rules.title.max: expected an integer ≥ 1"


def test_loader_refuses_a_rule_without_source(data_copy: Path):
    edit(data_copy / "channel_pdd.json", lambda d: d["rules"]["shipping"].pop("source"))

    with pytest.raises(RuleFileError) as caught:
        read_rule_book(data_copy)

    assert str(caught.value) == "channel_pdd.json: rules.shipping.source: missing"


def test_loader_refuses_a_product_type_without_category(data_copy: Path):
    edit(data_copy / "channel_1688.json", lambda d: d["categories"].pop("television"))

    with pytest.raises(RuleFileError) as caught:
        read_rule_book(data_copy)

    assert str(caught.value) == (
        "channel_1688.json: categories.television: missing: every product type needs a category"
    )


def test_loader_refuses_an_hs_code_in_two_types(data_copy: Path):
    edit(data_copy / "product_types.json", lambda d: d["types"]["bedding"]["hs"].append("940360"))

    with pytest.raises(RuleFileError) as caught:
        read_rule_book(data_copy)

    assert caught.value.file == "product_types.json"
    assert caught.value.key == "types.bedding.hs"


def test_loader_refuses_an_unknown_requirement_and_a_bad_pattern(data_copy: Path):
    edit(
        data_copy / "product_types.json",
        lambda d: d["types"]["television"]["requirements"].append("ce-mark"),
    )
    with pytest.raises(RuleFileError) as unknown:
        read_rule_book(data_copy)
    shutil.copy(DATA_DIR / "product_types.json", data_copy / "product_types.json")
    edit(data_copy / "compliance.json", lambda d: d["requirements"]["ccc"].update(pattern="(\\d"))
    with pytest.raises(RuleFileError) as bad_pattern:
        read_rule_book(data_copy)

    assert unknown.value.key == "types.television.requirements"
    assert (bad_pattern.value.file, bad_pattern.value.key) == (
        "compliance.json",
        "requirements.ccc.pattern",
    )


def test_loader_refuses_broken_json(data_copy: Path):
    (data_copy / "channel_tmall.json").write_text("{not json", encoding="utf-8")

    with pytest.raises(RuleFileError) as caught:
        read_rule_book(data_copy)

    assert caught.value.file == "channel_tmall.json"
