"""Bulk editing of spec matrices from a spreadsheet (CSV or XLSX), read with the catalog's
bounded reader (``catalog.import_format.read_table``): one row per SKU variant, a column
naming the product (货号 / SKU), one column per spec axis (颜色分类, 尺寸, 尺码 … or their
English names), price and stock. Every product named gets the matrix of its rows; all or
nothing."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from dualcirc.catalog.import_format import cap_errors, header_keys, read_table
from dualcirc.catalog.models import Enterprise, Product
from dualcirc.channels.domain import get_spec_axes, parse_spec_rows, record_listing
from dualcirc.channels.rules import load_rule_book
from dualcirc.core.access import can_edit_enterprise, require
from dualcirc.core.errors import FieldError, InvalidInput

# Header synonyms: the catalog importer's spirit (any case, width or bracketed unit), for the
# columns a spec sheet has. An axis column fills the product type's axis of that name; "size"
# fills whichever size axis the type has (尺寸, 尺码, 屏幕尺寸).
COLUMNS: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "货号", "商品编码", "商家编码", "产品编号", "款号", "mã sản phẩm"),
    "price": ("price", "价格", "售价", "单价", "零售价", "sku价格", "giá"),
    "stock": ("stock", "库存", "数量", "库存数量", "inventory", "tồn kho"),
    "axis:颜色分类": ("颜色分类", "颜色", "colour", "color", "màu"),
    "axis:size": ("size", "尺寸", "尺码", "屏幕尺寸", "规格尺寸", "kích thước", "cỡ"),
    "axis:容量": ("容量", "capacity", "dung tích"),
    "axis:规格": ("规格", "spec", "specification", "quy cách"),
    "axis:包装规格": ("包装规格", "包装", "pack", "packaging"),
    "axis:口味": ("口味", "flavour", "flavor", "taste", "vị"),
    "axis:匹数": ("匹数", "horsepower"),
    "axis:套数": ("套数", "place settings"),
    "axis:套餐类型": ("套餐类型", "套餐", "kit", "bundle"),
}
SIZE_AXES = ("尺寸", "尺码", "屏幕尺寸")
_ALIASES = {
    header_keys(alias)[0]: column for column, aliases in COLUMNS.items() for alias in aliases
}


def recognise_spec_column(header: str) -> str | None:
    kept, dropped = header_keys(header)
    return _ALIASES.get(kept) or _ALIASES.get(dropped)


def _axis_column(axis: str, columns: dict[str, int]) -> int | None:
    if f"axis:{axis}" in columns:
        return columns[f"axis:{axis}"]
    if axis in SIZE_AXES and "axis:size" in columns:
        return columns["axis:size"]
    return None


def import_spec_matrix(
    *, actor: Any, enterprise: Enterprise, source: bytes | IO[bytes] | Path | str
) -> dict[str, int]:
    """Replace the spec matrix of every product the sheet names with the sheet's rows.

    Returns SKU → number of spec rows. Raises ``InvalidInput`` naming the row and column of
    each problem (unknown SKU, an axis the product's type needs but the sheet lacks, a bad
    price or stock); then nothing is written."""
    require(can_edit_enterprise(actor, enterprise))
    table = read_table(
        source,
        recognise=recognise_spec_column,
        no_header_message=_(
            "No header row found: name the columns, e.g. 货号, 颜色分类, 尺寸, 价格, 库存."
        ),
    )
    columns: dict[str, int] = {}
    for i, name in enumerate(table.header):
        key = recognise_spec_column(name)
        if key and key not in columns:
            columns[key] = i
    missing = [c for c in ("sku", "stock") if c not in columns]
    if missing:
        message = _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
        raise InvalidInput(message, [FieldError("file", message)])
    grouped: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
    for number, values in table.rows:
        sku = values[columns["sku"]].strip() if columns["sku"] < len(values) else ""
        if sku:
            grouped[sku].append((number, values))
    products = {
        p.sku: p for p in Product.objects.filter(enterprise=enterprise, sku__in=list(grouped))
    }
    book = load_rule_book()
    errors: list[FieldError] = []
    matrices: dict[str, list[dict[str, Any]]] = {}
    for sku, rows in grouped.items():
        product = products.get(sku)
        if product is None:
            errors.extend(
                FieldError("sku", _("No product with SKU %(sku)s.") % {"sku": sku}, n)
                for n, _values in rows[:1]
            )
            continue
        axes = get_spec_axes(product, book=book)
        positions = [_axis_column(axis, columns) for axis in axes]
        lacking = [axis for axis, pos in zip(axes, positions, strict=True) if pos is None]
        if lacking:
            errors.append(
                FieldError(
                    "file",
                    _("SKU %(sku)s needs the columns %(columns)s.")
                    % {"sku": sku, "columns": ", ".join(lacking)},
                    rows[0][0],
                )
            )
            continue
        cells = [
            (
                n,
                [
                    *(values[p] for p in positions if p is not None),
                    values[columns["price"]] if "price" in columns else "",
                    values[columns["stock"]],
                ],
            )
            for n, values in rows
        ]
        try:
            matrices[sku] = parse_spec_rows(cells, axes=axes)
        except InvalidInput as exc:
            errors.extend(exc.errors)
    if not grouped:
        errors.append(FieldError("file", _("The file names no product.")))
    if errors:
        shown, omitted = cap_errors(errors)
        message = _("Nothing was imported: fix the rows below.")
        if omitted:
            message += " " + _("%(count)d more problems are not listed.") % {"count": omitted}
        raise InvalidInput(message, shown)
    with transaction.atomic():
        for sku, matrix in matrices.items():
            record_listing(actor=actor, product=products[sku], data={"spec_matrix": matrix})
    return {sku: len(matrix) for sku, matrix in matrices.items()}
