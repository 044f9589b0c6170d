"""``/api/channels/pricing-assumptions``: the operator's domestic pricing assumptions (the page
/channels/pricing/ as JSON). GET answers the values in force and the latest versions; POST
records a new version (channels.domain_pricing). Operators only: 403 for anyone else."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from dualcirc.channels.domain_pricing import (
    list_pricing_history,
    pricing_as_percentages,
    set_pricing_assumptions,
)
from dualcirc.channels.models import PricingAssumptionSet
from dualcirc.channels.pricing import current_pricing, load_pricing

router = Router(tags=["channels"])


class PricingVersionOut(Schema):
    id: int
    created_at: dt.datetime
    created_by: str | None
    note: str
    values: dict[str, str]


class PricingOut(Schema):
    version: str = Field(description="The version in force, or the data file's for defaults.")
    is_default: bool
    values: dict[str, str] = Field(
        description="Percentages (vat_rate: 13) and yuan (shipping:<channel>), keyed as POST "
        "takes them: vat_rate, fob_to_exw_share, wholesale_margin_low/high, "
        "retail_markup_low/high, commission:<channel>, shipping:<channel>."
    )
    history: list[PricingVersionOut]


class PricingIn(Schema):
    values: dict[str, str]
    note: str = ""


def _version(v: PricingAssumptionSet) -> dict[str, Any]:
    values = {
        name: f"{(getattr(v, name) * 100).normalize():f}"
        for name in (
            "vat_rate",
            "fob_to_exw_share",
            "wholesale_margin_low",
            "wholesale_margin_high",
            "retail_markup_low",
            "retail_markup_high",
        )
    }
    return {
        "id": v.pk,
        "created_at": v.created_at,
        "created_by": v.created_by.get_username() if v.created_by else None,
        "note": v.note,
        "values": values,
    }


def _answer(actor: Any) -> dict[str, Any]:
    history = list_pricing_history(actor=actor)
    current = current_pricing()
    return {
        "version": current.version,
        "is_default": current == load_pricing(),
        "values": pricing_as_percentages(current),
        "history": [_version(v) for v in history],
    }


@router.get(
    "/channels/pricing-assumptions",
    response=PricingOut,
    summary="The domestic pricing assumptions in force",
)
def get_pricing(request: HttpRequest) -> dict[str, Any]:
    return _answer(request.user)


@router.post(
    "/channels/pricing-assumptions",
    response={201: PricingOut},
    summary="Record a new version of the pricing assumptions",
)
def post_pricing(request: HttpRequest, data: PricingIn) -> Status[Any]:
    """Every value is needed (GET's ``values`` is the template); 422 names each bad one."""
    set_pricing_assumptions(actor=request.user, values=data.values, note=data.note)
    return Status(201, _answer(request.user))
