"""Readiness of products × channels (channels.readiness, pure functions): how many product
assessments (each on all five channels) a second, over every product kind of the demo
catalog, half of them complete and half missing everything.

    .venv/bin/python bench/channels_readiness.py [--products 20000]

Baseline (the target the enterprise page needs): 1,000 products a second, so that a
1,000-product catalog's readiness table costs at most one second of readiness work.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualcirc.settings")

import django

django.setup()

from dualcirc.channels.readiness import (  # noqa: E402
    ImageFacts,
    ListingFacts,
    SpecRow,
    assess_channel_readiness,
)
from dualcirc.channels.rules import load_rule_book  # noqa: E402
from dualcirc.demo import kinds_goods, kinds_textiles  # noqa: E402
from dualcirc.demo.types import ProductKind  # noqa: E402

BASELINE_PER_SECOND = 1000


def demo_kinds() -> list[ProductKind]:
    kinds = []
    for module in (kinds_goods, kinds_textiles):
        for value in vars(module).values():
            if isinstance(value, tuple) and value and isinstance(value[0], ProductKind):
                kinds.extend(value)
    return kinds


def facts_for(kind: ProductKind, *, complete: bool) -> ListingFacts:
    book = load_rule_book()
    ptype = book.type_for(hs_code=kind.hs_code, text=kind.name.zh)
    axes = ptype.spec_axes if ptype else ("规格",)
    evidence = {}
    if complete and ptype:
        for key in (*ptype.requirements, "trademark"):
            req = book.requirements[key]
            evidence[key] = req.example or (req.choices[0] if req.choices else "X-1")
    price = Decimal(kind.price_cny[0])
    return ListingFacts(
        hs_code=kind.hs_code,
        titles=kind.name.zh,
        title_zh=(kind.name.zh + " 工厂直供 新款") if complete else "",
        brand="品牌" if complete else "",
        retail_price=price if complete else None,
        spec_rows=[
            SpecRow(axes={a: f"{a}{i}" for a in axes}, price=price, stock=10) for i in range(6)
        ]
        if complete
        else [],
        attributes={a.name: "x" for a in ptype.attributes} if complete and ptype else {},
        catalog_attributes={},
        images=[ImageFacts(width=1000, height=1000, bytes=300_000)] * (5 if complete else 0),
        shipping_hours=48 if complete else None,
        seven_day_return=True if complete else None,
        wholesale_tiers=[(Decimal(10), price)] if complete else [],
        moq=Decimal(10),
        evidence=evidence,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=20000)
    args = parser.parse_args()
    book = load_rule_book()
    kinds = demo_kinds()
    pool = [facts_for(k, complete=c) for k in kinds for c in (True, False)]
    ready = 0
    started = time.perf_counter()
    for i in range(args.products):
        facts = pool[i % len(pool)]
        for key in book.channels:
            ready += assess_channel_readiness(book=book, channel_key=key, facts=facts).ready
    seconds = time.perf_counter() - started
    rate = args.products / seconds
    print(f"demo product kinds: {len(kinds)} ({len({k.hs_code for k in kinds})} HS subheadings)")
    print(
        f"{args.products:,} products × {len(book.channels)} channels in {seconds:.2f} s = "
        f"{rate:,.0f} products/s (baseline target {BASELINE_PER_SECOND:,}/s: "
        f"×{rate / BASELINE_PER_SECOND:.1f}); ready pairs: {ready:,}"
    )


if __name__ == "__main__":
    main()
