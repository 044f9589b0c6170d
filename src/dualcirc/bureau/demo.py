"""Deterministic demo figures: 24 months (by default) for every existing enterprise.

The same enterprises (identified by credit code, else name) get the same figures on every run
and every database; months already reported are left alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dualcirc.bureau import indicators as ind
from dualcirc.bureau.domain.rollups import rebuild_yearly_sales
from dualcirc.bureau.enums import DomesticChannel, ExportMode, FiguresSource
from dualcirc.bureau.models import (
    CountryGroup,
    DomesticSalesLine,
    ExportSalesLine,
    FiguresRevision,
    MonthlyFigures,
    current_settings,
)
from dualcirc.catalog.models import Enterprise

CENT = Decimal("0.01")
DESTINATIONS = ("US", "DE", "JP", "KR", "GB", "VN", "TH", "MY", "ID", "AE", "SA", "RU", "AU")
CHANNELS = (
    DomesticChannel.OFFLINE_WHOLESALE,
    DomesticChannel.TMALL,
    DomesticChannel.JD,
    DomesticChannel.ALIBABA_1688,
    DomesticChannel.DOUYIN,
)


class SeededGroup(NamedTuple):
    """A default country group's names and ISO 3166-1 alpha-2 codes."""

    name_zh: str
    name_en: str
    name_vi: str
    countries: list[str]


# Seeded by the data migrations as well (0002 the names in Chinese and English and the
# countries, 0007 the Vietnamese names); listed here for tests and the demo.
COUNTRY_GROUPS = {
    "asean": SeededGroup(
        "东盟", "ASEAN", "ASEAN", ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"]
    ),
    "belt-and-road": SeededGroup(
        "“一带一路”沿线国家",
        "Belt and Road countries",
        "Các nước “Vành đai và Con đường”",
        ["VN", "TH", "MY", "ID", "PH", "SG", "KH", "LA", "MM", "BN", "PK", "BD", "LK", "NP",
         "KZ", "UZ", "KG", "TJ", "TM", "RU", "BY", "UA", "PL", "CZ", "SK", "HU", "RO", "BG",
         "RS", "GR", "TR", "IR", "IQ", "SA", "AE", "QA", "KW", "OM", "BH", "JO", "IL", "EG",
         "MN"],
    ),
}  # fmt: skip


def ensure_country_groups() -> None:
    """Create the default country groups (ASEAN, Belt and Road) where they are missing, with
    their names in Chinese, English and Vietnamese; groups already there are left alone."""
    for slug, group in COUNTRY_GROUPS.items():
        CountryGroup.objects.get_or_create(
            slug=slug, defaults={**group._asdict(), "countries": list(group.countries)}
        )


def _seed(enterprise: Enterprise) -> int:
    key = (enterprise.credit_code or enterprise.name_zh or enterprise.name_en).encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big")


def not_reported_yet(enterprise: Enterprise) -> bool:
    """The demo enterprises that have not sent the month being collected (one in five)."""
    return _seed(enterprise) % 5 == 0


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(CENT)


