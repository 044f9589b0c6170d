"""The fair's pages as forms: errors land on the field they name (status 422, input kept), the
booth's product picker offers only the exhibitor's own products, and the booth as a buyer sees
it is a showroom with product cards, contact and meeting actions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dualcirc.core.enums import OrganisationKind
from dualcirc.fair import domain
from dualcirc.fair.models import Fair, Hall
from tests.factories import make_enterprise, make_organisation, make_product, make_user
from tests.factories.fair import FairWorld

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _field(html: str, field_id: str) -> str:
    """The markup of the form field whose input has ``id=field_id``."""
    start = html[: html.index(f'id="{field_id}"')].rindex('<div class="field')
    ends = [
        i for i in (html.find('<div class="field', start + 1), html.find("</form>", start)) if i > 0
    ]
    return html[start : min(ends)]


def test_create_fair_shows_errors_on_their_fields_and_keeps_the_input() -> None:
    world = FairWorld()
    client = _client(world.organiser)

    bad = client.post(
        "/en/fair/new/",
        {
            "organiser": world.fair.organiser_id,
            "name_zh": "",
            "name_en": "Autumn fair",
            "starts_on": "2025-11-05",
            "ends_on": "2025-11-03",
            "time_zone": "Mars/Olympus",
        },
    )
    html = bad.content.decode()

    assert bad.status_code == 422
    assert "This field is required." in _field(html, "id_name_zh")
    assert "Unknown time zone" not in _field(html, "id_name_zh")
    assert 'value="Autumn fair"' in _field(html, "id_name_en")
    assert Fair.objects.count() == 1


def test_create_fair_names_domain_errors_and_creates_a_draft() -> None:
    world = FairWorld()
    client = _client(world.organiser)
    data = {
        "organiser": world.fair.organiser_id,
        "name_zh": "秋季线上展",
        "starts_on": "2025-11-05",
        "ends_on": "2025-11-03",
        "time_zone": "Asia/Shanghai",
    }

    backwards = client.post("/en/fair/new/", data)
    made = client.post("/en/fair/new/", data | {"ends_on": "2025-11-06"})

    assert backwards.status_code == 422
    assert "The last day cannot come before the first." in _field(
        backwards.content.decode(), "id_ends_on"
    )
    fair = Fair.objects.get(name_zh="秋季线上展")
    assert made["Location"] == f"/en/fair/{fair.pk}/manage/"
    assert fair.is_published is False


def test_a_buyer_is_told_who_organises_fairs_instead_of_a_form() -> None:
    buyer = make_user(organisation=make_organisation(kind=OrganisationKind.BUYER))

    html = _client(buyer).get("/en/fair/new/").content.decode()

    assert "Only members of a bureau, a park or the platform operator organise fairs." in html
    assert 'name="name_zh"' not in html


def test_manage_form_errors_stay_on_their_form_and_a_good_hall_is_added() -> None:
    world = FairWorld()
    client = _client(world.organiser)
    url = f"/en/fair/{world.fair.pk}/manage/"

    bad_session = client.post(
        url,
        {
            "action": "add_session",
            "kind": "roadshow",
            "title_zh": "路演",
            "starts_at": "tomorrow",
            "ends_at": "2025-10-24 11:00",
        },
    )
    hall = client.post(url, {"action": "add_hall", "name_zh": "纺织馆", "industry": "textiles"})

    html = bad_session.content.decode()
    assert bad_session.status_code == 422
    assert "Write YYYY-MM-DD HH:MM." in _field(html, "session_starts_at")
    assert "has-error" not in _field(html, "hall_name_zh")  # the other forms stay clean
    assert hall.status_code == 302 and hall["Location"].endswith("#add_hall")
    assert list(Hall.objects.filter(fair=world.fair).values_list("name_zh", flat=True)) == [
        "家具馆",
        "纺织馆",
    ]


def test_booth_picker_offers_only_the_exhibitors_products_and_refuses_others() -> None:
    world = FairWorld()
    oak = world.exhibitors[0]
    mine = make_product(enterprise=oak.booth.enterprise, title_en="Oak chair", sku="OAK-1")
    theirs = make_product(enterprise=make_enterprise(), title_en="Leather sofa", sku="SOFA-1")
    client = _client(oak.contact)
    url = f"/en/fair/booths/{oak.booth.pk}/edit/"

    page = client.get(url).content.decode()
    refused = client.post(url, {"headline": "Oak", "products": [mine.pk, theirs.pk]})
    saved = client.post(url, {"headline": "Oak", "products": [mine.pk]})

    picker = page[
        page.index('id="product-picker"') : page.index("</ul>", page.index("product-picker"))
    ]
    assert "Oak chair" in picker and "Leather sofa" not in picker
    assert 'type="search"' in page and "data-picker" in page
    assert refused.status_code == 422
    assert "has-error" in _field(refused.content.decode(), "product-filter")
    assert saved.status_code == 302
    assert list(oak.booth.products.all()) == [mine]


def test_booth_showroom_shows_cards_live_stream_contact_and_meeting_actions() -> None:
    world = FairWorld()
    oak, berlin = world.exhibitors[0], world.visitors[0]
    table = make_product(enterprise=oak.booth.enterprise, title_en="Solid oak table", sku="T-1")
    now = timezone.now()
    domain.update_booth(
        actor=oak.contact,
        booth=oak.booth,
        headline="Oak since 1998",
        products=[table],
        live_stream_url="https://live.example.com/oak",
        live_starts_at=now - timedelta(minutes=5),
        live_ends_at=now + timedelta(minutes=55),
        documents=[{"title": "Catalogue", "url": "https://example.com/c.pdf"}],
    )
    outsider = make_user(organisation=make_organisation(kind=OrganisationKind.BUYER))
    url = f"/en/fair/booths/{oak.booth.pk}/"

    visitor = _client(berlin.contact).get(url).content.decode()
    stranger = _client(outsider).get(url).content.decode()
    owner = _client(oak.contact).get(url).content.decode()

    assert 'class="showroom-hero"' in visitor and "Oak since 1998" in visitor
    assert visitor.count('class="card product-card"') == 1 and "Solid oak table" in visitor
    assert "Live now" in visitor and 'href="https://live.example.com/oak"' in visitor
    assert 'href="https://example.com/c.pdf"' in visitor
    assert f'href="/en/fair/{world.fair.pk}/meetings/?as={berlin.pk}#wishes"' in visitor
    assert 'action="/en/fair/booths/' in visitor  # the contact form
    assert f'href="/en/deals/requests/new/?invite={oak.booth.enterprise_id}"' in visitor
    assert f'href="/en/fair/{world.fair.pk}/#register"' in stranger
    assert "Request a meeting" not in stranger
    assert "Edit booth, answer leads" in owner and 'name="message"' not in owner
