"""The Django side of bench/faults.py: sets data up and checks what survived a kill.

Run as a child process with the scenario's environment (DATABASE_URL, DUALCIRC_* …):

    .venv/bin/python bench/faults_checks.py deals-setup --requests 60
    .venv/bin/python bench/faults_checks.py deals-check --acknowledged 12,15,…
    .venv/bin/python bench/faults_checks.py index-check
    .venv/bin/python bench/faults_checks.py enqueue-index

Each prints one JSON object on its last line of stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.factories
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualcirc.settings")

import django  # noqa: E402  (the path and settings module come first)

django.setup()

from django.db.models import Count  # noqa: E402

SUPPLIERS_PER_REQUEST = 3


def deals_setup(requests: int) -> dict[str, Any]:
    """A buyer with an API token, ``requests`` published requests, each with a quote from each
    of three suppliers (their offer v1 waits for the buyer)."""
    from tests.factories.deals import make_deal_world, make_quote, make_request, make_supplier

    from dualcirc.core.api_auth import issue_api_token

    world = make_deal_world()
    third, third_user = make_supplier(world, 3)
    suppliers = [
        (world.supplier, world.supplier_user),
        (world.other_supplier, world.other_user),
        (third, third_user),
    ]
    out = []
    for _n in range(requests):
        request = make_request(world, invite=tuple(e for e, _u in suppliers))
        quotes = [make_quote(world, request, user=user).pk for _e, user in suppliers]
        out.append([request.pk, quotes])
    return {"token": issue_api_token(user=world.buyer, name="faults"), "requests": out}


def deals_check(acknowledged: list[int]) -> dict[str, Any]:
    """Every order is whole and matches exactly one accepted offer; no acknowledged order is
    lost. Returns the figures and the list of problems (empty: consistent)."""
    from dualcirc.deals.enums import QuoteState, RequestState
    from dualcirc.deals.models import AuditEntry, Order, Quote, SourcingRequest

    problems: list[str] = []
    orders = list(Order.objects.select_related("quote", "offer").annotate(n=Count("milestones")))
    by_request: dict[int, int] = {}
    for order in orders:
        by_request[order.request_id] = by_request.get(order.request_id, 0) + 1
        if order.quote.state != QuoteState.ACCEPTED:
            problems.append(f"order {order.pk}: its quote is {order.quote.state}")
        if order.offer.negotiation.quote_id != order.quote_id:
            problems.append(f"order {order.pk}: its offer is not its quote's")
        if order.n != 5:
            problems.append(f"order {order.pk}: {order.n} milestones, expected 5")
        if not order.number.startswith("DC-"):
            problems.append(f"order {order.pk}: half-written number {order.number}")
        if not AuditEntry.objects.filter(
            subject_type="order", subject_id=order.pk, action="order.created"
        ).exists():
            problems.append(f"order {order.pk}: no order.created audit entry")
    problems += [f"request {r}: {n} orders" for r, n in by_request.items() if n > 1]
    offers = [o.offer_id for o in orders]
    if len(offers) != len(set(offers)):
        problems.append("an offer was accepted twice")
    accepted = Quote.objects.filter(state=QuoteState.ACCEPTED)
    orphans = accepted.exclude(pk__in=[o.quote_id for o in orders]).count()
    if orphans:
        problems.append(f"{orphans} accepted quotes without an order")
    awarded = SourcingRequest.objects.filter(state=RequestState.AWARDED)
    if set(awarded.values_list("pk", flat=True)) != set(by_request):
        problems.append("the awarded requests are not those with an order")
    lost = sorted(set(acknowledged) - {o.pk for o in orders})
    if lost:
        problems.append(f"orders answered 201 but not in the database: {lost}")
    return {
        "orders": len(orders),
        "requests": SourcingRequest.objects.count(),
        "accepted_quotes": accepted.count(),
        "rejected_quotes": Quote.objects.filter(state=QuoteState.REJECTED).count(),
        "problems": problems,
    }


def index_check() -> dict[str, Any]:
    """The change feed covers every published product once, its sequence numbers are unique and
    end at the counter, and a fresh process's index serves exactly the published products."""
    from dualcirc.catalog.enums import ProductStatus
    from dualcirc.catalog.models import Product
    from dualcirc.search.models import IndexCounter, SearchDocument
    from dualcirc.search.service import SearchService

    published = set(
        Product.objects.filter(status=ProductStatus.PUBLISHED).values_list("pk", flat=True)
    )
    live = set(SearchDocument.objects.filter(deleted=False).values_list("product_id", flat=True))
    seqs = list(SearchDocument.objects.values_list("seq", flat=True))
    counter = IndexCounter.objects.get(pk=1).seq
    service = SearchService()
    index = service.index()
    served = {int(pk) for pk in index.docs}
    problems = []
    if published - live:
        problems.append(f"{len(published - live)} published products missing from the feed")
    if live - published:
        problems.append(f"{len(live - published)} feed rows of unpublished products")
    if len(seqs) != len(set(seqs)):
        problems.append("duplicate sequence numbers in the feed")
    if seqs and max(seqs) != counter:
        problems.append(f"feed ends at {max(seqs)}, counter at {counter}")
    if service.applied_seq != counter:
        problems.append(f"a new process applied the feed up to {service.applied_seq} of {counter}")
    if served != published:
        problems.append(f"index serves {len(served)} products, {len(published)} published")
    return {
        "published": len(published),
        "feed_rows": len(live),
        "counter": counter,
        "served": len(served),
        "problems": problems,
    }


def enqueue_index() -> dict[str, Any]:
    """Queue an index update of one product (to see that the worker still runs tasks)."""
    from dualcirc.catalog.models import Product
    from dualcirc.search.tasks import index_products_task

    pk = Product.objects.order_by("pk").values_list("pk", flat=True).first()
    result = index_products_task.enqueue([pk])
    return {"task": str(result.id)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["deals-setup", "deals-check", "index-check", "enqueue"])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--acknowledged", default="")
    args = parser.parse_args()
    if args.what == "deals-setup":
        out = deals_setup(args.requests)
    elif args.what == "deals-check":
        out = deals_check([int(x) for x in args.acknowledged.split(",") if x])
    elif args.what == "index-check":
        out = index_check()
    else:
        out = enqueue_index()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
