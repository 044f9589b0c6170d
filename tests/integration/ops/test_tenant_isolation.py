"""Tenant isolation: every page and every API endpoint, as each role, with the ids of another
organisation's objects — no response may contain that organisation's private data.

The victim is a Laixi furniture factory (Shandong) with a credit code, contacts, a draft
product, monthly figures and a private deal (a Hamburg buyer's invited-only request it quoted
on). The walkers: a signed-out visitor, another buyer, a member of another (Lanxi) enterprise,
a government body of Zhejiang, and the platform operator (who may see everything: for them the
walk only checks that nothing fails). Every URL pattern of the site (from the resolver) and
every GET operation of /api/openapi.json is requested with each of the victim's object ids in
every id parameter. GET only: unsafe methods are CSRF-protected and covered by each app's tests.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from dualcirc.catalog.enums import ProductStatus
from dualcirc.core.models import Region
from tests.factories import make_product
from tests.factories.api import make_buyer, make_government_user
from tests.factories.bureau import make_figures
from tests.factories.deals import make_deal_world, make_quote, make_request
from tests.factories.pages import add_image

pytestmark = pytest.mark.django_db

MONTH = "2025-03"
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_TOKEN = re.compile(r"[A-Za-z0-9]{64}")  # CSRF tokens: random, could hold any digits
SKIP_PARAMS = {"uidb64", "token", "path"}


def _victim() -> dict[str, Any]:
    world = make_deal_world()
    victim = world.supplier
    victim.contacts = [
        {
            "name": "王保密",
            "title": "销售总监",
            "phone": "+86 139 0532 7788",
            "email": "wang.secret@woodcraft.example",
        }
    ]
    victim.save()
    draft = make_product(
        enterprise=victim,
        title_en="Prototype sideboard QX-4471",
        title_zh="样品餐边柜QX4471",
        status=ProductStatus.DRAFT,
    )
    image = add_image(actor=world.supplier_user, product=draft)
    request = make_request(
        world, invite=(victim,), title="Hamburg tender HX-99123", need="confidential HX-99123"
    )
    quote = make_quote(world, request, notes="Margin note QN-55821")
    figures = make_figures(enterprise=victim, month=MONTH, revenue="98765432.17")
    markers = [
        victim.credit_code,
        "wang.secret@woodcraft.example",
        "139 0532 7788",
        "王保密",
        "QX-4471",
        "QX4471",
        "HX-99123",
        "QN-55821",
        "98765432",
        "98.77",  # the revenue as the bureau pages write it in English (CN¥ million)
    ]
    ids = sorted(
        {
            victim.pk,
            victim.organisation_id,
            draft.pk,
            image.pk,
            request.pk,
            quote.pk,
            figures.pk,
            *quote.attachments.values_list("pk", flat=True),
        }
    )
    zhejiang = Region.objects.get(code="33")
    walkers = {
        "anonymous": None,
        "buyer": make_buyer(),
        "enterprise member of another": world.other_user,
        "government of another region": make_government_user(region=zhejiang),
    }
    return {"markers": markers, "ids": ids, "walkers": walkers, "operator": world.operator}


def _site_paths(ids: list[int]) -> list[str]:
    """Every URL of the site's patterns (English prefix), each id parameter filled with each id."""
    paths: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                if route.startswith("api/"):
                    continue  # from the OpenAPI document below
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                paths.extend(_fill(route.replace("zh-hans/", "en/", 1), ids))

    walk(get_resolver().url_patterns, "")
    return paths


def _fill(route: str, ids: list[int]) -> list[str]:
    if "(?P<" in route or "^" in route:
        return []  # the admin's regular-expression routes: reached through its own pages
    params = _PARAM.findall(route)
    if any(name in SKIP_PARAMS for _conv, name in params):
        return []
    if not params:
        return ["/" + route]
    choices = [[MONTH] if name == "month" else [str(i) for i in ids] for _c, name in params]
    filled = []
    for values in itertools.product(*choices):
        path = route
        for (conv, name), value in zip(params, values, strict=True):
            path = path.replace(f"<{conv + ':' if conv else ''}{name}>", value, 1)
        filled.append("/" + path)
    return filled


def _api_paths(client: Client, ids: list[int]) -> list[str]:
    document = client.get("/api/openapi.json").json()
    paths = []
    for template, operations in document["paths"].items():
        if "get" not in operations:
            continue
        names = re.findall(r"\{(\w+)\}", template)
        choices = [[MONTH] if n == "month" else [str(i) for i in ids] for n in names]
        for values in itertools.product(*choices):
            path = template
            for name, value in zip(names, values, strict=True):
                path = path.replace("{" + name + "}", value)
            paths.append(path)
    return paths


def _body(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return _TOKEN.sub("", raw.decode("utf-8", "replace"))


def test_no_role_sees_another_organisations_private_data_on_any_page_or_endpoint() -> None:
    world = _victim()
    paths = _site_paths(world["ids"]) + _api_paths(Client(), world["ids"])
    assert len(paths) > 300  # the walk really covers the site
    leaks: list[str] = []
    failures: list[str] = []
    seen_by_operator: set[str] = set()
    walkers = {**world["walkers"], "operator": world["operator"]}

    for role, user in walkers.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for path in paths:
            response = client.get(path)
            if response.status_code >= 500:
                failures.append(f"{role} {path} {response.status_code} {_body(response)[:300]}")
            body = _body(response)
            if role == "operator":
                seen_by_operator.update(m for m in world["markers"] if m in body)
                continue
            leaks += [f"{role} {path}: {m}" for m in world["markers"] if m in body]

    assert failures == []
    assert leaks == []
    # The control: the same walk shows the operator every marker, so the markers are real.
    assert sorted(set(world["markers"]) - seen_by_operator) == []
