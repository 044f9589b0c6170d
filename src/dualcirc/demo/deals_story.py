"""The demo's trade: sourcing requests, quotes, counter-offers and orders in every state, with
milestones and payments in two currencies — all written through ``deals.domain``, so every
state change is checked by its state machine and has its audit entry and notifications.

Buyers in four countries (Hamburg, New York, Ho Chi Minh City, Hangzhou) deal with factories
of the Laixi furniture, Lanxi denim and Qingdao appliance belts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dualcirc.catalog.models import Product
from dualcirc.deals.domain import (
    accept_offer,
    make_counter_offer,
    post_message,
    publish_request,
    record_payment,
    submit_quote,
    transition_order,
    transition_quote,
    transition_request,
)
from dualcirc.deals.domain.conversations import open_conversation, post_conversation_message
from dualcirc.deals.enums import OrderState, PaymentKind, QuoteState, RequestState, Visibility
from dualcirc.deals.models import Order, Quote, SourcingRequest
from dualcirc.demo.cast import Cast

# The way of an order to each state (deals.domain.machines.ORDER_MOVES), and who moves it.
SUPPLIER, BUYER = "supplier", "buyer"
ORDER_PATHS: dict[str, tuple[tuple[str, str, str], ...]] = {
    OrderState.CONFIRMED: (),
    OrderState.IN_PRODUCTION: (
        (OrderState.IN_PRODUCTION, SUPPLIER, "Timber dried, cutting started."),
    ),
    OrderState.READY_FOR_INSPECTION: (
        (OrderState.IN_PRODUCTION, SUPPLIER, "Production started."),
        (OrderState.READY_FOR_INSPECTION, SUPPLIER, "Goods packed; SGS inspection booked."),
    ),
    OrderState.SHIPPED: (
        (OrderState.IN_PRODUCTION, SUPPLIER, ""),
        (OrderState.READY_FOR_INSPECTION, SUPPLIER, "Inspection passed (AQL 2.5)."),
        (OrderState.SHIPPED, SUPPLIER, "On board at Qingdao; B/L emailed."),
    ),
    OrderState.DELIVERED: (
        (OrderState.IN_PRODUCTION, SUPPLIER, ""),
        (OrderState.READY_FOR_INSPECTION, SUPPLIER, ""),
        (OrderState.SHIPPED, SUPPLIER, "Container sealed."),
        (OrderState.DELIVERED, BUYER, "Received at our warehouse, all cartons intact."),
    ),
    OrderState.COMPLETED: (
        (OrderState.IN_PRODUCTION, SUPPLIER, ""),
        (OrderState.READY_FOR_INSPECTION, SUPPLIER, ""),
        (OrderState.SHIPPED, SUPPLIER, "顺丰快运发出。"),
        (OrderState.DELIVERED, BUYER, "已到仓。"),
        (OrderState.COMPLETED, BUYER, "验收合格，尾款已付。"),
    ),
    OrderState.CANCELLED: ((OrderState.CANCELLED, BUYER, "我方客户取消了活动，订单作废。"),),
    OrderState.DISPUTED: (
        (OrderState.IN_PRODUCTION, SUPPLIER, ""),
        (OrderState.READY_FOR_INSPECTION, SUPPLIER, ""),
        (OrderState.SHIPPED, SUPPLIER, "Shipped from Shanghai."),
        (
            OrderState.DISPUTED,
            BUYER,
            "12 of 300 rolls arrived with a colour shade outside the approved lab dip.",
        ),
    ),
}


@dataclass(frozen=True)
class Deal:
    """One request and what came of it: an order in the state ``outcome``, or, when
    ``ordered`` is False, a request left in the state ``outcome`` (open, closed, cancelled)."""

    buyer: str  # username of the buyer's login
    supplier: str  # enterprise key of the supplier whose quote matters
    word: str  # picks the supplier's product the request is about
    title: str
    quantity: int
    unit: str
    price: str  # the supplier's unit price (its quote, version 1)
    currency: str
    country: str
    place: str
    incoterm: str
    outcome: str
    counter: str = ""  # the buyer's counter price before the deal (empty: none)
    rivals: tuple[str, ...] = ()  # other suppliers who quote (rejected once one is accepted)
    balance_in: str = ""  # the currency the balance is paid in, when paid
    ordered: bool = True


DEALS: tuple[Deal, ...] = (
    # Requests without an order: one open with a live negotiation, one closed, one cancelled.
    Deal("hamburg-buyer", "LXF01", "dining table", "Solid oak dining tables, 6 seats, FSC",
         200, "pcs", "468", "EUR", "DE", "Hamburg", "FOB", RequestState.OPEN, counter="430",
         rivals=("LXF03", "LXF04"), ordered=False),
    Deal("newyork-buyer", "QDA02", "tv", "55-inch 4K smart TVs for a US retail chain",
         500, "units", "189", "USD", "US", "Los Angeles", "FOB", RequestState.CLOSED,
         rivals=("QDA01",), ordered=False),
    Deal("hangzhou-buyer", "LXF05", "椅", "实木餐椅 100把（直播间专供款）", 100, "pcs",
         "185", "CNY", "CN", "杭州", "DAP", RequestState.CANCELLED,
         ordered=False),
    # One order in each state.
    Deal("saigon-buyer", "LXT02", "denim", "Cotton denim 12 oz for our garment factory in HCMC",
         30000, "m", "2.35", "USD", "VN", "Ho Chi Minh City", "CIF", OrderState.CONFIRMED,
         rivals=("LXT01",)),
    Deal("hamburg-buyer", "LXF01", "chair", "Dining chairs to match our oak tables", 400,
         "pcs", "62", "EUR", "DE", "Hamburg", "FOB", OrderState.IN_PRODUCTION, counter="58"),
    Deal("newyork-buyer", "LXF02", "bed", "Solid wood double beds for a New York furniture store",
         120, "pcs", "315", "USD", "US", "New York", "FOB", OrderState.READY_FOR_INSPECTION,
         rivals=("LXF06",)),
    Deal("newyork-buyer", "LXF01", "sofa", "Sofas with solid wood frame, 3-seater", 60, "sets",
         "780", "USD", "US", "New York", "FOB", OrderState.SHIPPED, balance_in="CNY"),
    Deal("hamburg-buyer", "LXF03", "coffee table", "Nordic coffee tables, white oak", 250, "pcs",
         "96", "EUR", "DE", "Hamburg", "FOB", OrderState.DELIVERED, counter="91",
         balance_in="USD"),
    Deal("hangzhou-buyer", "LXF01", "dining table", "实木餐桌 50张（天猫店补货）", 50, "pcs",
         "1650", "CNY", "CN", "杭州", "DAP", OrderState.COMPLETED, balance_in="CNY"),
    Deal("hangzhou-buyer", "LXF01", "tv", "电视柜 80个（618备货）", 80, "pcs", "560", "CNY",
         "CN", "杭州", "DAP", OrderState.CANCELLED),
    Deal("saigon-buyer", "LXT01", "denim", "Stretch denim for jeans, indigo", 20000, "m",
         "2.80", "USD", "VN", "Ho Chi Minh City", "CIF", OrderState.DISPUTED, counter="2.65"),
)  # fmt: skip


@dataclass(frozen=True)
class DealsSummary:
    requests: int
    quotes: int
    orders: int
    payments: int


def _request_data(deal: Deal, product: Product, today: dt.date, days: int) -> dict[str, Any]:
    deadline = timezone.make_aware(
        dt.datetime.combine(today + dt.timedelta(days=days), dt.time(18))
    )
    title = product.title_en or product.title_zh
    return {
        "title": deal.title,
        "need": f"{title} ({product.sku}). {deal.title}.",
        "hs_code": product.hs_code,
        "quantity": str(deal.quantity),
        "unit": deal.unit,
        "target_price": str((Decimal(deal.price) * Decimal("0.9")).quantize(Decimal("0.01"))),
        "currency": deal.currency,
        "destination_country": deal.country,
        "destination_place": deal.place,
        "incoterm": deal.incoterm,
        "certifications": list(product.certifications[:1]),
        "deadline": deadline.isoformat(),
        "max_quotes": 10,
        "visibility": Visibility.INVITED,
    }


def _quote_data(deal: Deal, price: str, today: dt.date, *, lead: int = 35) -> dict[str, Any]:
    return {
        "unit_price": price,
        "currency": deal.currency,
        "incoterm": deal.incoterm,
        "named_place": "青岛" if deal.country == "CN" else "Qingdao",
        "moq": str(max(1, deal.quantity // 4)),
        "lead_time_days": lead,
        "valid_until": (today + dt.timedelta(days=30)).isoformat(),
        "deposit_percent": "30",
        "sample_terms": "One sample free, freight collect",
        "notes": "",
    }


def _pay(cast: Cast, order: Order, deal: Deal) -> int:
    """The deposit once production starts; the balance (in ``deal.balance_in``) once shipped."""
    buyer = cast.user(deal.buyer)
    paid = 0
    if order.state in (OrderState.CONFIRMED, OrderState.CANCELLED):
        return paid
    deposit = (order.total_amount * order.deposit_percent / 100).quantize(Decimal("0.01"))
    record_payment(
        actor=buyer,
        order=order,
        kind=PaymentKind.DEPOSIT,
        amount=deposit,
        currency=order.currency,
        paid_on=cast.today,  # the orders are placed today: nothing is paid before
        note="T/T",
    )
    paid += 1
    if deal.balance_in and order.state in (
        OrderState.SHIPPED,
        OrderState.DELIVERED,
        OrderState.COMPLETED,
    ):
        balance = order.total_amount - deposit
        if deal.balance_in != order.currency:  # paid in another currency at a round rate
            rates = {("USD", "CNY"): "7.10", ("EUR", "USD"): "1.08"}
            balance = balance * Decimal(rates[order.currency, deal.balance_in])
        record_payment(
            actor=buyer,
            order=order,
            kind=PaymentKind.BALANCE,
            amount=balance.quantize(Decimal("0.01")),
            currency=deal.balance_in,
            paid_on=cast.today,
            note="L/C" if deal.balance_in != order.currency else "T/T",
        )
        paid += 1
    return paid


def _play(cast: Cast, deal: Deal, index: int) -> tuple[SourcingRequest, list[Quote], Order | None]:
    buyer = cast.user(deal.buyer)
    product = cast.product(deal.supplier, deal.word)
    suppliers = (deal.supplier, *deal.rivals)
    request = publish_request(
        actor=buyer,
        data=_request_data(deal, product, cast.today, 10 + index),
        invite=[cast.enterprises[k] for k in suppliers],
    )
    quotes = []
    for n, key in enumerate(suppliers):
        price = Decimal(deal.price) * (1 + Decimal(n) / 20)  # rivals quote a little higher
        quotes.append(
            submit_quote(
                actor=cast.staff(key),
                request=request,
                data=_quote_data(deal, str(price.quantize(Decimal("0.01"))), cast.today),
            )
        )
    main, supplier_user = quotes[0], cast.staff(deal.supplier)
    if len(quotes) > 2:  # the third supplier cannot meet the lead time and withdraws
        transition_quote(
            actor=cast.staff(suppliers[2]),
            quote=quotes[2],
            to_state=QuoteState.WITHDRAWN,
            note="Our line is full until next quarter.",
        )
    post_message(
        actor=buyer,
        quote=main,
        body="Could you send photos of the finish and the carton marking?"
        if deal.country != "CN"
        else "请发一下实物照片和外箱唛头。",
    )
    post_message(
        actor=supplier_user,
        quote=main,
        body="Photos sent; the sample leaves Qingdao on Friday."
        if deal.country != "CN"
        else "照片已发，样品周五寄出。",
    )
    if deal.counter:
        make_counter_offer(
            actor=buyer,
            quote=main,
            data={"unit_price": deal.counter},
            note="Our target for this volume." if deal.country != "CN" else "这个量的目标价。",
        )
    if not deal.ordered and deal.outcome == RequestState.OPEN:
        if deal.counter:  # the supplier meets the buyer halfway: the negotiation goes on
            middle = (Decimal(deal.price) + Decimal(deal.counter)) / 2
            make_counter_offer(
                actor=supplier_user,
                quote=main,
                data={"unit_price": str(middle.quantize(Decimal("0.01"))), "lead_time_days": 40},
                note="We can meet you halfway with 40 days lead time.",
            )
        return request, quotes, None
    if not deal.ordered and deal.outcome == RequestState.CLOSED:
        transition_request(actor=buyer, request=request, to_state=RequestState.CLOSED)
        return request, quotes, None
    if not deal.ordered:  # cancelled
        transition_request(
            actor=buyer, request=request, to_state=RequestState.CANCELLED, note="活动取消。"
        )
        return request, quotes, None
    # An order: whoever did not make the latest offer accepts it.
    acceptor = supplier_user if deal.counter else buyer
    order = accept_offer(actor=acceptor, quote=main)
    for to_state, side, note in ORDER_PATHS[deal.outcome]:
        actor = supplier_user if side == SUPPLIER else buyer
        transition_order(actor=actor, order=order, to_state=to_state, note=note)
        if to_state == OrderState.IN_PRODUCTION:
            order.refresh_from_db()
    order.refresh_from_db()
    return request, quotes, order


# "Contact supplier" threads: buyer login, supplier key, product word, the messages in turn.
CONVERSATIONS = (
    ("hamburg-buyer", "LXF01", "sofa", (
        "Hello, is the 3-seater available in a lighter fabric? We would need 40 sets for March.",
        "您好！Yes, we have beige and light grey tech-fabric. 40 sets can ship in 35 days.",
        "Great, please send fabric swatches to our Hamburg office.",
    )),
    ("saigon-buyer", "LXT02", "denim", (
        "Chào anh, bên em cần vải denim 10 oz, khoảng 5.000 m mỗi tháng. Giá CIF Cát Lái?",
        "Hello! 10 oz indigo denim: USD 2.40/m CIF Ho Chi Minh City for 5,000 m per month.",
    )),
    ("hangzhou-buyer", "LXF01", "dining table", (
        "您好，这款餐桌能做1.4米的吗？直播间想做一个专供款。",
        "可以的，1.4米白橡木，起订量50张，15天出货。",
    )),
    ("newyork-buyer", "QDA02", "tv", (
        "Do your 55-inch TVs carry UL and FCC certification for the US market?",
        "Yes, UL and FCC; ENERGY STAR for the 55 and 65 inch models. Datasheets attached to our "
        "booth at the online fair.",
    )),
)  # fmt: skip


def play_conversations(cast: Cast) -> int:
    """Open the "Contact supplier" threads of ``CONVERSATIONS``, buyer and supplier taking
    turns. Returns how many messages were written."""
    written = 0
    for username, key, word, messages in CONVERSATIONS:
        buyer, supplier = cast.user(username), cast.staff(key)
        conversation = open_conversation(
            actor=buyer, supplier=cast.enterprises[key], product=cast.product(key, word)
        )
        for turn, body in enumerate(messages):
            post_conversation_message(
                actor=buyer if turn % 2 == 0 else supplier, conversation=conversation, body=body
            )
            written += 1
    return written


def play_deals(cast: Cast) -> DealsSummary:
    """Play every deal of ``DEALS``. Preconditions: the demo logins and enterprises exist, and
    the deals have not been played yet (the loader plays them once)."""
    requests = quotes = orders = payments = 0
    for index, deal in enumerate(DEALS):
        _request, played, order = _play(cast, deal, index)
        requests += 1
        quotes += len(played)
        if order is not None:
            orders += 1
            payments += _pay(cast, order, deal)
    play_conversations(cast)
    return DealsSummary(requests=requests, quotes=quotes, orders=orders, payments=payments)
