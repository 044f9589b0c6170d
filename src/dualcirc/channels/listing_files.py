"""The shape of each channel's listing file, from ``channels/data/listing_files.json``: the
format (CSV or XLSX with one row per SKU, or JSON with one payload per product), and for each
column or field the value it holds and the source of that mapping.

Pure: :class:`ListingRecord` (built by ``channels.export``) in, bytes out. Values are named in
the data file and computed here (:data:`PRODUCT_VALUES`, :data:`SKU_VALUES`); a name the code
does not know is a :class:`~dualcirc.channels.rules.RuleFileError` when the file is read.
:func:`check_record` applies the channel's rules to a record before anything is written.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from dualcirc.channels.readiness import count_title
from dualcirc.channels.rules import DATA_DIR, Channel, JsonReader, RuleFileError
from dualcirc.core.csvfiles import Sheet, csv_bytes, xlsx_sheets_bytes

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": ("application/json", "json"),
}


@dataclass(frozen=True)
class SkuRecord:
    code: str  # the SKU's own code: the product's SKU and its position (T-1-1)
    axes: Mapping[str, str]  # in the product type's order
    price: Decimal | None  # yuan; None where the channel prices by quantity tiers (1688)
    stock: int


@dataclass(frozen=True)
class ListingRecord:
    """One ready product as every listing file needs it (channels.export builds it)."""

    sku: str
    title: str
    brand: str
    category_path: tuple[str, ...]
    retail_price: Decimal | None
    attributes: Mapping[str, str]
    qualifications: Mapping[str, str]
    shipping_hours: int
    seven_day_return: bool
    image_count: int
    tiers: tuple[tuple[Decimal, Decimal], ...]  # (minimum quantity, yuan)
    moq: Decimal | None
    unit: str
    skus: tuple[SkuRecord, ...] = field(default_factory=tuple)


def _text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:f}"


def _fen(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())


def _join(pairs: Mapping[str, str]) -> str:
    return ";".join(f"{k}:{v}" for k, v in pairs.items())


def _nth_axis(n: int) -> Callable[[ListingRecord, SkuRecord], Any]:
    return lambda _r, s: list(s.axes.values())[n] if len(s.axes) > n else None


def _axes_douyin(r: ListingRecord) -> str:
    axes: dict[str, list[str]] = {}
    for s in r.skus:
        for name, value in s.axes.items():
            if value not in axes.setdefault(name, []):
                axes[name].append(value)
    return "^".join(f"{name}|{','.join(values)}" for name, values in axes.items())


PRODUCT_VALUES: dict[str, Callable[[ListingRecord], Any]] = {
    "sku": lambda r: r.sku,
    "title": lambda r: r.title,
    "brand": lambda r: r.brand,
    "category_path_text": lambda r: ">".join(r.category_path),
    "retail_price": lambda r: _text(r.retail_price),
    "attributes_text": lambda r: _join(r.attributes),
    "attributes_1688": lambda r: [
        {"attributeName": k, "value": v} for k, v in r.attributes.items()
    ],
    "qualifications_text": lambda r: _join(r.qualifications),
    "shipping_hours": lambda r: str(r.shipping_hours),
    "shipping_days": lambda r: math.ceil(r.shipping_hours / 24),
    "shipping_seconds": lambda r: r.shipping_hours * 3600,
    "seven_day_return": lambda r: r.seven_day_return,
    "seven_day_return_int": lambda r: int(r.seven_day_return),
    "seven_day_return_text": lambda r: "是" if r.seven_day_return else "否",
    "image_count": lambda r: str(r.image_count),
    "spec_axes_douyin": _axes_douyin,
    "max_sku_price_fen": lambda r: max(
        (_fen(s.price) or 0 for s in r.skus if s.price is not None), default=None
    ),
    "tier_ranges": lambda r: [{"startQuantity": int(q), "price": _text(p)} for q, p in r.tiers],
    "moq_int": lambda r: int(r.moq) if r.moq is not None else None,
    "total_stock": lambda r: sum(s.stock for s in r.skus),
    "unit": lambda r: r.unit,
}
SKU_VALUES: dict[str, Callable[[ListingRecord, SkuRecord], Any]] = {
    "sku": lambda r, _s: r.sku,
    "sku_code": lambda _r, s: s.code,
    "spec_text": lambda _r, s: _join(s.axes),
    "spec_1": _nth_axis(0),
    "spec_2": _nth_axis(1),
    "spec_3": _nth_axis(2),
    "spec_1688": lambda _r, s: [
        {"attributeName": k, "attributeValue": v} for k, v in s.axes.items()
    ],
    "sku_price": lambda _r, s: _text(s.price),
    "sku_price_fen": lambda _r, s: _fen(s.price),
    "sku_price_or_null": lambda _r, s: _text(s.price) or None,
    "sku_stock": lambda _r, s: str(s.stock),
    "sku_stock_int": lambda _r, s: s.stock,
}


@dataclass(frozen=True)
class Mapped:
    name: str  # column header or JSON field (dotted for nested objects)
    value: str  # a key of PRODUCT_VALUES / SKU_VALUES, "const:<json>", "skus", or "" (empty)
    source: str


@dataclass(frozen=True)
class ListingFormat:
    channel: str
    format: str  # csv | xlsx | json
    source: str
    sheet: str
    api: str
    columns: tuple[Mapped, ...]  # csv, xlsx: one row per SKU
    fields: tuple[Mapped, ...]  # json: the product payload
    sku_fields: tuple[Mapped, ...]  # json: each SKU of the payload

    @property
    def content_type(self) -> str:
        return FORMATS[self.format][0]

    @property
    def extension(self) -> str:
        return FORMATS[self.format][1]


def _mapped(reader: JsonReader, key: str, name_key: str, *, sku_level: bool) -> tuple[Mapped, ...]:
    out = []
    for n, item in enumerate(reader.doc.get(key) or []):
        where = f"{key}[{n}]"
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) for k in (name_key, "value", "source")
        ):
            raise reader.fail(where, f"expected {name_key}, value and source texts")
        value = item["value"]
        known = value == "" or value.startswith("const:") or value == "skus"
        known = known or value in SKU_VALUES or (not sku_level and value in PRODUCT_VALUES)
        if sku_level:
            known = known and value != "skus"
        if not known:
            raise reader.fail(where, f"unknown value {value!r}")
        if value.startswith("const:"):
            try:
                json.loads(value.removeprefix("const:"))
            except json.JSONDecodeError as exc:
                raise reader.fail(where, "const: needs a JSON value") from exc
        if not item["source"].strip():
            raise reader.fail(where, "every mapping names its source")
        out.append(Mapped(name=item[name_key], value=value, source=item["source"]))
    return tuple(out)


def read_listing_formats(path: Path) -> dict[str, ListingFormat]:
    """Read and check ``listing_files.json``; a problem raises RuleFileError naming the key."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RuleFileError(path.name, "(file)", f"not valid JSON: {exc}") from exc
    reader = JsonReader(path.name, doc)
    reader.text("version")
    reader.text("source")
    channels = reader.sub("channels")
    formats: dict[str, ListingFormat] = {}
    for key in channels.doc:
        c = channels.sub(key)
        kind = c.text("format")
        if kind not in FORMATS:
            raise c.fail("format", "expected csv, xlsx or json")
        fmt = ListingFormat(
            channel=key,
            format=kind,
            source=c.text("source"),
            sheet=str(c.doc.get("sheet") or key),
            api=str(c.doc.get("api") or ""),
            columns=_mapped(c, "columns", "header", sku_level=False),
            fields=_mapped(c, "fields", "field", sku_level=False),
            sku_fields=_mapped(c, "sku_fields", "field", sku_level=True),
        )
        if kind == "json" and not fmt.fields:
            raise c.fail("fields", "a JSON file needs its payload fields")
        if kind != "json" and not fmt.columns:
            raise c.fail("columns", "a CSV or XLSX file needs its columns")
        formats[key] = fmt
    return formats


