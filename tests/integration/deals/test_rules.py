"""The rules of each deal verb: who may, from which state, and what a refusal says."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import Conflict, InvalidInput
from dualcirc.deals.domain import (
    accept_offer,
    close_due_requests,
    make_counter_offer,
    publish_request,
    record_payment,
    refresh_request,
    revise_quote,
    submit_quote,
    transition_order,
    transition_quote,
    transition_request,
    update_milestone,
)
from dualcirc.deals.domain.negotiation import offer_changes
from dualcirc.deals.enums import ClosedReason, OrderState, QuoteState, RequestState, Visibility
from dualcirc.deals.errors import InvalidTransition
from dualcirc.deals.models import AuditEntry, Offer, Order, Quote, SourcingRequest
from tests.factories import make_user
from tests.factories.api import make_government_user
from tests.factories.deals import (
    make_deal_world,
    make_order,
    make_quote,
    make_request,
    quote_data,
    request_data,
)

pytestmark = pytest.mark.django_db


def field_errors(exc: pytest.ExceptionInfo) -> dict[str | None, str]:
    return {e.field: e.message for e in exc.value.errors}


def test_publish_request_refuses_suppliers_and_people_without_organisation():
    world = make_deal_world()
    for user in (world.supplier_user, world.stranger, world.operator):
        with pytest.raises(AccessDenied):
            publish_request(actor=user, data=request_data())
    assert SourcingRequest.objects.count() == 0


def test_publish_request_names_each_bad_field():
    world = make_deal_world()
    with pytest.raises(InvalidInput) as exc:
        publish_request(
            actor=world.buyer,
            data=request_data(
                title="",
                hs_code="123",
                quantity="-5",
                currency="XYZ",
                destination_country="ZZ",
                incoterm="FOO",
                deadline=(timezone.now() - timedelta(days=1)).isoformat(),
                max_quotes=0,
            ),
        )
    assert set(field_errors(exc)) == {
        "title",
        "hs_code",
        "quantity",
        "currency",
        "destination_country",
        "incoterm",
        "deadline",
        "max_quotes",
    }


def test_submit_quote_refuses_an_enterprise_that_was_not_invited():
    world = make_deal_world()
    request = make_request(world, invite=(world.supplier,))
    with pytest.raises(AccessDenied):
        make_quote(world, request, user=world.other_user)
    assert request.quotes.count() == 0


def test_submit_quote_is_allowed_to_any_supplier_on_a_public_request():
    world = make_deal_world()
    request = make_request(world, invite=(world.supplier,), visibility=Visibility.PUBLIC)
    quote = make_quote(world, request, user=world.other_user)
    assert quote.supplier == world.other_supplier


def test_submit_quote_twice_is_a_conflict():
    world = make_deal_world()
    request = make_request(world)
    make_quote(world, request)
    with pytest.raises(Conflict):
        make_quote(world, request)
    assert request.quotes.count() == 1


def test_submit_quote_names_bad_tiers_by_row():
    world = make_deal_world()
    with pytest.raises(InvalidInput) as exc:
        make_quote(
            world,
            tiers=[
                {"min_quantity": "100", "unit_price": "120"},
                {"min_quantity": "50", "unit_price": "0"},
            ],
        )
    assert [(e.field, e.row) for e in exc.value.errors] == [
        ("tiers.unit_price", 2),
        ("tiers.min_quantity", 2),
    ]


def test_submit_quote_refuses_float_prices_and_unknown_incoterms():
    world = make_deal_world()
    with pytest.raises(InvalidInput) as exc:
        make_quote(world, unit_price=128.5, incoterm="FOX", named_place="")
    assert set(field_errors(exc)) == {"unit_price", "incoterm", "named_place"}


def test_submit_quote_checks_attachment_type_and_keeps_a_pdf():
    world = make_deal_world()
    request = make_request(world)
    exe = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(InvalidInput) as exc:
        submit_quote(
            actor=world.supplier_user, request=request, data=quote_data(), attachments=[exe]
        )
    assert exc.value.errors[0].field == "attachments"
    assert "virus.pdf" in exc.value.errors[0].message
    pdf = SimpleUploadedFile("spec.pdf", b"%PDF-1.4 spec sheet", content_type="application/pdf")
    quote = submit_quote(
        actor=world.supplier_user, request=request, data=quote_data(), attachments=[pdf]
    )
    att = quote.attachments.get()
    assert (att.name, att.content_type, att.size) == ("spec.pdf", "application/pdf", 19)
    assert att.file.read() == b"%PDF-1.4 spec sheet"


def test_request_closes_at_its_quote_limit():
    world = make_deal_world()
    request = make_request(world, max_quotes=2)
    make_quote(world, request)
    make_quote(world, request, user=world.other_user)
    request.refresh_from_db()
    assert (request.state, request.closed_reason) == (RequestState.CLOSED, "quote_limit")
    third = make_user(organisation=world.supplier.organisation)
    with pytest.raises(Conflict):
        make_quote(world, request, user=third)


def test_request_closes_lazily_at_its_deadline_and_by_the_task():
    world = make_deal_world()
    first = make_request(world)
    second = make_request(world)
    SourcingRequest.objects.update(deadline=timezone.now() - timedelta(minutes=1))
    first.refresh_from_db()
    with pytest.raises(Conflict):
        make_quote(world, first)
    first.refresh_from_db()
    assert (first.state, first.closed_reason) == (RequestState.CLOSED, ClosedReason.DEADLINE)
    assert close_due_requests() == 1
    second.refresh_from_db()
    assert second.state == RequestState.CLOSED
    assert AuditEntry.objects.filter(
        subject_type="request", subject_id=second.pk, party="system", to_state="closed"
    ).exists()
    assert refresh_request(second).state == RequestState.CLOSED


def test_revise_quote_keeps_versions_and_refuses_a_stale_edit():
    world = make_deal_world()
    quote = make_quote(world)
    revise_quote(
        actor=world.supplier_user, quote=quote, data={"unit_price": "125"}, expected_version=1
    )
    with pytest.raises(Conflict) as exc:
        revise_quote(
            actor=world.supplier_user, quote=quote, data={"unit_price": "99"}, expected_version=1
        )
    assert "Someone else changed this quote" in str(exc.value)
    quote.refresh_from_db()
    assert (quote.unit_price, quote.version) == (Decimal("125.0000"), 2)
    offers = list(quote.negotiation.offers.all())
    assert [(o.number, o.unit_price) for o in offers] == [
        (1, Decimal("128.5000")),
        (2, Decimal("125.0000")),
    ]
    assert [(c.field, c.before, c.after) for c in offer_changes(offers[0], offers[1])] == [
        ("unit_price", Decimal("128.5000"), Decimal("125.0000"))
    ]


def test_revise_quote_is_refused_after_the_buyer_acted_and_to_others():
    world = make_deal_world()
    quote = make_quote(world)
    with pytest.raises(AccessDenied):
        revise_quote(actor=world.buyer, quote=quote, data={"unit_price": "1"})
    make_counter_offer(actor=world.buyer, quote=quote, data={"unit_price": "100"})
    with pytest.raises(Conflict):
        revise_quote(actor=world.supplier_user, quote=quote, data={"unit_price": "110"})


def test_offers_are_immutable():
    world = make_deal_world()
    offer = make_quote(world).negotiation.offers.get()
    offer.unit_price = Decimal(1)
    with pytest.raises(ValueError):
        offer.save()
    assert Offer.objects.get(pk=offer.pk).unit_price == Decimal("128.5000")


def test_counter_offer_must_answer_the_latest_version_and_change_something():
    world = make_deal_world()
    quote = make_quote(world)
    make_counter_offer(actor=world.buyer, quote=quote, data={"unit_price": "110"}, expected_offer=1)
    with pytest.raises(Conflict) as exc:
        make_counter_offer(
            actor=world.supplier_user, quote=quote, data={"unit_price": "120"}, expected_offer=1
        )
    assert "version 2" in str(exc.value)
    with pytest.raises(InvalidInput):
        make_counter_offer(actor=world.supplier_user, quote=quote, data={"unit_price": "110"})
    with pytest.raises(AccessDenied):
        make_counter_offer(actor=world.other_user, quote=quote, data={"unit_price": "1"})
    with pytest.raises(AccessDenied):
        make_counter_offer(actor=world.operator, quote=quote, data={"unit_price": "1"})


def test_accept_offer_refuses_own_offer_strangers_and_stale_versions():
    world = make_deal_world()
    quote = make_quote(world)
    with pytest.raises(Conflict):  # accepting your own offer: 409 (issue 12, finding 8)
        accept_offer(actor=world.supplier_user, quote=quote, offer_number=1)
    for outsider in (world.other_user, world.stranger, world.operator):
        with pytest.raises(AccessDenied):
            accept_offer(actor=outsider, quote=quote, offer_number=1)
    make_counter_offer(actor=world.buyer, quote=quote, data={"unit_price": "100"})
    with pytest.raises(Conflict):
        accept_offer(actor=world.supplier_user, quote=quote, offer_number=1)
    assert Order.objects.count() == 0


def test_accept_offer_twice_is_a_conflict_and_makes_one_order():
    world = make_deal_world()
    request = make_request(world)
    quote = make_quote(world, request)
    other = make_quote(world, request, user=world.other_user)
    accept_offer(actor=world.buyer, quote=quote, offer_number=1)
    with pytest.raises(Conflict):
        accept_offer(actor=world.buyer, quote=quote, offer_number=1)
    with pytest.raises(Conflict):
        accept_offer(actor=world.buyer, quote=other, offer_number=1)
    assert Order.objects.count() == 1


def test_withdrawn_and_rejected_quotes_follow_the_table():
    world = make_deal_world()
    request = make_request(world)
    mine = make_quote(world, request)
    theirs = make_quote(world, request, user=world.other_user)
    with pytest.raises(AccessDenied):
        transition_quote(actor=world.buyer, quote=mine, to_state=QuoteState.WITHDRAWN)
    transition_quote(actor=world.supplier_user, quote=mine, to_state=QuoteState.WITHDRAWN)
    with pytest.raises(InvalidTransition):
        transition_quote(actor=world.supplier_user, quote=mine, to_state=QuoteState.SUBMITTED)
    with pytest.raises(AccessDenied):
        transition_quote(actor=world.other_user, quote=theirs, to_state=QuoteState.REJECTED)
    transition_quote(actor=world.buyer, quote=theirs, to_state=QuoteState.REJECTED, note="too dear")
    assert list(Quote.objects.order_by("pk").values_list("state", flat=True)) == [
        "withdrawn",
        "rejected",
    ]
    entry = AuditEntry.objects.get(subject_type="quote", subject_id=theirs.pk, to_state="rejected")
    assert (entry.actor, entry.party, entry.from_state, entry.note) == (
        world.buyer,
        "buyer",
        "submitted",
        "too dear",
    )


def test_request_can_be_closed_only_by_its_buyer():
    world = make_deal_world()
    request = make_request(world)
    with pytest.raises(AccessDenied):
        transition_request(actor=world.supplier_user, request=request, to_state=RequestState.CLOSED)
    with pytest.raises(AccessDenied):  # only accepting an offer awards a request
        transition_request(actor=world.buyer, request=request, to_state=RequestState.AWARDED)
    transition_request(actor=world.buyer, request=request, to_state=RequestState.CLOSED)
    with pytest.raises(InvalidTransition):
        transition_request(actor=world.buyer, request=request, to_state=RequestState.OPEN)
    assert SourcingRequest.objects.get().closed_reason == ClosedReason.BUYER


@pytest.mark.parametrize(
    ("path", "who", "target"),
    [
        ([], "buyer", OrderState.IN_PRODUCTION),
        ([], "operator", OrderState.IN_PRODUCTION),
        (["in_production"], "buyer", OrderState.READY_FOR_INSPECTION),
        (["in_production"], "buyer", OrderState.CANCELLED),
        (["in_production"], "supplier_user", OrderState.CANCELLED),
        (["in_production", "ready_for_inspection", "shipped"], "supplier_user", "delivered"),
        (
            ["in_production", "ready_for_inspection", "shipped", "delivered"],
            "supplier_user",
            "completed",
        ),
        (["in_production"], "operator", OrderState.DISPUTED),
        (["in_production", "disputed"], "buyer", OrderState.COMPLETED),
    ],
)
def test_transition_order_refuses_the_wrong_side(path, who, target):
    world = make_deal_world()
    order = make_order(world)
    actors = {
        "in_production": world.supplier_user,
        "ready_for_inspection": world.supplier_user,
        "shipped": world.supplier_user,
        "delivered": world.buyer,
        "disputed": world.buyer,
    }
    for state in path:
        transition_order(actor=actors[state], order=order, to_state=state)
    with pytest.raises(AccessDenied):
        transition_order(actor=getattr(world, who), order=order, to_state=target)
    assert Order.objects.get().state == (path[-1] if path else OrderState.CONFIRMED)


def test_transition_order_refuses_strangers_other_suppliers_and_government():
    world = make_deal_world()
    order = make_order(world)
    government = make_government_user(region=world.supplier.region)
    for outsider in (world.stranger, world.other_user, government):
        with pytest.raises(AccessDenied):
            transition_order(actor=outsider, order=order, to_state=OrderState.CANCELLED)


def test_transition_order_refuses_moves_out_of_final_states():
    world = make_deal_world()
    order = make_order(world)
    transition_order(actor=world.buyer, order=order, to_state=OrderState.CANCELLED, note="no")
    for target in OrderState.values:
        with pytest.raises(InvalidTransition):
            transition_order(actor=world.operator, order=order, to_state=target)
    entry = AuditEntry.objects.filter(subject_type="order").last()
    assert entry is not None
    assert (entry.from_state, entry.to_state, entry.note, entry.actor) == (
        "confirmed",
        "cancelled",
        "no",
        world.buyer,
    )


def test_transition_order_with_a_stale_version_is_a_conflict():
    world = make_deal_world()
    order = make_order(world)
    transition_order(
        actor=world.supplier_user, order=order, to_state="in_production", expected_version=1
    )
    with pytest.raises(Conflict):
        transition_order(actor=world.buyer, order=order, to_state="disputed", expected_version=1)
    assert Order.objects.get().state == "in_production"


def test_dispute_is_settled_by_the_operator():
    world = make_deal_world()
    order = make_order(world)
    transition_order(actor=world.supplier_user, order=order, to_state="in_production")
    transition_order(actor=world.buyer, order=order, to_state="disputed", note="wrong colour")
    transition_order(actor=world.operator, order=order, to_state="cancelled", note="refund")
    assert list(
        AuditEntry.objects.filter(subject_type="order").values_list("party", "to_state")
    ) == [
        ("buyer", "confirmed"),
        ("supplier", "in_production"),
        ("buyer", "disputed"),
        ("operator", "cancelled"),
    ]


def test_milestones_and_payments_are_checked_and_audited():
    world = make_deal_world()
    order = make_order(world)
    day = timezone.localdate() + timedelta(days=40)
    with pytest.raises(AccessDenied):
        update_milestone(actor=world.buyer, order=order, kind="shipped", planned_date=day)
    milestone = update_milestone(
        actor=world.supplier_user, order=order, kind="shipped", planned_date=day
    )
    assert milestone.planned_date == day
    with pytest.raises(InvalidInput) as exc:
        record_payment(
            actor=world.buyer,
            order=order,
            kind="tip",
            amount="-1",
            currency="XXX",
            paid_on="tomorrow",
        )
    assert set(field_errors(exc)) == {"kind", "amount", "currency", "paid_on"}
    with pytest.raises(AccessDenied):
        record_payment(
            actor=world.other_user,
            order=order,
            kind="deposit",
            amount="1",
            currency="USD",
            paid_on=timezone.localdate(),
        )
    payment = record_payment(
        actor=world.buyer,
        order=order,
        kind="deposit",
        amount="7710.00",
        currency="USD",
        paid_on=timezone.localdate(),
    )
    assert (payment.amount, payment.currency) == (Decimal("7710.0000"), "USD")
    assert list(
        AuditEntry.objects.filter(subject_type="order", subject_id=order.pk).values_list(
            "action", flat=True
        )
    ) == ["order.created", "milestone.planned", "payment.deposit"]


def test_accept_offer_charges_the_price_of_the_quantity_tier_reached():
    world = make_deal_world()
    request = make_request(world, quantity="600")
    quote = make_quote(
        world, request, unit_price="128.50", tiers=[{"min_quantity": "500", "unit_price": "118"}]
    )
    order = accept_offer(actor=world.buyer, quote=quote, offer_number=1)
    # 600 pieces reach the 500 tier: 600 × 118.00 USD, not 600 × 128.50.
    assert (order.unit_price, order.total_amount) == (Decimal("118.0000"), Decimal("70800.00"))


def test_record_payment_refuses_more_decimals_than_the_currency_has():
    world = make_deal_world()
    order = make_order(world)
    today = timezone.localdate()
    for amount, currency in (("100.5", "JPY"), ("10.005", "USD"), ("1.5", "VND")):
        with pytest.raises(InvalidInput) as exc:
            record_payment(
                actor=world.buyer,
                order=order,
                kind="deposit",
                amount=amount,
                currency=currency,
                paid_on=today,
            )
        assert list(field_errors(exc)) == ["amount"], (amount, currency)
    assert field_errors(exc)["amount"] == "VND amounts have at most 0 decimal places."
    ok = record_payment(
        actor=world.buyer,
        order=order,
        kind="deposit",
        amount="10.50",
        currency="USD",
        paid_on=today,
    )
    assert ok.amount == Decimal("10.50")
    assert order.payments.count() == 1


def test_notes_too_long_are_refused_naming_the_field_and_nothing_changes():
    world = make_deal_world()
    order = make_order(world)
    with pytest.raises(InvalidInput) as exc:
        transition_order(
            actor=world.supplier_user, order=order, to_state="in_production", note="x" * 2001
        )
    assert list(field_errors(exc)) == ["note"]
    with pytest.raises(InvalidInput):
        update_milestone(actor=world.supplier_user, order=order, kind="shipped", note="x" * 301)
    with pytest.raises(InvalidInput):
        record_payment(
            actor=world.buyer,
            order=order,
            kind="deposit",
            amount="1",
            currency="USD",
            paid_on=timezone.localdate(),
            note="x" * 301,
        )
    order.refresh_from_db()
    assert (order.state, order.version, order.payments.count()) == ("confirmed", 1, 0)
    assert AuditEntry.objects.filter(subject_type="order").count() == 1  # order.created only
