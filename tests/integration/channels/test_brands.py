"""Own brands on a real database: the trademark and letter rules, the audited move from OEM
to a brand, readiness judged on the brand records, and who may see what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dualcirc.channels.domain_brands import record_authorisation, set_product_branding
from dualcirc.channels.models import BrandingChange, DomesticListing, ProductBranding
from dualcirc.channels.queries import assess_product, get_product_for_channels
from dualcirc.channels.queries_brands import get_brand
from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import InvalidInput
from tests.factories import make_enterprise, make_product, make_region_tree
from tests.factories.api import bearer, make_enterprise_user, make_government_user, make_operator
from tests.factories.brands import (
    letter,
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
    return {
        "regions": regions,
        "owner": owner,
        "owner_member": make_enterprise_user(enterprise=owner),
        "distributor": distributor,
        "distributor_member": make_enterprise_user(enterprise=distributor),
    }


def errors_of(exc: pytest.ExceptionInfo[InvalidInput]) -> dict[str | None, str]:
    return {e.field: e.message for e in exc.value.errors}


def test_brand_refuses_a_bad_cnipa_number_nice_class_and_dates(world):
    with pytest.raises(InvalidInput) as exc:
        make_brand(
            actor=world["owner_member"],
            enterprise=world["owner"],
            trademark_number="TM-12",
            nice_classes="20, 46",
            registered_on=dt.date(2021, 3, 14),
            expires_on=dt.date(2021, 3, 14),
        )

    assert errors_of(exc) == {
        "trademark_number": "TM-12 is not in the expected format (e.g. 51234567)",
        "nice_classes": "46 is not a Nice class (1–45).",
        "expires_on": "Must be after the registration date.",
    }


def test_registered_trademark_needs_its_dates_and_a_name_is_unique_per_enterprise(world):
    actor, enterprise = world["owner_member"], world["owner"]
    make_brand(actor=actor, enterprise=enterprise)

    with pytest.raises(InvalidInput) as undated:
        make_brand(actor=actor, enterprise=enterprise, name="新牌", registered_on=None)
    with pytest.raises(InvalidInput) as twice:
        make_brand(actor=actor, enterprise=enterprise)

    assert errors_of(undated) == {"registered_on": "A registered trademark has this date."}
    assert errors_of(twice) == {"name": "The enterprise already has this brand."}


def test_applied_for_brand_needs_no_dates_and_classes_are_sorted_once(world):
    brand = make_brand(
        actor=world["owner_member"],
        enterprise=world["owner"],
        status="applied",
        registered_on=None,
        expires_on=None,
        nice_classes="24，20 20",
    )

    assert (brand.status, brand.nice_classes) == ("applied", [20, 24])


def test_other_enterprises_cannot_write_or_read_a_brand(world):
    brand = make_brand(actor=world["owner_member"], enterprise=world["owner"])

    with pytest.raises(AccessDenied):
        make_brand(actor=world["distributor_member"], enterprise=world["owner"], name="X")
    with pytest.raises(AccessDenied):
        make_authorisation(actor=world["distributor_member"], brand=brand, distributor=None)
    with pytest.raises(type(brand).DoesNotExist):
        get_brand(user=world["distributor_member"], pk=brand.pk)
    assert get_brand(user=make_operator(), pk=brand.pk) == brand


def test_letter_must_be_a_pdf_or_picture_within_the_trademark_and_on_known_channels(world):
    brand = make_brand(actor=world["owner_member"], enterprise=world["owner"])

    with pytest.raises(InvalidInput) as exc:
        record_authorisation(
            actor=world["owner_member"],
            brand=brand,
            distributor=world["distributor"],
            distributor_name="",
            channels=["jd", "taobao-global"],
            valid_from=TODAY(),
            valid_until=brand.expires_on + dt.timedelta(days=1),
            document=SimpleUploadedFile("letter.txt", b"I authorise", "text/plain"),
        )

    assert errors_of(exc) == {
        "channels": "Unknown channel: taobao-global.",
        "valid_until": (
            f"The trademark is valid until {brand.expires_on.isoformat()}; "
            "the authorisation cannot run longer."
        ),
        "document": "letter.txt is not a PDF, PNG, JPEG, XLSX or DOCX file.",
    }


def test_moving_products_from_oem_to_own_brand_is_logged_with_who_from_and_to(world):
    actor = world["owner_member"]
    bed, sofa = (make_product(enterprise=world["owner"], sku=s) for s in ("B-1", "S-1"))
    set_product_branding(actor=actor, products=[bed, sofa], oem_customer="IKEA")
    brand = make_brand(actor=actor, enterprise=world["owner"])

    changed = put_under_brand(actor=actor, products=[bed, sofa], brand=brand)
    again = put_under_brand(actor=actor, products=[bed, sofa], brand=brand)

    assert (changed, again) == (2, 0)
    assert ProductBranding.objects.get(product=bed).kind == "own_brand"
    log = list(
        BrandingChange.objects.filter(product=bed)
        .order_by("id")
        .values_list("from_kind", "from_label", "to_kind", "to_label", "changed_by")
    )
    assert log == [
        ("", "", "oem", "OEM for IKEA", actor.pk),
        ("oem", "OEM for IKEA", "own_brand", "莱木", actor.pk),
    ]
    assert DomesticListing.objects.get(product=bed).brand == "莱木"


def test_distributor_uses_a_brand_only_with_a_valid_letter(world):
    brand = make_brand(actor=world["owner_member"], enterprise=world["owner"])
    chair = make_product(enterprise=world["distributor"], sku="C-1")

    with pytest.raises(InvalidInput) as refused:
        put_under_brand(actor=world["distributor_member"], products=[chair], brand=brand)
    make_authorisation(actor=world["owner_member"], brand=brand, distributor=world["distributor"])
    put_under_brand(actor=world["distributor_member"], products=[chair], brand=brand)

    assert errors_of(refused) == {
        "brand": "C-1: its enterprise neither owns 莱木 nor holds a valid authorisation for it."
    }
    assert ProductBranding.objects.get(product=chair).kind == "authorised"


def test_one_product_of_another_enterprise_changes_nothing(world):
    mine = make_product(enterprise=world["owner"], sku="M-1")
    theirs = make_product(enterprise=world["distributor"], sku="T-1")

    with pytest.raises(AccessDenied):
        set_product_branding(
            actor=world["owner_member"], products=[mine, theirs], oem_customer="IKEA"
        )

    assert ProductBranding.objects.count() == 0


def test_expired_authorisation_makes_the_distributors_product_not_ready_for_that_channel(world):
    member = world["distributor_member"]
    brand = make_brand(actor=world["owner_member"], enterprise=world["owner"])
    table = make_listed_table(actor=member, enterprise=world["distributor"])
    letter_row = make_authorisation(
        actor=world["owner_member"],
        brand=brand,
        distributor=world["distributor"],
        channels=("jd", "tmall"),
    )
    put_under_brand(actor=member, products=[table], brand=brand)
    before = assess_product(get_product_for_channels(user=member, pk=table.pk))

    letter_row.valid_until = TODAY() - dt.timedelta(days=1)
    letter_row.save()
    after = assess_product(get_product_for_channels(user=member, pk=table.pk))

    assert {k: r.ready for k, r in before.items()} == {
        "tmall": True,
        "jd": True,
        "douyin": False,
        "pdd": True,
        "1688": True,
    }
    assert {k: r.ready for k, r in after.items()} == {
        "tmall": False,
        "jd": False,
        "douyin": False,
        "pdd": True,
        "1688": True,
    }
    expired = (TODAY() - dt.timedelta(days=1)).isoformat()
    assert [c.message for c in after["jd"].missing] == [
        f"The authorisation to sell 莱木 here expired on {expired}."
    ]


def test_own_brand_with_an_expired_trademark_is_not_ready_for_jd(world):
    member = world["owner_member"]
    table = make_listed_table(actor=member, enterprise=world["owner"])
    brand = make_brand(
        actor=member,
        enterprise=world["owner"],
        registered_on=dt.date(2014, 1, 1),
        expires_on=TODAY() - dt.timedelta(days=1),
    )
    put_under_brand(actor=member, products=[table], brand=brand)

    result = assess_product(get_product_for_channels(user=member, pk=table.pk))

    assert {k: r.ready for k, r in result.items()} == {
        "tmall": False,
        "jd": False,
        "douyin": False,
        "pdd": True,
        "1688": True,
    }


def test_brand_page_is_for_the_enterprise_operator_and_its_government(client, world):
    url = reverse("channels-brands", args=[world["owner"].pk])
    people = {
        "member": world["owner_member"],
        "operator": make_operator(),
        "government_here": make_government_user(region=world["regions"]["qingdao"]),
        "government_elsewhere": make_government_user(region=world["regions"]["jinhua"]),
        "other_enterprise": world["distributor_member"],
    }

    statuses = {}
    for name, user in people.items():
        client.force_login(user)
        statuses[name] = client.get(url).status_code

    assert statuses == {
        "member": 200,
        "operator": 200,
        "government_here": 200,
        "government_elsewhere": 403,
        "other_enterprise": 403,
    }


def test_pages_record_a_brand_a_letter_and_move_products_in_bulk(client, world):
    member = world["owner_member"]
    bed, sofa = (make_product(enterprise=world["owner"], sku=s) for s in ("B-1", "S-1"))
    client.force_login(member)
    brands_url = reverse("channels-brands", args=[world["owner"].pk])

    added = client.post(
        reverse("channels-brand-add", args=[world["owner"].pk]),
        {
            "name": "莱木",
            "trademark_number": "51234567",
            "nice_classes": "20",
            "owner": "青岛莱木家具有限公司",
            "status": "registered",
            "registered_on": "2021-03-14",
            "expires_on": "2031-03-13",
        },
    )
    brand = get_brand(user=member, pk=world["owner"].brands.get().pk)
    letter_post = client.post(
        reverse("channels-authorisation-add", args=[brand.pk]),
        {
            "distributor_name": "兰溪家居商贸",
            "distributor_credit_code": world["distributor"].credit_code,
            "channels": ["jd"],
            "valid_from": "2026-01-01",
            "valid_until": "2027-12-31",
            "document": letter(),
        },
    )
    moved = client.post(
        reverse("channels-branding", args=[world["owner"].pk]),
        {"products": [bed.pk, sofa.pk], "brand": brand.pk},
    )
    page = client.get(brands_url)

    assert [added.status_code, letter_post.status_code, moved.status_code] == [302, 302, 302]
    assert brand.authorisations.get().distributor == world["distributor"]
    assert set(ProductBranding.objects.values_list("product__sku", "kind")) == {
        ("B-1", "own_brand"),
        ("S-1", "own_brand"),
    }
    assert page.content.decode().count("Own brand: 莱木") == 2


def test_letter_download_is_for_owner_and_distributor_and_404_for_others(client, world):
    brand = make_brand(actor=world["owner_member"], enterprise=world["owner"])
    row = make_authorisation(
        actor=world["owner_member"], brand=brand, distributor=world["distributor"]
    )
    stranger = make_enterprise_user(enterprise=make_enterprise())
    url = reverse("channels-authorisation-letter", args=[row.pk])

    statuses = {}
    for name, user in {
        "owner": world["owner_member"],
        "distributor": world["distributor_member"],
        "stranger": stranger,
    }.items():
        client.force_login(user)
        response = client.get(url)
        statuses[name] = response.status_code
        if response.status_code == 200:
            assert b"".join(response.streaming_content).startswith(b"%PDF-")

    assert statuses == {"owner": 200, "distributor": 200, "stranger": 404}


def test_form_errors_show_on_their_field_and_save_nothing(client, world):
    client.force_login(world["owner_member"])

    response = client.post(
        reverse("channels-brand-add", args=[world["owner"].pk]),
        {"name": "莱木", "trademark_number": "12345678901", "nice_classes": "99", "owner": "X",
         "status": "registered", "registered_on": "2021-03-14", "expires_on": "2031-03-13"},
    )  # fmt: skip

    form = response.context["brand_form"]
    assert response.status_code == 422
    assert form.errors["nice_classes"] == ["99 is not a Nice class (1–45)."]
    assert form.errors["trademark_number"] == [
        "12345678901 is not in the expected format (e.g. 51234567)"
    ]
    assert world["owner"].brands.count() == 0


def test_product_channel_page_names_what_the_product_is_sold_as(client, world):
    member = world["owner_member"]
    bed = make_product(enterprise=world["owner"], sku="B-1")
    set_product_branding(actor=member, products=[bed], oem_customer="IKEA")
    client.force_login(member)
    url = reverse("channels-product", args=[bed.pk])

    oem = client.get(url).content.decode()
    put_under_brand(
        actor=member, products=[bed], brand=make_brand(actor=member, enterprise=world["owner"])
    )
    own = client.get(url).content.decode()

    assert '<span data-branding="oem">OEM for IKEA</span>' in oem
    assert '<span data-branding="own_brand">Own brand: 莱木</span>' in own


def test_brand_page_queries_stay_bounded_as_products_brands_and_letters_grow(
    django_assert_max_num_queries, world
):
    from tests.factories.query_counts import page_queries

    member = world["owner_member"]
    names = iter(f"牌{n}" for n in range(100))

    def grow(n: int) -> None:
        for _ in range(n):
            product = make_product(enterprise=world["owner"])
            brand = make_brand(actor=member, enterprise=world["owner"], name=next(names))
            make_authorisation(actor=member, brand=brand, distributor=world["distributor"])
            put_under_brand(actor=member, products=[product], brand=brand)

    counts = page_queries(
        django_assert_max_num_queries,
        member,
        reverse("channels-brands", args=[world["owner"].pk]),
        grow,
        expect="<td>Own brand: 牌",
        bound=30,
    )

    assert counts[0] == counts[1]


def test_page_and_api_refuse_the_same_people_a_branding_move_whatever_they_send(client, world):
    brand = make_brand(actor=world["owner_member"], enterprise=world["owner"])
    bed = make_product(enterprise=world["owner"], sku="B-1")
    page_url = reverse("channels-branding", args=[world["owner"].pk])
    api_url = f"/api/enterprises/{world['owner'].pk}/branding"
    people = {
        "member": world["owner_member"],
        "operator": make_operator(),
        "government_here": make_government_user(region=world["regions"]["qingdao"]),
        "government_elsewhere": make_government_user(region=world["regions"]["jinhua"]),
        "other_enterprise": world["distributor_member"],
    }
    posts = {  # (page form, API payload): a move, and one with no product
        "move": (
            {"products": [bed.pk], "brand": brand.pk},
            {"product_ids": [bed.pk], "brand_id": brand.pk},
        ),
        "no_product": ({"oem_customer": "IKEA"}, {"product_ids": [], "oem_customer": "IKEA"}),
    }

    answers = {}
    for name, user in people.items():
        client.force_login(user)
        for kind, (form, payload) in posts.items():
            page = client.post(page_url, form)
            api = client.post(
                api_url, payload, content_type="application/json", headers=bearer(user)
            )
            answers[name, kind] = (page.status_code, api.status_code)

    refused_by_page = {key for key, (page, _api) in answers.items() if page == 403}
    refused_by_api = {key for key, (_page, api) in answers.items() if api == 403}
    assert refused_by_page == refused_by_api
    assert answers == {
        ("member", "move"): (302, 200),
        ("member", "no_product"): (422, 422),
        ("operator", "move"): (302, 200),
        ("operator", "no_product"): (422, 422),
        ("government_here", "move"): (403, 403),
        ("government_here", "no_product"): (403, 403),
        ("government_elsewhere", "move"): (403, 403),
        ("government_elsewhere", "no_product"): (403, 403),
        ("other_enterprise", "move"): (403, 403),
        ("other_enterprise", "no_product"): (403, 403),
    }
    assert ProductBranding.objects.get(product=bed).brand == brand
