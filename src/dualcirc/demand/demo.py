"""A plausible year of demand signals for the demo, so that the radar is never empty.

Deterministic (seeded): for the HS headings the published catalog lists, buyers from a few
markets search in their languages — some asking a lower MOQ, a lower price, a certification or
a market the listings lack (the factories' gaps) — and a few product words nobody lists
(unmet demand: conical hats for Vietnam, e-bikes for Thailand, …). Buyer keys are those of
synthetic organisation numbers that no real organisation has.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.db.models.functions import Substr

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.models import Product
from dualcirc.demand.domain import buyer_key, month_of, rebuild_demand_months
from dualcirc.demand.enums import SignalKind
from dualcirc.demand.models import DemandSignal

MARKETS = (("VN", "vi"), ("TH", "en"), ("DE", "en"), ("US", "en"), ("FR", "en"), ("CN", "zh"))
UNLISTED = (("nón lá", "VN", "vi"), ("xe đạp điện", "VN", "vi"), ("electric bike", "TH", "en"),
            ("竹制餐具", "CN", "zh"))  # fmt: skip
CERTIFICATIONS = ("CE", "FSC", "OEKO-TEX", "ISO 9001")
BUYERS = 40
FIRST_DEMO_BUYER = 900_000_000  # organisation numbers no real organisation reaches


def generate_demo_signals(*, today: date, months: int = 12, seed: int = 14) -> int:
    """Write ``months`` months of signals ending with ``today``'s month (none when any signal
    exists already: the demo runs again without doubling them) and rebuild the radar's rows.
    Returns the signals written. Side effects: DemandSignal and DemandMonth rows."""
    if DemandSignal.objects.exists():
        return 0
    rnd = random.Random(seed)
    products = list(
        Product.objects.filter(status=ProductStatus.PUBLISHED)
        .exclude(hs_code="")
        .annotate(heading=Substr("hs_code", 1, 4))
        .values("heading", "moq", "unit", "price_min", "currency")
    )
    last = month_of(today)
    rows: list[DemandSignal] = []
    for back in range(months):
        month = last - back
        day = date(month // 12, month % 12 + 1, 1)
        growth = 1 + (months - back) / months  # demand grows over the year
        for p in rnd.sample(products, min(len(products), 25)):
            market, language = rnd.choice(MARKETS)
            for _ in range(int(rnd.randint(2, 6) * growth)):
                ask = rnd.random()
                rows.append(
                    DemandSignal(
                        kind=SignalKind.SEARCH
                        if rnd.random() < 0.85
                        else SignalKind.SOURCING_REQUEST,
                        month=month,
                        recorded_on=day,
                        language=language,
                        hs_heading=p["heading"],
                        market=market,
                        quantity=(p["moq"] / 2).quantize(Decimal("1"))
                        if ask < 0.3 and p["moq"]
                        else None,
                        unit=p["unit"] if ask < 0.3 else "",
                        price_max=(p["price_min"] * Decimal("0.8")).quantize(Decimal("0.01"))
                        if 0.3 <= ask < 0.5 and p["price_min"]
                        else None,
                        currency=p["currency"] if 0.3 <= ask < 0.5 else "",
                        certifications=[rnd.choice(CERTIFICATIONS)] if 0.5 <= ask < 0.65 else [],
                        good_matches=rnd.randint(1, 12),
                        best_score=round(rnd.uniform(0.4, 0.95), 3),
                        buyer_key=buyer_key(FIRST_DEMO_BUYER + rnd.randrange(BUYERS)),
                    )
                )
        for words, market, language in UNLISTED:
            for _ in range(int(rnd.randint(3, 7) * growth)):
                rows.append(
                    DemandSignal(
                        kind=SignalKind.SEARCH,
                        month=month,
                        recorded_on=day,
                        language=language,
                        product_type=words,
                        market=market,
                        good_matches=0,
                        buyer_key=buyer_key(FIRST_DEMO_BUYER + rnd.randrange(BUYERS)),
                    )
                )
    DemandSignal.objects.bulk_create(rows, batch_size=2_000)
    rebuild_demand_months(months=range(last - months + 1, last + 1))
    return len(rows)