@lru_cache(maxsize=1)
def load_listing_formats() -> dict[str, ListingFormat]:
    return read_listing_formats(DATA_DIR / "listing_files.json")


# Checking --------------------------------------------------------------------------------------


def check_record(record: ListingRecord, channel: Channel) -> list[str]:
    """What in ``record`` breaks ``channel``'s rules, as messages; empty when it may be
    written. The readiness check asked for the same things; this is the last gate before a
    file, on the very values written."""
    problems: list[str] = []
    length = count_title(record.title, channel.title.unit)
    if not channel.title.min <= length <= channel.title.max:
        problems.append(
            _("Title length %(n)d is outside %(min)d–%(max)d.")
            % {"n": length, "min": channel.title.min, "max": channel.title.max}
        )
    if not record.skus or len(record.skus) > channel.sku.max_skus:
        problems.append(
            _("%(n)d SKUs; the channel takes 1 to %(max)d.")
            % {"n": len(record.skus), "max": channel.sku.max_skus}
        )
    prices = [s.price for s in record.skus if s.price is not None]
    if channel.wholesale is None and channel.sku.price_each and len(prices) != len(record.skus):
        problems.append(_("Every SKU needs a price."))
    if any(p <= 0 for p in prices) or any(s.stock < 0 for s in record.skus):
        problems.append(_("SKU prices must be positive and stock not negative."))
    listed = record.retail_price
    if (
        channel.price_within_sku_range
        and prices
        and (listed is None or not min(prices) <= listed <= max(prices))
    ):
        problems.append(_("The listed price must lie within the SKU prices."))
    if channel.wholesale is not None:
        quantities = [q for q, _p in record.tiers]
        if not channel.wholesale.tiers_min <= len(record.tiers) <= channel.wholesale.tiers_max:
            problems.append(_("The number of wholesale price tiers is outside the channel's."))
        elif quantities != sorted(set(quantities)):
            problems.append(_("Wholesale tiers must rise in quantity."))
        if channel.wholesale.moq_required and record.moq is None:
            problems.append(_("A minimum order quantity is needed."))
    if record.shipping_hours > channel.max_promise_hours:
        problems.append(
            _("Shipping promise %(n)d h is beyond the channel's %(max)d h.")
            % {"n": record.shipping_hours, "max": channel.max_promise_hours}
        )
    if not channel.images.min <= record.image_count:
        problems.append(_("Too few main images."))
    return problems


