"""The transition tables: every move not in a table is refused, every move in it is refused to
the parties it does not name, and random walks keep the invariants (hypothesis)."""

from __future__ import annotations

import itertools

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from dualcirc.core.access import AccessDenied
from dualcirc.deals.domain.machines import (
    ORDER_MOVES,
    ORDER_TERMINAL,
    QUOTE_MOVES,
    REQUEST_MOVES,
    allowed_targets,
    check_move,
)
from dualcirc.deals.enums import Incoterm, OrderState, Party, QuoteState, RequestState
from dualcirc.deals.errors import InvalidTransition

PARTIES = [p.value for p in Party]
MACHINES = [
    (ORDER_MOVES, list(OrderState.values)),
    (QUOTE_MOVES, list(QuoteState.values)),
    (REQUEST_MOVES, list(RequestState.values)),
]


@pytest.mark.parametrize(("moves", "states"), MACHINES, ids=["order", "quote", "request"])
def test_check_move_refuses_every_move_missing_from_the_table(moves, states):
    missing = [(a, b) for a, b in itertools.product(states, states) if (a, b) not in moves]
    assert missing  # e.g. completed → confirmed
    for a, b in missing:
        with pytest.raises(InvalidTransition) as exc:
            check_move(moves, a, b, PARTIES)
        assert a in str(exc.value) and b in str(exc.value)


@pytest.mark.parametrize(("moves", "states"), MACHINES, ids=["order", "quote", "request"])
def test_check_move_refuses_every_party_the_table_does_not_name(moves, states):
    for (a, b), who in moves.items():
        for party in PARTIES:
            if party in who:
                assert check_move(moves, a, b, [party]) == party
            else:
                with pytest.raises(AccessDenied):
                    check_move(moves, a, b, [party])


def test_order_moves_follow_the_agreed_path():
    path = [
        (OrderState.CONFIRMED, OrderState.IN_PRODUCTION, "supplier"),
        (OrderState.IN_PRODUCTION, OrderState.READY_FOR_INSPECTION, "supplier"),
        (OrderState.READY_FOR_INSPECTION, OrderState.SHIPPED, "supplier"),
        (OrderState.SHIPPED, OrderState.DELIVERED, "buyer"),
        (OrderState.DELIVERED, OrderState.COMPLETED, "buyer"),
    ]
    for a, b, party in path:
        assert check_move(ORDER_MOVES, a, b, [party]) == party
    assert allowed_targets(ORDER_MOVES, OrderState.CONFIRMED, ["buyer"]) == [OrderState.CANCELLED]
    assert allowed_targets(ORDER_MOVES, OrderState.COMPLETED, PARTIES) == []


def test_check_move_prefers_the_buyer_side_for_a_person_on_several_sides():
    assert check_move(ORDER_MOVES, "confirmed", "cancelled", ["operator", "buyer"]) == "buyer"


def test_incoterms_are_the_eleven_rules_with_four_for_sea_only():
    assert sorted(Incoterm.values) == sorted(
        ["EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF"]
    )
    sea = sorted(i for i in Incoterm.values if Incoterm(i).sea_only)
    any_mode = sorted(i for i in Incoterm.values if not Incoterm(i).sea_only)
    assert sea == ["CFR", "CIF", "FAS", "FOB"]
    assert any_mode == ["CIP", "CPT", "DAP", "DDP", "DPU", "EXW", "FCA"]
    with translation.override("en"):
        assert [i for i in Incoterm.values if "(sea only)" in str(Incoterm(i).label)] == [
            "FAS",
            "FOB",
            "CFR",
            "CIF",
        ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(OrderState.values), st.sampled_from(PARTIES)), max_size=30)
)
def test_random_order_walks_keep_the_invariants(steps):
    state = OrderState.CONFIRMED.value
    history = [state]
    for target, party in steps:
        try:
            check_move(ORDER_MOVES, state, target, [party])
        except (InvalidTransition, AccessDenied):
            continue
        assert state not in ORDER_TERMINAL  # nothing leaves completed or cancelled
        assert (state, target) in ORDER_MOVES and party in ORDER_MOVES[(state, target)]
        state = target
        history.append(state)
    assert history[0] == OrderState.CONFIRMED
    assert history.count(OrderState.COMPLETED) <= 1
    assert history.count(OrderState.CANCELLED) <= 1
    # production steps happen in order: each reached state's predecessor came before it
    order = ["confirmed", "in_production", "ready_for_inspection", "shipped", "delivered"]
    reached = [s for s in history if s in order]
    assert reached == sorted(reached, key=order.index)
