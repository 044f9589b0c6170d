"""Domestic pricing help: from an export price (FOB or EXW, any currency) to a suggested
domestic wholesale and retail price band per channel, with the operator's assumptions (VAT,
channel commission, shipping per parcel, margins): the latest
:class:`~dualcirc.channels.models.PricingAssumptionSet` (:func:`current_pricing`; recorded by
``channels.domain_pricing.set_pricing_assumptions`` from the operator's page), else the
defaults of ``channels/data/pricing.json``, which name their sources (VAT 13% …).

``suggest_domestic_prices`` is pure (Decimal in, Decimal out); the conversion to CNY is the
caller's (``l10n.rates.convert``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from dualcirc.channels.models import PricingAssumptionSet
from dualcirc.channels.rules import DATA_DIR, JsonReader, RuleFileError
from dualcirc.l10n.rates import minor_units


@dataclass(frozen=True)
class ChannelCosts:
    commission: Decimal
    shipping_cny: Decimal


@dataclass(frozen=True)
class PricingAssumptions:
    version: str
    vat_rate: Decimal
    fob_to_exw_share: Decimal
    wholesale_margin: tuple[Decimal, Decimal]
    retail_markup: tuple[Decimal, Decimal]
    channels: dict[str, ChannelCosts]


@dataclass(frozen=True)
class PriceBand:
    channel: str
    exw_cny: Decimal  # the export price at the factory gate, in CNY, before VAT
    wholesale: tuple[Decimal, Decimal]  # CNY incl. VAT
    retail: tuple[Decimal, Decimal] | None  # CNY incl. VAT; None where the channel is B2B


def _share(reader: JsonReader, key: str) -> Decimal:
    text = reader.text(key)
    try:
        value = Decimal(text)
    except ArithmeticError as exc:
        raise reader.fail(key, "expected a decimal text") from exc
    if not value.is_finite() or value < 0 or value >= 1:
        raise reader.fail(key, "expected a share between 0 and 1")
    return value


def _amount(reader: JsonReader, key: str) -> Decimal:
    try:
        value = Decimal(reader.text(key))
    except ArithmeticError as exc:
        raise reader.fail(key, "expected a decimal text") from exc
    if not value.is_finite() or value < 0:
        raise reader.fail(key, "expected an amount ≥ 0")
    return value


def read_pricing(path: Path) -> PricingAssumptions:
    """Read and check ``pricing.json``; a problem raises ``RuleFileError`` naming the key."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RuleFileError(path.name, "(file)", f"not valid JSON: {exc}") from exc
    reader = JsonReader(path.name, doc)
    reader.text("source")
    vat = reader.sub("vat_rate")
    fob = reader.sub("fob_to_exw_share")
    margin = reader.sub("wholesale_margin")
    markup = reader.sub("retail_markup")
    for block in (vat, fob, margin, markup):
        block.text("source")
    channels: dict[str, ChannelCosts] = {}
    block = reader.sub("channels")
    for key in block.doc:
        c = block.sub(key)
        c.text("source")
        channels[key] = ChannelCosts(
            commission=_share(c, "commission"), shipping_cny=_amount(c, "shipping_cny")
        )
    return PricingAssumptions(
        version=reader.text("version"),
        vat_rate=_share(vat, "value"),
        fob_to_exw_share=_share(fob, "value"),
        wholesale_margin=(_amount(margin, "low"), _amount(margin, "high")),
        retail_markup=(_amount(markup, "low"), _amount(markup, "high")),
        channels=channels,
    )


@lru_cache(maxsize=1)
def load_pricing() -> PricingAssumptions:
    """The defaults of ``channels/data/pricing.json``."""
    return read_pricing(DATA_DIR / "pricing.json")


def current_pricing() -> PricingAssumptions:
    """The assumptions in force: the operator's latest version (one query), else the file's
    defaults. A channel the operator's version lacks (added to the rule book since) keeps its
    default costs."""
    latest = PricingAssumptionSet.objects.order_by("-created_at", "-id").first()
    defaults = load_pricing()
    if latest is None:
        return defaults
    channels = dict(defaults.channels)
    for key, costs in (latest.channels or {}).items():
        channels[key] = ChannelCosts(
            commission=Decimal(str(costs["commission"])),
            shipping_cny=Decimal(str(costs["shipping_cny"])),
        )
    return PricingAssumptions(
        version=f"{latest.created_at:%Y-%m-%d %H:%M} #{latest.pk}",
        vat_rate=latest.vat_rate,
        fob_to_exw_share=latest.fob_to_exw_share,
        wholesale_margin=(latest.wholesale_margin_low, latest.wholesale_margin_high),
        retail_markup=(latest.retail_markup_low, latest.retail_markup_high),
        channels=channels,
    )


def _cents(value: Decimal) -> Decimal:
    return value.quantize(minor_units("CNY"), rounding=ROUND_HALF_UP)


def suggest_domestic_prices(
    *,
    export_price_cny: tuple[Decimal, Decimal],
    incoterm: str,
    channel: str,
    assumptions: PricingAssumptions,
    wholesale_only: bool = False,
) -> PriceBand:
    """The suggested band for one channel from the export price range (already in CNY).

    EXW = FOB × (1 − fob_to_exw_share) (EXW as is); wholesale = EXW × (1 + margin) × (1 + VAT);
    retail = (wholesale + shipping) × (1 + markup) ÷ (1 − commission). Low ends use the low
    price with the low margin and markup, high ends the high ones."""
    if incoterm not in ("FOB", "EXW"):
        raise ValueError(f"incoterm {incoterm!r}: FOB or EXW")
    costs = assumptions.channels[channel]
    gate = Decimal(1) - assumptions.fob_to_exw_share if incoterm == "FOB" else Decimal(1)
    low_exw, high_exw = (p * gate for p in export_price_cny)
    vat = Decimal(1) + assumptions.vat_rate
    wholesale = (
        low_exw * (1 + assumptions.wholesale_margin[0]) * vat,
        high_exw * (1 + assumptions.wholesale_margin[1]) * vat,
    )
    retail = None
    if not wholesale_only:
        keep = Decimal(1) - costs.commission
        retail = (
            _cents((wholesale[0] + costs.shipping_cny) * (1 + assumptions.retail_markup[0]) / keep),
            _cents((wholesale[1] + costs.shipping_cny) * (1 + assumptions.retail_markup[1]) / keep),
        )
    return PriceBand(
        channel=channel,
        exw_cny=_cents(low_exw),
        wholesale=(_cents(wholesale[0]), _cents(wholesale[1])),
        retail=retail,
    )
