"""The demo's live online fair, written through ``fair.domain``: organised by the Laixi bureau
(login laixi-organiser) from yesterday to the day after tomorrow, so it is on whenever the demo
is loaded (``shift_fair`` moves it when the demo is loaded again on a later day).

Three halls (furniture, textiles, appliances), booths with products, a catalogue PDF, a video
and a live stream; roadshow and live sessions; buyers from Ho Chi Minh City, Hamburg and New
York with their meeting wishes and availability in their own time zones, and the 1:1 meetings
that the fair's scheduler (``fair.scheduling``) placed and the organiser published. Hamburg's
buyer met three exhibitors yesterday: both sides rated those meetings, one "order placed" with
the order made through deals, so the organiser's funnel and the bureau's report show its value.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from dualcirc.catalog.models import Product
from dualcirc.deals.domain import accept_offer, publish_request, submit_quote
from dualcirc.deals.enums import Visibility
from dualcirc.deals.models import Order
from dualcirc.demo.cast import Cast
from dualcirc.fair import domain
from dualcirc.fair.domain.outcomes import meeting_held
from dualcirc.fair.enums import (
    MeetingResult,
    PromptStage,
    RegistrationKind,
    RoomKind,
    SessionKind,
    Wish,
)
from dualcirc.fair.models import (
    Availability,
    Booth,
    Fair,
    Meeting,
    MeetingSlot,
    Registration,
    Session,
)

FAIR_NAME_ZH = "2026 莱西家居与纺织线上交易会"
FAIR_NAME_EN = "Laixi Home & Textiles Online Trade Fair"
ORGANISER = "laixi-organiser"
FAIR_ZONE = ZoneInfo("Asia/Shanghai")
# Meetings 19:00–22:00 Beijing time: 12:00–15:00 in Hamburg (winter), 06:00–09:00 in New York,
# 18:00–21:00 in Ho Chi Minh City. Each buyer gives the hours that suit them locally.
MEETINGS_FROM, MEETINGS_TO = dt.time(19), dt.time(22)

HALLS = (
    ("furniture", "家具馆", "Furniture hall", "laixi-furniture"),
    ("textiles", "纺织服装馆", "Textiles and garments hall", "lanxi-textiles"),
    ("appliances", "家电馆", "Home appliances hall", "qingdao-appliances"),
)
# Exhibitor (enterprise key) → hall, booth headline, product title words to show.
EXHIBITORS = (
    ("LXF01", "furniture", "实木餐桌椅 · 工厂直供 · FSC认证", ("table", "chair", "sofa", "tv")),
    ("LXF02", "furniture", "Solid wood beds and wardrobes, OEM/ODM", ("bed", "wardrobe")),
    ("LXF03", "furniture", "Nordic design, made in Laixi", ("table", "chair", "shelf")),
    ("LXT01", "textiles", "Denim 8–14 oz, GRS recycled cotton", ("denim", "twill")),
    ("LXT02", "textiles", "Indigo denim for jeans makers", ("denim",)),
    ("QDA01", "appliances", "Inverter air conditioners and fridges", ("air", "refrigerator")),
    ("QDA02", "appliances", "4K smart TVs and projectors", ("tv", "projector")),
)
# Buyer login → (local availability per fair day, wishes: enterprise key → wish).
VISITORS = {
    "saigon-buyer": ((dt.time(18), dt.time(21)), {"LXT02": Wish.MUST, "LXT01": Wish.WOULD,
                                                  "LXF01": Wish.WOULD}),
    "hamburg-buyer": ((dt.time(12), dt.time(15)), {"LXF01": Wish.MUST, "LXF03": Wish.MUST,
                                                   "LXF02": Wish.WOULD, "QDA01": Wish.NO}),
    "newyork-buyer": ((dt.time(6, 30), dt.time(9)), {"QDA02": Wish.MUST, "LXF02": Wish.MUST,
                                                     "LXF01": Wish.WOULD}),
    "hangzhou-buyer": ((dt.time(19), dt.time(22)), {"LXF01": Wish.WOULD, "QDA01": Wish.WOULD}),
}  # fmt: skip
# Exhibitors' own wishes (they want to meet some buyers too).
EXHIBITOR_WISHES = {"LXF01": {"hamburg-buyer": Wish.MUST}, "QDA02": {"newyork-buyer": Wish.WOULD}}


HELD_BUYER = "hamburg-buyer"
# What came of Hamburg's meetings yesterday: exhibitor → (buyer's rating, buyer's answer,
# exhibitor's rating, exhibitor's answer); "order" makes the order through deals first.
OUTCOMES = {
    "LXF01": (5, MeetingResult.ORDER_PLACED, 5, MeetingResult.ORDER_PLACED),
    "LXF03": (4, MeetingResult.NEGOTIATING, 4, MeetingResult.SAMPLES),
    "LXF02": (2, MeetingResult.NO_INTEREST, 3, MeetingResult.SAMPLES),
}


@dataclass(frozen=True)
class FairSummary:
    fair: Fair
    booths: int
    sessions: int
    meetings: int


def _catalogue_pdf(title: str, products: list[Product]) -> bytes:
    """A one-page product catalogue (PDF, drawn with reportlab; Latin text only: the base
    fonts have no Chinese glyphs)."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=True)  # invariant: the same bytes each time
    pdf.setTitle(title)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(50, 790, title)
    pdf.setFont("Helvetica", 10)
    y = 760
    for product in products:
        price = (
            f"{product.price_min:.2f}-{product.price_max:.2f} {product.currency}"
            if product.price_min is not None and product.price_max is not None
            else "price on request"
        )
        name = product.title_en or product.sku
        pdf.drawString(50, y, f"{product.sku}  {name[:70]}  {price}")
        y -= 16
    pdf.drawString(50, y - 20, "Samples and price lists on request. Made in China.")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _booth_products(cast: Cast, key: str, words: tuple[str, ...]) -> list[Product]:
    chosen: list[Product] = []
    for word in words:
        for product in cast.products(key):
            title = f"{product.title_en} {product.title_zh}".lower()
            if word in title and product not in chosen:
                chosen.append(product)
                break
    return chosen or cast.products(key)[:3]


