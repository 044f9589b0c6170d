"""Every page of the catalog and of the accounts, in Chinese and in English.

Each page is fetched under /zh-hans/ and /en/ as someone who may see it. In Chinese the UI
catalog is pseudo-localised: every string that went through gettext (``{% translate %}``,
``gettext``, Django's own) comes out wrapped in ⟦…⟧. Whatever Latin-script text is left outside
the brackets was typed into a template or a Python string without being marked for translation,
so it would stay English on the Chinese site; the test names it. Text the page itself marks as
another language (``lang="en"``: the HS nomenclature's English descriptions, the language
switcher's "English") and the test's own data are not UI text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import trans_real

from dualcirc.catalog.domain import add_product_image
from dualcirc.catalog.enums import CURRENCIES
from dualcirc.catalog.models import Enterprise, Product, ProductImage
from dualcirc.core.enums import Role
from dualcirc.core.models import User
from dualcirc.core.views import PENDING_SIGN_IN
from tests.factories import make_enterprise, make_product, make_region_tree
from tests.factories.api import make_belt, make_enterprise_user, make_government_user
from tests.factories.files import png_bytes

pytestmark = pytest.mark.django_db

OPEN, CLOSE = "⟦", "⟧"
CONTEXT_SEPARATOR = "\x04"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
VISIBLE_ATTRIBUTES = {"placeholder", "title", "alt", "aria-label"}
# Not UI text: the brand, an acronym that is the same in Chinese, the country codes and the
# contact of the forms' placeholders (examples of data: "US; DE; VN", "… wang@example.com").
ALLOWED_WORDS = {"dualcirc", "HS", "DE", "wang"}


def _wrap(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}"


@pytest.fixture
def pseudo_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wrap every translation of the zh-hans catalog in ⟦…⟧ (for this test only)."""
    catalog = trans_real.translation("zh-hans")
    gettext, ngettext = catalog.gettext, catalog.ngettext

    def pseudo_gettext(message: str) -> str:
        if CONTEXT_SEPARATOR in message:  # pgettext: the context is not part of the text
            translated = gettext(message)
            if CONTEXT_SEPARATOR in translated:
                translated = translated.split(CONTEXT_SEPARATOR, 1)[1]
            return _wrap(translated)
        return _wrap(gettext(message))

    def pseudo_ngettext(singular: str, plural: str, number: int) -> str:
        translated = ngettext(singular, plural, number)
        return _wrap(translated.split(CONTEXT_SEPARATOR, 1)[-1])

    monkeypatch.setattr(catalog, "gettext", pseudo_gettext)
    monkeypatch.setattr(catalog, "ngettext", pseudo_ngettext)


