"""Hostile strings and numbers are refused with a field error (422), never a 500.

NUL bytes and lone surrogates (which PostgreSQL cannot store), numbers too large for the column
they go to, odd digits in a scope: each one through the API door it came in by, on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dualcirc.catalog.models import Product
from dualcirc.core.enums import Role
from tests.factories import make_enterprise, make_product
from tests.factories.api import bearer, make_enterprise_user, make_operator
from tests.factories.deals import (
    make_deal_world,
    make_order,
    make_quote,
    make_request,
    quote_data,
    request_data,
)

pytestmark = pytest.mark.django_db

NUL = "oak\x00table"
SURROGATE = "oak\ud800table"


def _errors(response: Any) -> list[dict[str, Any]]:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert set(body) == {"code", "message", "errors"}
    return body["errors"]


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
def test_bad_text_in_a_product_body_is_422_naming_the_field(client: Client, bad: str):
    enterprise = make_enterprise()
    user = make_enterprise_user(enterprise=enterprise, role=Role.ADMIN)
    payload = {"enterprise_id": enterprise.pk, "sku": "T1", "hs_code": "940360",
               "title_en": "Oak table", "description_en": bad}  # fmt: skip

    response = client.post(
        "/api/products", payload, content_type="application/json", headers=bearer(user)
    )

    assert response.status_code == 422
    assert [e["field"] for e in _errors(response)] == ["description_en"]
    assert Product.objects.count() == 0


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
def test_bad_text_in_an_attribute_key_is_422(client: Client, bad: str):
    enterprise = make_enterprise()
    user = make_enterprise_user(enterprise=enterprise, role=Role.ADMIN)
    product = make_product(enterprise=enterprise)

    response = client.patch(
        f"/api/products/{product.pk}",
        {"attributes": {bad: "x"}},
        content_type="application/json",
        headers=bearer(user),
    )

    assert response.status_code == 422
    assert [e["field"] for e in _errors(response)] == ["attributes"]


@pytest.mark.parametrize(
    "path",
    ["/api/products?keyword=a%00b", "/api/enterprises?q=a%00b", "/api/search/products?q=a%00b"],
)
def test_nul_in_a_query_parameter_is_422(client: Client, path: str):
    response = client.get(path, headers=bearer(make_operator()))

    assert response.status_code == 422
    assert [e["field"] for e in _errors(response)] in (["keyword"], ["q"])


def test_nul_in_a_page_query_is_refused_not_500(client: Client):
    response = client.get("/en/products/?keyword=a%00b")

    assert response.status_code == 422


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
def test_bad_text_in_a_deal_message_is_422(client: Client, bad: str):
    world = make_deal_world()
    quote = make_quote(world)

    response = client.post(
        f"/api/deals/quotes/{quote.pk}/messages",
        {"body": bad},
        content_type="application/json",
        headers=bearer(world.buyer),
    )

    assert response.status_code == 422
    assert [e["field"] for e in _errors(response)] == ["body"]


@pytest.mark.parametrize("field", ["quantity", "target_price"])
def test_overflowing_request_number_is_422(client: Client, field: str):
    world = make_deal_world()
    data = request_data(**{field: "1e30"})
    data["invite"] = [world.supplier.pk]

    response = client.post(
        "/api/deals/requests", data, content_type="application/json", headers=bearer(world.buyer)
    )

    assert response.status_code == 422
    assert [e["field"] for e in _errors(response)] == [field]


@pytest.mark.parametrize("field", ["unit_price", "quantity", "moq"])
def test_overflowing_quote_number_is_422(client: Client, field: str):
    world = make_deal_world()
    request = make_request(world)

    response = client.post(
        f"/api/deals/requests/{request.pk}/quotes",
        quote_data(**{field: "1e30"}),
        content_type="application/json",
        headers=bearer(world.supplier_user),
    )

    assert response.status_code == 422
    assert [e["field"] for e in _errors(response)] == [field]


def test_overflowing_payment_is_422(client: Client):
    world = make_deal_world()
    order = make_order(world)

    response = client.post(
        f"/api/deals/orders/{order.pk}/payments",
        {"kind": "deposit", "amount": "1e30", "currency": order.currency, "paid_on": "2026-01-05"},
        content_type="application/json",
        headers=bearer(world.buyer),
    )

    assert response.status_code == 422
    assert [e["field"] for e in _errors(response)] == ["amount"]


def test_overflowing_employees_is_422(client: Client):
    enterprise = make_enterprise()
    user = make_enterprise_user(enterprise=enterprise, role=Role.ADMIN)

    response = client.patch(
        f"/api/enterprises/{enterprise.pk}",
        {"employees": 10**12},
        content_type="application/json",
        headers=bearer(user),
    )

    assert response.status_code == 422
    assert [e["field"] for e in _errors(response)] == ["employees"]


def test_overflowing_price_is_422(client: Client):
    enterprise = make_enterprise()
    user = make_enterprise_user(enterprise=enterprise, role=Role.ADMIN)
    payload = {"enterprise_id": enterprise.pk, "sku": "T1", "hs_code": "940360",
               "title_en": "Oak table", "price_min": "1e30", "price_max": "1e30",
               "currency": "USD"}  # fmt: skip

    response = client.post(
        "/api/products", payload, content_type="application/json", headers=bearer(user)
    )

    assert response.status_code == 422
    assert {e["field"] for e in _errors(response)} == {"price_min", "price_max"}


def test_superscript_digit_in_a_scope_is_4xx(client: Client):
    response = client.get(
        "/api/bureau/indicators?scope=enterprise:%C2%B2", headers=bearer(make_operator())
    )

    assert response.status_code == 422
    assert [e["field"] for e in _errors(response)] == ["scope"]


# Length limits and decimals: the same at every door ---------------------------------------


def _product_payload(enterprise_id: int, **extra: Any) -> dict[str, Any]:
    return {"enterprise_id": enterprise_id, "sku": "T1", "hs_code": "940360",
            "title_en": "Oak table", **extra}  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"description_en": "x" * 2_000_000}, "description_en"),
        ({"attributes": {"k" * 10_000: "v"}}, "attributes"),
        ({"certifications": ["c" * 10_000]}, "certifications.0"),
    ],
    ids=["description", "attribute-key", "certification"],
)
def test_overlong_product_text_is_422_through_the_api(client: Client, extra, field):
    enterprise = make_enterprise()
    user = make_enterprise_user(enterprise=enterprise, role=Role.ADMIN)

    response = client.post(
        "/api/products",
        _product_payload(enterprise.pk, **extra),
        content_type="application/json",
        headers=bearer(user),
    )

    assert response.status_code == 422
    assert [e["field"].split(".")[0] for e in _errors(response)] == [field.split(".")[0]]
    assert Product.objects.count() == 0


def test_overlong_product_text_is_refused_by_the_domain_for_every_door():
    from dualcirc.catalog.domain import check_product

    product = Product(sku="T1", hs_code="940360", title_en="Oak", description_en="x" * 20001,
                      attributes={"k" * 101: "v"}, certifications=["c" * 101])  # fmt: skip

    fields = {e.field for e in check_product(product, exclude=("enterprise",))}

    assert fields == {"description_en", "attributes", "certifications"}


def test_nul_in_an_imported_cell_is_a_row_error(tmp_path):
    from dualcirc.catalog.importing import import_catalog
    from dualcirc.core.errors import InvalidInput
    from tests.factories.catalog_import import catalog_row, write_csv

    rows = [catalog_row(sku=f"S{i}") for i in range(200)] + [catalog_row(sku="BAD\x00")]
    path = write_csv(tmp_path / "c.csv", rows)

    with pytest.raises(InvalidInput) as caught:
        import_catalog(actor=make_operator(), file=path)

    assert [(e.row, e.field) for e in caught.value.errors] == [(202, "sku")]
    assert Product.objects.count() == 0


def test_overlong_correction_reason_is_422(client: Client):
    enterprise = make_enterprise()
    user = make_enterprise_user(enterprise=enterprise, role=Role.ADMIN)

    response = client.put(
        f"/api/bureau/figures/{enterprise.pk}/2025-03",
        {"revenue": "10", "reason": "r" * 100_000},
        content_type="application/json",
        headers=bearer(user),
    )

    assert response.status_code == 422
    assert [e["field"] for e in _errors(response)] == ["reason"]


def test_bureau_revenue_extra_decimals_are_refused_by_api_and_import(client: Client, tmp_path):
    from dualcirc.bureau.domain.figures_import import FiguresImportRejected, import_figures

    enterprise = make_enterprise()
    user = make_enterprise_user(enterprise=enterprise, role=Role.ADMIN)
    path = tmp_path / "f.csv"
    path.write_text("month,revenue\n2025-03,1.123456789\n", encoding="utf-8")

    response = client.put(
        f"/api/bureau/figures/{enterprise.pk}/2025-03",
        {"revenue": "1.123456789"},
        content_type="application/json",
        headers=bearer(user),
    )
    with pytest.raises(FiguresImportRejected) as caught:
        import_figures(actor=user, file=path)

    assert response.status_code == 422
    assert [e["field"] for e in _errors(response)] == ["revenue"]
    assert [(e.row, e.field) for e in caught.value.errors] == [(2, "revenue")]


@pytest.mark.parametrize("where", ["deals", "bureau"])
def test_unknown_body_fields_are_refused_like_the_catalog(client: Client, where: str):
    world = make_deal_world()
    if where == "deals":
        request = make_request(world)
        url, body = (
            f"/api/deals/requests/{request.pk}/quotes",
            quote_data(unit_prize="1"),
        )
        user = world.supplier_user
    else:
        user = make_enterprise_user(enterprise=world.supplier, role=Role.ADMIN)
        url, body = f"/api/bureau/figures/{world.supplier.pk}/2025-03", {"revenu": "10"}

    method = client.post if where == "deals" else client.put
    response = method(url, body, content_type="application/json", headers=bearer(user))

    assert response.status_code == 422
    assert [e["field"] for e in _errors(response)] in (["unit_prize"], ["revenu"])


# The same limits at every door --------------------------------------------------------------


def test_currency_xxx_is_refused_for_products_as_for_quotes(client: Client):
    enterprise = make_enterprise()
    user = make_enterprise_user(enterprise=enterprise, role=Role.ADMIN)
    payload = _product_payload(enterprise.pk, price_min="10", price_max="12", currency="XXX")

    product = client.post(
        "/api/products", payload, content_type="application/json", headers=bearer(user)
    )
    world = make_deal_world()
    quote = client.post(
        f"/api/deals/requests/{make_request(world).pk}/quotes",
        quote_data(currency="XXX"),
        content_type="application/json",
        headers=bearer(world.supplier_user),
    )

    assert (product.status_code, quote.status_code) == (422, 422)
    assert [e["field"] for e in _errors(product)] == ["currency"]
    assert [e["field"] for e in _errors(quote)] == ["currency"]


def test_unknown_invitation_ids_are_refused_not_dropped(client: Client):
    world = make_deal_world()
    data = request_data()
    data["invite"] = [world.supplier.pk, 987654]

    response = client.post(
        "/api/deals/requests",
        data,
        content_type="application/json",
        headers={**bearer(world.buyer), "Accept-Language": "en"},
    )

    assert response.status_code == 422
    assert _errors(response) == [{"field": "invite", "message": "There is no enterprise 987654."}]


def test_overlong_enterprise_description_is_refused_by_the_domain():
    from dualcirc.catalog.domain import update_enterprise
    from dualcirc.core.errors import InvalidInput

    enterprise = make_enterprise()
    user = make_enterprise_user(enterprise=enterprise, role=Role.ADMIN)

    with pytest.raises(InvalidInput) as caught:
        update_enterprise(actor=user, enterprise=enterprise, data={"description": "d" * 20001})

    assert [e.field for e in caught.value.errors] == ["description"]


def test_overflowing_quantity_on_the_request_page_is_a_field_error_not_500():
    from datetime import timedelta

    from django.utils import timezone

    from dualcirc.deals.models import SourcingRequest

    world = make_deal_world()
    client = Client()
    client.force_login(world.buyer)
    deadline = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        "/en/deals/requests/new/",
        {"title": "Tables", "need": "oak tables", "currency": "USD", "quantity": "1e30",
         "destination_country": "DE", "deadline": deadline, "max_quotes": "5",
         "visibility": "invited"},
    )  # fmt: skip

    assert response.status_code in (200, 422)
    assert "At most 11 digits before the decimal point." in response.content.decode()
    assert SourcingRequest.objects.count() == 0


def test_overflowing_payment_is_refused_by_the_domain_for_every_door():
    from decimal import Decimal

    from dualcirc.core.errors import InvalidInput
    from dualcirc.deals.domain import record_payment

    world = make_deal_world()
    order = make_order(world)

    with pytest.raises(InvalidInput) as caught:
        record_payment(
            actor=world.buyer, order=order, kind="deposit", amount=Decimal("1e30"),
            currency=order.currency, paid_on=order.created_at.date(),
        )  # fmt: skip

    assert [e.field for e in caught.value.errors] == ["amount"]


def test_overflowing_employees_in_a_figures_import_is_a_row_error(tmp_path):
    from dualcirc.bureau.domain.figures_import import FiguresImportRejected, import_figures

    enterprise = make_enterprise()
    user = make_enterprise_user(enterprise=enterprise, role=Role.ADMIN)
    path = tmp_path / "f.csv"
    path.write_text(f"month,employees\n2025-03,{10**12}\n", encoding="utf-8")

    with pytest.raises(FiguresImportRejected) as caught:
        import_figures(actor=user, file=path)

    assert [(e.row, e.field) for e in caught.value.errors] == [(2, "employees")]
