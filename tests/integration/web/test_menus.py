"""Menus show only what the role may do: for each role, the main menu and the deal area's tabs
list exactly the expected entries, and every one of them answers 200 for that role."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from dualcirc.core.enums import OrganisationKind, Role
from tests.factories import make_enterprise, make_organisation, make_region, make_user

pytestmark = pytest.mark.django_db

PUBLIC = ["products", "suppliers", "fairs"]
# last, the first to go under the menu's "Other" when it is long
PUBLIC_LAST = ["enterprises", "search"]


def _people() -> dict[str, Any]:
    enterprise = make_enterprise()
    return {
        "anonymous": None,
        "buyer": make_user(
            organisation=make_organisation(kind=OrganisationKind.BUYER), role=Role.ADMIN
        ),
        "supplier admin": make_user(organisation=enterprise.organisation, role=Role.ADMIN),
        "supplier member": make_user(organisation=enterprise.organisation, role=Role.MEMBER),
        "government": make_user(
            organisation=make_organisation(kind=OrganisationKind.GOVERNMENT, region=make_region()),
            role=Role.ADMIN,
        ),
        "operator": make_user(organisation=make_organisation(kind=OrganisationKind.OPERATOR)),
    }


MAIN = {
    "anonymous": PUBLIC,
    "buyer": [*PUBLIC, "deals"],
    "supplier admin": [*PUBLIC, "import", "deals"],
    "supplier member": [*PUBLIC, "deals"],
    "government": [*PUBLIC, "deals", "bureau"],
    "operator": [*PUBLIC, "import", "deals", "bureau"],
}
# The demand radar (its own app) is for suppliers, governments and the operator; the entry
# is expected wherever that app is installed.
DEMAND_ROLES = {"supplier admin", "supplier member", "government", "operator"}


def _expected_main(who: str) -> list[str]:
    try:
        reverse("demand:radar")
    except NoReverseMatch:
        return MAIN[who] + PUBLIC_LAST
    return MAIN[who] + (["demand"] if who in DEMAND_ROLES else []) + PUBLIC_LAST


DEALS = {
    "buyer": ["requests", "orders", "conversations"],
    "supplier admin": ["invitations", "quotes", "orders", "conversations", "funnel"],
    "supplier member": ["invitations", "quotes", "orders", "conversations", "funnel"],
    "government": ["orders"],
    "operator": ["orders", "conversations", "funnel", "rates"],
}


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _menu(html: str, nav_class: str) -> list[tuple[str, str]]:
    nav = html[html.index(f'class="{nav_class}"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(r'<a href="([^"]+)" data-menu="([^"]+)"', nav)


@pytest.mark.parametrize("who", list(MAIN))
def test_main_menu_lists_what_the_role_may_open_and_each_link_answers_200(who: str) -> None:
    user = _people()[who]
    client = _client(user)

    menu = _menu(client.get("/en/").content.decode(), "mainnav")
    answers = {key: client.get(url).status_code for url, key in menu}

    assert [key for _url, key in menu] == _expected_main(who)
    assert answers == dict.fromkeys(_expected_main(who), 200)


@pytest.mark.parametrize("who", list(DEALS))
def test_deal_tabs_list_what_the_role_may_open_and_each_answers_200(who: str) -> None:
    user = _people()[who]
    client = _client(user)

    tabs = _menu(client.get("/en/deals/").content.decode(), "subnav deals-nav")
    answers = {key: client.get(url).status_code for url, key in tabs}

    assert [key for _url, key in tabs] == DEALS[who]
    assert answers == dict.fromkeys(DEALS[who], 200)


def test_only_organiser_kinds_are_offered_to_organise_a_fair() -> None:
    people = _people()

    offered = {
        who: 'href="/en/fair/new/"' in _client(user).get("/en/fair/").content.decode()
        for who, user in people.items()
    }
    create_page = _client(people["government"]).get("/en/fair/new/")

    assert offered == {
        "anonymous": False,
        "buyer": False,
        "supplier admin": False,
        "supplier member": False,
        "government": True,
        "operator": True,
    }
    assert create_page.status_code == 200
    assert 'name="name_zh"' in create_page.content.decode()


def test_bell_is_an_svg_icon_not_an_emoji() -> None:
    html = _client(_people()["buyer"]).get("/en/").content.decode()

    bell = html[html.index('class="bell"') :]
    bell = bell[: bell.index("</a>")]
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="icon icon-bell"' in bell
    assert "🔔" not in html


@pytest.mark.parametrize("who", list(MAIN))
def test_a_long_main_menu_keeps_five_entries_and_folds_the_rest_under_other(who: str) -> None:
    html = _client(_people()[who]).get("/en/").content.decode()
    nav = html[html.index('class="mainnav"') :]
    nav = nav[: nav.index("</nav>")]
    expected = _expected_main(who)

    inline = re.findall(r'^\s*<a href="[^"]+" data-menu="([^"]+)"', nav, re.M)
    folded = re.findall(r'<a href="[^"]+" data-menu="([^"]+)"', nav[nav.find("nav-more") :])

    if len(expected) > 6:
        assert (inline, folded) == (expected[:5], expected[5:])
        assert "<summary>Other</summary>" in nav
    else:
        assert (inline, "nav-more" in nav) == (expected, False)
