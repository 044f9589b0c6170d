"""The channel rule book: the versioned data files under ``channels/data`` read into typed,
immutable rules.

Pure Python (no Django): the files are JSON, one per channel (``channel_<key>.json``), plus
``product_types.json`` (HS subheading → product type, spec axes, mandatory attributes,
compulsory requirements) and ``compliance.json`` (CCC, SC, GB standards, filings). Every rule
carries the ``source`` it was taken from. :func:`load_rule_book` refuses a file that does not
fit the schema with a :class:`RuleFileError` naming the file and the key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
CHANNEL_ORDER = ("tmall", "jd", "douyin", "pdd", "1688")
TITLE_UNITS = ("chars", "gbk_bytes")
EVIDENCE_KINDS = ("certificate", "licence", "record", "report", "grade", "declaration")
HS_RE = re.compile(r"^\d{6}$")


class RuleFileError(ValueError):
    """A rule file does not fit the schema: the message names the file and the key."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        super().__init__(f"{file}: {key}: {problem}")
        self.file = file
        self.key = key


@dataclass(frozen=True)
class TitleRule:
    min: int
    max: int
    unit: str  # "chars" or "gbk_bytes" (a Chinese character counts 2)
    source: str


@dataclass(frozen=True)
class ImageRule:
    min: int
    max: int
    min_px: int
    ratio: tuple[int, int]
    ratio_tolerance: float
    max_bytes: int
    source: str


@dataclass(frozen=True)
class SkuRule:
    axes_max: int
    max_skus: int
    price_each: bool
    stock_each: bool
    source: str


@dataclass(frozen=True)
class WholesaleRule:
    tiers_min: int
    tiers_max: int
    moq_required: bool
    source: str


@dataclass(frozen=True)
class Channel:
    key: str
    version: str
    name_zh: str
    name_en: str
    title: TitleRule
    images: ImageRule
    sku: SkuRule
    price_within_sku_range: bool
    wholesale: WholesaleRule | None
    max_promise_hours: int
    seven_day_return: bool
    qualifications: tuple[str, ...]
    categories: Mapping[str, tuple[str, ...]]  # product type → category path
    sources: Mapping[str, str]  # rule name → where it comes from


@dataclass(frozen=True)
class AttributeRule:
    name: str  # the channel's attribute name, e.g. 材质
    from_keys: tuple[str, ...]  # catalog attribute keys whose value fills it


@dataclass(frozen=True)
class ProductType:
    key: str
    name_zh: str
    name_en: str
    hs_codes: tuple[str, ...]
    requirements: tuple[str, ...]
    spec_axes: tuple[str, ...]
    attributes: tuple[AttributeRule, ...]
    seven_day_return_exempt: bool


@dataclass(frozen=True)
class Requirement:
    key: str
    kind: str
    name_zh: str
    name_en: str
    evidence: str
    blocking: bool
    pattern: re.Pattern[str] | None
    choices: tuple[str, ...]
    example: str
    source: str


@dataclass(frozen=True)
class Refinement:
    hs_code: str
    keywords: tuple[str, ...]
    type_key: str


@dataclass(frozen=True)
class RuleBook:
    channels: Mapping[str, Channel]
    types: Mapping[str, ProductType]
    requirements: Mapping[str, Requirement]
    refinements: tuple[Refinement, ...]
    hs_index: Mapping[str, str]  # HS subheading → product type key

    def type_for(self, *, hs_code: str, text: str = "") -> ProductType | None:
        """The product type of an HS subheading, refined by words of the product's titles
        (a children's bed is HS 940350 like any bed, but has its own standard)."""
        lowered = text.lower()
        for refinement in self.refinements:
            if refinement.hs_code == hs_code and any(k in lowered for k in refinement.keywords):
                return self.types[refinement.type_key]
        key = self.hs_index.get(hs_code)
        return self.types[key] if key else None


