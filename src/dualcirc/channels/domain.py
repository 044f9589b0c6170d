"""Writers of the domestic-channel data: the listing fields and the compliance evidence.

Both check ``core.access.can_edit_product`` (the enterprise's members and the operator) and
raise ``InvalidInput`` with one ``FieldError`` per bad field (and row, for the spec matrix).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from dualcirc.catalog.domain import add_product_image
from dualcirc.catalog.models import Product
from dualcirc.channels.models import DomesticListing, ProductCompliance
from dualcirc.channels.readiness import check_evidence
from dualcirc.channels.rules import RuleBook, load_rule_book
from dualcirc.core.access import can_edit_product, require
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.l10n.rates import minor_digits, minor_units

LISTING_FIELDS = (
    "title_zh",
    "brand",
    "retail_price",
    "spec_matrix",
    "wholesale_tiers",
    "attributes",
    "shipping_hours",
    "seven_day_return",
)
MAX_SKUS = 2000  # far above any channel's limit: the readiness check reports the channel's
_SEPARATORS = re.compile(r"\s*[,，\t;；]\s*")


def get_spec_axes(product: Product, *, book: RuleBook | None = None) -> tuple[str, ...]:
    """The spec axes the product's type asks for (颜色分类, 尺寸 …); one generic axis when the
    HS code has no type."""
    book = book or load_rule_book()
    text = " ".join(t for t in (product.title_zh, product.title_en, product.title_vi) if t)
    ptype = book.type_for(hs_code=product.hs_code, text=text)
    return ptype.spec_axes if ptype else ("规格",)


def parse_money(text: str, *, field: str, row: int | None = None) -> Decimal:
    """A domestic price in yuan (``2599``, ``¥2,599.50``). Raises ``InvalidInput`` naming
    ``field`` (and ``row``) for text that is not a positive amount, and for more decimals than
    the yuan's minor unit — refused, not rounded, like the product API (trailing zeros aside:
    ``12.500`` is ``12.50``)."""
    try:
        value = Decimal(text.strip().lstrip("¥￥").replace(",", ""))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value <= 0 or value >= Decimal("1e10"):
        raise InvalidInput(
            _("Check the highlighted fields."),
            [FieldError(field, _("%(value)s is not a positive amount.") % {"value": text}, row)],
        )
    error = check_yuan_places(value, text, field=field, row=row)
    if error is not None:
        raise InvalidInput(_("Check the highlighted fields."), [error])
    return value.quantize(minor_units("CNY"))


def check_yuan_places(
    value: Decimal, text: str, *, field: str, row: int | None = None
) -> FieldError | None:
    """The error for an amount in yuan with more decimals than the yuan's minor unit (refused,
    not rounded; trailing zeros aside), or None. ``text`` is what the user typed."""
    if value == value.quantize(minor_units("CNY")):
        return None
    return FieldError(
        field,
        _("%(value)s has more decimals than a price in yuan allows (%(places)d).")
        % {"value": text.strip(), "places": minor_digits("CNY")},
        row,
    )


def parse_spec_rows(
    rows: Sequence[tuple[int, Sequence[str]]], *, axes: Sequence[str]
) -> list[dict[str, Any]]:
    """Spec-matrix rows ``(row number, cells)`` with cells ``axis values…, price, stock`` into
    the stored shape. Price may be blank (1688 prices by tier). Raises ``InvalidInput`` naming
    each bad row by its number."""
    errors: list[FieldError] = []
    out: list[dict[str, Any]] = []
    width = len(axes) + 2
    if len(rows) > MAX_SKUS:
        raise InvalidInput(
            _("Check the highlighted fields."),
            [FieldError("spec_matrix", _("At most %(n)s SKUs.") % {"n": MAX_SKUS})],
        )
    for n, cells in rows:
        cells = [c.strip() for c in cells]
        if len(cells) != width:
            errors.append(
                FieldError(
                    "spec_matrix",
                    _("Expected %(n)s values (%(columns)s), found %(found)s.")
                    % {
                        "n": width,
                        "columns": ", ".join([*axes, _("price"), _("stock")]),
                        "found": len(cells),
                    },
                    n,
                )
            )
            continue
        values, price_text, stock_text = cells[: len(axes)], cells[-2], cells[-1]
        if not all(values):
            errors.append(FieldError("spec_matrix", _("Every axis needs a value."), n))
            continue
        price: str | None = None
        if price_text:
            try:
                price = str(parse_money(price_text, field="spec_matrix", row=n))
            except InvalidInput as exc:
                errors.extend(exc.errors)
                continue
        if not stock_text.isdigit():
            errors.append(FieldError("spec_matrix", _("Stock must be a whole number ≥ 0."), n))
            continue
        out.append(
            {"axes": dict(zip(axes, values, strict=True)), "price": price, "stock": int(stock_text)}
        )
    if errors:
        raise InvalidInput(_("Check the highlighted fields."), errors)
    return out


def parse_spec_text(text: str, *, axes: Sequence[str]) -> list[dict[str, Any]]:
    """One SKU a line: ``胡桃色, 1.8米, 2599, 10`` (commas, Chinese commas, tabs or
    semicolons)."""
    lines = [line for line in text.splitlines() if line.strip()]
    return parse_spec_rows(
        [(n, _SEPARATORS.split(line.strip())) for n, line in enumerate(lines, start=1)], axes=axes
    )


def parse_tier_text(text: str) -> list[dict[str, str]]:
    """One tier a line: ``minimum quantity, unit price`` (``50, 2399``)."""
    errors: list[FieldError] = []
    tiers: list[dict[str, str]] = []
    lines = [line for line in text.splitlines() if line.strip()]
    for n, line in enumerate(lines, start=1):
        cells = _SEPARATORS.split(line.strip())
        if len(cells) != 2:
            errors.append(
                FieldError("wholesale_tiers", _("Expected: minimum quantity, unit price."), n)
            )
            continue
        try:
            qty = Decimal(cells[0])
            if not qty.is_finite() or qty <= 0:
                raise InvalidOperation
            price = parse_money(cells[1], field="wholesale_tiers", row=n)
        except InvalidOperation:
            errors.append(
                FieldError("wholesale_tiers", _("The quantity must be a positive number."), n)
            )
            continue
        except InvalidInput as exc:
            errors.extend(exc.errors)
            continue
        tiers.append({"min_qty": str(qty), "price": str(price)})
    if errors:
        raise InvalidInput(_("Check the highlighted fields."), errors)
    return tiers


def _clean_listing_field(name: str, value: Any, axes: Sequence[str]) -> Any:
    if name in ("title_zh", "brand"):
        return str(value or "").strip()
    if name == "retail_price":
        if value in (None, ""):
            return None
        return parse_money(str(value), field=name)
    if name == "spec_matrix":
        if isinstance(value, str):
            return parse_spec_text(value, axes=axes)
        # Stored-shape rows (the spreadsheet import, the API) are checked like typed ones.
        return parse_spec_rows(
            [
                (
                    n,
                    [
                        *(str((row.get("axes") or {}).get(a, "")) for a in axes),
                        str(row.get("price") or ""),
                        str(row.get("stock", "")),
                    ],
                )
                for n, row in enumerate(value, start=1)
            ],
            axes=axes,
        )
    if name == "wholesale_tiers":
        if isinstance(value, str):
            return parse_tier_text(value)
        return parse_tier_text("\n".join(f"{t.get('min_qty')}, {t.get('price')}" for t in value))
    if name == "shipping_hours":
        if value in (None, ""):
            return None
        if not str(value).isdigit() or not 1 <= int(value) <= 720:
            raise InvalidInput(
                _("Check the highlighted fields."),
                [FieldError(name, _("Hours between 1 and 720."))],
            )
        return int(value)
    if name == "seven_day_return":
        return None if value is None else bool(value)
    raise AssertionError(name)


@transaction.atomic
def record_listing(
    *,
    actor: Any,
    product: Product,
    data: Mapping[str, Any],
    evidence: Mapping[str, str] | None = None,
    evidence_valid_until: Mapping[str, date] | None = None,
    images: Sequence[UploadedFile] = (),
) -> DomesticListing:
    """Write the listing fields present in ``data`` (others are kept), merge
    ``data["attributes"]`` into the stored ones, record each ``evidence`` value and add the
    uploaded ``images`` to the catalog product. All or nothing: one bad field saves nothing.

    Side effects: creates the product's DomesticListing on first use; image uploads go
    through ``catalog.domain.add_product_image`` (thumbnails, search re-index)."""
    require(can_edit_product(actor, product))
    listing, _created = DomesticListing.objects.select_for_update().get_or_create(product=product)
    axes = get_spec_axes(product)
    errors: list[FieldError] = []
    for name in LISTING_FIELDS:
        if name not in data:
            continue
        if name == "attributes":
            merged = dict(listing.attributes or {})
            for key, value in (data[name] or {}).items():
                text = str(value).strip()
                if len(text) > 200:
                    errors.append(FieldError(f"attr:{key}", _("At most 200 characters.")))
                elif text:
                    merged[str(key)] = text
            listing.attributes = merged
            continue
        try:
            setattr(listing, name, _clean_listing_field(name, data[name], axes))
        except InvalidInput as exc:
            errors.extend(exc.errors)
    if len(listing.title_zh) > 120:
        errors.append(FieldError("title_zh", _("At most 120 characters.")))
    if len(listing.brand) > 100:
        errors.append(FieldError("brand", _("At most 100 characters.")))
    until = evidence_valid_until or {}
    for key in until:
        if key not in (evidence or {}):
            errors.append(
                FieldError(f"evidence_until:{key}", _("Give the number this date belongs to."))
            )
    for key, value in (evidence or {}).items():
        try:
            _check_and_store_evidence(
                actor=actor,
                product=product,
                requirement=key,
                value=value,
                valid_until=until.get(key),
            )
        except InvalidInput as exc:
            errors.extend(exc.errors)
    if errors:
        raise InvalidInput(_("Check the highlighted fields."), errors)
    listing.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    listing.save()
    for upload in images:
        add_product_image(actor=actor, product=product, upload=upload)
    return listing


def _check_and_store_evidence(
    *, actor: Any, product: Product, requirement: str, value: str, valid_until: date | None
) -> ProductCompliance | None:
    book = load_rule_book()
    field = f"evidence:{requirement}"
    if requirement not in book.requirements:
        raise InvalidInput(
            _("Check the highlighted fields."), [FieldError(field, _("Unknown requirement."))]
        )
    value = (value or "").strip()
    if not value:
        return None
    problem = check_evidence(book.requirements[requirement], value)
    if problem:
        raise InvalidInput(_("Check the highlighted fields."), [FieldError(field, problem)])
    row, _created = ProductCompliance.objects.update_or_create(
        product=product,
        requirement=requirement,
        defaults={
            "value": value,
            "valid_until": valid_until,
            "recorded_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    return row


@transaction.atomic
def record_compliance_evidence(
    *,
    actor: Any,
    product: Product,
    requirement: str,
    value: str,
    valid_until: date | None = None,
) -> ProductCompliance | None:
    """Record (or replace) the evidence for one requirement of compliance.json, after
    checking its format (a CCC certificate is 16 digits, an SC licence 'SC' + 14 digits …),
    with the last day it is valid if it expires (readiness then fails after that day).
    A blank value records nothing."""
    require(can_edit_product(actor, product))
    return _check_and_store_evidence(
        actor=actor, product=product, requirement=requirement, value=value, valid_until=valid_until
    )
