"""A NUL character typed into a page's form is shown beside its field, with the form kept, not
answered by a bare 422 page (ops.middleware.HostileTextMiddleware lets page form posts reach
their form, every project form being a core.forms.SanitizedFormMixin); the API and query
parameters are still refused before any view sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dualcirc.catalog.models import Product
from dualcirc.core.forms import SanitizedForm
from dualcirc.deals.models import SourcingRequest
from tests.factories import make_enterprise
from tests.factories.api import make_enterprise_user
from tests.factories.deals import make_deal_world
from tests.integration.catalog.test_edit_pages import product_data

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "The text contains a NUL character, which is not allowed."


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("field", "bad"),
    [("description_en", "oak\x00table"), ("sku", "T\x001"), ("attributes", "material=oak\x00")],
)
def test_nul_in_the_product_form_is_an_error_beside_the_field(field: str, bad: str):
    enterprise = make_enterprise()
    member = make_enterprise_user(enterprise=enterprise)
    data = product_data(**{field: bad})

    response = client_for(member).post(reverse("product-create", args=[enterprise.pk]), data)

    assert response.status_code in (200, 422)
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert NUL_MESSAGE in html.split(f'id="id_{field}_error"')[1][:300]
    assert 'value="Walnut dining chair"' in html  # the rest of what was typed is kept
    assert Product.objects.count() == 0


def test_nul_in_the_sourcing_request_form_is_an_error_beside_the_field():
    world = make_deal_world()
    deadline = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")

    response = client_for(world.buyer).post(
        "/en/deals/requests/new/",
        {
            "title": "Tables",
            "need": "oak\x00tables",
            "currency": "USD",
            "destination_country": "DE",
            "deadline": deadline,
            "max_quotes": "5",
            "visibility": "invited",
            "invite": [world.supplier.pk],
        },
    )

    assert response.status_code in (200, 422)
    html = response.content.decode()
    assert 'id="id_need_error"' in html
    assert NUL_MESSAGE in html.split('id="id_need_error"')[1][:300]
    assert 'value="Tables"' in html
    assert SourcingRequest.objects.count() == 0


def test_nul_in_a_page_post_with_a_bad_query_is_still_refused_outright():
    world = make_deal_world()

    response = client_for(world.buyer).post("/en/deals/requests/new/?x=a%00b", {"title": "a\x00b"})

    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")  # the site's error page


def test_a_lone_surrogate_bound_to_a_project_form_is_an_error_beside_its_field():
    class Note(SanitizedForm):
        title = forms.CharField()
        tags = forms.JSONField(required=False)

    form = Note({"title": "oak\ud800", "tags": '["ok"]'})

    assert not form.is_valid()
    assert form.errors == {"title": ["The text contains an invalid character (a lone surrogate)."]}
    assert form["title"].value() == "oak\ufffd"  # shown again with the character marked
