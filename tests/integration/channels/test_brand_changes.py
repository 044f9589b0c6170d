"""Editing, renewing and revoking a brand, and revoking or extending a distributor's letter:
on pages and through the API, each change in the brand's audit trail, readiness following, and
another enterprise's brand or letter answering 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from dualcirc.channels.domain_brands import (
    extend_authorisation,
    revoke_authorisation,
    usable_brands,
)
from dualcirc.channels.models import BrandAuthorisation, BrandEvent
from dualcirc.channels.queries import assess_product, get_product_for_channels
from dualcirc.core.errors import InvalidInput
from tests.factories import make_enterprise, make_product, make_region_tree
from tests.factories.api import bearer, make_enterprise_user, make_government_user
from tests.factories.brands import letter as letter_file
from tests.factories.brands import (
    make_authorisation,
    make_brand,
    make_listed_table,
    put_under_brand,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def world():
    regions = make_region_tree()
    owner = make_enterprise(region=regions["laixi"], name_zh="青岛莱木家具有限公司")
    distributor = make_enterprise(region=regions["lanxi"], name_zh="兰溪家居商贸有限公司")
    stranger = make_enterprise(region=regions["lanxi"], name_zh="兰溪某厂")
    owner_member = make_enterprise_user(enterprise=owner)
    distributor_member = make_enterprise_user(enterprise=distributor)
    brand = make_brand(actor=owner_member, enterprise=owner)
    table = make_listed_table(actor=distributor_member, enterprise=distributor)
    letter = make_authorisation(
        actor=owner_member, brand=brand, distributor=distributor, channels=("jd", "tmall")
    )
    put_under_brand(actor=distributor_member, products=[table], brand=brand)
    return {
        "regions": regions,
        "owner": owner,
        "owner_member": owner_member,
        "distributor": distributor,
        "distributor_member": distributor_member,
        "stranger_member": make_enterprise_user(enterprise=stranger),
        "brand": brand,
        "table": table,
        "letter": letter,
    }


def ready(world) -> dict[str, bool]:
    member = world["distributor_member"]
    result = assess_product(get_product_for_channels(user=member, pk=world["table"].pk))
    return {k: r.ready for k, r in result.items() if k in ("jd", "tmall", "pdd")}


def test_revoking_a_letter_takes_the_brand_from_the_distributors_products_and_is_logged(world):
    assert ready(world) == {"jd": True, "tmall": True, "pdd": True}

    revoke_authorisation(
        actor=world["owner_member"], authorisation=world["letter"], reason="合同终止"
    )

    letter = BrandAuthorisation.objects.get(pk=world["letter"].pk)
    assert letter.revoked_on == TODAY()
    assert letter.valid_until == world["letter"].valid_until  # the letter stays as signed
    assert ready(world) == {"jd": False, "tmall": False, "pdd": True}
    member = world["distributor_member"]
    jd = assess_product(get_product_for_channels(user=member, pk=world["table"].pk))["jd"]
    assert [c.message for c in jd.missing] == [
        f"The authorisation to sell 莱木 here was revoked on {TODAY().isoformat()}."
    ]
    assert usable_brands(world["distributor"]) == []
    event = BrandEvent.objects.get()
    assert (event.action, event.authorisation_id, event.changed_by) == (
        "letter_revoked",
        letter.pk,
        world["owner_member"],
    )
    assert event.note == "兰溪家居商贸有限公司: 合同终止"
    yesterday = TODAY() - dt.timedelta(days=1)
    assert event.to_label.endswith(f"–{yesterday.isoformat()}")


def test_a_letter_is_revoked_once_with_a_reason_and_not_extended_after(world):
    actor, letter = world["owner_member"], world["letter"]
    with pytest.raises(InvalidInput) as no_reason:
        revoke_authorisation(actor=actor, authorisation=letter, reason="  ")
    revoke_authorisation(actor=actor, authorisation=letter, reason="合同终止")
    with pytest.raises(InvalidInput) as twice:
        revoke_authorisation(actor=actor, authorisation=letter, reason="again")
    with pytest.raises(InvalidInput) as extend:
        extend_authorisation(
            actor=actor, authorisation=letter, valid_until=TODAY() + dt.timedelta(days=900)
        )

    assert [e.field for e in no_reason.value.errors] == ["reason"]
    assert [e.message for e in twice.value.errors] == [
        f"This authorisation was already revoked on {TODAY().isoformat()}."
    ]
    assert [e.message for e in extend.value.errors] == [
        "A revoked authorisation cannot be extended."
    ]
    assert BrandEvent.objects.count() == 1


def test_extending_an_expired_letter_makes_the_product_ready_again_within_the_trademark(world):
    actor, letter = world["owner_member"], world["letter"]
    BrandAuthorisation.objects.filter(pk=letter.pk).update(
        valid_until=TODAY() - dt.timedelta(days=1)
    )
    letter.refresh_from_db()
    assert ready(world)["jd"] is False

    with pytest.raises(InvalidInput) as earlier:
        extend_authorisation(
            actor=actor, authorisation=letter, valid_until=TODAY() - dt.timedelta(days=2)
        )
    with pytest.raises(InvalidInput) as too_long:
        extend_authorisation(
            actor=actor,
            authorisation=letter,
            valid_until=world["brand"].expires_on + dt.timedelta(days=1),
        )
    new_day = TODAY() + dt.timedelta(days=200)
    extend_authorisation(actor=actor, authorisation=letter, valid_until=new_day, note="补充协议")

    assert [e.field for e in earlier.value.errors] == ["valid_until"]
    assert too_long.value.errors[0].message.startswith("The trademark is valid until")
    assert BrandAuthorisation.objects.get(pk=letter.pk).valid_until == new_day
    assert ready(world)["jd"] is True
    event = BrandEvent.objects.get()
    assert event.action == "letter_extended"
    assert event.to_label.endswith(new_day.isoformat())


def test_another_enterprise_cannot_revoke_or_extend(world):
    from dualcirc.core.access import AccessDenied

    for user in (world["stranger_member"], world["distributor_member"]):
        with pytest.raises(AccessDenied):
            revoke_authorisation(actor=user, authorisation=world["letter"], reason="x")
    assert BrandAuthorisation.objects.get(pk=world["letter"].pk).revoked_on is None


def test_brand_edit_page_renews_and_revokes_with_an_audit_trail(client, world):
    brand, member = world["brand"], world["owner_member"]
    url = reverse("channels-brand-edit", args=[brand.pk])
    client.force_login(member)
    form = client.get(url)
    data = {
        "name": "莱木",
        "trademark_number": "51234567",
        "nice_classes": "20",
        "owner": "青岛莱木家具有限公司",
        "status": "registered",
        "registered_on": brand.registered_on.isoformat(),
        "expires_on": (brand.expires_on + dt.timedelta(days=3650)).isoformat(),
    }
    renewed = client.post(url, data)
    bad = client.post(url, {**data, "nice_classes": "99"})
    revoked = client.post(url, {**data, "status": "revoked"})
    page = client.get(reverse("channels-brands", args=[world["owner"].pk])).content.decode()

    in_chinese = client.get("/zh-hans/" + url.split("/", 2)[2])
    assert form.status_code == 200
    assert 'value="51234567"' in form.content.decode()
    # the date inputs carry ISO dates in every language (a browser shows nothing otherwise)
    assert f'value="{brand.registered_on.isoformat()}"' in in_chinese.content.decode()
    assert (renewed.status_code, revoked.status_code) == (302, 302)
    assert bad.status_code == 422
    assert "99 is not a Nice class (1–45)." in bad.content.decode()
    assert [e.action for e in BrandEvent.objects.order_by("id")] == ["renewed", "revoked"]
    assert ready(world) == {"jd": False, "tmall": False, "pdd": True}
    assert 'id="brand-events"' in page and "Brand revoked" in page


def test_brand_edit_and_letter_pages_answer_404_to_another_enterprise(client, world):
    brand, letter = world["brand"], world["letter"]
    urls = {
        "edit": reverse("channels-brand-edit", args=[brand.pk]),
        "letter": reverse("channels-authorisation", args=[letter.pk]),
        "revoke": reverse("channels-authorisation-revoke", args=[letter.pk]),
        "extend": reverse("channels-authorisation-extend", args=[letter.pk]),
    }
    people = {
        "owner": world["owner_member"],
        "distributor": world["distributor_member"],
        "stranger": world["stranger_member"],
        "government_here": make_government_user(region=world["regions"]["qingdao"]),
    }
    got = {}
    for who, user in people.items():
        client.force_login(user)
        got[who] = {
            "edit": client.get(urls["edit"]).status_code,
            "letter": client.get(urls["letter"]).status_code,
            "revoke": client.post(urls["revoke"], {"reason": "x"}).status_code,
        }
    assert got == {
        "owner": {"edit": 200, "letter": 200, "revoke": 302},
        "distributor": {"edit": 404, "letter": 200, "revoke": 403},
        "stranger": {"edit": 404, "letter": 404, "revoke": 404},
        "government_here": {"edit": 403, "letter": 200, "revoke": 403},
    }
    assert BrandEvent.objects.filter(action="letter_revoked").count() == 1


def test_letter_page_extends_and_shows_errors_on_the_field(client, world):
    letter = world["letter"]
    client.force_login(world["owner_member"])
    page = client.get(reverse("channels-authorisation", args=[letter.pk])).content.decode()
    bad = client.post(
        reverse("channels-authorisation-extend", args=[letter.pk]),
        {"valid_until": (letter.valid_until - dt.timedelta(days=1)).isoformat()},
    )
    new_day = letter.valid_until + dt.timedelta(days=100)
    good = client.post(
        reverse("channels-authorisation-extend", args=[letter.pk]),
        {"valid_until": new_day.isoformat(), "note": "续签"},
    )
    after = client.get(reverse("channels-authorisation", args=[letter.pk])).content.decode()

    assert 'id="letter-extend"' in page and 'id="letter-revoke"' in page
    assert bad.status_code == 422
    assert "Must be after the current last day" in bad.content.decode()
    assert good.status_code == 302
    assert BrandAuthorisation.objects.get(pk=letter.pk).valid_until == new_day
    assert "Authorisation extended" in after and "续签" in after


def test_api_revokes_and_extends_letters_with_404_for_others_and_422_naming_the_field(
    client, world
):
    letter, owner = world["letter"], world["owner_member"]
    base = f"/api/authorisations/{letter.pk}"
    new_day = (letter.valid_until + dt.timedelta(days=30)).isoformat()

    hidden = client.get(base, headers=bearer(world["stranger_member"]))
    hidden_write = client.post(
        f"{base}/revoke", {"reason": "x"}, content_type="application/json",
        headers=bearer(world["stranger_member"]),
    )  # fmt: skip
    distributor_write = client.post(
        f"{base}/revoke", {"reason": "x"}, content_type="application/json",
        headers=bearer(world["distributor_member"]),
    )  # fmt: skip
    bad = client.post(
        f"{base}/extend", {"valid_until": "2000-01-01"}, content_type="application/json",
        headers=bearer(owner),
    )  # fmt: skip
    extended = client.post(
        f"{base}/extend", {"valid_until": new_day, "note": "续签"},
        content_type="application/json", headers=bearer(owner),
    )  # fmt: skip
    revoked = client.post(
        f"{base}/revoke", {"reason": "合同终止"}, content_type="application/json",
        headers=bearer(owner),
    )  # fmt: skip
    seen = client.get(base, headers=bearer(world["distributor_member"]))
    events = client.get(f"/api/brands/{world['brand'].pk}/events", headers=bearer(owner))
    hidden_events = client.get(
        f"/api/brands/{world['brand'].pk}/events", headers=bearer(world["stranger_member"])
    )

    assert (hidden.status_code, hidden_write.status_code) == (404, 404)
    assert distributor_write.status_code == 403
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["valid_until"]
    assert extended.json()["valid_until"] == new_day
    assert revoked.json()["revoked_on"] == TODAY().isoformat()
    assert seen.json()["revoked_reason"] == "合同终止"
    assert [e["action"] for e in events.json()] == ["letter_revoked", "letter_extended"]
    assert hidden_events.status_code == 404
    assert ready(world)["jd"] is False


def test_api_put_of_a_brand_is_audited(client, world):
    brand = world["brand"]
    body = {
        "name": "莱木家居",
        "trademark_number": "51234567",
        "nice_classes": [20],
        "owner": "青岛莱木家具有限公司",
        "status": "registered",
        "registered_on": brand.registered_on.isoformat(),
        "expires_on": brand.expires_on.isoformat(),
    }
    client.put(
        f"/api/brands/{brand.pk}", body, content_type="application/json",
        headers=bearer(world["owner_member"]),
    )  # fmt: skip
    client.put(
        f"/api/brands/{brand.pk}", body, content_type="application/json",
        headers=bearer(world["owner_member"]),
    )  # fmt: skip

    event = BrandEvent.objects.get()  # the unchanged second PUT logs nothing
    assert event.action == "edited"
    assert event.from_label.startswith("莱木 ® · 51234567 · 20 · ")
    assert event.to_label.startswith("莱木家居 ® · ")


def _messages(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request)]


def test_each_brand_and_letter_form_says_what_it_did_and_returns_to_its_page(client, world):
    owner, brand, letter = world["owner"], world["brand"], world["letter"]
    bed = make_product(enterprise=owner, sku="B-1")
    brand_data = {
        "name": "莱木",
        "trademark_number": "51234567",
        "nice_classes": "20",
        "owner": "青岛莱木家具有限公司",
        "status": "registered",
        "registered_on": brand.registered_on.isoformat(),
        "expires_on": brand.expires_on.isoformat(),
    }
    posts = {
        "brand_add": (
            reverse("channels-brand-add", args=[owner.pk]),
            {**brand_data, "name": "莱木家居"},
        ),
        "brand_edit": (reverse("channels-brand-edit", args=[brand.pk]), brand_data),
        "letter_add": (
            reverse("channels-authorisation-add", args=[brand.pk]),
            {
                "distributor_name": "青岛某商贸",
                "channels": ["pdd"],
                "valid_from": TODAY().isoformat(),
                "valid_until": (TODAY() + dt.timedelta(days=30)).isoformat(),
                "document": letter_file(),
            },
        ),
        "branding": (
            reverse("channels-branding", args=[owner.pk]),
            {"products": [bed.pk], "brand": brand.pk},
        ),
        "extend": (
            reverse("channels-authorisation-extend", args=[letter.pk]),
            {"valid_until": (letter.valid_until + dt.timedelta(days=10)).isoformat()},
        ),
        "revoke": (
            reverse("channels-authorisation-revoke", args=[letter.pk]),
            {"reason": "合同终止"},
        ),
    }
    client.force_login(world["owner_member"])

    answers = {}
    for name, (url, data) in posts.items():
        response = client.post(url, data)
        answers[name] = (response.status_code, response["Location"], _messages(response))
        client.get(response["Location"])  # shows the message, so the next post starts with none

    brands_url = reverse("channels-brands", args=[owner.pk])
    letter_url = reverse("channels-authorisation", args=[letter.pk])
    assert answers == {
        "brand_add": (302, brands_url, ["Brand 莱木家居 saved."]),
        "brand_edit": (302, brands_url, ["Brand 莱木 saved."]),
        "letter_add": (302, brands_url, ["Authorisation letter recorded."]),
        "branding": (302, brands_url, ["1 product changed."]),
        "extend": (302, letter_url, ["Authorisation extended."]),
        "revoke": (302, letter_url, ["Authorisation revoked."]),
    }


def test_letter_forms_show_refusals_on_their_field_and_change_nothing(client, world):
    brand, letter = world["brand"], world["letter"]
    client.force_login(world["owner_member"])

    unknown_code = client.post(
        reverse("channels-authorisation-add", args=[brand.pk]),
        {
            "distributor_name": "某商贸",
            "distributor_credit_code": "91370200MA3C00000X",
            "channels": ["pdd"],
            "valid_from": TODAY().isoformat(),
            "valid_until": (TODAY() + dt.timedelta(days=30)).isoformat(),
            "document": letter_file(),
        },
    )
    revoke_authorisation(actor=world["owner_member"], authorisation=letter, reason="合同终止")
    twice = client.post(reverse("channels-authorisation-revoke", args=[letter.pk]), {"reason": "x"})

    assert (unknown_code.status_code, twice.status_code) == (422, 422)
    assert unknown_code.context["letter_forms"][0][1].errors == {
        "distributor_credit_code": ["No enterprise on the platform has this code."]
    }
    assert twice.context["revoke_form"].errors == {
        "reason": [f"This authorisation was already revoked on {TODAY().isoformat()}."]
    }
    assert _messages(unknown_code) == _messages(twice) == []
    assert brand.authorisations.count() == 1
    assert BrandAuthorisation.objects.get(pk=letter.pk).revoked_reason == "合同终止"
