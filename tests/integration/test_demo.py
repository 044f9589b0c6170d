"""The demo data: what `dualcirc demo` loads, that every row is valid, that loading is
idempotent, and that each demo login signs in with the role it is shown with."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F, Q
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from dualcirc.bureau.domain.chains import chain_links
from dualcirc.bureau.enums import CaseStatus, ProjectStage
from dualcirc.bureau.models import ChainLink, IndustrialChain, InvestmentProject, SupportCase
from dualcirc.bureau.queries import compute_indicators
from dualcirc.bureau.scopes import last_complete_month, resolve_scope
from dualcirc.catalog.domain import check_product
from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.hs import load_hs
from dualcirc.catalog.models import Enterprise, IndustrialBelt, Product
from dualcirc.catalog.signals import products_changed
from dualcirc.catalog.validators import validate_credit_code
from dualcirc.core.access import (
    can_admin_enterprise,
    can_edit_enterprise,
    editable_enterprises,
    is_operator,
    visible_products,
)
from dualcirc.core.enums import OrganisationKind, Role
from dualcirc.core.models import Membership, Organisation, Region, User
from dualcirc.deals.enums import OrderState, QuoteState, RequestState
from dualcirc.deals.models import AuditEntry, Offer, Order, Payment, Quote, SourcingRequest
from dualcirc.demo.enterprises import ENTERPRISES
from dualcirc.demo.fair_story import FAIR_NAME_EN
from dualcirc.demo.generate import KINDS, credit_code
from dualcirc.demo.loader import DemoSummary, load_demo
from dualcirc.demo.places import LOGINS
from dualcirc.fair.models import Booth, Fair, Meeting, Session
from dualcirc.notify.models import Notification
from dualcirc.search.indexing import index_products
from dualcirc.search.service import get_service
from tests.factories.search import FAKE_EMBEDDER

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="class")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSummary]:
    """The demo loaded once for the read-only tests of a class, rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def row_counts() -> dict[str, int]:
    models = (
        Region, IndustrialBelt, Organisation, Enterprise, Product, User, Membership,
        SourcingRequest, Quote, Offer, Order, Payment, AuditEntry, Notification, Fair, Booth,
        Session, Meeting, SupportCase, IndustrialChain, ChainLink, InvestmentProject,
    )  # fmt: skip
    return {m.__name__: m.objects.count() for m in models}


def listing_languages() -> Counter[str]:
    return Counter(Product.objects.values_list("languages", flat=True))


# Pure vocabulary checks ------------------------------------------------------------------


def test_demo_vocabulary_hs_codes_are_real_six_digit_subheadings():
    hs = load_hs()

    bad = [
        (belt, kind.key, kind.hs_code)
        for belt, kinds in KINDS.items()
        for kind in kinds
        if len(kind.hs_code) != 6 or kind.hs_code not in hs
    ]

    assert bad == []


def test_demo_enterprises_make_only_kinds_of_their_belt_and_have_unique_keys():
    unknown = [
        (spec.key, k)
        for spec in ENTERPRISES
        for k in spec.kinds
        if k not in {kind.key for kind in KINDS[spec.belt]}
    ]

    assert unknown == []
    assert len({spec.key for spec in ENTERPRISES}) == len(ENTERPRISES)
    assert len({credit_code(spec) for spec in ENTERPRISES}) == len(ENTERPRISES)


# The loaded demo (loaded once for this class, read only) ---------------------------------


