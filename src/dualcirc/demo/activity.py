"""The demo's activity: a live fair, deals in every state, the bureau's cases, chains and
projects — played once through the domain functions of each app (deals_story, fair_story,
bureau_story), on top of the catalog and figures that ``loader`` writes.

Loading the demo again keeps what was played (the rows are history: audit trails, messages,
notifications); on a later day it only moves the fair (and the deadlines of open requests) so
that the fair is live again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F

from dualcirc.catalog.models import Enterprise, IndustrialBelt
from dualcirc.core.models import Organisation, User
from dualcirc.deals.enums import RequestState
from dualcirc.deals.models import Order, Quote, SourcingRequest
from dualcirc.demo.brands_story import play_brands
from dualcirc.demo.bureau_story import play_bureau
from dualcirc.demo.cast import Cast
from dualcirc.demo.deals_story import play_deals
from dualcirc.demo.fair_story import fair_counts, find_fair, play_fair, shift_fair


@dataclass(frozen=True)
class ActivitySummary:
    fair_name: str
    fair_starts: dt.date
    fair_ends: dt.date
    booths: int
    sessions: int
    meetings: int
    requests: int
    quotes: int
    orders: int
    cases: int
    chains: int
    projects: int
    played: bool  # False: it was there already (moved in time if needed)


def _counts(cast: Cast, *, played: bool) -> ActivitySummary:
    from dualcirc.bureau.models import IndustrialChain, InvestmentProject, SupportCase
    from dualcirc.demo.bureau_story import CHAINS, PROJECTS

    fair = find_fair(cast)
    assert fair is not None
    buyers = [u.memberships.get().organisation for u in cast.users.values() if _is_buyer(u)]
    requests = SourcingRequest.objects.filter(buyer__in=buyers)
    summary = fair_counts(fair)
    return ActivitySummary(
        fair_name=str(fair),
        fair_starts=fair.starts_on,
        fair_ends=fair.ends_on,
        booths=summary.booths,
        sessions=summary.sessions,
        meetings=summary.meetings,
        requests=requests.count(),
        quotes=Quote.objects.filter(request__in=requests).count(),
        orders=Order.objects.filter(request__in=requests).count(),
        cases=SupportCase.objects.filter(enterprise__in=cast.enterprises.values()).count(),
        chains=IndustrialChain.objects.filter(name_zh__in=[c.name_zh for c in CHAINS]).count(),
        projects=InvestmentProject.objects.filter(name__in=[p[2] for p in PROJECTS]).count(),
        played=played,
    )


def _is_buyer(user: User) -> bool:
    return user.username.endswith("-buyer")


def load_activity(
    *,
    enterprises: dict[str, Enterprise],
    organisations: dict[str, Organisation],
    belts: dict[str, IndustrialBelt],
    users: dict[str, User],
) -> ActivitySummary:
    """Play the demo's stories unless they were played before; then make sure the fair is
    live (it runs from yesterday to the day after tomorrow). Side effects: everything the
    domain functions write (rows, audit entries, notifications; e-mails after commit)."""
    cast = Cast(enterprises=enterprises, organisations=organisations, users=users, belts=belts)
    play_brands(cast)  # idempotent on its own: brands already there are kept
    fair = find_fair(cast)
    if fair is None:
        play_deals(cast)
        play_fair(cast)
        play_bureau(cast)
        return _counts(cast, played=True)
    days = shift_fair(fair, today=cast.today)
    if days:
        buyers = [u.memberships.get().organisation for u in users.values() if _is_buyer(u)]
        SourcingRequest.objects.filter(buyer__in=buyers, state=RequestState.OPEN).update(
            deadline=F("deadline") + dt.timedelta(days=days)
        )
    return _counts(cast, played=False)