class _VisibleText(HTMLParser):
    """The text a reader sees or hears (text, and the attributes read out), leaving out
    scripts, styles, code (parameter names, HTTP headers), elements marked as written in a
    language other than Chinese, and the IANA time-zone names of a select."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        foreign = a.get("lang", "zh")[:2] not in ("zh", "")
        skip = (
            self._skipping()
            or foreign
            or tag in ("script", "style", "code")
            or (tag == "select" and a.get("name") == "time_zone")
        )
        if not skip:
            self.parts.extend(v for k, v in a.items() if k in VISIBLE_ATTRIBUTES)
            if tag == "input" and a.get("type") in ("submit", "button"):
                self.parts.append(a.get("value", ""))
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self.parts.append(data)


def untranslated_words(html: str, data: set[str]) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    text = "\n".join(parser.parts)
    inner = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
    while inner.search(text):
        text = inner.sub(" ", text)
    words = re.findall(r"[A-Za-z][A-Za-z'’-]+", text)
    return sorted({w for w in words if w not in ALLOWED_WORDS and w not in data})


@dataclass
class Site:
    enterprise: Enterprise
    product: Product
    image: ProductImage
    admin: User
    government: User
    data_words: set[str]


@pytest.fixture
def site() -> Site:
    regions = make_region_tree()
    belt = make_belt(region=regions["laixi"], slug="laixi-furniture", industry="家具")
    enterprise = make_enterprise(
        name_zh="莱西木业有限公司",
        region=regions["laixi"],
        belt=belt,
        industries=["家具"],
        export_markets=["US", "VN"],
        certifications=["质量认证"],
        business_models=["oem", "own_brand"],
        contacts=[{"name": "王伟", "title": "经理", "phone": "0532-88880000"}],
        year_founded=2003,
        employees=120,
        description="实木家具工厂。",
    )
    product = make_product(
        enterprise=enterprise,
        sku="LX-T01",
        title_zh="实木餐桌",
        title_en="",
        description_zh="橡木。",
        unit="张",
        currency="CNY",
        export_markets=["US"],
        attributes={"材质": "橡木"},
    )
    admin = make_enterprise_user(enterprise=enterprise, role=Role.ADMIN, username="wangwei")
    government = make_government_user(region=regions["qingdao"], username="qingdao")
    image = add_product_image(
        actor=admin, product=product, upload=SimpleUploadedFile("a.png", png_bytes())
    )
    data = " ".join(
        [
            *CURRENCIES,
            *(region.name_en for region in regions.values()),
            belt.name_en,
            enterprise.credit_code or "",
            product.sku,
            product.currency,
            "US VN",
            admin.username,
            admin.email,
            government.username,
        ]
    )
    words = set(re.findall(r"[A-Za-z][A-Za-z'’-]+", data))
    return Site(enterprise, product, image, admin, government, words)


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # after the language prefix
    who: str = ""  # "", "admin" or "government"
    method: str = "get"
    data: Any = None
    status: int = 200


def pages(site: Site) -> Iterator[Page]:
    e, p = site.enterprise.pk, site.product.pk
    uid = urlsafe_base64_encode(force_bytes(site.admin.pk))
    token = default_token_generator.make_token(site.admin)
    yield Page("home", "/")
    yield Page("enterprise list", "/enterprises/")
    yield Page("enterprise list, bad filter", "/enterprises/?region=nowhere", status=400)
    yield Page("enterprise detail", f"/enterprises/{e}/")
    yield Page("enterprise detail, private", f"/enterprises/{e}/", who="government")
    yield Page("product list", "/products/")
    yield Page("product list, filtered", "/products/?industry=家具&market=US&moq_max=100")
    yield Page("product list, bad filter", "/products/?moq_max=many", status=400)
    yield Page("product detail", f"/products/{p}/")
    yield Page("missing page", "/products/999999/", status=404)
    yield Page("enterprise edit", f"/enterprises/{e}/edit/", who="admin")
    yield Page("product create", f"/enterprises/{e}/products/new/", who="admin")
    yield Page(
        "product create, errors",
        f"/enterprises/{e}/products/new/",
        who="admin",
        method="post",
        data={"sku": "LX-T01", "hs_code": "999999", "price_min": "abc", "status": "published"},
    )
    yield Page("product edit", f"/products/{p}/edit/", who="admin")
    yield Page("product delete", f"/products/{p}/delete/", who="admin")
    yield Page("image delete", f"/images/{site.image.pk}/delete/", who="admin")
    yield Page("catalog import", "/import/", who="admin")
    yield Page(
        "catalog import, errors",
        "/import/",
        who="admin",
        method="post",
        data={
            "file": SimpleUploadedFile(
                "catalog.csv",
                "sku,产品名称,海关编码,起订量\nA1,餐椅,999999,十\n".encode(),
                content_type="text/csv",
            )
        },
        status=422,
    )
    yield Page("forbidden edit", f"/enterprises/{e}/edit/", who="government", status=403)
    yield Page("sign in", "/accounts/login/")
    yield Page("sign in, verify", "/accounts/login/verify/", who="pending")
    yield Page("password reset", "/accounts/password-reset/")
    yield Page("password reset sent", "/accounts/password-reset/done/")
    yield Page("password reset confirm", f"/accounts/reset/{uid}/{token}/", status=302)
    yield Page("password reset bad link", f"/accounts/reset/{uid}/bad-token/")
    yield Page("password reset complete", "/accounts/reset/done/")
    yield Page("profile", "/accounts/profile/", who="admin")
    yield Page("two-factor", "/accounts/profile/two-factor/", who="government")


def _client(site: Site, who: str) -> Client:
    client = Client()
    if who in ("admin", "government"):
        client.force_login(site.admin if who == "admin" else site.government)
    elif who == "pending":
        session = client.session
        session[PENDING_SIGN_IN] = {
            "user": site.government.pk,
            "backend": "",
            "next": "",
            "until": time.time() + 300,
        }
        session.save()
    return client


def _fetch(site: Site, page: Page, language: str) -> Any:
    client = _client(site, page.who)
    url = f"/{language}{page.path}"
    if page.method == "post":
        data = dict(page.data)
        for value in data.values():
            if hasattr(value, "seek"):
                value.seek(0)
        return client.post(url, data)
    return client.get(url, follow=page.status == 302)


def test_every_page_renders_in_chinese_with_no_untranslated_ui_text(
    site: Site, pseudo_chinese: None
) -> None:
    leftovers: dict[str, list[str]] = {}
    for page in pages(site):
        response = _fetch(site, page, "zh-hans")
        html = response.content.decode()

        expected = 200 if page.status == 302 else page.status
        assert response.status_code == expected, page.name
        assert '<html lang="zh-hans">' in html, page.name
        assert f"{OPEN}产品{CLOSE}" in html, page.name  # the navigation, translated
        words = untranslated_words(html, site.data_words)
        if words:
            leftovers[page.name] = words

    assert leftovers == {}, "\n".join(f"{k}: {v}" for k, v in leftovers.items())


def test_every_page_renders_in_english(site: Site) -> None:
    for page in pages(site):
        response = _fetch(site, page, "en")
        html = response.content.decode()

        expected = 200 if page.status == 302 else page.status
        assert response.status_code == expected, page.name
        assert '<html lang="en">' in html, page.name
        assert ">Products</a>" in html, page.name
        assert "⟦" not in html


def test_pseudo_localisation_finds_text_left_out_of_translate(
    site: Site, pseudo_chinese: None
) -> None:
    # The check itself: text a template does not mark is found, marked text is not.
    html = (
        f'<html lang="zh-hans"><p>{OPEN}产品{CLOSE} Free shipping</p>'
        '<input type="submit" value="Send"><span lang="en">Furniture</span>'
        f'<a title="Open">{OPEN}打开{CLOSE}</a><script>var x = "hidden";</script></html>'
    )

    assert untranslated_words(html, set()) == ["Free", "Open", "Send", "shipping"]
