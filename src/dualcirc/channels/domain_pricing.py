"""The operator's pricing assumptions: read the one in force, record a new version.

A version is a :class:`~dualcirc.channels.models.PricingAssumptionSet` row, never changed once
written; the latest is in force (``channels.pricing.current_pricing``). Shares are fractions
(0.13), shown and typed as percentages on the page and in the API (13).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from dualcirc.channels.domain import check_yuan_places
from dualcirc.channels.models import PricingAssumptionSet
from dualcirc.channels.pricing import ChannelCosts, PricingAssumptions, current_pricing
from dualcirc.channels.rules import load_rule_book
from dualcirc.core.access import is_operator, require
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.l10n.rates import minor_units

PERCENT_PLACES = 2  # 13.25 % → 0.1325: the columns keep 4 decimals
# (field, upper bound in percent, exclusive): a VAT or deduction of 100 % or more makes no price
PERCENT_FIELDS = (
    ("vat_rate", Decimal(100)),
    ("fob_to_exw_share", Decimal(100)),
    ("wholesale_margin_low", Decimal(1000)),
    ("wholesale_margin_high", Decimal(1000)),
    ("retail_markup_low", Decimal(1000)),
    ("retail_markup_high", Decimal(1000)),
)
NOTE_LENGTH = 300
CHANNEL_VALUES = ("commission", "shipping")  # each channel's values, keyed "<value>:<channel>"


def channel_value_key(value: str, channel: str) -> str:
    """The key of one channel's value in ``set_pricing_assumptions``'s ``values`` and in
    ``pricing_as_percentages``: ``("commission", "jd")`` → ``"commission:jd"``."""
    return f"{value}:{channel}"


def list_pricing_value_keys() -> list[str]:
    """Every key of ``set_pricing_assumptions``'s ``values``, in the order a form shows them:
    the six shares, then per channel of the rule book its commission and shipping."""
    return [name for name, _below in PERCENT_FIELDS] + [
        channel_value_key(value, key)
        for key in load_rule_book().channels
        for value in CHANNEL_VALUES
    ]


def _percent(text: Any, *, field: str, below: Decimal, errors: list[FieldError]) -> Decimal:
    """A percentage typed as ``13`` or ``13.5`` → the share ``0.13``/``0.135``."""
    try:
        value = Decimal(str(text).strip().rstrip("%").strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0 or value >= below:
        errors.append(
            FieldError(
                field,
                _("Enter a percentage from 0 up to %(limit)s.") % {"limit": below},
            )
        )
        return Decimal(0)
    if value != value.quantize(Decimal(1).scaleb(-PERCENT_PLACES)):
        errors.append(
            FieldError(field, _("At most %(n)d decimals in a percentage.") % {"n": PERCENT_PLACES})
        )
        return Decimal(0)
    return (value / 100).quantize(Decimal("0.0001"))


def _yuan(text: Any, *, field: str, errors: list[FieldError]) -> Decimal:
    try:
        value = Decimal(str(text).strip().lstrip("¥￥"))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0 or value >= 100000:
        errors.append(FieldError(field, _("Enter an amount in yuan from 0 to 99999.")))
        return Decimal(0)
    error = check_yuan_places(value, str(text), field=field)
    if error is not None:
        errors.append(error)
        return Decimal(0)
    return value.quantize(minor_units("CNY"))


def set_pricing_assumptions(
    *, actor: Any, values: Mapping[str, Any], note: str = ""
) -> PricingAssumptionSet:
    """Record a new version of the pricing assumptions; it is in force at once.

    ``values``: the six percentages of PERCENT_FIELDS, and for every channel of the rule book
    ``commission:<channel>`` (a percentage below 100) and ``shipping:<channel>`` (yuan).
    Raises AccessDenied unless ``actor`` is an operator; InvalidInput with one FieldError per
    bad or missing value (a low end above its high end is an error on the low end). Writes one
    PricingAssumptionSet row; nothing else changes (suggestions are computed when shown)."""
    require(is_operator(actor))
    errors: list[FieldError] = []
    shares = {
        name: _percent(values.get(name, ""), field=name, below=below, errors=errors)
        for name, below in PERCENT_FIELDS
    }
    for band in ("wholesale_margin", "retail_markup"):
        low, high = f"{band}_low", f"{band}_high"
        failed = {e.field for e in errors}
        if low not in failed and high not in failed and shares[low] > shares[high]:
            errors.append(FieldError(low, _("The low end is above the high end.")))
    channels: dict[str, dict[str, str]] = {}
    for key in load_rule_book().channels:
        commission_key = channel_value_key("commission", key)
        shipping_key = channel_value_key("shipping", key)
        commission = _percent(
            values.get(commission_key, ""), field=commission_key, below=Decimal(100), errors=errors
        )
        shipping = _yuan(values.get(shipping_key, ""), field=shipping_key, errors=errors)
        channels[key] = {"commission": str(commission), "shipping_cny": str(shipping)}
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        errors.append(FieldError("note", _("At most %(n)d characters.") % {"n": NOTE_LENGTH}))
    if errors:
        raise InvalidInput(_("Check the highlighted fields."), errors)
    return PricingAssumptionSet.objects.create(
        **shares, channels=channels, note=note, created_by=actor
    )


def pricing_as_percentages(assumptions: PricingAssumptions | None = None) -> dict[str, str]:
    """The assumptions in force (or ``assumptions``) as the form and API write them:
    percentages and yuan, keyed like ``set_pricing_assumptions``'s ``values``."""
    a = assumptions or current_pricing()

    def pct(share: Decimal) -> str:
        return _plain(share * 100)

    out = {
        "vat_rate": pct(a.vat_rate),
        "fob_to_exw_share": pct(a.fob_to_exw_share),
        "wholesale_margin_low": pct(a.wholesale_margin[0]),
        "wholesale_margin_high": pct(a.wholesale_margin[1]),
        "retail_markup_low": pct(a.retail_markup[0]),
        "retail_markup_high": pct(a.retail_markup[1]),
    }
    costs: Mapping[str, ChannelCosts] = a.channels
    for key, c in costs.items():
        out[channel_value_key("commission", key)] = pct(c.commission)
        out[channel_value_key("shipping", key)] = _plain(c.shipping_cny)
    return out


def _plain(value: Decimal) -> str:
    """``13.0000`` → ``13``, ``0.60`` → ``0.6``: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return text


def list_pricing_history(*, actor: Any, limit: int = 20) -> list[PricingAssumptionSet]:
    """The latest versions, newest first (operators only)."""
    require(is_operator(actor))
    return list(PricingAssumptionSet.objects.select_related("created_by")[:limit])
