"""Compare up to four products side by side, kept in the visitor's session.

Prices show in the listing's currency with the viewer's currency beside it, converted with the
platform's rates (``dualcirc.l10n.show_money``); the viewer may pick another currency, which is
kept in the session too. Products the visitor may no longer see drop out of the comparison.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dualcirc.catalog.enums import CURRENCIES
from dualcirc.catalog.models import Product
from dualcirc.core.access import visible_products
from dualcirc.l10n import ShownMoney, show_money, viewer_currency

MAX_COMPARED = 4
SESSION_KEY = "compare_products"
CURRENCY_KEY = "compare_currency"


def compared_ids(request: HttpRequest) -> list[int]:
    raw = request.session.get(SESSION_KEY, [])
    return [int(i) for i in raw if isinstance(i, int)][:MAX_COMPARED]


@require_POST
def compare_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a product in the comparison (at most MAX_COMPARED; a fifth is refused, saying so).

    From a list (htmx) the answer is the button's replacement, "Comparing n products", and
    the visitor stays on the list; otherwise the comparison page."""
    if not visible_products(request.user, Product.objects.filter(pk=pk)).exists():
        raise Http404(_("There is no product with this id."))
    ids = compared_ids(request)
    refused = pk not in ids and len(ids) >= MAX_COMPARED
    if not refused and pk not in ids:
        ids = [*ids, pk]
        request.session[SESSION_KEY] = ids
    if request.headers.get("HX-Request") == "true":
        context = {"count": len(ids), "refused": refused, "max_compared": MAX_COMPARED}
        return render(request, "catalog/partials/compare_added.html", context)
    if refused:
        messages.error(
            request,
            _("You can compare up to %(n)d products; remove one first.") % {"n": MAX_COMPARED},
        )
    else:
        messages.success(request, _("Added to the comparison."))
    return redirect("compare")


@require_POST
def compare_remove(request: HttpRequest, pk: int) -> HttpResponse:
    request.session[SESSION_KEY] = [i for i in compared_ids(request) if i != pk]
    return redirect("compare")


@dataclass(frozen=True)
class ComparedProduct:
    product: Product
    price: ShownMoney | None


def compare(request: HttpRequest) -> HttpResponse:
    """``/products/compare/?currency=EUR``: the compared products, one column each."""
    chosen = (request.GET.get("currency") or "").strip().upper()
    if chosen in CURRENCIES:
        request.session[CURRENCY_KEY] = chosen
    currency = request.session.get(CURRENCY_KEY) or viewer_currency(user=request.user)
    ids = compared_ids(request)
    found = {
        p.pk: p
        for p in visible_products(request.user, Product.objects.filter(pk__in=ids))
        .select_related("enterprise__region")
        .prefetch_related("images")
    }
    shown = [found[i] for i in ids if i in found]
    if len(shown) != len(ids):  # some were unpublished or deleted since
        request.session[SESSION_KEY] = [p.pk for p in shown]
    columns = [
        ComparedProduct(
            product=p,
            price=show_money(p.price_min, p.currency, high=p.price_max, target=currency),
        )
        for p in shown
    ]
    context: dict[str, Any] = {
        "columns": columns,
        "currency": currency,
        "currencies": CURRENCIES,
        "max_compared": MAX_COMPARED,
    }
    return render(request, "catalog/compare.html", context)