# Writing ---------------------------------------------------------------------------------------


def _const(value: str) -> Any:
    return json.loads(value.removeprefix("const:"))


def _cell(m: Mapped, record: ListingRecord, sku: SkuRecord) -> Any:
    if not m.value:
        return ""
    if m.value.startswith("const:"):
        return _const(m.value)
    if m.value in SKU_VALUES:
        return SKU_VALUES[m.value](record, sku)
    return PRODUCT_VALUES[m.value](record)


def _per_sku_rows(fmt: ListingFormat, records: list[ListingRecord]) -> list[list[Any]]:
    return [
        [_cell(c, record, sku) for c in fmt.columns] for record in records for sku in record.skus
    ]


def _set(payload: dict[str, Any], dotted: str, value: Any) -> None:
    *path, last = dotted.split(".")
    for part in path:
        payload = payload.setdefault(part, {})
    payload[last] = value


def build_payload(fmt: ListingFormat, record: ListingRecord) -> dict[str, Any]:
    """The product-creation payload of a JSON channel, then ``dualcirc``: the names the
    platform's ids are resolved from in the seller's account."""
    payload: dict[str, Any] = {}
    for f in fmt.fields:
        if f.value == "skus":
            value: Any = [
                {s.name: v for s in fmt.sku_fields if (v := _cell(s, record, sku)) is not None}
                for sku in record.skus
            ]
        elif f.value.startswith("const:"):
            value = _const(f.value)
        else:
            value = PRODUCT_VALUES[f.value](record) if f.value else ""
        _set(payload, f.name, value)
    payload["dualcirc"] = {
        "category_path": list(record.category_path),
        "brand": record.brand,
        "attributes": dict(record.attributes),
        "qualifications": dict(record.qualifications),
        "retail_price": _text(record.retail_price) or None,
        "image_count": record.image_count,
    }
    return payload


def write_listing_file(
    fmt: ListingFormat,
    records: list[ListingRecord],
    refused: list[tuple[str, list[str]]],
) -> bytes:
    """The file of ``fmt`` for ``records``. CSV: UTF-8 with BOM; XLSX: a sheet of SKU rows and
    a sheet 未导出 listing the products left out with their reasons; both written by
    core.csvfiles, whose one guard keeps text that starts like a formula as text. JSON:
    ``{"channel", "api", "source", "products": [payload…], "not_exported": [{sku, reasons}]}``."""
    if fmt.format == "csv":
        return csv_bytes([c.name for c in fmt.columns], _per_sku_rows(fmt, records))
    if fmt.format == "xlsx":
        return xlsx_sheets_bytes(
            [
                Sheet(fmt.sheet, [c.name for c in fmt.columns], _per_sku_rows(fmt, records)),
                Sheet("未导出", ["商家编码", "原因"], [[sku, "；".join(r)] for sku, r in refused]),
            ]
        )
    document = {
        "channel": fmt.channel,
        "api": fmt.api,
        "source": fmt.source,
        "products": [build_payload(fmt, r) for r in records],
        "not_exported": [{"sku": sku, "reasons": reasons} for sku, reasons in refused],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
