"""A member uploads a product photo through the edit page; in a real browser every product card
then shows a picture that has loaded (the photo's thumbnail, or the tinted illustration of the
product's type), the product page a gallery, and a GIF is refused on the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dualcirc.catalog.models import ProductImage
from dualcirc.core.enums import Role
from tests.factories import make_enterprise, make_product, make_region_tree, make_user
from tests.factories.files import photo_bytes

from .test_catalog_browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CARD_PICTURES = """() => Array.from(document.querySelectorAll('.card-media')).map(media => {
  const img = media.querySelector('img');
  const svg = media.querySelector('svg');
  const box = (img || svg) ? (img || svg).getBoundingClientRect() : {width: 0, height: 0};
  return {
    kind: img ? 'photo' : (svg ? 'illustration' : 'none'),
    loaded: img ? (img.complete && img.naturalWidth > 0) : !!svg,
    width: Math.round(box.width), height: Math.round(box.height),
    background: getComputedStyle(media.firstElementChild || media).backgroundColor,
  };
})"""


def test_photo_upload_thumbnails_and_illustrations_load_in_the_browser(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    regions = make_region_tree()
    factory = make_enterprise(name_zh="莱西木匠家具有限公司", region=regions["laixi"])
    member = make_user(organisation=factory.organisation, role=Role.ADMIN)
    table = make_product(enterprise=factory, title_en="Oak dining table", sku="T-1")
    make_product(
        enterprise=factory,
        title_en="Three-seater sofa",
        sku="S-1",
        hs_code="940161",
        attributes={"colour": "dark green"},
    )
    failures: list[str] = []
    page.on(
        "response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    base = live_server.url
    sign_in(page, base, member.username)

    photo = tmp_path / "table.jpg"
    photo.write_bytes(photo_bytes("JPEG", width=1600, height=1200))
    page.goto(f"{base}/en/products/{table.pk}/edit/")
    page.set_input_files("#id_image", str(photo))
    page.click("#images form[enctype] button[type=submit]")
    page.wait_for_load_state()
    gif = tmp_path / "anim.gif"
    gif.write_bytes(photo_bytes("GIF", width=64, height=64))
    page.set_input_files("#id_image", str(gif))
    page.click("#images form[enctype] button[type=submit]")
    page.wait_for_load_state()
    refusal = page.locator("#id_image_error").inner_text()

    page.goto(f"{base}/en/products/")
    page.wait_for_load_state("networkidle")
    cards = page.evaluate(CARD_PICTURES)
    page.screenshot(path=str(tmp_path / "products.png"), full_page=True)
    page.goto(f"{base}/en/products/{table.pk}/")
    page.wait_for_load_state("networkidle")
    gallery = page.evaluate(
        "() => { const i = document.querySelector('.gallery-main img');"
        " return i ? [i.complete, i.naturalWidth, i.naturalHeight] : null; }"
    )

    assert "Upload a JPEG, PNG or WebP image." in refusal
    assert ProductImage.objects.filter(product=table).count() == 1
    assert sorted(card["kind"] for card in cards) == ["illustration", "photo"]
    for card in cards:
        assert card["loaded"] and card["width"] > 50 and card["height"] > 50, card
    illustration = next(card for card in cards if card["kind"] == "illustration")
    assert illustration["background"] not in ("rgba(0, 0, 0, 0)", "rgb(238, 241, 245)")
    assert gallery == [True, 800, 600]  # the 800 px rendition, not the 1600 px original
    assert failures == []