def _local(day: dt.date, at: dt.time, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, at, ZoneInfo(zone))


def play_fair(cast: Cast) -> FairSummary:
    """Create, fill, schedule and publish the demo fair. Precondition: it does not exist yet."""
    organiser = cast.user(ORGANISER)
    today = cast.today
    fair = domain.create_fair(
        actor=organiser,
        organiser=cast.organisations["gov-laixi"],
        name_zh=FAIR_NAME_ZH,
        name_en=FAIR_NAME_EN,
        description_zh="莱西家具、兰溪牛仔布与青岛家电企业的线上展会：展位、路演、一对一洽谈。",
        description_en=(
            "Furniture from Laixi, denim from Lanxi and appliances from Qingdao online: booths, "
            "roadshows and 1:1 meetings with buyers from Europe, the Americas and ASEAN."
        ),
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=2),
    )
    domain.publish_fair(actor=organiser, fair=fair)
    halls = {
        key: domain.add_hall(
            actor=organiser,
            fair=fair,
            name_zh=zh,
            name_en=en,
            industry=en.split(" hall")[0],
            belt=cast.belts.get(belt),
        )
        for key, zh, en, belt in HALLS
    }
    # Exhibitors register, the organiser approves them into their halls, they dress the booth.
    booths: dict[str, Booth] = {}
    for index, (key, hall_key, headline, words) in enumerate(EXHIBITORS):
        staff = cast.staff(key)
        enterprise = cast.enterprises[key]
        registration = domain.register_for_fair(
            actor=staff,
            fair=fair,
            organisation=enterprise.organisation,
            kind=RegistrationKind.EXHIBITOR,
            hall=halls[hall_key],
        )
        domain.decide_registration(
            actor=organiser, registration=registration, approve=True, hall=halls[hall_key]
        )
        booth = Booth.objects.get(registration=registration)
        products = _booth_products(cast, key, words)
        # 15:00–18:00 in Qingdao: morning in Europe, evening in Ho Chi Minh City.
        live_start = _local(today, dt.time(15 + index % 4), "Asia/Shanghai")
        slug = key.lower()
        domain.update_booth(
            actor=staff,
            booth=booth,
            headline=headline,
            products=products,
            video_links=[f"https://video.dualcirc.example/{slug}/factory-tour"],
            live_stream_url=f"https://live.dualcirc.example/{slug}",
            live_starts_at=live_start,
            live_ends_at=live_start + dt.timedelta(hours=2),
            documents=[
                {"title": "Certificates (FSC, ISO 9001)", "url": f"https://{slug}.example/certs"}
            ],
            staff_on_duty=[f"{staff.last_name}{staff.first_name}".strip() or staff.username],
        )
        name = enterprise.name_en or enterprise.name_zh
        domain.add_booth_document(
            actor=staff,
            booth=booth,
            upload=SimpleUploadedFile(
                f"{slug}-catalogue.pdf", _catalogue_pdf(f"{name}: catalogue", products)
            ),
            title=f"{name} — product catalogue 2026",
        )
        booths[key] = booth
    # Roadshows and a live stream, from yesterday to the last day.
    sessions = [
        ("莱西实木家具路演", "Laixi solid wood furniture roadshow", -1, 10, "LXF01", "furniture"),
        ("兰溪牛仔布新品发布", "Lanxi denim: new collection", 0, 15, "LXT02", "textiles"),
        ("直播：工厂实拍", "Live: a walk through the factory", 0, 20, "LXF03", "furniture"),
        ("青岛家电出海：东盟市场", "Qingdao appliances for ASEAN", 1, 16, "QDA02", "appliances"),
        ("跨境电商政策解读", "Cross-border e-commerce: the new rules", 2, 10, "", "furniture"),
    ]
    created_sessions: list[Session] = []
    for zh, en, offset, hour, speaker, hall_key in sessions:
        starts = _local(today + dt.timedelta(days=offset), dt.time(hour), "Asia/Shanghai")
        created_sessions.append(
            domain.create_session(
                actor=organiser,
                fair=fair,
                title_zh=zh,
                title_en=en,
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=45),
                kind=SessionKind.LIVE if "Live" in en else SessionKind.ROADSHOW,
                description=en,
                speakers=[cast.enterprises[speaker].name_zh] if speaker else ["莱西市商务局"],
                speaker_enterprises=[cast.enterprises[speaker]] if speaker else [],
                link=f"https://live.dualcirc.example/fair/session-{len(created_sessions) + 1}",
                capacity=200,
                hall=halls[hall_key],
            )
        )
    # Buyers register as visitors; the organiser approves them.
    visitors: dict[str, Registration] = {}
    for username, ((frm, to), _wishes) in VISITORS.items():
        buyer = cast.user(username)
        registration = domain.register_for_fair(
            actor=buyer,
            fair=fair,
            organisation=buyer.memberships.get().organisation,
            kind=RegistrationKind.VISITOR,
            note="Looking for new suppliers for next season.",
        )
        visitors[username] = domain.decide_registration(
            actor=organiser, registration=registration, approve=True
        )
        # Hamburg met its suppliers yesterday (those meetings are over and rated below);
        # the other buyers meet today and tomorrow.
        days = (
            [today - dt.timedelta(days=1)]
            if username == HELD_BUYER
            else [today, today + dt.timedelta(days=1)]
        )
        domain.set_availability(
            actor=buyer,
            registration=visitors[username],
            intervals=[
                (_local(d, frm, buyer.time_zone), _local(d, to, buyer.time_zone)) for d in days
            ],
        )
        for session in created_sessions[1:3]:
            domain.register_for_session(actor=buyer, session=session)
    # Meetings: slots on today and tomorrow, two video rooms, wishes, the scheduler, publish.
    domain.configure_meetings(
        actor=organiser,
        fair=fair,
        slot_minutes=30,
        start=MEETINGS_FROM,
        end=MEETINGS_TO,
        meeting_cap=4,
        days=[today - dt.timedelta(days=1), today, today + dt.timedelta(days=1)],
    )
    domain.add_room(
        actor=organiser,
        fair=fair,
        name="Video room A",
        kind=RoomKind.VIDEO,
        capacity=3,
        link="https://meet.dualcirc.example/fair-a",
    )
    domain.add_room(actor=organiser, fair=fair, name="洽谈桌 B", kind=RoomKind.TABLE, capacity=2)
    for username, (_hours, wishes) in VISITORS.items():
        for key, wish in wishes.items():
            domain.set_meeting_wish(
                actor=cast.user(username),
                owner=visitors[username],
                other=booths[key].registration,
                wish=wish,
            )
    for key, wishes in EXHIBITOR_WISHES.items():
        for username, wish in wishes.items():
            domain.set_meeting_wish(
                actor=cast.staff(key),
                owner=booths[key].registration,
                other=visitors[username],
                wish=wish,
            )
    domain.run_scheduler(actor=organiser, fair=fair, time_limit_s=5)
    meetings = domain.publish_agendas(actor=organiser, fair=fair)
    # Visitors at the booths: visits and a contact request, answered.
    for username in VISITORS:
        for key in ("LXF01", "LXT02", "QDA02"):
            domain.record_booth_visit(booth=booths[key], visitor=cast.user(username))
    lead = domain.create_lead(
        actor=cast.user("saigon-buyer"),
        booth=booths["LXT02"],
        message="Please send your price list for 10-12 oz denim, CIF Ho Chi Minh City.",
    )
    domain.answer_lead(
        actor=cast.staff("LXT02"), lead=lead, answer="Price list sent to your e-mail."
    )
    domain.create_lead(
        actor=cast.user("hamburg-buyer"),
        booth=booths["LXF01"],
        message="Do you have FSC certificates for the white oak tables?",
    )
    play_outcomes(cast, fair)
    return FairSummary(
        fair=fair, booths=len(booths), sessions=len(created_sessions), meetings=meetings
    )


