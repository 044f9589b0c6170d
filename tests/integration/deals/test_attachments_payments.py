"""Quote attachments through the API and the page, payments converted into the order's
currency, and the htmx paths of the negotiation thread and milestones (the no-JS paths too)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dualcirc.core.api_auth import issue_api_token
from dualcirc.deals import domain
from dualcirc.deals.models import AuditEntry, Message, Milestone, Payment, QuoteAttachment
from dualcirc.deals.money import set_exchange_rate
from dualcirc.notify.models import Notification
from tests.factories.deals import make_deal_world, make_order, make_quote

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 spec sheet"


def _pdf(name: str = "spec.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='t')}"}


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


# --- attachments ---------------------------------------------------------------------------------


def test_api_attaches_files_to_a_quote_checked_by_content() -> None:
    world = make_deal_world()
    quote = make_quote(world)
    url = f"/api/deals/quotes/{quote.pk}/attachments"

    ok = Client().post(
        url,
        {"files": [_pdf(), _pdf("photo.png", b"\x89PNG\r\n\x1a\n....")]},
        **_bearer(world.supplier_user),
    )
    bad = Client().post(
        url, {"files": [_pdf("virus.pdf", b"MZ\x90\x00")]}, **_bearer(world.supplier_user)
    )

    assert ok.status_code == 201
    assert [(a["name"], a["content_type"], a["size"]) for a in ok.json()["attachments"]] == [
        ("spec.pdf", "application/pdf", 19),
        ("photo.png", "image/png", 12),
    ]
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "attachments"
    assert bad.json()["errors"][0]["row"] == 1
    assert "virus.pdf" in bad.json()["errors"][0]["message"]
    assert QuoteAttachment.objects.filter(quote=quote).count() == 2
    assert AuditEntry.objects.get(action="quote.attachments").note == "spec.pdf, photo.png"
    assert Notification.objects.filter(recipient=world.buyer, verb="quote_attachments").count() == 1


def test_api_refuses_too_large_or_too_many_attachments_and_the_buyer() -> None:
    world = make_deal_world()
    quote = make_quote(world)
    url = f"/api/deals/quotes/{quote.pk}/attachments"
    big = _pdf("big.pdf", PDF + b"0" * (10 * 1024 * 1024))

    too_large = Client().post(url, {"files": [big]}, **_bearer(world.supplier_user))
    too_many = Client().post(
        url, {"files": [_pdf(f"s{i}.pdf") for i in range(6)]}, **_bearer(world.supplier_user)
    )
    buyer = Client().post(url, {"files": [_pdf()]}, **_bearer(world.buyer))

    assert too_large.status_code == 422
    assert "big.pdf" in too_large.json()["errors"][0]["message"]
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["field"] == "attachments"
    assert buyer.status_code == 403
    assert QuoteAttachment.objects.count() == 0


def test_quote_page_attaches_and_serves_files_to_the_two_sides_only() -> None:
    world = make_deal_world()
    quote = make_quote(world)

    attached = _client(world.supplier_user).post(
        f"/en/deals/quotes/{quote.pk}/attachments/", {"attachments": [_pdf()]}, follow=True
    )
    att = QuoteAttachment.objects.get()
    download = _client(world.buyer).get(f"/en/deals/quotes/{quote.pk}/attachments/{att.pk}/")
    stranger = _client(world.stranger).get(f"/en/deals/quotes/{quote.pk}/attachments/{att.pk}/")

    assert "1 files attached." in attached.content.decode()
    assert "spec.pdf" in attached.content.decode()
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/pdf"
    assert stranger.status_code == 404


# --- payments ------------------------------------------------------------------------------------


def test_payment_is_converted_into_the_order_currency_with_rate_and_date() -> None:
    world = make_deal_world()
    order = make_order(world)  # USD
    # By hand: the ECB fixed 1 EUR = 1.0465 USD on 2025-03-03, so 1000 EUR = 1046.50 USD.
    rate, converted = Decimal("1.0465"), Decimal("1046.50")

    payment = domain.record_payment(
        actor=world.buyer,
        order=order,
        kind="deposit",
        amount=Decimal("1000"),
        currency="EUR",
        paid_on=date(2025, 3, 3),
    )
    page = _client(world.buyer).get(f"/en/deals/orders/{order.pk}/").content.decode()
    api = Client().get(f"/api/deals/orders/{order.pk}", **_bearer(world.buyer)).json()

    payment.refresh_from_db()
    assert payment.amount_in_order_currency == converted
    assert payment.rate == rate
    assert (payment.rate_date, payment.rate_source) == (date(2025, 3, 3), "ecb")
    assert isinstance(payment.amount_in_order_currency, Decimal)
    assert "1,046.50" in page
    assert "1 EUR = 1.046500 USD (Mar 3, 2025, ECB)" in page
    assert api["payments"][0]["amount_in_order_currency"] == "1046.5000"
    assert api["payments"][0]["rate"] == "1.046500000000"
    assert api["payments"][0]["rate_date"] == "2025-03-03"


def test_payment_in_a_currency_the_ecb_lacks_uses_the_operator_rate_or_says_none() -> None:
    world = make_deal_world()
    order = make_order(world)  # USD

    unknown = domain.record_payment(
        actor=world.buyer, order=order, kind="deposit", amount=Decimal("5000000"),
        currency="VND", paid_on=date(2025, 3, 3),
    )  # fmt: skip
    set_exchange_rate(
        actor=world.operator, currency="VND", base="USD", rate=Decimal("25000"), on=date(2025, 3, 1)
    )
    known = domain.record_payment(
        actor=world.buyer, order=order, kind="balance", amount=Decimal("5000000"),
        currency="VND", paid_on=date(2025, 3, 3),
    )  # fmt: skip
    page = _client(world.buyer).get(f"/en/deals/orders/{order.pk}/").content.decode()

    unknown.refresh_from_db()
    known.refresh_from_db()
    assert (unknown.amount_in_order_currency, unknown.rate, unknown.rate_source) == (None, None, "")
    assert known.amount_in_order_currency == Decimal("200.00")
    assert (known.rate_date, known.rate_source) == (date(2025, 3, 1), "ecb+operator")
    assert "no rate known" in page
    assert 'id="paid-total"' not in page  # one payment has no known rate: no misleading total
    assert Payment.objects.count() == 2


# --- htmx and the no-JS path ---------------------------------------------------------------------


def test_message_posted_with_htmx_returns_the_thread_fragment_and_without_redirects() -> None:
    world = make_deal_world()
    quote = make_quote(world)
    client = _client(world.buyer)
    url = f"/en/deals/quotes/{quote.pk}/message/"

    fragment = client.post(url, {"body": "Can you do 120?"}, HTTP_HX_REQUEST="true")
    empty = client.post(url, {"body": ""}, HTTP_HX_REQUEST="true")
    plain = client.post(url, {"body": "And FSC papers?"})
    polled = client.get(f"/en/deals/quotes/{quote.pk}/thread/", HTTP_HX_REQUEST="true")

    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert html.startswith('<section id="thread"')
    assert "<html" not in html
    assert "Can you do 120?" in html
    assert empty.status_code == 200
    assert "This field is required." in empty.content.decode()
    assert plain.status_code == 302
    assert plain["Location"] == f"/en/deals/quotes/{quote.pk}/"
    assert polled.content.decode().startswith('<ol class="thread" id="thread-messages"')
    assert "And FSC papers?" in polled.content.decode()
    assert list(Message.objects.values_list("body", flat=True)) == [
        "Can you do 120?",
        "And FSC papers?",
    ]


def test_milestone_replanned_with_htmx_returns_the_section_and_without_redirects() -> None:
    world = make_deal_world()
    order = make_order(world)
    client = _client(world.supplier_user)
    url = f"/en/deals/orders/{order.pk}/milestones/"

    fragment = client.post(
        url, {"kind": "shipped", "planned_date": "2031-05-06", "note": "vessel booked"},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    plain = client.post(url, {"kind": "shipped", "planned_date": "2031-05-07"})
    refused = _client(world.buyer).post(
        url, {"kind": "shipped", "planned_date": "2031-05-08"}, HTTP_HX_REQUEST="true"
    )

    html = fragment.content.decode()
    assert html.startswith('<section id="milestones">')
    assert "May 6, 2031" in html and "vessel booked" in html
    assert "The milestone was re-planned." in html
    assert plain.status_code == 302
    assert "Only the supplier and the operator plan milestones." in refused.content.decode()
    assert Milestone.objects.get(order=order, kind="shipped").planned_date == date(2031, 5, 7)
