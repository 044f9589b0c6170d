"""Demo support policies and their delivery: a few policies (免申即享 and to confirm, one
whose rule needs data the platform lacks), matched against the demo enterprises, and
deliveries moved on so that every state shows (eligible, notified, confirmed, paid)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from dualcirc.bureau.demo import _member_of, _official_for
from dualcirc.bureau.domain.policies import (
    confirm_delivery,
    match_policies,
    record_delivery_payment,
)
from dualcirc.bureau.enums import DeliveryState, PolicyMode
from dualcirc.bureau.models import SupportPolicy
from dualcirc.bureau.models.cases import PolicyDelivery
from dualcirc.catalog.models import Enterprise

POLICIES: list[tuple[str, str, str, Decimal, dict[str, Any]]] = [
    # title, summary, mode, amount, rule
    ("外贸企业稳岗补贴", "出口占比30%以上的企业按在岗职工规模给予稳岗补贴，免申即享。",
     PolicyMode.AUTOMATIC, Decimal("50000"), {"min_export_share": Decimal("30")}),
    ("跨境电商发展专项资金", "近12个月出口额1000万元以上的企业，确认收款账户后拨付。",
     PolicyMode.CONFIRM, Decimal("200000"), {"min_exports": Decimal("10000000")}),
    ("中小企业开拓内销市场奖励", "职工300人以下的企业开拓国内电商渠道，确认后拨付。",
     PolicyMode.CONFIRM, Decimal("20000"), {"max_employees": 300}),
    ("研发费用加计扣除奖励", "按上年度研发费用和纳税额给予奖励（平台暂无研发与纳税数据）。",
     PolicyMode.AUTOMATIC, Decimal("100000"), {"needs_data": ["rd_spending", "tax_paid"]}),
]  # fmt: skip


def stage_policy_demo(*, enterprises: QuerySet[Enterprise]) -> dict[str, int]:
    """Create the demo policies (by title; kept when there), match them against
    ``enterprises`` and move a few deliveries on: of each policy to confirm, one confirmed by
    the enterprise and one confirmed and paid; of the automatic one, one paid. Idempotent: a
    delivery already moved is left alone. Returns the number of deliveries in each state."""
    for title, summary, mode, amount, rule in POLICIES:
        SupportPolicy.objects.get_or_create(
            title=title,
            defaults={"summary": summary, "mode": mode, "amount": amount, **rule},
        )
    match_policies(enterprise_ids=list(enterprises.values_list("pk", flat=True)))
    today = timezone.localdate()
    for policy in SupportPolicy.objects.filter(title__in=[p[0] for p in POLICIES]):
        notified = list(
            PolicyDelivery.objects.filter(policy=policy, state=DeliveryState.NOTIFIED)
            .select_related("policy", "enterprise__region")
            .order_by("enterprise__name_zh")
        )
        moved = PolicyDelivery.objects.filter(policy=policy).exclude(
            state__in=[DeliveryState.ELIGIBLE, DeliveryState.NOTIFIED]
        )
        if moved.exists():
            continue
        for i, delivery in enumerate(notified[:2]):
            member, official = _member_of(delivery.enterprise), _official_for(delivery.enterprise)
            if policy.mode == PolicyMode.CONFIRM and member is not None:
                delivery = confirm_delivery(actor=member, delivery=delivery)
            automatic = policy.mode == PolicyMode.AUTOMATIC
            payable = automatic or delivery.state == DeliveryState.CONFIRMED
            if (automatic or i == 1) and payable and official is not None:
                record_delivery_payment(
                    actor=official, delivery=delivery, amount=delivery.amount or Decimal(1),
                    paid_on=today, reference=f"财拨-{delivery.pk:05d}",
                )  # fmt: skip
            if policy.mode == PolicyMode.AUTOMATIC:
                break
    counts: dict[str, int] = dict.fromkeys(DeliveryState.values, 0)
    for state in PolicyDelivery.objects.values_list("state", flat=True):
        counts[state] += 1
    return counts
