"""Random sequences of actions by random people against a real order never break the state
machine's invariants (hypothesis, on the real domain functions and database)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import Conflict
from dualcirc.deals.domain import transition_order
from dualcirc.deals.domain.audit import audit_trail
from dualcirc.deals.domain.machines import ORDER_MOVES, ORDER_TERMINAL
from dualcirc.deals.enums import MilestoneKind, OrderState
from dualcirc.deals.errors import InvalidTransition
from dualcirc.deals.models import Order
from tests.factories.deals import make_deal_world, make_order

ACTORS = ["buyer", "supplier_user", "operator", "stranger", "other_user"]
ACTIONS = st.lists(
    st.tuples(st.sampled_from(ACTORS), st.sampled_from(OrderState.values), st.booleans()),
    max_size=12,
)


class TestOrderActions(TestCase):
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(ACTIONS)
    def test_random_actions_keep_order_invariants(self, actions):
        world = make_deal_world()
        order = make_order(world)
        done = 0
        for who, target, stale in actions:
            before = Order.objects.get(pk=order.pk)
            expected = before.version - 1 if stale else before.version
            try:
                transition_order(
                    actor=getattr(world, who),
                    order=order,
                    to_state=target,
                    expected_version=expected,
                )
            except (InvalidTransition, AccessDenied, Conflict):
                after = Order.objects.get(pk=order.pk)
                assert (after.state, after.version) == (before.state, before.version)
                continue
            assert not stale
            assert (before.state, target) in ORDER_MOVES
            assert before.state not in ORDER_TERMINAL
            done += 1

        final = Order.objects.get(pk=order.pk)
        trail = list(audit_trail(final).filter(action__startswith="order."))
        assert len(trail) == done + 1
        assert final.version == done + 1
        chain = [e.to_state for e in trail]
        assert [e.from_state for e in trail[1:]] == chain[:-1]
        assert chain[-1] == final.state
        reached = {s for s in chain if s in MilestoneKind.values}
        stamped = set(
            final.milestones.filter(actual_date__isnull=False).values_list("kind", flat=True)
        )
        assert stamped == reached
