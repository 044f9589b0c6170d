"""Support policies that reach enterprises (免申即享 where possible).

Matching runs by itself: saving figures or an enterprise profile enqueues
``bureau.tasks.match_policies_task`` for the enterprise once the transaction commits
(:func:`schedule_policy_matching`), saving a policy matches it against its region, and once a
month has ended the enterprises that sent its figures early are matched again
(:func:`match_policies_of_ended_months`, job ``policy-matching`` of ``dualcirc periodic``). An
enterprise that newly qualifies gets one :class:`PolicyDelivery` and its members one
notification saying what it gets and whether it must confirm; a delivery is never created or
notified twice.

A delivery's state changes only in :func:`_move`, along ``DELIVERY_TRANSITIONS``:
eligible → notified → confirmed (policies that need the enterprise's confirmation) → paid.
Every move is a :class:`PolicyDeliveryEvent` (who, when, from, to, note).

A policy whose rule needs data the platform does not hold (``missing_data``) is never matched:
its page lists what is missing instead of silently matching no one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dualcirc.bureau.enums import (
    DELIVERY_TRANSITIONS,
    PLATFORM_DATA,
    DeliveryState,
    PolicyData,
    PolicyMode,
)
from dualcirc.bureau.models import MonthlyFigures, SupportPolicy
from dualcirc.bureau.models.cases import PolicyDelivery, PolicyDeliveryEvent, PolicyMatchingMonth
from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import (
    can_manage_in_region,
    governed_region_paths,
    is_operator,
    member_organisation_ids,
    require,
)
from dualcirc.core.errors import Conflict, FieldError, InvalidInput

CENT = Decimal("0.01")


@dataclass(frozen=True)
class EnterpriseFacts:
    """What the monthly figures say about an enterprise for the policy rules: sums over the
    12 full months before today (``None``: no month reported in that window)."""

    revenue_12m: Decimal | None = None
    exports_12m: Decimal | None = None


def required_data(policy: SupportPolicy) -> list[str]:
    """The data ``policy``'s rule reads (``PolicyData`` values, in their order): one for each
    criterion set, and what ``needs_data`` declares."""
    used = {
        PolicyData.INDUSTRIES: bool(policy.industries),
        PolicyData.EMPLOYEES: policy.min_employees is not None or policy.max_employees is not None,
        PolicyData.EXPORT_SHARE: policy.min_export_share is not None
        or policy.max_export_share is not None,
        PolicyData.REGION: policy.region_id is not None,
        PolicyData.REVENUE_12M: policy.min_revenue is not None,
        PolicyData.EXPORTS_12M: policy.min_exports is not None,
    }
    declared = set(policy.needs_data or [])
    return [d.value for d in PolicyData if used.get(d) or d.value in declared]


def missing_data(policy: SupportPolicy) -> list[str]:
    """The data ``policy``'s rule needs that the platform does not hold (then it is never
    matched automatically)."""
    return [d for d in required_data(policy) if d not in PLATFORM_DATA]


def data_labels(keys: Iterable[str]) -> list[str]:
    """``["rd_spending"]`` → ``["R&D spending"]`` in the active language."""
    return [str(PolicyData(k).label) if k in PolicyData.values else k for k in keys]


def _last_12_months(today: dt.date) -> tuple[dt.date, dt.date]:
    first_of_month = today.replace(day=1)
    return first_of_month.replace(year=first_of_month.year - 1), first_of_month


def enterprise_facts(
    enterprise_ids: Iterable[int] | QuerySet[Any], *, today: dt.date | None = None
) -> dict[int, EnterpriseFacts]:
    """Revenue and exports over the 12 full months before ``today`` of each enterprise that
    reported in that window (one query; ``enterprise_ids`` may be a subquery of ids)."""
    start, end = _last_12_months(today or timezone.localdate())
    if not isinstance(enterprise_ids, QuerySet):
        enterprise_ids = list(enterprise_ids)
    rows = (
        MonthlyFigures.objects.filter(
            enterprise_id__in=enterprise_ids, month__gte=start, month__lt=end
        )
        .values("enterprise_id")
        .annotate(revenue_sum=Sum("revenue"), export_sum=Sum("export_sales"))
        .order_by()
    )
    return {
        r["enterprise_id"]: EnterpriseFacts(
            revenue_12m=r["revenue_sum"], exports_12m=r["export_sum"]
        )
        for r in rows
    }


def _at_least(value: Any, minimum: Any) -> bool:
    return minimum is None or (value is not None and value >= minimum)


def _at_most(value: Any, maximum: Any) -> bool:
    return maximum is None or (value is not None and value <= maximum)


def policy_applies(
    policy: SupportPolicy, enterprise: Enterprise, facts: EnterpriseFacts | None = None
) -> bool:
    """Whether ``enterprise`` meets ``policy``'s rule (empty criteria: any). A criterion on
    data the enterprise has not given (employees, export share, no figures for a revenue
    rule) is not met; a rule that needs data the platform lacks never applies."""
    if missing_data(policy):
        return False
    if policy.industries and not set(policy.industries) & set(enterprise.industries or []):
        return False
    facts = facts or EnterpriseFacts()
    checks = (
        _at_least(enterprise.employees, policy.min_employees),
        _at_most(enterprise.employees, policy.max_employees),
        _at_least(enterprise.export_share, policy.min_export_share),
        _at_most(enterprise.export_share, policy.max_export_share),
        _at_least(facts.revenue_12m, policy.min_revenue),
        _at_least(facts.exports_12m, policy.min_exports),
    )
    if not all(checks):
        return False
    return policy.region is None or enterprise.region.path.startswith(policy.region.path)


def matching_policies(enterprise: Enterprise) -> list[SupportPolicy]:
    """The active policies ``enterprise`` is eligible for now (two queries)."""
    facts = enterprise_facts([enterprise.pk]).get(enterprise.pk)
    return [
        p
        for p in SupportPolicy.objects.filter(active=True).select_related("region")
        if policy_applies(p, enterprise, facts)
    ]


def schedule_policy_matching(enterprise_ids: Iterable[int]) -> None:
    """Once the current transaction commits, enqueue ``match_policies_task`` for
    ``enterprise_ids``. Called when figures or a profile are saved. A failure to enqueue is
    logged, never raised: what was saved stays saved, and the next change matches again."""
    ids = sorted({int(i) for i in enterprise_ids})
    if not ids:
        return

    def enqueue() -> None:
        from dualcirc.bureau.tasks import match_policies_task

        match_policies_task.enqueue(ids)

    transaction.on_commit(enqueue, robust=True)


def describe_delivery(delivery: PolicyDelivery) -> str:
    """``外贸稳岗补贴 (CNY 50,000.00)``: what the enterprise gets (a notification's target)."""
    if delivery.amount is None:
        return f"“{delivery.policy.title}”"
    return f"“{delivery.policy.title}” ({delivery.currency} {delivery.amount:,.2f})"


def _members(organisation_id: int) -> list[Any]:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    return list(
        user_model.objects.filter(
            memberships__organisation_id=organisation_id, is_active=True
        ).distinct()
    )


def _tell_members(
    organisation_id: int, verb: str, delivery: PolicyDelivery, *, actor: Any = None
) -> int:
    """Notify the organisation's active members of ``delivery``, each with a link to their
    policies page in their own language (the notification's URL carries the language)."""
    from dualcirc.notify.domain import notify

    by_language: dict[str, list[Any]] = {}
    for user in _members(organisation_id):
        language = user.preferred_language or settings.LANGUAGE_CODE
        by_language.setdefault(language, []).append(user)
    for language, users in by_language.items():
        with translation.override(language):
            url = reverse("bureau:my-policies")
        notify(users, verb, describe_delivery(delivery), url, actor=actor)
    return sum(len(u) for u in by_language.values())


def _move(
    delivery: PolicyDelivery, to: str, *, by: Any, now: dt.datetime, note: str = ""
) -> PolicyDelivery:
    """The one place a delivery's state changes: checks the move against
    ``DELIVERY_TRANSITIONS`` and the policy's mode, stamps its time and records the event.
    The caller saves the delivery's other fields with it (inside its transaction)."""
    allowed = DELIVERY_TRANSITIONS.get(delivery.state, ())
    needs_confirmation = delivery.policy.mode == PolicyMode.CONFIRM
    if (
        to not in allowed
        or (to == DeliveryState.CONFIRMED and not needs_confirmation)
        or (to == DeliveryState.PAID and needs_confirmation
            and delivery.state != DeliveryState.CONFIRMED)
    ):  # fmt: skip
        raise Conflict(
            _("A delivery that is %(state)s cannot become %(to)s.")
            % {
                "state": DeliveryState(delivery.state).label,
                "to": DeliveryState(to).label if to in DeliveryState.values else to,
            }
        )
    by_user = by if getattr(by, "pk", None) else None
    PolicyDeliveryEvent.objects.create(
        delivery=delivery, at=now, by=by_user, from_state=delivery.state, to_state=to, note=note
    )
    delivery.state = to
    if to == DeliveryState.NOTIFIED:
        delivery.notified_at = now
    elif to == DeliveryState.CONFIRMED:
        delivery.confirmed_at, delivery.confirmed_by = now, by_user
    return delivery


def _notify_eligible(deliveries: list[PolicyDelivery], *, now: dt.datetime) -> int:
    """Tell each eligible delivery's enterprise (its active members) what it gets and whether
    it must confirm; move the delivery to *notified*. A delivery of an enterprise with no
    members stays *eligible* until a later matching finds someone to tell."""
    told = 0
    for delivery in deliveries:
        if not _members(delivery.enterprise.organisation_id):
            continue
        verb = (
            "policy_granted" if delivery.policy.mode == PolicyMode.AUTOMATIC
            else "policy_to_confirm"
        )  # fmt: skip
        with transaction.atomic():
            locked = (
                PolicyDelivery.objects.select_for_update()
                .select_related("policy")
                .get(pk=delivery.pk)
            )
            if locked.state != DeliveryState.ELIGIBLE:
                continue  # another run told them meanwhile
            _tell_members(delivery.enterprise.organisation_id, verb, locked)
            # another run may have made it eligible after this run began: never before that
            _move(locked, DeliveryState.NOTIFIED, by=None, now=max(now, locked.eligible_at))
            locked.save(update_fields=["state", "notified_at"])
            told += 1
    return told


def match_policies(
    *,
    enterprise_ids: Iterable[int] | QuerySet[Any] | None = None,
    policy_ids: Iterable[int] | None = None,
    now: dt.datetime | None = None,
) -> list[PolicyDelivery]:
    """Match active policies (those of ``policy_ids``, else all) against enterprises (those
    of ``enterprise_ids``, else every one in the policies' regions); returns the deliveries
    created by this run.

    Side effects: one PolicyDelivery (*eligible*, with the policy's amount) and its event for
    each enterprise that newly qualifies — never a second one for the same policy and
    enterprise, even when two runs race (the unique constraint decides); then every still
    *eligible* delivery of those enterprises is notified (``_notify_eligible``). An enterprise
    that no longer qualifies keeps what it was granted.
    """
    now = now or timezone.now()
    policies_qs = SupportPolicy.objects.filter(active=True).select_related("region")
    if policy_ids is not None:
        policies_qs = policies_qs.filter(pk__in=list(policy_ids))
    policies = [p for p in policies_qs if not missing_data(p)]
    if not policies:
        return []
    enterprises_qs = Enterprise.objects.select_related("region")
    if enterprise_ids is not None:
        wanted = enterprise_ids if isinstance(enterprise_ids, QuerySet) else list(enterprise_ids)
        enterprises_qs = enterprises_qs.filter(pk__in=wanted)
    elif all(p.region is not None for p in policies):
        where = Q(pk__in=[])
        for p in policies:
            assert p.region is not None  # checked above; for mypy
            where |= Q(region__path__startswith=p.region.path)
        enterprises_qs = enterprises_qs.filter(where)
    enterprises = list(enterprises_qs)
    # A subquery, not a list of ids: a policy for everywhere reaches every enterprise, more
    # than SQLite takes as parameters of one statement.
    ids = enterprises_qs.values("pk")
    facts = enterprise_facts(ids, today=timezone.localdate(now))
    existing = set(
        PolicyDelivery.objects.filter(
            policy__in=[p.pk for p in policies], enterprise__in=ids
        ).values_list("policy_id", "enterprise_id")
    )
    created: list[PolicyDelivery] = []
    for enterprise in enterprises:
        for policy in policies:
            if (policy.pk, enterprise.pk) in existing:
                continue
            if not policy_applies(policy, enterprise, facts.get(enterprise.pk)):
                continue
            delivery = PolicyDelivery(
                policy=policy, enterprise=enterprise, state=DeliveryState.ELIGIBLE,
                amount=policy.amount, currency=policy.currency, eligible_at=now,
            )  # fmt: skip
            try:
                with transaction.atomic():
                    delivery.save()
                    PolicyDeliveryEvent.objects.create(
                        delivery=delivery, at=now, to_state=DeliveryState.ELIGIBLE,
                        note=_("Matched by the policy's rule."),
                    )  # fmt: skip
            except IntegrityError:
                continue  # another run created it first: it notifies
            created.append(delivery)
    pending = list(
        PolicyDelivery.objects.filter(enterprise__in=ids, state=DeliveryState.ELIGIBLE)
        .select_related("policy", "enterprise")
        .order_by("pk")
    )
    _notify_eligible(pending, now=now)
    return created


def _first_of_next_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def match_policies_of_ended_months(*, now: dt.datetime | None = None) -> int:
    """Match again the enterprises that sent a month's figures before that month ended, now
    that it counts: the rules read the 12 full months before today, so figures sent during
    their own month were matched (at submission) when they did not count yet. Handles each
    month that ended since the last run (the first run: last month only; at most the 12 months
    the rules read), then records it; a month already handled costs one query. Figures sent
    after their month ended were matched at submission, the month counting: not again.

    Side effects: those of ``match_policies`` (one call for all the enterprises), then one
    PolicyMatchingMonth per month handled — after the matching, so that a failed run is
    retried by the next one; a run that races it only finds the deliveries already made.
    Returns how many deliveries were created.
    """
    now = now or timezone.now()
    last = timezone.localdate(now).replace(day=1) - dt.timedelta(days=1)
    last = last.replace(day=1)  # the last month that has ended
    handled = PolicyMatchingMonth.objects.order_by("-month").values_list("month", flat=True)
    previous = handled.first()
    if previous is not None and previous >= last:
        return 0
    # the first of the 12 months the rules read today: an older one counts in no window
    oldest = _first_of_next_month(last.replace(year=last.year - 1))
    month = last if previous is None else max(_first_of_next_month(previous), oldest)
    months = []
    while month <= last:
        months.append(month)
        month = _first_of_next_month(month)
    sent_early = Q(pk__in=[])
    for month in months:
        ended = timezone.make_aware(dt.datetime.combine(_first_of_next_month(month), dt.time()))
        sent_early |= Q(month=month, updated_at__lt=ended)
    ids = sorted(
        set(MonthlyFigures.objects.filter(sent_early).values_list("enterprise_id", flat=True))
    )
    created = match_policies(enterprise_ids=ids, now=now) if ids else []
    PolicyMatchingMonth.objects.bulk_create(
        [PolicyMatchingMonth(month=m, matched_at=now, enterprises=len(ids)) for m in months],
        ignore_conflicts=True,  # a run racing this one recorded it first
    )
    return len(created)


def match_policies_for_month(month: dt.date) -> list[PolicyDelivery]:
    """Match every active policy against the enterprises that reported ``month``. Only for
    ``tasks.match_month_policies_task``, which jobs queued before figures started queueing
    matching for their own enterprise (2026-12-07) still name; nothing queues it now."""
    reported = MonthlyFigures.objects.filter(month=month.replace(day=1)).values("enterprise_id")
    return match_policies(enterprise_ids=reported)


def _lock_delivery(delivery: PolicyDelivery) -> PolicyDelivery:
    """``delivery`` read again under a row lock with its policy and enterprise (inside the
    caller's transaction), so that two moves of one delivery run one after the other."""
    return (
        PolicyDelivery.objects.select_for_update()
        .select_related("policy", "enterprise")
        .get(pk=delivery.pk)
    )


def confirm_delivery(
    *, actor: Any, delivery: PolicyDelivery, now: dt.datetime | None = None
) -> PolicyDelivery:
    """The enterprise confirms it takes up a policy that needs its confirmation (its members
    only). Side effects: the delivery becomes *confirmed* (who, when) with its event."""
    require(
        delivery.enterprise.organisation_id in member_organisation_ids(actor),
        _("Only the enterprise itself confirms a policy."),
    )
    if delivery.policy.mode != PolicyMode.CONFIRM:
        raise Conflict(_("This policy is granted without an application; nothing to confirm."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_delivery(delivery)
        _move(locked, DeliveryState.CONFIRMED, by=actor, now=now)
        locked.save(update_fields=["state", "confirmed_at", "confirmed_by"])
    return locked


def record_delivery_payment(
    *,
    actor: Any,
    delivery: PolicyDelivery,
    amount: Decimal,
    paid_on: dt.date,
    reference: str = "",
    now: dt.datetime | None = None,
) -> PolicyDelivery:
    """The bureau records that ``delivery`` was paid (government of the enterprise's region,
    operator). A policy that needs confirmation is paid only once confirmed. The amount is in
    the delivery's currency, positive; the date not in the future.

    Side effects: the delivery becomes *paid* (amount, date, reference, who) with its event;
    the enterprise's members are told.
    """
    require(can_manage_in_region(actor, delivery.enterprise.region))
    errors = []
    if amount is None or amount <= 0:
        errors.append(FieldError("amount", _("Give the amount paid, more than zero.")))
    elif amount != amount.quantize(CENT):
        errors.append(FieldError("amount", _("Give the amount to the cent.")))
    if paid_on is None or paid_on > timezone.localdate():
        errors.append(FieldError("paid_on", _("The date is in the future.")))
    if errors:
        raise InvalidInput(_("The input is not valid."), errors)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_delivery(delivery)
        note = f"{locked.currency} {amount:,.2f}" + (f" · {reference.strip()}" if reference else "")
        _move(locked, DeliveryState.PAID, by=actor, now=now, note=note)
        locked.paid_amount, locked.paid_on = amount, paid_on
        locked.payment_reference = reference.strip()[:100]
        locked.paid_by = actor if getattr(actor, "pk", None) else None
        locked.save(
            update_fields=["state", "paid_amount", "paid_on", "payment_reference", "paid_by"]
        )
        _tell_members(locked.enterprise.organisation_id, "policy_paid", locked, actor=actor)
    return locked


@dataclass
class DeliveryTally:
    """How far a policy (or all of them) reached the enterprises of a scope."""

    eligible: int = 0
    notified: int = 0
    confirmed: int = 0
    paid: int = 0
    granted: dict[str, Decimal] = field(default_factory=dict)  # currency → amount
    paid_amount: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.eligible + self.notified + self.confirmed + self.paid

    @property
    def granted_items(self) -> list[tuple[str, Decimal]]:
        """``[("CNY", Decimal(...)), …]``, the main currency first (for templates)."""
        return sorted(self.granted.items(), key=lambda kv: (kv[0] != "CNY", kv[0]))

    @property
    def paid_items(self) -> list[tuple[str, Decimal]]:
        return sorted(self.paid_amount.items(), key=lambda kv: (kv[0] != "CNY", kv[0]))

    def add(self, state: str, n: int, currency: str, granted: Any, paid: Any) -> None:
        setattr(self, state, getattr(self, state) + n)
        if granted:
            self.granted[currency] = self.granted.get(currency, Decimal(0)) + granted
        if paid:
            self.paid_amount[currency] = self.paid_amount.get(currency, Decimal(0)) + paid


def delivery_tallies(
    deliveries: QuerySet[PolicyDelivery],
) -> tuple[dict[int, DeliveryTally], DeliveryTally]:
    """Counts by state and amounts (granted, paid; by currency) per policy and in all, of
    ``deliveries`` (one grouped query). A delivery counts in its current state only."""
    per_policy: dict[int, DeliveryTally] = {}
    overall = DeliveryTally()
    rows = (
        deliveries.values("policy_id", "state", "currency")
        .annotate(n=Count("id"), granted=Sum("amount"), paid=Sum("paid_amount"))
        .order_by()
    )
    for r in rows:
        args = (r["state"], r["n"], r["currency"], r["granted"], r["paid"])
        per_policy.setdefault(r["policy_id"], DeliveryTally()).add(*args)
        overall.add(*args)
    return per_policy, overall


def deliveries_of(user: Any) -> QuerySet[PolicyDelivery]:
    """The deliveries of the enterprises ``user`` is a member of (newest first)."""
    return PolicyDelivery.objects.filter(
        enterprise__organisation_id__in=member_organisation_ids(user)
    ).select_related("policy", "enterprise")


def visible_policies(user: Any) -> QuerySet[SupportPolicy]:
    """Policies a bureau user may look at: every one for an operator; for a government, those
    applying everywhere, in its region or below, or in a region above it."""
    policies = SupportPolicy.objects.select_related("region")
    if is_operator(user):
        return policies
    where = Q(region__isnull=True)
    for path in governed_region_paths(user):
        parts = path.strip("/").split("/")
        ancestors = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
        where |= Q(region__path__startswith=path) | Q(region__path__in=ancestors)
    return policies.filter(where)


def managed_deliveries(user: Any) -> QuerySet[PolicyDelivery]:
    """Deliveries to enterprises of the regions ``user`` manages (every one for an operator)."""
    if is_operator(user):
        return PolicyDelivery.objects.all()
    where = Q(pk__in=[])
    for path in governed_region_paths(user):
        where |= Q(enterprise__region__path__startswith=path)
    return PolicyDelivery.objects.filter(where)