class JsonReader:
    """Typed access to one JSON document, naming the file and the dotted key on error."""

    def __init__(self, file: str, doc: Any, prefix: str = "") -> None:
        self.file = file
        self.doc = doc
        self.prefix = prefix

    def fail(self, key: str, problem: str) -> RuleFileError:
        return RuleFileError(self.file, f"{self.prefix}{key}", problem)

    def sub(self, key: str) -> JsonReader:
        value = self.raw(key)
        if not isinstance(value, dict):
            raise self.fail(key, "expected an object")
        return JsonReader(self.file, value, f"{self.prefix}{key}.")

    def raw(self, key: str) -> Any:
        if not isinstance(self.doc, dict) or key not in self.doc:
            raise self.fail(key, "missing")
        return self.doc[key]

    def text(self, key: str, *, optional: bool = False) -> str:
        if optional and key not in self.doc:
            return ""
        value = self.raw(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "expected a non-empty text")
        return value

    def integer(self, key: str, *, minimum: int = 0) -> int:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(key, f"expected an integer ≥ {minimum}")
        return value

    def number(self, key: str) -> float:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise self.fail(key, "expected a number ≥ 0")
        return float(value)

    def flag(self, key: str, *, default: bool | None = None) -> bool:
        if default is not None and key not in self.doc:
            return default
        value = self.raw(key)
        if not isinstance(value, bool):
            raise self.fail(key, "expected true or false")
        return value

    def texts(self, key: str, *, optional: bool = False) -> tuple[str, ...]:
        if optional and key not in self.doc:
            return ()
        value = self.raw(key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(key, "expected a list of texts")
        return tuple(value)


def _read_json(path: Path) -> JsonReader:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RuleFileError(path.name, "(file)", f"not valid JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise RuleFileError(path.name, "(file)", "expected an object")
    reader = JsonReader(path.name, doc)
    reader.text("version")
    return reader


def _ratio(reader: JsonReader, key: str) -> tuple[int, int]:
    value = reader.text(key)
    match = re.fullmatch(r"(\d+):(\d+)", value)
    if not match or int(match[1]) == 0 or int(match[2]) == 0:
        raise reader.fail(key, "expected a ratio like 1:1")
    return int(match[1]), int(match[2])


def _read_requirements(reader: JsonReader) -> dict[str, Requirement]:
    out: dict[str, Requirement] = {}
    block = reader.sub("requirements")
    for key in block.doc:
        r = block.sub(key)
        pattern_text = r.text("pattern", optional=True)
        try:
            pattern = re.compile(pattern_text) if pattern_text else None
        except re.error as exc:
            raise r.fail("pattern", f"not a regular expression: {exc}") from exc
        evidence = r.text("evidence")
        if evidence not in EVIDENCE_KINDS:
            raise r.fail("evidence", f"expected one of {', '.join(EVIDENCE_KINDS)}")
        example = r.text("example", optional=True)
        if pattern and example and not pattern.fullmatch(example):
            raise r.fail("example", "does not match the pattern")
        out[key] = Requirement(
            key=key,
            kind=r.text("kind"),
            name_zh=r.text("name_zh"),
            name_en=r.text("name_en"),
            evidence=evidence,
            blocking=r.flag("blocking"),
            pattern=pattern,
            choices=r.texts("choices", optional=True),
            example=example,
            source=r.text("source"),
        )
    return out


def _read_types(
    reader: JsonReader, requirements: Mapping[str, Requirement]
) -> tuple[dict[str, ProductType], dict[str, str], tuple[Refinement, ...]]:
    reader.text("source")
    types: dict[str, ProductType] = {}
    hs_index: dict[str, str] = {}
    block = reader.sub("types")
    for key in block.doc:
        t = block.sub(key)
        hs_codes = t.texts("hs") if t.raw("hs") else ()
        for hs in hs_codes:
            if not HS_RE.fullmatch(hs):
                raise t.fail("hs", f"{hs!r} is not a 6-digit HS subheading")
            if hs in hs_index:
                raise t.fail("hs", f"{hs} is already mapped to {hs_index[hs]}")
            hs_index[hs] = key
        reqs = t.texts("requirements") if t.raw("requirements") else ()
        for req in reqs:
            if req not in requirements:
                raise t.fail("requirements", f"{req!r} is not in compliance.json")
        attributes = []
        for i, item in enumerate(t.raw("attributes")):
            a = JsonReader(t.file, item, f"{t.prefix}attributes[{i}].")
            attributes.append(
                AttributeRule(name=a.text("name"), from_keys=a.texts("from", optional=True))
            )
        types[key] = ProductType(
            key=key,
            name_zh=t.text("name_zh"),
            name_en=t.text("name_en"),
            hs_codes=hs_codes,
            requirements=reqs,
            spec_axes=t.texts("spec_axes"),
            attributes=tuple(attributes),
            seven_day_return_exempt=t.flag("seven_day_return_exempt", default=False),
        )
    refinements = []
    for i, item in enumerate(reader.raw("refinements")):
        f = JsonReader(reader.file, item, f"refinements[{i}].")
        type_key = f.text("type")
        if type_key not in types:
            raise f.fail("type", f"{type_key!r} is not a product type")
        f.text("source")
        refinements.append(
            Refinement(
                hs_code=f.text("hs"),
                keywords=tuple(k.lower() for k in f.texts("keywords")),
                type_key=type_key,
            )
        )
    return types, hs_index, tuple(refinements)


def _read_channel(
    reader: JsonReader, types: Mapping[str, ProductType], requirements: Mapping[str, Requirement]
) -> Channel:
    key = reader.text("channel")
    rules = reader.sub("rules")
    sources = {name: rules.sub(name).text("source") for name in rules.doc}
    title = rules.sub("title")
    unit = title.text("unit")
    if unit not in TITLE_UNITS:
        raise title.fail("unit", f"expected one of {', '.join(TITLE_UNITS)}")
    images = rules.sub("main_images")
    sku = rules.sub("sku")
    wholesale = None
    if "wholesale" in rules.doc:
        w = rules.sub("wholesale")
        wholesale = WholesaleRule(
            tiers_min=w.integer("tiers_min", minimum=1),
            tiers_max=w.integer("tiers_max", minimum=1),
            moq_required=w.flag("moq_required"),
            source=w.text("source"),
        )
    documents = rules.sub("qualifications").texts("documents")
    for doc in documents:
        if doc not in requirements:
            raise rules.fail("qualifications.documents", f"{doc!r} is not in compliance.json")
    reader.text("category_source")
    categories: dict[str, tuple[str, ...]] = {}
    block = reader.sub("categories")
    for type_key in block.doc:
        if type_key not in types:
            raise block.fail(type_key, "not a product type of product_types.json")
        path = tuple(p.strip() for p in block.sub(type_key).text("path").split(">"))
        if not all(path):
            raise block.fail(f"{type_key}.path", "an empty level in the path")
        categories[type_key] = path
    for type_key in types:
        if type_key not in categories:
            raise block.fail(type_key, "missing: every product type needs a category")
    title_rule = TitleRule(
        min=title.integer("min"),
        max=title.integer("max", minimum=1),
        unit=unit,
        source=title.text("source"),
    )
    if title_rule.min > title_rule.max:
        raise title.fail("min", "greater than max")
    return Channel(
        key=key,
        version=reader.text("version"),
        name_zh=reader.text("name_zh"),
        name_en=reader.text("name_en"),
        title=title_rule,
        images=ImageRule(
            min=images.integer("min"),
            max=images.integer("max", minimum=1),
            min_px=images.integer("min_px", minimum=1),
            ratio=_ratio(images, "ratio"),
            ratio_tolerance=images.number("ratio_tolerance"),
            max_bytes=images.integer("max_bytes", minimum=1),
            source=images.text("source"),
        ),
        sku=SkuRule(
            axes_max=sku.integer("axes_max", minimum=1),
            max_skus=sku.integer("max_skus", minimum=1),
            price_each=sku.flag("price_each"),
            stock_each=sku.flag("stock_each"),
            source=sku.text("source"),
        ),
        price_within_sku_range=rules.sub("price").flag("listed_within_sku_range"),
        wholesale=wholesale,
        max_promise_hours=rules.sub("shipping").integer("max_promise_hours", minimum=1),
        seven_day_return=rules.sub("after_sales").flag("seven_day_return"),
        qualifications=documents,
        categories=categories,
        sources=sources,
    )


def read_rule_book(directory: Path) -> RuleBook:
    """Read and validate every rule file in ``directory``; raise :class:`RuleFileError`."""
    requirements = _read_requirements(_read_json(directory / "compliance.json"))
    types, hs_index, refinements = _read_types(
        _read_json(directory / "product_types.json"), requirements
    )
    channels: dict[str, Channel] = {}
    for path in sorted(directory.glob("channel_*.json")):
        reader = _read_json(path)
        channel = _read_channel(reader, types, requirements)
        if path.stem != f"channel_{channel.key}":
            raise reader.fail("channel", f"{channel.key!r} does not match the file name")
        channels[channel.key] = channel
    ordered = {k: channels[k] for k in CHANNEL_ORDER if k in channels}
    ordered.update({k: v for k, v in channels.items() if k not in ordered})
    if not ordered:
        raise RuleFileError(directory.name, "(directory)", "no channel_*.json file")
    return RuleBook(
        channels=ordered,
        types=types,
        requirements=requirements,
        refinements=refinements,
        hs_index=hs_index,
    )


@lru_cache(maxsize=1)
def load_rule_book() -> RuleBook:
    """The shipped rule book, read once per process."""
    return read_rule_book(DATA_DIR)
