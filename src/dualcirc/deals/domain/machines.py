"""The three state machines as tables of allowed moves: (from, to) → the parties who may.

Pure Python (no database): the transition functions of requests, quotes and orders consult
:func:`check_move`, and the property tests drive it directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

from dualcirc.core.access import AccessDenied
from dualcirc.deals.enums import OrderState, Party, QuoteState, RequestState
from dualcirc.deals.errors import InvalidTransition

Moves = Mapping[tuple[str, str], frozenset[str]]

B, S, OP, SYS = Party.BUYER.value, Party.SUPPLIER.value, Party.OPERATOR.value, Party.SYSTEM.value

REQUEST_MOVES: Moves = {
    (RequestState.OPEN, RequestState.CLOSED): frozenset({B, SYS}),
    (RequestState.OPEN, RequestState.AWARDED): frozenset({SYS}),
    (RequestState.CLOSED, RequestState.AWARDED): frozenset({SYS}),
    (RequestState.OPEN, RequestState.CANCELLED): frozenset({B, OP}),
    (RequestState.CLOSED, RequestState.CANCELLED): frozenset({B, OP}),
}

QUOTE_MOVES: Moves = {
    (QuoteState.SUBMITTED, QuoteState.NEGOTIATING): frozenset({B, S}),
    (QuoteState.SUBMITTED, QuoteState.ACCEPTED): frozenset({B, S}),
    (QuoteState.NEGOTIATING, QuoteState.ACCEPTED): frozenset({B, S}),
    (QuoteState.SUBMITTED, QuoteState.REJECTED): frozenset({B, SYS}),
    (QuoteState.NEGOTIATING, QuoteState.REJECTED): frozenset({B, SYS}),
    (QuoteState.SUBMITTED, QuoteState.WITHDRAWN): frozenset({S}),
    (QuoteState.NEGOTIATING, QuoteState.WITHDRAWN): frozenset({S}),
}

_DISPUTABLE = (
    OrderState.IN_PRODUCTION,
    OrderState.READY_FOR_INSPECTION,
    OrderState.SHIPPED,
    OrderState.DELIVERED,
)
ORDER_MOVES: Moves = {
    (OrderState.CONFIRMED, OrderState.IN_PRODUCTION): frozenset({S}),
    (OrderState.IN_PRODUCTION, OrderState.READY_FOR_INSPECTION): frozenset({S}),
    (OrderState.READY_FOR_INSPECTION, OrderState.SHIPPED): frozenset({S}),
    (OrderState.SHIPPED, OrderState.DELIVERED): frozenset({B, OP}),
    (OrderState.DELIVERED, OrderState.COMPLETED): frozenset({B, OP}),
    (OrderState.CONFIRMED, OrderState.CANCELLED): frozenset({B, S, OP}),
    (OrderState.IN_PRODUCTION, OrderState.CANCELLED): frozenset({OP}),
    **{(state, OrderState.DISPUTED): frozenset({B, S}) for state in _DISPUTABLE},
    (OrderState.DISPUTED, OrderState.COMPLETED): frozenset({OP}),
    (OrderState.DISPUTED, OrderState.CANCELLED): frozenset({OP}),
}

ORDER_TERMINAL = frozenset({OrderState.COMPLETED.value, OrderState.CANCELLED.value})
PARTY_PREFERENCE = (B, S, OP, SYS)


def allowed_targets(moves: Moves, state: str, parties: Iterable[str]) -> list[str]:
    """The states ``parties`` may move to from ``state``, in table order."""
    have = set(parties)
    return [to for (frm, to), who in moves.items() if frm == state and who & have]


def check_move(moves: Moves, state: str, target: str, parties: Iterable[str]) -> str:
    """The party (of ``parties``) that may make the move ``state`` → ``target``.

    Raises InvalidTransition when the table has no such move at all, AccessDenied when it has
    one but not for any of ``parties``.
    """
    who = moves.get((state, target))
    if who is None:
        raise InvalidTransition(
            _("Cannot go from “%(from)s” to “%(to)s”.") % {"from": state, "to": target}
        )
    have = set(parties)
    for party in PARTY_PREFERENCE:
        if party in have and party in who:
            return party
    raise AccessDenied(
        _("Only %(parties)s may move this from “%(from)s” to “%(to)s”.")
        % {
            "parties": ", ".join(str(Party(p).label) for p in PARTY_PREFERENCE if p in who),
            "from": state,
            "to": target,
        }
    )
