"""What the sourcing request form starts with when a buyer arrives from elsewhere: a product
page ("Request a quotation"), a search that matched nothing well, a conversation.

Only reads: nothing is validated here (``deals.domain.publish_request`` does that when the
form is sent), a value that cannot be used is just not filled in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from dualcirc.catalog.models import Product
from dualcirc.core.access import buyer_organisation_ids, can_view_product
from dualcirc.core.models import Organisation
from dualcirc.deals.enums import Visibility

DEADLINE_DAYS = 14
# Parameters copied as they are (the form shows them; the domain checks them).
TEXT_PARAMS = ("title", "need", "unit", "currency", "destination_country", "certifications")
NUMBER_PARAMS = ("quantity", "target_price")


def plain_quantity(value: Decimal | None) -> Decimal | None:
    """``50.000`` → ``50``, ``2.500`` → ``2.5`` (as a form shows it), never ``5E+1``."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _number(value: str) -> Decimal | None:
    try:
        number = Decimal(value.replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number > 0 else None


def product_for_request(user: Any, raw_id: str | None) -> Product | None:
    """The product a request is about, when the id names one ``user`` may see."""
    if not raw_id or not str(raw_id).isdigit():
        return None
    product = Product.objects.select_related("enterprise").filter(pk=int(raw_id)).first()
    return product if product is not None and can_view_product(user, product) else None


def buyer_country(user: Any) -> str:
    """The country of the user's (first) buyer organisation, "" when not a buyer."""
    organisation = (
        Organisation.objects.filter(pk__in=buyer_organisation_ids(user)).order_by("pk").first()
    )
    return organisation.country if organisation is not None else ""


def request_form_initial(*, user: Any, params: Mapping[str, str]) -> dict[str, Any]:
    """Initial values of the request form from the query parameters.

    ``product=<id>`` fills title, need, HS code, unit, currency and MOQ as the quantity from
    the product and invites its supplier (visible to invited suppliers only); ``title``,
    ``need``, ``quantity``, ``unit``, ``target_price``, ``currency``, ``destination_country``
    and ``certifications`` override. The destination defaults to the buyer's country and the
    deadline to two weeks from now.
    """
    # As the datetime-local input writes it, so that the browser shows it filled in.
    deadline = timezone.localtime() + timedelta(days=DEADLINE_DAYS)
    initial: dict[str, Any] = {"deadline": deadline.strftime("%Y-%m-%dT%H:%M")}
    country = buyer_country(user)
    if country:
        initial["destination_country"] = country
    product = product_for_request(user, params.get("product"))
    if product is not None:
        title = product.title_en or product.title
        initial.update(
            {
                "title": title[:200],
                "need": "\n".join(
                    t for t in (product.title_zh, product.title_en, product.title_vi) if t
                ),
                "hs_code": product.hs_code if len(product.hs_code) == 6 else "",
                "unit": product.unit,
                "quantity": plain_quantity(product.moq),
                "invite": [product.enterprise_id],
                "visibility": Visibility.INVITED,
            }
        )
        if product.currency:
            initial["currency"] = product.currency
    invite = params.get("invite") or ""
    if product is None and invite.isdigit():
        initial["invite"] = [int(invite)]
        initial["visibility"] = Visibility.INVITED
    for name in TEXT_PARAMS:
        value = (params.get(name) or "").strip()
        if value:
            initial[name] = value.upper() if name in ("currency", "destination_country") else value
    for name in NUMBER_PARAMS:
        number = _number(params.get(name) or "")
        if number is not None:
            initial[name] = number
    return initial