def generate_demo_figures(
    *,
    months: int = 24,
    end: dt.date | None = None,
    enterprises: QuerySet[Enterprise] | None = None,
) -> int:
    """Write ``months`` months of figures ending with ``end`` (default: last month) for each of
    ``enterprises`` (default: all), deterministically; returns how many months were written.

    Each enterprise gets a size, an export share, 2–6 destinations and a trend; figures vary
    by season and noise. With the default ``end`` (the month whose reports are being collected)
    one enterprise in five has not reported that month yet, so that the reporting pages show
    who is missing (:func:`stage_reporting_demo` plays the rest of the cycle). Side effects:
    MonthlyFigures with their sales lines and a first FiguresRevision (source ``demo``), the
    YearlySales they sum to; months already reported are skipped.
    """
    today = timezone.localdate()
    collecting = end is None
    end = (end or (today.replace(day=1) - dt.timedelta(days=1))).replace(day=1)
    last = ind.month_index(end.year, end.month)
    span = [last - i for i in range(months - 1, -1, -1)]
    ents = list(
        (enterprises if enterprises is not None else Enterprise.objects.all()).order_by("pk")
    )
    existing = set(
        MonthlyFigures.objects.filter(enterprise__in=ents).values_list("enterprise_id", "month")
    )
    now = timezone.now()
    due_day = current_settings().report_due_day

    def sent_at(month: dt.date) -> dt.datetime:
        """Demo reports arrive three days before they fall due (or now, if that is sooner)."""
        due = (month + dt.timedelta(days=32)).replace(day=due_day) - dt.timedelta(days=3)
        return min(now, timezone.make_aware(dt.datetime.combine(due, dt.time(9))))

    written = 0
    with transaction.atomic():
        figures: list[MonthlyFigures] = []
        lines: list[tuple[MonthlyFigures, dict[Any, Decimal], dict[tuple[str, Any], Decimal]]] = []
        for enterprise in ents:
            rng = random.Random(_seed(enterprise))
            base = rng.uniform(0.3, 6.0) * 1_000_000  # monthly revenue, yuan
            export_share = rng.choice([0.1, 0.3, 0.5, 0.75, 0.9])
            trend = rng.uniform(-0.02, 0.025)
            countries = rng.sample(DESTINATIONS, rng.randint(2, 6))
            weights = [rng.uniform(0.2, 1.0) for _ in countries]
            channels = rng.sample(CHANNELS, rng.randint(2, 4))
            for step, m in enumerate(span):
                year, month = ind.month_parts(m)
                when = dt.date(year, month, 1)
                if (enterprise.pk, when) in existing:
                    continue
                if collecting and m == last and not_reported_yet(enterprise):
                    continue
                season = 1.0 + 0.15 * (month in (10, 11, 12)) - 0.2 * (month == 2)
                revenue = base * (1 + trend) ** step * season * rng.uniform(0.9, 1.1)
                export = revenue * export_share
                domestic = revenue - export
                total_w = sum(weights)
                exports = {
                    (c, ExportMode.GENERAL_TRADE if i else ExportMode.CROSS_BORDER_ECOMMERCE):
                    _money(export * w / total_w)
                    for i, (c, w) in enumerate(zip(countries, weights, strict=True))
                }  # fmt: skip
                dom = {ch: _money(domestic / len(channels)) for ch in channels}
                f = MonthlyFigures(
                    enterprise=enterprise, month=when,
                    output_value=_money(revenue * rng.uniform(1.0, 1.15)),
                    revenue=_money(revenue),
                    domestic_sales=sum(dom.values(), Decimal(0)),
                    export_sales=sum(exports.values(), Decimal(0)),
                    orders_domestic=_money(domestic * rng.uniform(0.8, 1.6)),
                    orders_export=_money(export * rng.uniform(0.8, 1.6)),
                    employees=int(base / 40_000) + rng.randint(0, 10),
                    version=1, source=FiguresSource.DEMO, submitted_at=sent_at(when),
                    updated_at=now,
                )  # fmt: skip
                figures.append(f)
                lines.append((f, dom, exports))
        MonthlyFigures.objects.bulk_create(figures, batch_size=500)
        DomesticSalesLine.objects.bulk_create(
            (
                DomesticSalesLine(figures=f, channel=ch, amount=a)
                for f, dom, _e in lines
                for ch, a in dom.items()
            ),
            batch_size=1000,
        )
        ExportSalesLine.objects.bulk_create(
            (
                ExportSalesLine(
                    figures=f, enterprise_id=f.enterprise_id, month=f.month, country=c, mode=mo,
                    amount=a,
                )
                for f, _d, exports in lines
                for (c, mo), a in exports.items()
            ),
            batch_size=1000,
        )  # fmt: skip
        FiguresRevision.objects.bulk_create(
            (
                FiguresRevision(
                    figures=f, version=1, changed_at=now, source=FiguresSource.DEMO,
                    changes={"revenue": [None, str(f.revenue)]},
                )
                for f in figures
            ),
            batch_size=1000,
        )  # fmt: skip
        rebuild_yearly_sales(enterprise_ids={f.enterprise_id for f in figures})
        written = len(figures)
    return written


def _official_for(enterprise: Enterprise) -> Any:
    """A government user whose region covers ``enterprise`` (None when the demo has none)."""
    from dualcirc.core.access import can_manage_in_region
    from dualcirc.core.enums import OrganisationKind
    from dualcirc.core.models import User

    for user in User.objects.filter(
        memberships__organisation__kind=OrganisationKind.GOVERNMENT, is_active=True
    ).order_by("pk"):
        if can_manage_in_region(user, enterprise.region):
            return user
    return None


