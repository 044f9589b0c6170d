"""The deal from request to completed order through the domain functions, with the audit trail
and notifications each step writes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail

from dualcirc.deals.domain import (
    accept_offer,
    make_counter_offer,
    post_message,
    record_payment,
    transition_order,
)
from dualcirc.deals.domain.audit import audit_trail
from dualcirc.deals.enums import OrderState, QuoteState, RequestState
from dualcirc.deals.models import AuditEntry, Milestone, Offer
from dualcirc.notify.models import Notification
from tests.factories.deals import make_deal_world, make_quote, make_request

pytestmark = pytest.mark.django_db


def test_deal_flow_request_to_completed_order_writes_audit_and_notifies(
    django_capture_on_commit_callbacks,
):
    world = make_deal_world()
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request(world)
    assert sorted(request.invitations.values_list("enterprise__name_en", flat=True)) == [
        "Laixi Woodcraft",
        "Lanxi Changxing",
    ]
    assert Notification.objects.filter(recipient=world.supplier_user).count() == 1
    assert len(mail.outbox) == 2  # one per invited supplier's member
    assert mail.outbox[0].to in ([world.supplier_user.email], [world.other_user.email])

    quote = make_quote(world, request, tiers=[{"min_quantity": "500", "unit_price": "120"}])
    losing = make_quote(world, request, user=world.other_user, unit_price="140")
    counter = make_counter_offer(
        actor=world.buyer,
        quote=quote,
        data={"unit_price": "121.00", "quantity": "300"},
        note="300 pieces at 121?",
        expected_offer=1,
    )
    post_message(actor=world.supplier_user, quote=quote, body="We can do 121 for 300.")
    order = accept_offer(actor=world.supplier_user, quote=quote, offer_number=counter.number)

    assert order.number == f"DC-{order.created_at.year}-{order.pk:06d}"
    assert (order.quantity, order.unit_price, order.currency) == (
        Decimal("300.000"),
        Decimal("121.0000"),
        "USD",
    )
    assert order.total_amount == Decimal("36300.00")
    assert order.terms["offer"]["number"] == 2
    assert order.terms["value_cny"]["target"] == "CNY"
    quote.refresh_from_db()
    losing.refresh_from_db()
    request.refresh_from_db()
    assert (quote.state, losing.state, request.state) == (
        QuoteState.ACCEPTED,
        QuoteState.REJECTED,
        RequestState.AWARDED,
    )

    supplier, buyer = world.supplier_user, world.buyer
    for actor, state in [
        (supplier, OrderState.IN_PRODUCTION),
        (supplier, OrderState.READY_FOR_INSPECTION),
        (supplier, OrderState.SHIPPED),
        (buyer, OrderState.DELIVERED),
        (buyer, OrderState.COMPLETED),
    ]:
        transition_order(actor=actor, order=order, to_state=state, note=f"to {state}")
    record_payment(
        actor=buyer,
        order=order,
        kind="deposit",
        amount="10890.00",
        currency="USD",
        paid_on=order.created_at.date(),
    )

    order.refresh_from_db()
    assert (order.state, order.version) == (OrderState.COMPLETED, 6)
    trail = list(audit_trail(order).values_list("party", "from_state", "to_state", "action"))
    assert trail == [
        ("supplier", "", "confirmed", "order.created"),
        ("supplier", "confirmed", "in_production", "order.transition"),
        ("supplier", "in_production", "ready_for_inspection", "order.transition"),
        ("supplier", "ready_for_inspection", "shipped", "order.transition"),
        ("buyer", "shipped", "delivered", "order.transition"),
        ("buyer", "delivered", "completed", "order.transition"),
        ("buyer", "", "", "payment.deposit"),
    ]
    assert AuditEntry.objects.filter(subject_type="order", actor=buyer).count() == 3
    milestones = list(Milestone.objects.filter(order=order))
    assert len(milestones) == 5
    assert all(m.actual_date is not None and m.planned_date is not None for m in milestones)
    quote_trail = list(audit_trail(quote).values_list("from_state", "to_state"))
    assert quote_trail == [
        ("", "submitted"),
        ("submitted", "negotiating"),
        ("negotiating", "accepted"),
    ]
    assert list(
        Offer.objects.filter(negotiation=quote.negotiation).values_list("number", "party")
    ) == [
        (1, "supplier"),
        (2, "buyer"),
    ]
