"""A retail price with more decimals than the yuan has is a 422 naming the field, not rounded."""

from __future__ import annotations

import pytest

from dualcirc.channels.models import DomesticListing
from tests.factories import make_enterprise, make_product
from tests.factories.api import bearer, make_enterprise_user

pytestmark = pytest.mark.django_db


def test_api_refuses_a_retail_price_with_three_decimals_and_saves_nothing(client):
    enterprise = make_enterprise()
    member = make_enterprise_user(enterprise=enterprise)
    product = make_product(enterprise=enterprise, sku="T-1", title_zh="实木餐桌", hs_code="940360")

    answer = client.patch(
        f"/api/products/{product.pk}/domestic-listing",
        data={"retail_price": "2599.995", "brand": "琴岛"},
        content_type="application/json",
        headers=bearer(member),
    )

    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["retail_price"]
    assert not DomesticListing.objects.filter(product=product, brand="琴岛").exists()
