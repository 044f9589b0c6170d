"""Factories for the online fair: an organiser, a published fair with meeting slots and a room,
approved exhibitors and visitors (each with a contact person in a chosen time zone)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dualcirc.core.enums import OrganisationKind, Role
from dualcirc.core.models import Membership, User
from dualcirc.deals.models import Order
from dualcirc.fair import domain
from dualcirc.fair.enums import RegistrationKind, Wish
from dualcirc.fair.models import Fair, Hall, Meeting, Registration
from tests.factories import (
    make_enterprise,
    make_organisation,
    make_product,
    make_region,
    make_user,
)


def make_organiser() -> User:
    bureau = make_organisation(
        kind=OrganisationKind.GOVERNMENT, name="莱西市商务局", region=make_region()
    )
    return make_user(organisation=bureau, role=Role.ADMIN)


def make_exhibitor(
    *, fair: Fair, actor: User, name: str = "", zone: str = "Asia/Shanghai"
) -> Registration:
    enterprise = make_enterprise(name_zh=name or None)
    contact = make_user(organisation=enterprise.organisation, time_zone=zone)
    reg = domain.register_for_fair(
        actor=contact,
        fair=fair,
        organisation=enterprise.organisation,
        kind=RegistrationKind.EXHIBITOR,
    )
    return domain.decide_registration(actor=actor, registration=reg, approve=True)


def make_visitor(
    *, fair: Fair, actor: User, name: str = "", zone: str = "Europe/Berlin", note: str = ""
) -> Registration:
    buyer = make_organisation(kind=OrganisationKind.BUYER, name=name or None, country="DE")
    contact = make_user(organisation=buyer, time_zone=zone, preferred_language="en")
    reg = domain.register_for_fair(
        actor=contact, fair=fair, organisation=buyer, kind=RegistrationKind.VISITOR, note=note
    )
    return domain.decide_registration(actor=actor, registration=reg, approve=True)


@dataclass
class FairWorld:
    """A two-day fair (Friday 24 and Monday 27 October 2025, either side of Europe's DST end),
    meetings 15:00–17:00 Shanghai time in 30-minute slots, one table room for 2 meetings at
    once, two exhibitors and two visitors (Berlin, New York)."""

    organiser: User = field(default_factory=make_organiser)
    fair: Fair = field(init=False)
    hall: Hall = field(init=False)
    exhibitors: list[Registration] = field(init=False)
    visitors: list[Registration] = field(init=False)

    def __post_init__(self) -> None:
        org = self.organiser.memberships.get().organisation
        self.fair = domain.create_fair(
            actor=self.organiser,
            organiser=org,
            name_zh="莱西家具线上展",
            name_en="Laixi Furniture Online Fair",
            starts_on=date(2025, 10, 24),
            ends_on=date(2025, 10, 27),
        )
        domain.publish_fair(actor=self.organiser, fair=self.fair)
        self.hall = domain.add_hall(
            actor=self.organiser, fair=self.fair, name_zh="家具馆", name_en="Furniture hall"
        )
        domain.configure_meetings(
            actor=self.organiser,
            fair=self.fair,
            slot_minutes=30,
            start=time(15),
            end=time(17),
            meeting_cap=3,
            days=[date(2025, 10, 24), date(2025, 10, 27)],
        )
        domain.add_room(actor=self.organiser, fair=self.fair, name="A", capacity=2)
        self.exhibitors = [
            make_exhibitor(fair=self.fair, actor=self.organiser, name="莱西橡木家具有限公司"),
            make_exhibitor(fair=self.fair, actor=self.organiser, name="青岛沙发制造有限公司"),
        ]
        self.visitors = [
            make_visitor(fair=self.fair, actor=self.organiser, name="Berlin Möbel GmbH"),
            make_visitor(
                fair=self.fair, actor=self.organiser, name="NY Home Inc", zone="America/New_York"
            ),
        ]


def add_fairs(world: FairWorld, n: int) -> None:
    """``n`` more published fairs of the world's organiser."""
    org = world.organiser.memberships.get().organisation
    for i in range(n):
        fair = domain.create_fair(
            actor=world.organiser,
            organiser=org,
            name_zh=f"兰溪纺织线上展{i}",
            name_en=f"Lanxi Textile Online Fair {i}",
            starts_on=date(2025, 11, 3),
            ends_on=date(2025, 11, 4),
        )
        domain.publish_fair(actor=world.organiser, fair=fair)


def add_booths(world: FairWorld, n: int) -> None:
    """``n`` more approved exhibitors in the world's hall, each booth showing two products."""
    for i in range(n):
        reg = make_exhibitor(fair=world.fair, actor=world.organiser)
        reg.hall = world.hall
        reg.save(update_fields=["hall"])
        enterprise = reg.booth.enterprise
        reg.booth.products.set(
            [make_product(enterprise=enterprise, sku=f"B{reg.pk}-{k}-{i}") for k in range(2)]
        )


def add_booked_sessions(world: FairWorld, user: User, n: int) -> None:
    """``n`` more sessions in the world's hall, each booked by ``user``."""
    start = datetime(2025, 10, 24, 1, 0, tzinfo=UTC)
    for i in range(n):
        session = domain.create_session(
            actor=world.organiser,
            fair=world.fair,
            title_zh=f"路演{i}",
            title_en=f"Roadshow {i}",
            starts_at=start + timedelta(minutes=i),
            ends_at=start + timedelta(minutes=i + 30),
            hall=world.hall,
        )
        domain.register_for_session(actor=user, session=session)


def add_leads(world: FairWorld, n: int) -> None:
    """``n`` more contact requests at the first exhibitor's booth, every other one answered."""
    booth = world.exhibitors[0].booth
    for i in range(n):
        visitor = make_user(username=f"lead-visitor-{i}-{booth.leads.count()}")
        lead = domain.create_lead(actor=visitor, booth=booth, message=f"Price list please ({i})")
        if i % 2:
            domain.answer_lead(actor=world.exhibitors[0].contact, lead=lead, answer="Sent.")


def held_meetings_world() -> tuple[FairWorld, list[Meeting]]:
    """The FairWorld (October 2025, so its meetings are over) with two published meetings:
    Berlin with the oak furniture maker, New York with the sofa maker."""
    world = FairWorld()
    berlin, new_york = world.visitors
    oak, sofa = world.exhibitors
    for owner, other in ((berlin, oak), (oak, berlin), (new_york, sofa)):
        domain.set_meeting_wish(actor=owner.contact, owner=owner, other=other, wish=Wish.MUST)
    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)
    domain.publish_agendas(actor=world.organiser, fair=world.fair)
    meetings = [
        Meeting.objects.select_related("slot", "first", "second", "fair").get(
            fair=world.fair, first_id__in=(v.pk, e.pk), second_id__in=(v.pk, e.pk)
        )
        for v, e in ((berlin, oak), (new_york, sofa))
    ]
    return world, meetings


def order_between(buyer: Registration, seller: Registration, **quote: Any) -> Order:
    """An order made through the deals domain between a fair visitor (the buyer) and an
    exhibitor (the supplier): a sourcing request inviting the exhibitor, its quote, accepted."""
    from dualcirc.deals.domain import accept_offer, publish_request, submit_quote
    from tests.factories.deals import quote_data, request_data

    buyer_user = buyer.contact
    Membership.objects.filter(user=buyer_user).update(role=Role.ADMIN)
    request = publish_request(
        actor=buyer_user, data=request_data(), invite=(seller.booth.enterprise,)
    )
    offer = submit_quote(actor=seller.contact, request=request, data=quote_data(**quote), tiers=())
    return accept_offer(actor=buyer_user, quote=offer, offer_number=1)