def find_fair(cast: Cast) -> Fair | None:
    return Fair.objects.filter(
        organiser=cast.organisations["gov-laixi"], name_zh=FAIR_NAME_ZH
    ).first()


def shift_fair(fair: Fair, *, today: dt.date) -> int:
    """Move the demo fair so that it runs from yesterday again (every date and time of it by
    the same number of days: fair days, meeting slots, sessions, booth streams, availability).
    A pure shift in time keeps every rule the domain checked; returns the days moved."""
    days = (today - dt.timedelta(days=1) - fair.starts_on).days
    if days == 0:
        return 0
    delta = dt.timedelta(days=days)
    Fair.objects.filter(pk=fair.pk).update(
        starts_on=fair.starts_on + delta, ends_on=fair.ends_on + delta
    )
    MeetingSlot.objects.filter(fair=fair).update(
        starts_at=F("starts_at") + delta, ends_at=F("ends_at") + delta
    )
    Session.objects.filter(fair=fair).update(
        starts_at=F("starts_at") + delta, ends_at=F("ends_at") + delta
    )
    Booth.objects.filter(registration__fair=fair, live_starts_at__isnull=False).update(
        live_starts_at=F("live_starts_at") + delta, live_ends_at=F("live_ends_at") + delta
    )
    Availability.objects.filter(registration__fair=fair).update(
        starts_at=F("starts_at") + delta, ends_at=F("ends_at") + delta
    )
    return days


