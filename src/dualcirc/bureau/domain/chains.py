"""Industrial chains: links, the enterprises on them, and which links are weak or missing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, Prefetch, Q, prefetch_related_objects
from django.utils.translation import gettext as _

from dualcirc.bureau.models import ChainLink, IndustrialChain
from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import can_manage_in_region, require
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.core.models import Region

CHAIN_FIELDS = ("name_zh", "name_en", "region", "lead_official", "lead_official_title",
                "description")  # fmt: skip
LINK_FIELDS = ("stage", "position", "name_zh", "name_en", "min_enterprises", "sourced_outside")

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


def chains_link_states(chains: Sequence[IndustrialChain]) -> dict[int, list[LinkState]]:
    """:func:`chain_links` of many chains at once: their links are prefetched in one query,
    each counting the enterprises in its own chain's region or below."""
    local = Count(
        "enterprises",
        filter=Q(enterprises__region__path__startswith=F("chain__region__path")),
        distinct=True,
    )
    prefetch_related_objects(
        list(chains),
        Prefetch("links", queryset=ChainLink.objects.annotate(local=local), to_attr="link_rows"),
    )
    states: dict[int, list[LinkState]] = {}
    for chain in chains:
        rows = states.setdefault(chain.pk, [])
        for link in chain.link_rows:  # type: ignore[attr-defined]  # set by the Prefetch
            state, reasons = link_state(
                local=link.local, minimum=link.min_enterprises, sourced_outside=link.sourced_outside
            )
            rows.append(LinkState(link, link.local, state, reasons))
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


def validated(instance: models.Model, exclude: list[str] | None = None) -> None:
    """``instance.full_clean()`` with its problems as InvalidInput naming each field."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise InvalidInput(
            _("The input is not valid."),
            [
                FieldError(None if f == "__all__" else f, m)
                for f, messages in exc.message_dict.items()
                for m in messages
            ],
        ) from None


def save_chain(*, actor: Any, chain: IndustrialChain | None = None, **data: Any) -> IndustrialChain:
    """Create a chain (``chain`` None) or change one: name, region, leading official, post,
    description. The actor manages chains in the chain's region, before and after the change
    (a county bureau, only in its county). Side effects: saves the chain."""
    if chain is not None:
        require(
            can_manage_in_region(actor, chain.region), _("This chain is outside your jurisdiction.")
        )
    chain = chain or IndustrialChain()
    for name in CHAIN_FIELDS:
        if name in data:
            setattr(chain, name, data[name].strip() if isinstance(data[name], str) else data[name])
    region: Region | None = getattr(chain, "region", None) if chain.region_id else None
    if region is None:
        raise InvalidInput(
            _("The input is not valid."), [FieldError("region", _("Choose the region."))]
        )
    require(can_manage_in_region(actor, region), _("This region is outside your jurisdiction."))
    validated(chain)
    chain.save()
    return chain


def save_link(
    *,
    actor: Any,
    chain: IndustrialChain,
    link: ChainLink | None = None,
    enterprises: list[Enterprise] | None = None,
    **data: Any,
) -> ChainLink:
    """Add a link to ``chain`` (``link`` None) or change one, and put ``enterprises`` on it
    (when given). Enterprises must be in the chain's region or below. Side effects: saves
    the link and replaces its enterprises, in one transaction."""
    require(
        can_manage_in_region(actor, chain.region), _("This chain is outside your jurisdiction.")
    )
    if link is not None and link.chain_id != chain.pk:
        raise InvalidInput(
            _("The input is not valid."),
            [FieldError("link", _("The link belongs to another chain."))],
        )
    link = link or ChainLink(chain=chain)
    for name in LINK_FIELDS:
        if name in data:
            setattr(link, name, data[name].strip() if isinstance(data[name], str) else data[name])
    validated(link)
    with transaction.atomic():
        link.save()
        if enterprises is not None:
            set_link_enterprises(actor=actor, link=link, enterprises=enterprises)
    return link


def delete_link(*, actor: Any, link: ChainLink) -> None:
    """Remove a link from its chain. Side effects: deletes the link and its enterprise list;
    projects that filled it keep their record with no link."""
    require(
        can_manage_in_region(actor, link.chain.region),
        _("This chain is outside your jurisdiction."),
    )
    link.delete()
