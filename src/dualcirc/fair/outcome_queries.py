"""Reads of meeting outcomes: the organiser's funnel, the exhibitor's scored leads, and the
orders (with their value) that came of fairs, for the bureau's report.

Money: an order made through the platform counts with its deals value (its CNY value as
recorded when it was made, else its total converted); an order the sides say they made outside
the platform counts with the value they stated. One currency (CNY by default), converted with
the l10n rates (a Converter: each pair read once); an amount with no known rate is counted as
an order and named in ``unpriced``, never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualcirc.core.access import member_organisation_ids
from dualcirc.core.models import Membership
from dualcirc.fair.domain.outcomes import rating_side
from dualcirc.fair.enums import (
    MeetingResult,
    MeetingStatus,
    RegistrationKind,
    RegistrationStatus,
    Wish,
)
from dualcirc.fair.models import (
    BoothDocumentOpen,
    BoothVisit,
    Fair,
    Lead,
    Meeting,
    MeetingOutcome,
    MeetingPreference,
    Registration,
)
from dualcirc.l10n import local_name
from dualcirc.l10n.rates import Converter, RateMissing

ZERO = Decimal(0)
# How far each result goes, to pick the furthest of the two sides' answers.
RESULT_RANK = {
    MeetingResult.NO_INTEREST: 0,
    MeetingResult.SAMPLES: 1,
    MeetingResult.NEGOTIATING: 2,
    MeetingResult.ORDER_PLACED: 3,
}


def held_meetings(*, now: datetime | None = None) -> QuerySet[Meeting]:
    """Confirmed meetings whose slot has ended (fair.domain.outcomes.meeting_held)."""
    return Meeting.objects.filter(
        status=MeetingStatus.CONFIRMED, slot__ends_at__lte=now or timezone.now()
    )


def meeting_with_side(user: Any, meeting_id: int) -> tuple[Meeting, Registration] | None:
    """The meeting ``meeting_id`` with what its outcome page and API show (fair, slot, room,
    both sides with their organisations) and the side ``user`` answers for
    (fair.domain.outcomes.rating_side); None when there is no such meeting or ``user`` is
    neither side, so a caller tells an outsider nothing of its existence."""
    meeting = (
        Meeting.objects.select_related(
            "fair", "slot", "room", "first__organisation", "second__organisation"
        )
        .filter(pk=meeting_id)
        .first()
    )
    side = rating_side(user, meeting) if meeting is not None else None
    if meeting is None or side is None:
        return None
    return meeting, side


def meetings_of_order(user: Any, order: Any) -> list[Meeting]:
    """The 1:1 meetings whose outcome, given by the side ``user`` answers for
    (fair.domain.outcomes.rating_side: the first side when ``user`` belongs to both), names
    ``order``, with their fair and slot, earliest first. Each side's answer is its own (the
    outcome page promises the other side does not see it), so a side whose counterpart alone
    named the order sees no link, and anyone else (the operator) none. One query."""
    orgs = member_organisation_ids(user)
    if not orgs:
        return []
    first_is_mine = Q(first__organisation_id__in=orgs)
    # One filter() call, so both conditions hold for the same outcome row.
    named_by_my_side = Q(outcomes__order=order) & (
        (first_is_mine & Q(outcomes__registration_id=F("first_id")))
        | (
            ~first_is_mine
            & Q(second__organisation_id__in=orgs)
            & Q(outcomes__registration_id=F("second_id"))
        )
    )
    return list(
        Meeting.objects.filter(named_by_my_side)
        .select_related("fair", "slot")
        .distinct()
        .order_by("slot__starts_at", "pk")
    )


@dataclass
class MeetingOrders:
    """The orders that came of a set of meetings, in one currency."""

    currency: str
    meetings: int = 0  # meetings at least one side says led to an order
    orders: int = 0  # orders counted: distinct deals orders, else one per meeting
    value: Decimal = ZERO
    through_platform: int = 0
    unpriced: int = 0  # orders counted whose value could not be converted (or was not given)
    by_fair: dict[int, tuple[int, Decimal]] = field(default_factory=dict)


def meeting_orders(
    meetings: QuerySet[Meeting], *, currency: str = "CNY", on: date | None = None
) -> MeetingOrders:
    """The orders that came of ``meetings``: each meeting where either side says "order
    placed" counts; its value is that of the distinct deals orders either side linked, else
    the value a side stated (the exhibitor's word first). Two queries."""
    out = MeetingOrders(currency=currency.upper())
    converter = Converter(on)
    rows = (
        MeetingOutcome.objects.filter(meeting__in=meetings, result=MeetingResult.ORDER_PLACED)
        .select_related("order", "registration", "meeting")
        .order_by("meeting_id", "registration__kind", "pk")  # exhibitor before visitor
    )
    per_meeting: dict[int, list[MeetingOutcome]] = defaultdict(list)
    for row in rows:
        per_meeting[row.meeting_id].append(row)
    seen_orders: set[int] = set()
    by_fair: dict[int, list[Any]] = defaultdict(lambda: [0, ZERO])
    for answers in per_meeting.values():
        fair_id = answers[0].meeting.fair_id
        out.meetings += 1
        linked = [a.order for a in answers if a.order is not None]
        amounts: list[tuple[Decimal, str] | None] = []
        if linked:
            for order in linked:
                if order.pk in seen_orders:
                    continue
                seen_orders.add(order.pk)
                out.through_platform += 1
                if out.currency == "CNY" and order.value_cny is not None:
                    amounts.append((order.value_cny, "CNY"))
                else:
                    amounts.append((order.total_amount, order.currency))
        else:
            stated = [(a.order_value, a.order_currency) for a in answers if a.order_value]
            amounts.append(stated[0] if stated else None)
        for amount in amounts:
            out.orders += 1
            by_fair[fair_id][0] += 1
            if amount is None:
                out.unpriced += 1
                continue
            try:
                value = converter.convert(amount[0], amount[1], out.currency).converted
            except RateMissing:
                out.unpriced += 1
                continue
            out.value += value
            by_fair[fair_id][1] += value
    out.by_fair = {k: (v[0], v[1]) for k, v in by_fair.items()}
    return out


# --- the organiser's funnel ------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStage:
    key: str
    label: str
    count: int


@dataclass
class Funnel:
    stages: list[FunnelStage]
    orders: MeetingOrders
    rated_meetings: int  # held meetings at least one side rated
    average_rating: Decimal | None


STAGE_LABELS = {
    "registrations": gettext_lazy("Registrations"),
    "requests": gettext_lazy("Meeting requests"),
    "scheduled": gettext_lazy("Meetings scheduled"),
    "held": gettext_lazy("Meetings held"),
    "negotiating": gettext_lazy("Negotiating or further"),
    "orders": gettext_lazy("Orders"),
}


def fair_funnel(fair: Fair, *, now: datetime | None = None, currency: str = "CNY") -> Funnel:
    """Registrations (approved) → meeting requests (pairs where at least one side wants to
    meet) → meetings scheduled (published and not cancelled) → held → negotiating or further
    (either side says so) → orders, with their value in ``currency``."""
    now = now or timezone.now()
    registrations = Registration.objects.filter(
        fair=fair, status=RegistrationStatus.APPROVED
    ).count()
    pairs = {
        frozenset(p)
        for p in MeetingPreference.objects.filter(owner__fair=fair)
        .exclude(wish=Wish.NO)
        .values_list("owner_id", "other_id")
    }
    scheduled = Meeting.objects.filter(fair=fair, status=MeetingStatus.CONFIRMED)
    held = held_meetings(now=now).filter(fair=fair)
    outcomes = MeetingOutcome.objects.filter(meeting__in=held)
    further = (
        outcomes.filter(result__in=[MeetingResult.NEGOTIATING, MeetingResult.ORDER_PLACED])
        .values("meeting_id")
        .distinct()
        .count()
    )
    orders = meeting_orders(held, currency=currency)
    summary = outcomes.aggregate(n=Count("meeting_id", distinct=True), total=Sum("rating"))
    ratings = outcomes.count()
    counts = {
        "registrations": registrations,
        "requests": len(pairs),
        "scheduled": scheduled.count(),
        "held": held.count(),
        "negotiating": further,
        "orders": orders.orders,
    }
    return Funnel(
        stages=[FunnelStage(k, str(STAGE_LABELS[k]), n) for k, n in counts.items()],
        orders=orders,
        rated_meetings=summary["n"] or 0,
        average_rating=(Decimal(summary["total"]) / ratings).quantize(Decimal("0.1"))
        if ratings
        else None,
    )


# --- the exhibitor's leads ---------------------------------------------------------------------

# Points per signal of interest (shown on the leads page: docs/fair.md, "Leads").
POINTS = {
    "visits": 1,
    "documents": 2,
    "contacts": 5,
    "conversations": 5,
    "requests": 5,
    "meetings": 10,
}
CAPS = {"visits": 10, "documents": 10}  # a reader clicking all day is one keen buyer, not ten
RESULT_POINTS = {
    MeetingResult.NO_INTEREST: 0,
    MeetingResult.SAMPLES: 10,
    MeetingResult.NEGOTIATING: 20,
    MeetingResult.ORDER_PLACED: 40,
}


@dataclass
class LeadScore:
    organisation_id: int
    name: str  # in the active language where the buyer has one (``name_en``), else the original
    country: str
    visits: int = 0
    documents: int = 0
    contacts: int = 0
    conversations: int = 0
    requests: int = 0
    meetings: int = 0
    result: str = ""  # the furthest answer of either side
    rating: int | None = None  # the visitor side's rating

    @property
    def result_label(self) -> str:
        return str(MeetingResult(self.result).label) if self.result else ""

    @property
    def score(self) -> int:
        total = 0
        for key, points in POINTS.items():
            count = getattr(self, key)
            total += points * min(count, CAPS.get(key, count))
        return total + (RESULT_POINTS[MeetingResult(self.result)] if self.result else 0)


def _user_organisations(user_ids: Iterable[int]) -> dict[int, int]:
    """Each user's organisation (the first they joined), one query."""
    out: dict[int, int] = {}
    for user_id, org_id in (
        Membership.objects.filter(user_id__in=set(user_ids))
        .order_by("pk")
        .values_list("user_id", "organisation_id")
    ):
        out.setdefault(user_id, org_id)
    return out


def lead_scores(
    registration: Registration, *, now: datetime | None = None, sort: str = "-score"
) -> list[LeadScore]:
    """The buyers who showed interest in ``registration``'s booth (an exhibitor), each with
    what they did and a score (``POINTS``, ``CAPS``, ``RESULT_POINTS``): booth visits and
    documents opened by their people, contact requests, conversations with the exhibitor's
    enterprise, meeting requests, meetings held and the furthest outcome either side gave.
    Anonymous visits are not leads. A fixed number of queries, whatever the leads.
    ``sort``: a LeadScore field or ``score``, ``-`` first for descending."""
    from dualcirc.core.models import Organisation
    from dualcirc.deals.models import Conversation

    booth = registration.booth
    fair_id = registration.fair_id
    own = registration.organisation_id
    per_user: dict[str, dict[int, int]] = {"visits": {}, "documents": {}, "contacts": {}}
    for user_id, n in (
        BoothVisit.objects.filter(booth=booth, visitor__isnull=False)
        .values_list("visitor_id")
        .annotate(n=Sum("count"))
    ):
        per_user["visits"][user_id] = n
    for user_id, n in (
        BoothDocumentOpen.objects.filter(document__booth=booth, visitor__isnull=False)
        .values_list("visitor_id")
        .annotate(n=Sum("count"))
    ):
        per_user["documents"][user_id] = n
    for user_id, n in (
        Lead.objects.filter(booth=booth).values_list("visitor_id").annotate(n=Count("id"))
    ):
        per_user["contacts"][user_id] = n
    orgs_of = _user_organisations(uid for counts in per_user.values() for uid in counts)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, by_user in per_user.items():
        for user_id, n in by_user.items():
            org = orgs_of.get(user_id)
            if org is not None and org != own:
                counts[org][key] += n
    for org, n in (
        Conversation.objects.filter(supplier=booth.enterprise)
        .values_list("buyer_id")
        .annotate(n=Count("id"))
    ):
        counts[org]["conversations"] += n
    visitors = dict(
        Registration.objects.filter(fair_id=fair_id)
        .exclude(pk=registration.pk)
        .values_list("pk", "organisation_id")
    )
    for owner_id in (
        MeetingPreference.objects.filter(other=registration)
        .exclude(wish=Wish.NO)
        .values_list("owner_id", flat=True)
    ):
        if owner_id in visitors:
            counts[visitors[owner_id]]["requests"] += 1
    held = held_meetings(now=now).filter(Q(first=registration) | Q(second=registration))
    results: dict[int, str] = {}
    ratings: dict[int, int] = {}
    for m in held.values("pk", "first_id", "second_id"):
        other = m["second_id"] if m["first_id"] == registration.pk else m["first_id"]
        if other in visitors:
            counts[visitors[other]]["meetings"] += 1
    for o in MeetingOutcome.objects.filter(meeting__in=held).values(
        "meeting__first_id", "meeting__second_id", "registration_id", "result", "rating"
    ):
        a, b = o["meeting__first_id"], o["meeting__second_id"]
        other = b if a == registration.pk else a
        org = visitors.get(other)
        if org is None:
            continue
        rank = RESULT_RANK[MeetingResult(o["result"])]
        if org not in results or rank > RESULT_RANK[MeetingResult(results[org])]:
            results[org] = o["result"]
        if o["registration_id"] == other:
            ratings[org] = o["rating"]
    orgs = {
        o.pk: o
        for o in Organisation.objects.filter(pk__in=set(counts) | set(results)).exclude(pk=own)
    }
    leads = []
    for org_id, buyer in orgs.items():
        c = counts.get(org_id, {})
        leads.append(
            LeadScore(
                organisation_id=org_id,
                name=local_name(buyer),  # the viewer's language, else the original
                country=buyer.country,
                visits=c.get("visits", 0),
                documents=c.get("documents", 0),
                contacts=c.get("contacts", 0),
                conversations=c.get("conversations", 0),
                requests=c.get("requests", 0),
                meetings=c.get("meetings", 0),
                result=results.get(org_id, ""),
                rating=ratings.get(org_id),
            )
        )
    return sort_leads(leads, sort)


SORT_KEYS = (
    "score",
    "name",
    "country",
    "visits",
    "documents",
    "contacts",
    "conversations",
    "requests",
    "meetings",
    "result",
)


def sort_leads(leads: list[LeadScore], sort: str) -> list[LeadScore]:
    """``leads`` by ``sort`` (a SORT_KEYS name, ``-`` first for descending; else by score),
    ties by name."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        key, descending = "score", True

    def value(lead: LeadScore) -> Any:
        if key == "result":
            return RESULT_RANK[MeetingResult(lead.result)] if lead.result else -1
        return getattr(lead, key)

    leads = sorted(leads, key=lambda lead: lead.name)
    return sorted(leads, key=value, reverse=descending)


def lead_table(leads: list[LeadScore]) -> tuple[list[str], list[list[Any]]]:
    """The leads as an export's header and rows (numbers stay numbers)."""
    header = [
        _("Buyer"),
        _("Country"),
        _("Score"),
        _("Booth visits"),
        _("Documents opened"),
        _("Contact requests"),
        _("Conversations"),
        _("Meeting requests"),
        _("Meetings held"),
        _("What followed"),
        _("Buyer's rating"),
    ]
    rows = [
        [
            lead.name,
            lead.country,
            lead.score,
            lead.visits,
            lead.documents,
            lead.contacts,
            lead.conversations,
            lead.requests,
            lead.meetings,
            lead.result_label,
            lead.rating if lead.rating is not None else "",
        ]
        for lead in leads
    ]
    return [str(h) for h in header], rows


def exhibitor_registrations(user: Any, fair: Fair) -> list[Registration]:
    """The exhibitor registrations of ``fair`` that ``user`` is a member of (not the operator:
    leads are the exhibitor's own)."""
    from dualcirc.core.access import member_organisation_ids

    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Registration.objects.filter(
            fair=fair,
            kind=RegistrationKind.EXHIBITOR,
            organisation_id__in=member_organisation_ids(user),
        )
        .select_related("organisation", "booth")
        .order_by("pk")
    )


