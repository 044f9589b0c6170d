"""Contact supplier threads and "Request a quotation" from product and company pages: a
buyer reaches a thread in one click and a submitted RFQ in at most three steps; only the two
sides and the operator see a thread."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from dualcirc.core.access import AccessDenied
from dualcirc.core.enums import OrganisationKind, Role
from dualcirc.core.errors import Conflict
from dualcirc.deals.domain.conversations import (
    open_conversation,
    post_conversation_message,
    request_quote_from_conversation,
)
from dualcirc.deals.enums import InvitationSource, RequestState, Visibility
from dualcirc.deals.models import Conversation, ConversationMessage, SourcingRequest
from dualcirc.notify.models import Notification
from tests.factories import make_organisation, make_product, make_user
from tests.factories.deals import DealWorld, make_deal_world
from tests.factories.query_counts import page_queries

pytestmark = pytest.mark.django_db


def reverse_login() -> str:
    with translation.override("en"):
        return reverse("login")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world() -> DealWorld:
    return make_deal_world()


@pytest.fixture
def table(world: DealWorld) -> Any:
    return make_product(
        enterprise=world.supplier,
        sku="OAK-6",
        title_en="Solid oak dining table, 6 seats",
        title_zh="实木橡木餐桌 六人位",
        moq=Decimal("50"),
        currency="USD",
    )


def test_contact_supplier_opens_the_thread_in_one_click(world: DealWorld, table: Any) -> None:
    buyer = client_for(world.buyer)
    page = buyer.get(f"/en/products/{table.pk}/").content.decode()
    assert f'action="/en/deals/contact/{world.supplier.pk}/"' in page
    assert 'id="contact-supplier"' in page

    response = buyer.post(f"/en/deals/contact/{world.supplier.pk}/", {"product": table.pk})

    thread = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/deals/conversations/{thread.pk}/"
    assert (thread.buyer, thread.supplier, thread.product) == (
        world.buyer_org,
        world.supplier,
        table,
    )
    html = buyer.get(response["Location"]).content.decode()
    assert "Solid oak dining table, 6 seats" in html
    assert 'id="request-quote-from-thread"' in html


def test_contacting_again_reopens_the_same_thread(world: DealWorld, table: Any) -> None:
    first = open_conversation(actor=world.buyer, supplier=world.supplier, product=table)
    again = open_conversation(actor=world.buyer, supplier=world.supplier, product=table)
    general = open_conversation(actor=world.buyer, supplier=world.supplier)
    general_again = open_conversation(actor=world.buyer, supplier=world.supplier)

    assert first.pk == again.pk
    assert general.pk == general_again.pk != first.pk
    assert Conversation.objects.count() == 2


def test_a_product_of_another_supplier_is_refused(world: DealWorld, table: Any) -> None:
    with pytest.raises(Exception) as excinfo:
        open_conversation(actor=world.buyer, supplier=world.other_supplier, product=table)

    assert [e.field for e in excinfo.value.errors] == ["product"]  # type: ignore[attr-defined]


def test_only_buyers_open_threads(world: DealWorld, table: Any) -> None:
    with pytest.raises(AccessDenied):
        open_conversation(actor=world.supplier_user, supplier=world.supplier, product=table)

    response = client_for(world.stranger).post(
        f"/en/deals/contact/{world.supplier.pk}/", {"product": table.pk}
    )

    assert response.status_code == 403
    assert Conversation.objects.count() == 0


def test_anonymous_visitors_are_asked_to_sign_in(table: Any) -> None:
    page = Client().get(f"/en/products/{table.pk}/").content.decode()

    assert 'id="sign-in-to-contact"' in page
    assert f"{reverse_login()}?next=/en/products/{table.pk}/" in page
    response = Client().post(f"/en/deals/contact/{table.enterprise_id}/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse_login())


def test_messages_notify_the_other_side_and_show_for_both(world: DealWorld, table: Any) -> None:
    thread = open_conversation(actor=world.buyer, supplier=world.supplier, product=table)

    client_for(world.buyer).post(
        f"/en/deals/conversations/{thread.pk}/messages/",
        {"body": "Can you do walnut for 120 tables?"},
    )
    client_for(world.supplier_user).post(
        f"/en/deals/conversations/{thread.pk}/messages/",
        {"body": "Yes, walnut adds 15 USD per table."},
    )

    bodies = list(ConversationMessage.objects.values_list("party", "body"))
    assert bodies == [
        ("buyer", "Can you do walnut for 120 tables?"),
        ("supplier", "Yes, walnut adds 15 USD per table."),
    ]
    to_supplier = Notification.objects.get(recipient=world.supplier_user)
    to_buyer = Notification.objects.get(recipient=world.buyer)
    assert to_supplier.verb == "conversation_message"
    assert to_supplier.url.endswith(f"/deals/conversations/{thread.pk}/")
    assert to_buyer.verb == "conversation_message"
    assert not Notification.objects.filter(recipient=world.other_user).exists()
    # the thread is listed on the deals home of both sides and in the notification centre
    for user in (world.buyer, world.supplier_user):
        client = client_for(user)
        home = client.get("/en/deals/").content.decode()
        assert f'href="/en/deals/conversations/{thread.pk}/"' in home
        centre = client.get("/en/notifications/").content.decode()
        assert "A new message in the conversation" in centre


def test_only_the_two_sides_and_the_operator_see_a_thread(world: DealWorld, table: Any) -> None:
    thread = open_conversation(actor=world.buyer, supplier=world.supplier, product=table)
    post_conversation_message(actor=world.buyer, conversation=thread, body="Samples?")
    other_buyer = make_user(
        organisation=make_organisation(kind=OrganisationKind.BUYER, name="Other importer"),
        role=Role.ADMIN,
    )
    url = f"/en/deals/conversations/{thread.pk}/"

    seen = {
        name: client_for(user).get(url).status_code
        for name, user in {
            "buyer": world.buyer,
            "supplier": world.supplier_user,
            "operator": world.operator,
            "other supplier": world.other_user,
            "other buyer": other_buyer,
            "stranger": world.stranger,
        }.items()
    }
    written = client_for(world.other_user).post(f"{url}messages/", {"body": "Hello"})

    assert seen == {
        "buyer": 200,
        "supplier": 200,
        "operator": 200,
        "other supplier": 404,
        "other buyer": 404,
        "stranger": 404,
    }
    assert written.status_code == 404
    assert ConversationMessage.objects.count() == 1
    assert "Samples?" not in client_for(world.other_user).get("/en/deals/").content.decode()
    with pytest.raises(AccessDenied):
        post_conversation_message(actor=other_buyer, conversation=thread, body="Hi")


def test_an_empty_message_is_refused_beside_its_field(world: DealWorld, table: Any) -> None:
    thread = open_conversation(actor=world.buyer, supplier=world.supplier, product=table)

    response = client_for(world.buyer).post(
        f"/en/deals/conversations/{thread.pk}/messages/", {"body": "   "}
    )

    assert response.status_code == 422
    assert ConversationMessage.objects.count() == 0


def test_a_thread_becomes_a_quotation_request_in_one_step(world: DealWorld, table: Any) -> None:
    thread = open_conversation(actor=world.buyer, supplier=world.supplier, product=table)
    post_conversation_message(actor=world.buyer, conversation=thread, body="Walnut, 120 pcs?")

    response = client_for(world.buyer).post(
        f"/en/deals/conversations/{thread.pk}/quote/",
        {
            "quantity": "120",
            "unit": "pcs",
            "target_price": "110",
            "currency": "USD",
            "destination_country": "DE",
        },
    )

    rfq = SourcingRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/deals/requests/{rfq.pk}/"
    assert (rfq.quantity, rfq.target_price, rfq.currency, rfq.destination_country) == (
        Decimal("120"),
        Decimal("110"),
        "USD",
        "DE",
    )
    assert rfq.title == "Solid oak dining table, 6 seats"
    assert "Walnut, 120 pcs?" in rfq.need
    assert rfq.visibility == Visibility.INVITED
    assert rfq.state == RequestState.OPEN
    assert list(rfq.invitations.values_list("enterprise", "source")) == [
        (world.supplier.pk, InvitationSource.MANUAL)
    ]
    thread.refresh_from_db()
    assert thread.sourcing_request == rfq
    supplier_view = client_for(world.supplier_user).get(f"/en/deals/conversations/{thread.pk}/")
    assert f'href="/en/deals/rfq/{rfq.pk}/"' in supplier_view.content.decode()


def test_asking_twice_from_one_thread_makes_one_request(world: DealWorld, table: Any) -> None:
    thread = open_conversation(actor=world.buyer, supplier=world.supplier, product=table)
    first = request_quote_from_conversation(actor=world.buyer, conversation=thread)

    stale = Conversation.objects.get(pk=thread.pk)  # a second tab, loaded before the first post
    stale.sourcing_request_id = None
    with pytest.raises(Conflict):
        request_quote_from_conversation(actor=world.buyer, conversation=stale)
    assert stale.sourcing_request_id == first.pk
    # the page's second post lands on the request the first one made
    response = client_for(world.buyer).post(
        f"/en/deals/conversations/{thread.pk}/quote/",
        {"quantity": "120", "unit": "pcs", "target_price": "110", "currency": "USD",
         "destination_country": "DE"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == f"/en/deals/requests/{first.pk}/"
    assert SourcingRequest.objects.count() == 1


def test_only_the_buyer_turns_a_thread_into_a_request(world: DealWorld, table: Any) -> None:
    thread = open_conversation(actor=world.buyer, supplier=world.supplier, product=table)

    with pytest.raises(AccessDenied):
        request_quote_from_conversation(actor=world.supplier_user, conversation=thread)

    assert SourcingRequest.objects.count() == 0


def test_request_a_quotation_from_a_product_page_in_two_steps(world: DealWorld, table: Any) -> None:
    buyer = client_for(world.buyer)
    page = buyer.get(f"/en/products/{table.pk}/").content.decode()
    assert 'id="rfq-form"' in page
    assert 'value="DE"' in page  # the buyer's own country as the destination

    # step 1: the product page's short form (quantity, target price, currency, destination)
    form_page = buyer.get(
        "/en/deals/requests/new/",
        {
            "product": table.pk,
            "quantity": "200",
            "target_price": "115",
            "currency": "USD",
            "destination_country": "DE",
        },
    )
    form = form_page.context["form"]
    assert form.initial["title"] == "Solid oak dining table, 6 seats"
    assert form.initial["invite"] == [world.supplier.pk]
    assert (form.initial["quantity"], form.initial["target_price"]) == (
        Decimal("200"),
        Decimal("115"),
    )
    # step 2: publish the pre-filled form as it is
    data = {
        name: form[name].value() for name in form.fields if form[name].value() not in (None, "")
    }
    assert f'value="{form.initial["deadline"]}"' in form_page.content.decode()
    data["invite"] = [str(world.supplier.pk)]
    response = buyer.post("/en/deals/requests/new/", data)

    rfq = SourcingRequest.objects.get()
    assert response.status_code == 302
    assert (rfq.title, rfq.hs_code, rfq.quantity, rfq.destination_country) == (
        "Solid oak dining table, 6 seats",
        "940360",
        Decimal("200"),
        "DE",
    )
    assert list(rfq.invitations.values_list("enterprise", flat=True)) == [world.supplier.pk]


def test_company_page_offers_contact_and_quotation(world: DealWorld) -> None:
    html = client_for(world.buyer).get(f"/en/enterprises/{world.supplier.pk}/").content.decode()

    assert f'action="/en/deals/contact/{world.supplier.pk}/"' in html
    assert f"/en/deals/requests/new/?invite={world.supplier.pk}" in html


def test_conversation_list_queries_do_not_grow_with_threads(
    django_assert_max_num_queries: Any, world: DealWorld
) -> None:
    def grow(n: int) -> None:
        for i in range(n):
            product = make_product(enterprise=world.supplier, title_en=f"Oak chair {i}")
            thread = open_conversation(actor=world.buyer, supplier=world.supplier, product=product)
            post_conversation_message(actor=world.buyer, conversation=thread, body="Price?")

    counts = page_queries(
        django_assert_max_num_queries, world.buyer, "/en/deals/conversations/", grow, "Oak chair", 6
    )

    assert counts[0] == counts[1]


def test_the_thread_refreshes_itself_with_htmx(world: DealWorld, table: Any) -> None:
    thread = open_conversation(actor=world.buyer, supplier=world.supplier, product=table)
    buyer = client_for(world.buyer)
    page = buyer.get(f"/en/deals/conversations/{thread.pk}/").content.decode()
    post_conversation_message(actor=world.supplier_user, conversation=thread, body="Samples ready")

    fragment = buyer.get(f"/en/deals/conversations/{thread.pk}/", HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 20s" hx-select="#conversation-messages"' in page
    assert "<html" not in fragment.content.decode()
    assert "Samples ready" in fragment.content.decode()


def test_the_operator_looks_threads_up_in_the_admin_read_only(world: DealWorld, table: Any) -> None:
    thread = open_conversation(actor=world.buyer, supplier=world.supplier, product=table)
    post_conversation_message(actor=world.buyer, conversation=thread, body="Walnut possible?")
    admin = make_user(is_staff=True, is_superuser=True)
    client = client_for(admin)

    listing = client.get("/en/admin/deals/conversation/")
    detail = client.get(f"/en/admin/deals/conversation/{thread.pk}/change/")

    assert listing.status_code == 200
    assert "Hamburg Möbel Import GmbH" in listing.content.decode()
    assert "Walnut possible?" in detail.content.decode()
    assert client.get("/en/admin/deals/conversation/add/").status_code == 403