def fair_counts(fair: Fair) -> FairSummary:
    return FairSummary(
        fair=fair,
        booths=Booth.objects.filter(registration__fair=fair).count(),
        sessions=Session.objects.filter(fair=fair).count(),
        meetings=Meeting.objects.filter(fair=fair).count(),
    )


def _fair_order(cast: Cast, key: str) -> Order:
    """The order that came of Hamburg's meeting with ``key``: a sourcing request to that
    exhibitor, its quote, accepted (deals.domain, as every demo order)."""
    buyer = cast.user(HELD_BUYER)
    product = cast.products(key)[0]
    today = cast.today
    request = publish_request(
        actor=buyer,
        data={
            "title": "Extendable oak dining tables (met at the Laixi online fair)",
            "need": f"{product.title_en or product.title_zh} ({product.sku}), as discussed "
            "in our meeting at the online fair.",
            "hs_code": product.hs_code,
            "quantity": "150",
            "unit": "pcs",
            "target_price": "410",
            "currency": "EUR",
            "destination_country": "DE",
            "destination_place": "Hamburg",
            "incoterm": "FOB",
            "certifications": [],
            "deadline": timezone.make_aware(
                dt.datetime.combine(today + dt.timedelta(days=7), dt.time(18))
            ).isoformat(),
            "max_quotes": 5,
            "visibility": Visibility.INVITED,
        },
        invite=[cast.enterprises[key]],
    )
    quote = submit_quote(
        actor=cast.staff(key),
        request=request,
        data={
            "unit_price": "425.00",
            "currency": "EUR",
            "incoterm": "FOB",
            "named_place": "Qingdao",
            "moq": "50",
            "lead_time_days": 45,
            "valid_until": (today + dt.timedelta(days=30)).isoformat(),
            "deposit_percent": "30",
            "sample_terms": "Sample shown at the fair meeting",
            "notes": "As agreed in our meeting at the fair.",
        },
    )
    return accept_offer(actor=buyer, quote=quote)


def play_outcomes(cast: Cast, fair: Fair) -> int:
    """Both sides rate Hamburg's meetings of yesterday (``OUTCOMES``), one of them with an
    order made through deals, so that the organiser's funnel and the bureau's report have an
    order and its value. Returns the ratings given."""
    buyer = cast.user(HELD_BUYER)
    registration = Registration.objects.get(fair=fair, contact=buyer)
    given = 0
    for key, (buyer_rating, buyer_result, seller_rating, seller_result) in OUTCOMES.items():
        seller = Registration.objects.get(
            fair=fair, organisation=cast.enterprises[key].organisation
        )
        meeting = (
            Meeting.objects.filter(fair=fair, first__in=(registration, seller))
            .filter(second__in=(registration, seller))
            .select_related("slot", "fair", "first", "second")
            .first()
        )
        if meeting is None or not meeting_held(meeting):
            continue  # the scheduler placed it elsewhere: nothing to rate yet
        order = _fair_order(cast, key) if buyer_result == MeetingResult.ORDER_PLACED else None
        domain.rate_meeting(
            actor=buyer,
            meeting=meeting,
            rating=buyer_rating,
            result=buyer_result,
            order=order,
            stage=PromptStage.HELD,
        )
        domain.rate_meeting(
            actor=cast.staff(key),
            meeting=meeting,
            rating=seller_rating,
            result=seller_result,
            stage=PromptStage.HELD,
        )
        given += 2
    return given
