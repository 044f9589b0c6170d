"""Industrial chains: links, the enterprises on them, and which links are weak or missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from dualcirc.bureau.models import ChainLink, IndustrialChain
from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import can_manage_in_region, require
from dualcirc.core.errors import FieldError, InvalidInput

MISSING, WEAK, STRONG = "missing", "weak", "strong"


@dataclass(frozen=True)
class LinkState:
    link: ChainLink
    local_enterprises: int
    state: str  # missing | weak | strong
    reasons: tuple[str, ...]


def link_state(*, local: int, minimum: int, sourced_outside: bool) -> tuple[str, tuple[str, ...]]:
    """A link with no local enterprise is missing; with fewer than ``minimum``, or bought from
    outside the belt, weak."""
    reasons: list[str] = []
    if local == 0:
        reasons.append(str(_("no local enterprise")))
    elif local < minimum:
        reasons.append(str(_("only %(n)d local enterprises") % {"n": local}))
    if sourced_outside:
        reasons.append(str(_("the belt buys it from outside")))
    if local == 0:
        return MISSING, tuple(reasons)
    return (WEAK if reasons else STRONG), tuple(reasons)


def chain_links(chain: IndustrialChain) -> list[LinkState]:
    """The chain's links in order with their local enterprise counts (one query): enterprises
    count as local when they are in the chain's region or below."""
    links = chain.links.annotate(
        local=Count(
            "enterprises",
            filter=Q(enterprises__region__path__startswith=chain.region.path),
            distinct=True,
        )
    )
    states = []
    for link in links:
        state, reasons = link_state(
            local=link.local,
            minimum=link.min_enterprises,
            sourced_outside=link.sourced_outside,
        )
        states.append(LinkState(link, link.local, state, reasons))
    return states


def set_link_enterprises(*, actor: Any, link: ChainLink, enterprises: list[Enterprise]) -> None:
    """Put exactly ``enterprises`` on ``link``. Side effects: replaces the link's members."""
    require(can_manage_in_region(actor, link.chain.region))
    outside = [e for e in enterprises if not e.region.path.startswith(link.chain.region.path)]
    if outside:
        raise InvalidInput(
            _("The input is not valid."),
            [
                FieldError(
                    "enterprises",
                    _("%(name)s is not in the chain's region.") % {"name": outside[0]},
                )
            ],
        )
    with transaction.atomic():
        link.enterprises.set(enterprises)
