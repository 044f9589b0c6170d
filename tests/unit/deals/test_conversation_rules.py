"""The rules of a "Contact supplier" thread the page asks the domain: who writes for which
side, who the other party is, when the thread may become a quotation request and what that
request form is pre-filled with."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dualcirc.core.access import AccessDenied
from dualcirc.deals.domain.conversations import (
    can_request_quote_from_conversation,
    conversation_counterpart,
    conversation_side,
    open_conversation,
    quote_request_initial,
    request_quote_from_conversation,
)
from dualcirc.deals.models import Conversation
from tests.factories import make_product
from tests.factories.deals import DealWorld, make_deal_world

pytestmark = pytest.mark.django_db


def _thread(world: DealWorld, *, with_product: bool = True) -> Conversation:
    product = (
        make_product(
            enterprise=world.supplier,
            sku="OAK-6",
            title_en="Solid oak dining table, 6 seats",
            moq=Decimal("50"),
            currency="USD",
        )
        if with_product
        else None
    )
    return open_conversation(actor=world.buyer, supplier=world.supplier, product=product)


def test_conversation_side_names_the_side_each_person_writes_for():
    world = make_deal_world()
    thread = _thread(world)

    sides = [
        conversation_side(getattr(world, r), thread)
        for r in ("buyer", "supplier_user", "operator", "other_user", "stranger")
    ]

    assert sides == ["buyer", "supplier", "operator", "", ""]


def test_conversation_counterpart_is_the_other_side():
    world = make_deal_world()
    thread = _thread(world)

    assert conversation_counterpart(world.buyer, thread) == world.supplier
    assert conversation_counterpart(world.supplier_user, thread) == world.buyer_org
    assert conversation_counterpart(world.operator, thread) == world.supplier


def test_quote_request_initial_is_prefilled_from_the_product_and_the_buyer():
    world = make_deal_world()
    world.buyer_org.country = "DE"
    world.buyer_org.save(update_fields=["country"])
    thread = _thread(world)
    thread.refresh_from_db()

    initial = quote_request_initial(thread)

    assert initial == {
        "quantity": Decimal("50"),
        "unit": thread.product.unit,
        "currency": "USD",
        "destination_country": "DE",
    }


def test_quote_request_initial_without_a_product_asks_in_cny():
    world = make_deal_world()
    thread = _thread(world, with_product=False)

    initial = quote_request_initial(thread)

    assert initial["currency"] == "CNY"
    assert initial["quantity"] is None


def test_only_the_buyer_may_request_a_quote_and_only_once_the_form_is_offered():
    world = make_deal_world()
    thread = _thread(world)

    assert can_request_quote_from_conversation(world.buyer, thread) is True
    assert can_request_quote_from_conversation(world.supplier_user, thread) is False
    with pytest.raises(AccessDenied):
        request_quote_from_conversation(actor=world.supplier_user, conversation=thread)

    request_quote_from_conversation(actor=world.buyer, conversation=thread)

    assert can_request_quote_from_conversation(world.buyer, thread) is False