@pytest.mark.usefixtures("demo")
class TestLoadedDemo:
    def test_load_demo_creates_dozens_of_enterprises_and_hundreds_of_products(self, demo):
        assert demo.enterprises == Enterprise.objects.count() >= 40
        assert demo.products == Product.objects.count() >= 400
        assert demo.drafts == Product.objects.filter(status=ProductStatus.DRAFT).count() >= 5
        assert IndustrialBelt.objects.count() >= 8
        assert Enterprise.objects.values("belt").distinct().count() >= 8
        assert Enterprise.objects.values("region__parent").distinct().count() >= 6  # cities
        assert [login.username for login in demo.logins] == [s.username for s in LOGINS]

    def test_load_demo_regions_form_the_province_city_county_tree(self):
        paths = dict(Region.objects.values_list("name_en", "path"))

        assert paths["Laixi"] == "/37/3702/370285/"
        assert paths["Jiaozhou"] == "/37/3702/370281/"
        assert paths["Jimo"] == "/37/3702/370215/"
        assert paths["Lanxi"] == "/33/3307/330781/"
        assert paths["Yongkang"] == "/33/3307/330784/"
        assert paths["Yinzhou"] == "/33/3302/330212/"
        assert paths["Wujiang"] == "/32/3205/320509/"
        assert paths["Haimen"] == "/32/3206/320614/"
        assert paths["Hanjiang"] == "/32/3210/321003/"
        assert paths["Lianyungang"] == "/32/3207/"

    def test_load_demo_listings_mix_chinese_english_and_vietnamese(self):
        languages = listing_languages()

        assert languages["zh"] >= 50  # Chinese only
        assert languages["en"] >= 50  # English only
        assert languages["zh,en"] >= 100
        assert languages["zh,en,vi"] + languages["en,vi"] >= 20
        assert set(languages) <= {"zh", "en", "zh,en", "zh,en,vi", "en,vi"}

    def test_load_demo_every_product_and_enterprise_is_valid(self):
        hs = load_hs()

        for product in Product.objects.select_related("enterprise"):
            product.full_clean()
            assert check_product(product) == [], product.sku
            assert product.hs_code in hs and len(product.hs_code) == 6, product.sku
            assert product.moq is not None and product.moq > 0 and product.unit, product.sku
            if product.price_min is not None:
                assert product.currency in ("CNY", "USD"), product.sku
                assert product.price_max is not None and product.price_max >= product.price_min
        for enterprise in Enterprise.objects.select_related("region", "organisation"):
            enterprise.full_clean()
            assert enterprise.credit_code is not None
            validate_credit_code(enterprise.credit_code)
            assert enterprise.credit_code[2:8] == enterprise.region.code.ljust(6, "0")
            assert enterprise.organisation.kind == OrganisationKind.ENTERPRISE
            assert enterprise.contacts and enterprise.business_models and enterprise.industries
            assert len(set(enterprise.certifications)) == len(enterprise.certifications)

    def test_load_demo_hs_codes_fit_the_products(self):
        def codes(title_en: str) -> set[str]:
            return set(
                Product.objects.filter(title_en__icontains=title_en).values_list(
                    "hs_code", flat=True
                )
            )

        assert codes("dining table") == {"940360"}
        assert codes("100% cotton denim") == {"520942"}
        assert codes("silk crepe de chine") == {"500720"}
        assert codes("bedding set") == {"630221", "630222"}
        assert codes("soft toothbrush") == {"960321"}
        assert codes("sonic electric toothbrush") == {"850980"}
        assert codes("smart LED TV") == {"852872"}
        assert codes("side-by-side refrigerator") == {"841810"}
        assert codes(" men's jeans") == {"620342"}

    def test_demo_logins_sign_in_with_their_passwords(self, client):
        for spec in LOGINS:
            assert client.login(username=spec.username, password=spec.password), spec.username
            assert not client.login(username=spec.username, password=spec.password + "x")

    def test_demo_logins_have_one_of_each_role(self):
        def memberships(username: str) -> list[tuple[str, str]]:
            return list(
                Membership.objects.filter(user__username=username).values_list(
                    "organisation__kind", "role"
                )
            )

        assert {s.role for s in LOGINS} == {
            "operator",
            "government",
            "enterprise-admin",
            "enterprise-member",
            "buyer",
            "organiser",
        }
        assert memberships("operator") == [(OrganisationKind.OPERATOR, Role.ADMIN)]
        assert memberships("qingdao-gov") == [(OrganisationKind.GOVERNMENT, Role.MEMBER)]
        assert memberships("laixi-admin") == [(OrganisationKind.ENTERPRISE, Role.ADMIN)]
        assert memberships("laixi-member") == [(OrganisationKind.ENTERPRISE, Role.MEMBER)]
        assert memberships("hangzhou-buyer") == [(OrganisationKind.BUYER, Role.ADMIN)]
        assert memberships("newyork-buyer") == [(OrganisationKind.BUYER, Role.ADMIN)]
        assert memberships("laixi-organiser") == [(OrganisationKind.GOVERNMENT, Role.ADMIN)]
        languages = dict(User.objects.values_list("username", "preferred_language"))
        zones = dict(User.objects.values_list("username", "time_zone"))
        assert languages["saigon-buyer"] == "vi"
        assert {zones[u] for u in ("saigon-buyer", "hamburg-buyer", "newyork-buyer")} == {
            "Asia/Ho_Chi_Minh",
            "Europe/Berlin",
            "America/New_York",
        }

    def test_demo_logins_edit_what_their_role_allows(self):
        users = {u.username: u for u in User.objects.all()}
        hengmu = Enterprise.objects.get(name_zh="莱西市恒木家具有限公司")
        everything = Enterprise.objects.all()

        assert is_operator(users["operator"]) is True
        assert can_admin_enterprise(users["laixi-admin"], hengmu) is True
        assert can_edit_enterprise(users["laixi-member"], hengmu) is True
        assert can_admin_enterprise(users["laixi-member"], hengmu) is False
        assert list(editable_enterprises(users["laixi-member"], everything)) == [hengmu]
        assert not editable_enterprises(users["qingdao-gov"], everything).exists()
        assert not editable_enterprises(users["hangzhou-buyer"], everything).exists()

    def test_demo_government_login_sees_the_drafts_of_its_region_only(self):
        drafts = Product.objects.filter(status=ProductStatus.DRAFT)
        in_qingdao = set(
            drafts.filter(enterprise__region__path__startswith="/37/3702/").values_list(
                "pk", flat=True
            )
        )
        gov = User.objects.get(username="qingdao-gov")
        seen = set(visible_products(gov, drafts).values_list("pk", flat=True))

        assert in_qingdao  # the demo has drafts in Qingdao …
        assert drafts.filter(~Q(pk__in=in_qingdao)).exists()  # … and elsewhere
        assert seen == in_qingdao
        assert not visible_products(User.objects.get(username="hangzhou-buyer"), drafts).exists()