def _member_of(enterprise: Enterprise) -> Any:
    from dualcirc.core.models import User

    return (
        User.objects.filter(memberships__organisation_id=enterprise.organisation_id)
        .order_by("pk")
        .first()
    )


def _operator() -> Any:
    from dualcirc.core.enums import OrganisationKind
    from dualcirc.core.models import User

    return (
        User.objects.filter(memberships__organisation__kind=OrganisationKind.OPERATOR)
        .order_by("pk")
        .first()
    )


def stage_reporting_demo(*, enterprises: QuerySet[Enterprise]) -> dict[str, int]:
    """Play the monthly reporting cycle on the demo's figures so that every step shows:
    of the month being collected, one enterprise that had not reported sends figures with a
    confirmed jump (revenue and sales about 2.4 times last month's, explained), one month is
    returned for correction by an official of its region, two are accepted; of the month
    before, two reports came after the deadline. Idempotent: a step already played (or one
    whose enterprise, official or figures are missing) is skipped. Returns the steps played."""
    from dualcirc.bureau.domain.figures import figures_input, submit_figures
    from dualcirc.bureau.domain.reporting import (
        accept_figures,
        collecting_month,
        due_date,
        return_figures,
    )
    from dualcirc.bureau.enums import FiguresStatus

    played = {"jump": 0, "returned": 0, "accepted": 0, "late": 0}
    month = collecting_month()
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    ents = list(enterprises.select_related("region").order_by("pk"))
    reported = {
        f.enterprise_id: f for f in MonthlyFigures.objects.filter(enterprise__in=ents, month=month)
    }
    played_before = {f.status for f in reported.values()}
    has_jump = any(f.jumps for f in reported.values())
    waiting = [e for e in ents if e.pk not in reported and not_reported_yet(e) and not has_jump]
    jumpy = next(iter(waiting), None)
    last = (
        MonthlyFigures.objects.filter(enterprise=jumpy, month=previous)
        .prefetch_related("domestic", "exports").first()
        if jumpy is not None else None
    )  # fmt: skip
    sender = (_member_of(jumpy) or _operator()) if jumpy is not None else None
    if jumpy is not None and last is not None and sender is not None:
        data = figures_input(last)
        scale = Decimal("2.4")
        data.revenue = _money(float((data.revenue or 0) * scale))
        data.output_value = _money(float((data.output_value or 0) * scale))
        data.domestic = {c: _money(float(a * scale)) for c, a in data.domestic.items()}
        data.exports = {k: _money(float(a * scale)) for k, a in data.exports.items()}
        submit_figures(
            actor=sender, enterprise=jumpy, month=month, data=data,
            source=FiguresSource.FORM, enforce_jumps=True, confirm_jumps=True,
            jump_explanation="一笔大额出口订单在本月交货。A large one-off export order shipped "
            "this month.", schedule_tasks=False,
        )  # fmt: skip
        played["jump"] = 1
    untouched = [
        (e, reported[e.pk]) for e in ents
        if e.pk in reported and reported[e.pk].status == FiguresStatus.SUBMITTED
    ]  # fmt: skip
    already_returned = FiguresStatus.RETURNED in played_before
    already_accepted = FiguresStatus.ACCEPTED in played_before
    for i, (enterprise, figures) in enumerate(untouched[:3]):
        official = _official_for(enterprise)
        if official is None:
            continue
        figures.enterprise = enterprise
        if i == 0 and not already_returned:
            return_figures(
                actor=official, figures=figures,
                reason="出口额与海关数据不符，请核对后重新报送。Exports do not match the "
                "customs figures; check them and send the month again.",
            )  # fmt: skip
            played["returned"] = 1
        elif i > 0 and not already_accepted:
            accept_figures(actor=official, figures=figures)
            played["accepted"] += 1
    deadline = due_date(previous)
    late_at = timezone.make_aware(dt.datetime.combine(deadline + dt.timedelta(days=4),
                                                      dt.time(10)))  # fmt: skip
    before = MonthlyFigures.objects.filter(enterprise__in=ents, month=previous)
    if not before.filter(submitted_at=late_at).exists():
        late = list(before.order_by("-enterprise_id").values_list("pk", flat=True)[:2])
        played["late"] = MonthlyFigures.objects.filter(pk__in=late).update(submitted_at=late_at)
    return played
