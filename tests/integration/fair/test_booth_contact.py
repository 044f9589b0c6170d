"""A booth's one-click "Contact supplier": a signed-in buyer opens the conversation with the
exhibiting enterprise, as from a product page; nobody else is offered it."""

from __future__ import annotations

import pytest
from django.test import Client

from dualcirc.deals.models import Conversation
from tests.factories.fair import FairWorld

pytestmark = pytest.mark.django_db

BUTTON = 'id="contact-supplier"'


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_booth_contact_supplier_opens_the_conversation_with_the_exhibitor() -> None:
    world = FairWorld()
    berlin, oak = world.visitors[0], world.exhibitors[0]
    buyer = signed_in(berlin.contact)

    page = buyer.get(f"/en/fair/booths/{oak.booth.pk}/").content.decode()
    response = buyer.post(f"/en/deals/contact/{oak.booth.enterprise_id}/")

    conversation = Conversation.objects.get()
    assert BUTTON in page
    assert f'action="/en/deals/contact/{oak.booth.enterprise_id}/"' in page
    assert (conversation.buyer_id, conversation.supplier_id) == (
        berlin.organisation_id,
        oak.booth.enterprise_id,
    )
    assert response["Location"] == f"/en/deals/conversations/{conversation.pk}/"


@pytest.mark.parametrize("lang", ["zh-hans", "en", "vi"])
def test_booth_contact_supplier_is_not_offered_to_the_exhibitor_or_anonymous_visitors(
    lang: str,
) -> None:
    world = FairWorld()
    oak = world.exhibitors[0]
    url = f"/{lang}/fair/booths/{oak.booth.pk}/"

    own = signed_in(oak.contact).get(url)
    anonymous = Client().get(url)

    assert (own.status_code, anonymous.status_code) == (200, 200)
    assert BUTTON not in own.content.decode()
    assert BUTTON not in anonymous.content.decode()