# --- the bureau's figure -------------------------------------------------------------------------


@dataclass(frozen=True)
class FairOrders:
    """Orders that came of fair meetings held in a period, whose exhibitor is in a scope."""

    orders: MeetingOrders
    meetings_held: int
    fairs: list[tuple[str, int, int, Decimal]]  # fair name, meetings held, orders, value


def fair_orders_in_scope(
    enterprises: QuerySet[Any], *, first_day: date, last_day: date, currency: str = "CNY"
) -> FairOrders:
    """The meetings held from ``first_day`` to ``last_day`` (the slot's day in the site's time
    zone) where one side is an exhibitor whose enterprise is among ``enterprises``, and the
    orders that came of them as known today (an order placed later still counts for the
    meeting's period)."""
    from dualcirc.fair.models import Booth

    booths = Booth.objects.filter(enterprise__in=enterprises).values("registration_id")
    held = held_meetings().filter(
        Q(first_id__in=booths) | Q(second_id__in=booths),
        slot__starts_at__date__gte=first_day,
        slot__starts_at__date__lte=last_day,
    )
    per_fair = {
        row["fair_id"]: row["n"]
        for row in held.values("fair_id").annotate(n=Count("id")).order_by()
    }
    if not per_fair:  # no fair meeting in the scope and period: one query, not three
        empty = MeetingOrders(currency=currency.upper())
        return FairOrders(orders=empty, meetings_held=0, fairs=[])
    orders = meeting_orders(held, currency=currency)
    names = {f.pk: str(f) for f in Fair.objects.filter(pk__in=per_fair)}
    fairs = [
        (names[pk], n, *orders.by_fair.get(pk, (0, ZERO)))
        for pk, n in sorted(per_fair.items(), key=lambda kv: names[kv[0]])
    ]
    return FairOrders(orders=orders, meetings_held=sum(per_fair.values()), fairs=fairs)


def fair_orders_in_months(
    enterprises: QuerySet[Any], months: tuple[int, ...], *, currency: str = "CNY"
) -> FairOrders:
    """:func:`fair_orders_in_scope` for a report's months (bureau.indicators month indices)."""
    import calendar

    from dualcirc.bureau.indicators import month_parts

    first_year, first_month = month_parts(min(months))
    last_year, last_month = month_parts(max(months))
    last = calendar.monthrange(last_year, last_month)[1]
    return fair_orders_in_scope(
        enterprises,
        first_day=date(first_year, first_month, 1),
        last_day=date(last_year, last_month, last),
        currency=currency,
    )