# Loading again ---------------------------------------------------------------------------


def test_load_demo_twice_leaves_the_same_rows():
    load_demo()
    counts = row_counts()
    keys = set(Product.objects.values_list("enterprise__credit_code", "sku", "pk"))

    second = load_demo()

    assert row_counts() == counts
    assert set(Product.objects.values_list("enterprise__credit_code", "sku", "pk")) == keys
    assert second.products == counts["Product"]


def test_load_demo_again_restores_edited_demo_rows_and_keeps_other_rows():
    load_demo()
    product = Product.objects.get(sku="LXF01-001")
    title = product.title_en
    Product.objects.filter(pk=product.pk).update(title_en="Changed by a user")
    admin = User.objects.get(username="laixi-admin")
    admin.set_password("forgotten")
    admin.save()
    extra = Organisation.objects.create(kind=OrganisationKind.BUYER, name="Not in the demo")

    load_demo()

    assert Product.objects.get(pk=product.pk).title_en == title
    assert User.objects.get(username="laixi-admin").check_password("admin-demo")
    assert Organisation.objects.filter(pk=extra.pk).exists()


def test_load_demo_sends_products_changed_once_with_every_product(
    django_capture_on_commit_callbacks,
):
    received: list[dict[str, Any]] = []

    def listener(sender: Any, **kwargs: Any) -> None:
        received.append(kwargs)

    products_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            load_demo()
    finally:
        products_changed.disconnect(listener)

    assert len(received) == 1
    assert set(received[0]["product_ids"]) == set(Product.objects.values_list("pk", flat=True))
    assert received[0]["deleted"] is False


# The command -----------------------------------------------------------------------------


def test_demo_command_migrates_loads_and_prints_the_logins_and_url(settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("load_demo", "--addrport", "0.0.0.0:8123", stdout=out)

    text = out.getvalue()
    assert Product.objects.count() >= 400
    for spec in LOGINS:
        line = next(line for line in text.splitlines() if f" {spec.username} " in line)
        assert spec.password in line.split(), spec.username
    assert "莱西市恒木家具有限公司" in text
    assert "http://127.0.0.1:8123/" in text


def test_demo_command_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())
    assert not Product.objects.exists()

    call_command("load_demo", "--force", stdout=StringIO())
    assert Product.objects.count() >= 400


def test_load_demo_again_on_a_later_day_moves_the_fair_back_to_live():
    load_demo()
    fair = Fair.objects.get(name_en=FAIR_NAME_EN)
    earlier = timezone.localdate() - dt.timedelta(days=9)
    Fair.objects.filter(pk=fair.pk).update(
        starts_on=earlier - dt.timedelta(days=1), ends_on=earlier + dt.timedelta(days=2)
    )  # as if it had been loaded nine days ago …
    Session.objects.filter(fair=fair).update(starts_at=F("starts_at") - dt.timedelta(days=9))
    counts = row_counts()

    summary = load_demo()  # … and loaded again today

    fair.refresh_from_db()
    today = timezone.localdate()
    assert (fair.starts_on, fair.ends_on) == (
        today - dt.timedelta(days=1),
        today + dt.timedelta(days=2),
    )
    assert row_counts() == counts
    assert summary.activity is not None and summary.activity.played is False
    assert all(
        fair.starts_on <= timezone.localtime(s.starts_at).date() <= fair.ends_on
        for s in Session.objects.filter(fair=fair)
    )


