"""Who sees what, on the pages and in the API: a buyer only its own requests, a supplier only
what it was invited to or what is public to it, other enterprises and buyers nothing — and
nothing changes when they try."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from dualcirc.core.enums import OrganisationKind
from dualcirc.deals.domain import accept_offer, publish_request
from dualcirc.deals.enums import Visibility
from dualcirc.deals.models import AuditEntry, Offer, Order, Quote, SourcingRequest
from tests.factories import make_organisation, make_user
from tests.factories.api import bearer, make_belt, make_government_user
from tests.factories.deals import (
    DealWorld,
    make_deal_world,
    make_quote,
    make_request,
    request_data,
)

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    world: DealWorld
    rival: Any  # a member of another buyer organisation
    rfq: SourcingRequest  # invited only: world.supplier alone
    quote: Quote
    order: Order


def make_scene() -> Scene:
    world = make_deal_world()
    rival = make_user(organisation=make_organisation(kind=OrganisationKind.BUYER, name="Rival"))
    rfq = make_request(world, invite=(world.supplier,))
    quote = make_quote(world, rfq)
    other_rfq = make_request(world, invite=(world.supplier,), title="Oak benches")
    order_quote = make_quote(world, other_rfq)
    order = accept_offer(actor=world.buyer, quote=order_quote, offer_number=1)
    return Scene(world, rival, rfq, quote, order)


def page(user: Any, path: str, data: dict[str, Any] | None = None) -> Any:
    client = Client()
    client.force_login(user)
    return client.post(path, data or {}) if data is not None else client.get(path)


def api(method: str, path: str, user: Any, body: Any = None) -> tuple[int, Any]:
    response = getattr(Client(), method)(
        path,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        headers={"Accept-Language": "en", **bearer(user)},
    )
    return response.status_code, response.json()


def outsiders(scene: Scene) -> dict[str, Any]:
    w = scene.world
    return {"rival buyer": scene.rival, "uninvited enterprise": w.other_user, "nobody": w.stranger}


def test_pages_of_a_deal_are_404_to_other_buyers_uninvited_enterprises_and_strangers():
    scene = make_scene()
    rfq, quote, order = scene.rfq, scene.quote, scene.order
    paths = [
        f"/en/deals/requests/{rfq.pk}/",
        f"/en/deals/rfq/{rfq.pk}/",
        f"/en/deals/quotes/{quote.pk}/",
        f"/en/deals/quotes/{quote.pk}/thread/",
        f"/en/deals/orders/{order.pk}/",
    ]
    for who, user in outsiders(scene).items():
        for path in paths:
            assert page(user, path).status_code == 404, (who, path)
    # The invited supplier sees its side, not the buyer's comparison page.
    assert page(scene.world.supplier_user, f"/en/deals/rfq/{rfq.pk}/").status_code == 200
    assert page(scene.world.supplier_user, f"/en/deals/requests/{rfq.pk}/").status_code == 404


def test_list_pages_show_only_ones_own_deals():
    scene = make_scene()
    title, number = scene.rfq.title, scene.order.number
    assert title in page(scene.world.buyer, "/en/deals/requests/").content.decode()
    assert title not in page(scene.rival, "/en/deals/requests/").content.decode()
    assert title in page(scene.world.supplier_user, "/en/deals/invitations/").content.decode()
    assert title not in page(scene.world.other_user, "/en/deals/invitations/").content.decode()
    assert title not in page(scene.world.other_user, "/en/deals/quotes/").content.decode()
    for user in (scene.rival, scene.world.other_user, scene.world.stranger):
        assert number not in page(user, "/en/deals/orders/").content.decode()
    assert number in page(scene.world.buyer, "/en/deals/orders/").content.decode()


def test_page_writes_by_outsiders_are_refused_and_change_nothing():
    scene = make_scene()
    quote, order = scene.quote, scene.order
    for user in outsiders(scene).values():
        assert (
            page(user, f"/en/deals/quotes/{quote.pk}/accept/", {"offer_number": "1"}).status_code
            == 404
        )
        counter = {"expected_offer": "1", "unit_price": "1"}
        assert page(user, f"/en/deals/quotes/{quote.pk}/counter/", counter).status_code == 404
        move = {"to_state": "cancelled", "version": "1"}
        assert page(user, f"/en/deals/orders/{order.pk}/transition/", move).status_code == 404
        close = {"to_state": "cancelled"}
        assert page(user, f"/en/deals/requests/{scene.rfq.pk}/close/", close).status_code == 404
    # A supplier may not close the buyer's request, nor the buyer revise the supplier's quote.
    supplier_close = page(
        scene.world.supplier_user, f"/en/deals/requests/{scene.rfq.pk}/close/", {}
    )
    assert supplier_close.status_code == 404
    assert Offer.objects.filter(negotiation__quote=quote).count() == 1
    assert Order.objects.count() == 1
    order.refresh_from_db()
    scene.rfq.refresh_from_db()
    assert (order.state, scene.rfq.state, quote.state) == ("confirmed", "open", "submitted")


def test_api_reads_of_a_deal_are_404_to_outsiders_and_lists_are_empty():
    scene = make_scene()
    rfq, quote, order = scene.rfq, scene.quote, scene.order
    for who, user in outsiders(scene).items():
        for path in (
            f"/api/deals/requests/{rfq.pk}",
            f"/api/deals/requests/{rfq.pk}/quotes",
            f"/api/deals/quotes/{quote.pk}",
            f"/api/deals/orders/{order.pk}",
        ):
            status, body = api("get", path, user)
            assert (status, body["code"]) == (404, "not_found"), (who, path, body)
        assert api("get", "/api/deals/requests", user) == (200, [])
        assert api("get", "/api/deals/orders", user) == (200, [])
    assert api("get", "/api/deals/invitations", scene.world.other_user) == (200, [])
    assert api("get", "/api/deals/quotes", scene.world.other_user) == (200, [])
    status, mine = api("get", "/api/deals/requests", scene.world.buyer)
    assert sorted(r["title"] for r in mine) == ["Oak benches", "Oak dining tables for Hamburg"]


def test_api_supplier_sees_its_invitation_but_not_the_comparison_or_other_invitations():
    scene = make_scene()
    supplier = scene.world.supplier_user
    status, rfq = api("get", f"/api/deals/requests/{scene.rfq.pk}", supplier)
    assert (status, rfq["invitations"]) == (200, [])  # not who else was invited
    status, body = api("get", f"/api/deals/requests/{scene.rfq.pk}/quotes", supplier)
    assert (status, body["code"]) == (403, "forbidden")


def test_api_writes_by_outsiders_are_refused_and_change_nothing():
    scene = make_scene()
    w = scene.world
    rfq, quote, order = scene.rfq, scene.quote, scene.order
    for user in outsiders(scene).values():
        refusals = [
            api(
                "post",
                f"/api/deals/requests/{rfq.pk}/quotes",
                user,
                {
                    "unit_price": "1",
                    "currency": "USD",
                    "incoterm": "FOB",
                    "named_place": "Qingdao",
                    "lead_time_days": 1,
                    "valid_until": "2099-01-01",
                },
            ),
            api("post", f"/api/deals/quotes/{quote.pk}/accept", user, {"offer_number": 1}),
            api(
                "post",
                f"/api/deals/quotes/{quote.pk}/offers",
                user,
                {"expected_offer": 1, "unit_price": "1"},
            ),
            api("post", f"/api/deals/quotes/{quote.pk}/messages", user, {"body": "hi"}),
            api(
                "post", f"/api/deals/orders/{order.pk}/transition", user, {"to_state": "cancelled"}
            ),
            api("post", f"/api/deals/requests/{rfq.pk}/state", user, {"to_state": "cancelled"}),
        ]
        assert [status for status, _body in refusals] == [404] * 6, refusals
    # Sides that see the deal but may not make the move: 403.
    status, body = api(
        "post", f"/api/deals/requests/{rfq.pk}/state", w.supplier_user, {"to_state": "cancelled"}
    )
    assert (status, body["code"]) == (403, "forbidden")
    status, body = api(
        "patch", f"/api/deals/quotes/{quote.pk}", w.buyer, {"version": 1, "unit_price": "1"}
    )
    assert (status, body["code"]) == (403, "forbidden")
    government = make_government_user(region=w.supplier.region)
    assert api("get", f"/api/deals/orders/{order.pk}", government)[0] == 200
    status, body = api(
        "post", f"/api/deals/orders/{order.pk}/transition", government, {"to_state": "cancelled"}
    )
    assert (status, body["code"]) == (403, "forbidden")
    assert (Quote.objects.count(), Order.objects.count()) == (2, 1)
    assert not AuditEntry.objects.filter(action__in=["order.transition", "request.cancelled"])


def test_public_request_is_open_to_the_enterprises_of_its_belt_only():
    world = make_deal_world()
    belt = make_belt(region=world.supplier.region)
    type(world.supplier).objects.filter(pk=world.supplier.pk).update(belt=belt)
    rfq = publish_request(
        actor=world.buyer, data=request_data(visibility=Visibility.PUBLIC), belt=belt
    )
    assert rfq.title in page(world.supplier_user, "/en/deals/invitations/").content.decode()
    assert page(world.supplier_user, f"/en/deals/rfq/{rfq.pk}/").status_code == 200
    assert rfq.title not in page(world.other_user, "/en/deals/invitations/").content.decode()
    assert page(world.other_user, f"/en/deals/rfq/{rfq.pk}/").status_code == 404
    assert api("get", f"/api/deals/requests/{rfq.pk}", world.other_user)[0] == 404
    assert api("get", f"/api/deals/requests/{rfq.pk}", world.supplier_user)[0] == 200