# The activity: every module has something in every state ----------------------------------


@pytest.mark.usefixtures("demo")
class TestDemoActivity:
    def test_demo_fair_is_live_today_with_halls_booths_sessions_and_documents(self):
        fair = Fair.objects.get(name_en=FAIR_NAME_EN)
        today = timezone.localdate()

        assert fair.is_published and fair.starts_on < today < fair.ends_on
        assert fair.organiser.name == "莱西市商务局"
        assert fair.halls.count() == 3
        booths = Booth.objects.filter(registration__fair=fair)
        assert booths.count() == 7
        for booth in booths:
            assert booth.headline and booth.video_links and booth.live_stream_url
            assert booth.products.count() >= 1
            assert booth.files.get().content_type == "application/pdf"
        assert Session.objects.filter(fair=fair).count() == 5
        assert Session.objects.filter(fair=fair, starts_at__date__gte=today).exists()

    def test_demo_meetings_were_placed_by_the_scheduler_for_buyers_in_three_time_zones(self):
        fair = Fair.objects.get(name_en=FAIR_NAME_EN)
        meetings = Meeting.objects.filter(fair=fair).select_related(
            "first__contact", "second__contact", "slot"
        )
        zones = {
            r.contact.time_zone
            for m in meetings
            for r in (m.first, m.second)
            if r.kind == "visitor"
        }

        assert fair.last_run["placed"] == meetings.count() >= 8
        assert fair.last_run["unplaced"] == 0
        assert {m.status for m in meetings} == {"confirmed"}  # the agendas are published
        assert {"Asia/Ho_Chi_Minh", "Europe/Berlin", "America/New_York"} <= zones
        for m in meetings:  # inside the meeting hours of every side that gave them
            for registration in (m.first, m.second):
                windows = list(registration.availability.all())
                assert not windows or any(
                    w.starts_at <= m.slot.starts_at and m.slot.ends_at <= w.ends_at for w in windows
                )

    def test_demo_fair_meeting_held_yesterday_rated_order_placed_shows_in_the_funnel(self):
        from dualcirc.fair.enums import MeetingResult
        from dualcirc.fair.models import MeetingOutcome
        from dualcirc.fair.outcome_queries import fair_funnel

        fair = Fair.objects.get(name_en=FAIR_NAME_EN)
        placed = MeetingOutcome.objects.filter(
            meeting__fair=fair, result=MeetingResult.ORDER_PLACED
        ).select_related("meeting__slot", "order")
        order = next(o.order for o in placed if o.order is not None)
        yesterday = timezone.localdate() - dt.timedelta(days=1)

        assert placed.count() == 2  # both sides said so
        assert {timezone.localtime(o.meeting.slot.starts_at).date() for o in placed} == {yesterday}
        funnel = fair_funnel(fair)
        counts = {s.key: s.count for s in funnel.stages}
        # Hamburg's three meetings yesterday (today's are held too once the day's slots end)
        assert counts["held"] >= 3 and counts["negotiating"] == 2 and counts["orders"] == 1
        assert order.value_cny is not None and order.value_cny > 0
        assert funnel.orders.value == order.value_cny
        assert set(MeetingOutcome.objects.values_list("result", flat=True)) == set(
            MeetingResult.values
        )

    def test_demo_deals_cover_every_request_quote_and_order_state(self):
        assert set(SourcingRequest.objects.values_list("state", flat=True)) == set(
            RequestState.values
        )
        assert set(Quote.objects.values_list("state", flat=True)) == set(QuoteState.values)
        assert set(Order.objects.values_list("state", flat=True)) == set(OrderState.values)
        assert Offer.objects.filter(number__gte=2).count() >= 4  # counter-offers

    def test_demo_orders_have_milestones_audit_trails_and_payments_in_two_currencies(self):
        shipped = Order.objects.get(state=OrderState.SHIPPED)
        payments = list(shipped.payments.order_by("kind"))
        trail = AuditEntry.objects.filter(subject_type="order", subject_id=shipped.pk)

        assert [(p.kind, p.currency) for p in payments] == [("balance", "CNY"), ("deposit", "USD")]
        assert payments[0].amount_in_order_currency is not None  # converted at a dated rate
        assert [e.to_state for e in trail.exclude(to_state="").order_by("at", "pk")] == [
            "confirmed", "in_production", "ready_for_inspection", "shipped",
        ]  # fmt: skip
        assert shipped.milestones.filter(actual_date__isnull=False).count() == 3
        assert {p.currency for p in Payment.objects.all()} == {"CNY", "EUR", "USD"}

    def test_demo_support_cases_reach_every_step_and_the_enterprise_rated_one(self):
        statuses = set(SupportCase.objects.values_list("status", flat=True))

        assert statuses == set(CaseStatus.values)
        assert SupportCase.objects.filter(rating=5).exists()
        assert SupportCase.objects.filter(source="alert").exists()

    def test_demo_chains_have_leaders_and_missing_weak_and_strong_links(self):
        chains = IndustrialChain.objects.all()
        states = {s.state for chain in chains for s in chain_links(chain)}

        assert chains.count() == 2
        assert all(chain.lead_official and chain.lead_official_title for chain in chains)
        assert states == {"missing", "weak", "strong"}

    def test_demo_projects_are_at_every_stage(self):
        assert set(InvestmentProject.objects.values_list("stage", flat=True)) == set(
            ProjectStage.values
        )

    def test_demo_bureau_counts_enterprises_above_designated_scale(self):
        gov = User.objects.get(username="qingdao-gov")
        scope = resolve_scope(actor=gov, param="region:3702")

        figures = compute_indicators(scope=scope, period="ttm", anchor=last_complete_month())

        assert 0 < figures.above_scale <= figures.enterprises


# The README's logins, and what each of them finds ----------------------------------------

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_logins() -> list[tuple[str, str]]:
    """(username, password) of each row of the README's table of demo logins."""
    rows = re.findall(r"^\|[^|\n]*\| `([^`]+)` \| `([^`]+)` \|", README.read_text(), re.M)
    return [(username, password) for username, password in rows]


def test_readme_lists_exactly_the_logins_the_demo_prints(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    lines = out.getvalue().splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("-----"))
    printed = []
    for line in lines[rule + 1 :]:
        cells = re.split(r"\s{2,}", line.strip())  # role, username, password, organisation
        if len(cells) != 4:
            break
        printed.append((cells[1], cells[2]))

    assert readme_logins() == printed == [(s.username, s.password) for s in LOGINS]


def visible_text(html: str) -> str:
    body = re.sub(r"(?s)<(script|style|header|nav|footer)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


@dataclass(frozen=True)
class Page:
    """A page a role uses and what it must show: each text, and ``css`` at least ``n`` times
    in the HTML."""

    url: str
    texts: tuple[str, ...] = ()
    css: str = ""
    n: int = 1


def pages_for(username: str) -> list[Page]:
    fair = Fair.objects.get(name_en=FAIR_NAME_EN)
    hengmu = Enterprise.objects.get(name_zh="莱西市恒木家具有限公司")
    booth = Booth.objects.get(registration__fair=fair, enterprise=hengmu)
    catalog = [
        Page("/en/products/", css='class="card product-card"', n=20),
        Page("/en/enterprises/", css='class="card', n=10),
        Page("/en/search/?q=solid+wood+dining+table", css='<a class="hit-thumb"', n=3),
        Page(f"/en/fair/{fair.pk}/", texts=("Furniture hall", "Textiles and garments hall")),
        Page(f"/en/fair/booths/{booth.pk}/", texts=("实木餐桌椅 · 工厂直供 · FSC认证",)),
    ]
    user = User.objects.get(username=username)
    org = user.memberships.get().organisation
    if org.kind == OrganisationKind.BUYER:
        request = SourcingRequest.objects.filter(buyer=org).order_by("pk").first()
        order = Order.objects.filter(buyer=org).order_by("pk").first()
        assert request is not None and order is not None
        return [
            *catalog,
            Page("/en/deals/requests/", texts=(request.title,)),
            Page("/en/deals/orders/", texts=(order.number,)),
            Page(f"/en/deals/orders/{order.pk}/", texts=(order.number, order.request.title)),
            Page("/en/deals/conversations/", css="/en/deals/conversations/", n=2),
            Page(f"/en/fair/{fair.pk}/agenda/", texts=("Meeting with",)),
            Page("/en/notifications/", css='<li class="notification unread">', n=3),
        ]
    if org.kind == OrganisationKind.ENTERPRISE:
        order = Order.objects.filter(supplier=hengmu).order_by("pk").first()
        assert order is not None
        return [
            *catalog,
            Page(f"/en/enterprises/{hengmu.pk}/", css='class="card product-card"', n=6),
            Page("/en/deals/invitations/", texts=(order.request.title,)),
            Page("/en/deals/quotes/", texts=("Accepted", "Negotiating")),
            Page("/en/deals/orders/", texts=(order.number,)),
            Page("/en/deals/conversations/", css="/en/deals/conversations/", n=2),
            Page(f"/en/fair/{fair.pk}/agenda/", texts=("Meeting with",)),
            Page("/en/notifications/", css='<li class="notification unread">', n=3),
            Page("/en/demand/", css="<td", n=6),
            Page(f"/en/demand/gaps/{hengmu.pk}/", css='id="gap-table"', n=1),
        ]
    if username == "laixi-organiser":
        return [
            *catalog,
            Page("/en/fair/", texts=(FAIR_NAME_EN,)),
            Page(f"/en/fair/{fair.pk}/manage/", texts=("Exhibitors 7", "Visitors 4")),
            Page("/en/bureau/cases/", texts=("出口订单增加，流动资金贷款需求500万元",)),
        ]
    bureau = [
        Page("/en/bureau/", texts=("Above designated scale",)),
        Page("/en/bureau/alerts/", css="<td", n=1),
        Page("/en/bureau/enterprises/", css="<tr", n=4),
        Page("/en/bureau/report/", texts=("Period report",)),
        Page("/en/demand/", css="<td", n=6),
        Page("/en/demand/bureau/", css="<td", n=3),
    ]
    if username == "qingdao-gov":
        return [
            *catalog,
            *bureau,
            Page("/en/bureau/cases/", texts=("希望对接天猫、京东家居类目招商",)),
            Page("/en/bureau/chains/", texts=("青岛家居产业链",)),
            Page("/en/bureau/projects/", texts=("智能软体家具工厂", "人造板生产线")),
        ]
    if username == "lanxi-gov":
        return [
            *catalog,
            Page("/en/bureau/", texts=("Above designated scale",)),
            Page("/en/bureau/cases/", texts=("招聘外贸业务员（越南语）",)),
            Page("/en/bureau/chains/", texts=("兰溪纺织服装产业链",)),
            Page("/en/bureau/projects/", texts=("数码印花与后整理中心", "再生棉纱项目")),
        ]
    assert username == "operator", username
    return [
        *catalog,
        *bureau,
        Page("/en/deals/dashboard/", texts=("Sourcing requests 12", "Orders 9")),
        Page("/en/deals/orders/", css="DC-20", n=8),
        Page("/en/bureau/chains/", texts=("青岛家居产业链", "兰溪纺织服装产业链")),
        Page(f"/en/fair/{fair.pk}/manage/", texts=("Exhibitors 7",)),
        Page("/en/admin/", texts=("Site administration",)),
    ]


@pytest.fixture(scope="class")
def demo_indexed(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSummary]:
    """The demo with its products in the search index (lexical, and a small fake embedder
    instead of the model: what the worker builds after `dualcirc demo`)."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(SEARCH_EMBEDDER=FAKE_EMBEDDER),
    ):
        get_service().reset()
        summary = load_demo()
        index_products(list(Product.objects.values_list("pk", flat=True)))
        yield summary
        get_service().reset()
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo_indexed")
class TestEveryReadmeLoginFindsRealContent:
    @pytest.mark.parametrize(("username", "password"), readme_logins())
    def test_login_lands_on_a_page_with_content_and_every_module_page_shows_some(
        self, client: Client, username: str, password: str
    ) -> None:
        landing = client.post(
            "/en/accounts/login/", {"username": username, "password": password}, follow=True
        )
        html = landing.content.decode()

        assert landing.status_code == 200
        assert landing.redirect_chain[-1][0].startswith("/en/")  # in the language signed in
        assert len(visible_text(html)) > 500
        home = client.get("/en/").content.decode()
        cards = home.count('<div class="card-media">')
        pictures = home.count('<div class="card-media"><span class="product-art') + home.count(
            '<div class="card-media"><img class="product-photo"'
        )
        assert cards >= 6 and pictures == cards  # a picture on every card, never a grey block
        for page in pages_for(username):
            response = client.get(page.url)
            body = response.content.decode()
            text = visible_text(body)
            assert response.status_code == 200, (username, page.url)
            for expected in page.texts:
                assert expected in text, (username, page.url, expected)
            if page.css:
                assert body.count(page.css) >= page.n, (username, page.url, page.css)
