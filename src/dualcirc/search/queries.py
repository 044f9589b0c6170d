"""Reusable reads of the search app: searches joined back to the catalog, with access rules.

Search finds published products only — drafts are never searchable, not even by their own
enterprise. The index holds published products; every hit is re-checked against the database
(published, and visible to the user by ``core.access.visible_products``) so that a product
unpublished or deleted a moment ago never shows, even before the indexing task has caught up.

Entry points: :func:`search_products` (search page, API, ``dualcirc search-run``),
:func:`similar_products` (product page) and :func:`suppliers_for_need` (the "suppliers for
this need" page, the API and the deals app).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

import pycountry
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dualcirc.catalog.enums import CURRENCIES, ListingLanguage, ProductStatus
from dualcirc.catalog.models import Enterprise, Product
from dualcirc.core.access import visible_products
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.matching.engine import MatchingIndex
from dualcirc.matching.types import (
    Constraint,
    ConstraintKind,
    Hit,
    ParsedQuery,
    RateTable,
    ReasonKind,
    SearchResult,
    SupplierHit,
)
from dualcirc.matching.understanding import REGIONS
from dualcirc.search.explain import Explanation, UnderstoodConstraint, explain_hit, understood
from dualcirc.search.rates import current_rate_table
from dualcirc.search.service import get_service

MAX_LIMIT = 100
MAX_QUERY_LENGTH = 500
SLACK = 5
# Sorted by anything but relevance, the results are the best SORT_POOL hits re-ordered: a
# cheap product must still be a good match, not the cheapest thing in the catalog.
SORT_POOL = 100


class SortOrder:
    """How a result list is ordered (the ``sort`` parameter of searches and lists)."""

    RELEVANCE = "relevance"
    PRICE = "price"
    MOQ = "moq"
    LEAD_TIME = "lead_time"
    NEWEST = "newest"

    SEARCH = (RELEVANCE, PRICE, MOQ, LEAD_TIME)


def _price_in_cny(product: Product, rates: RateTable) -> Decimal | None:
    if product.price_min is None or not product.currency:
        return None
    return rates.convert(product.price_min, product.currency, "CNY")


def sort_key(sort: str, rates: RateTable) -> Callable[[Product], tuple[int, Decimal]]:
    """Ascending, products without the value last (a key for ``sorted``)."""

    def value(p: Product) -> Decimal | None:
        if sort == SortOrder.PRICE:
            return _price_in_cny(p, rates)
        if sort == SortOrder.MOQ:
            return p.moq
        if sort == SortOrder.LEAD_TIME:
            return None if p.lead_time_days is None else Decimal(p.lead_time_days)
        return None

    def key(p: Product) -> tuple[int, Decimal]:
        v = value(p)
        return (1, Decimal(0)) if v is None else (0, v)

    return key


@dataclass(frozen=True)
class ProductMatch:
    product: Product
    hit: Hit

    @cached_property
    def explanation(self) -> Explanation:
        return explain_hit(self.hit)


@dataclass(frozen=True)
class SearchFilters:
    """Structured filters of a product search (the page's facets, the API's parameters).

    Each one that is set excludes the products that do not satisfy it: all but ``industry``
    become hard :class:`~dualcirc.matching.types.Constraint` objects checked by the matching
    core; ``industry`` is the document's own field.
    """

    industry: str = ""
    hs_chapter: str = ""
    certification: str = ""
    market: str = ""
    language: str = ""
    moq_max: Decimal | None = None
    moq_unit: str = ""
    price_max: Decimal | None = None
    currency: str = ""

    def __post_init__(self) -> None:
        # One spelling per filter whoever builds it (page, API): also one result-cache key.
        for name in ("industry", "hs_chapter", "certification", "moq_unit"):
            object.__setattr__(self, name, getattr(self, name).strip())
        object.__setattr__(self, "market", self.market.strip().upper())
        object.__setattr__(self, "currency", self.currency.strip().upper())

    def errors(self) -> list[FieldError]:
        """Every problem, naming the parameter (empty when the filters are usable)."""
        errors: list[FieldError] = []
        if self.hs_chapter and not (len(self.hs_chapter) == 2 and self.hs_chapter.isdigit()):
            errors.append(FieldError("hs_chapter", _("An HS chapter is two digits, e.g. 94.")))
        if self.language and self.language not in ListingLanguage.values:
            errors.append(FieldError("language", _("Choose zh, en or vi.")))
        if self.moq_max is not None and self.moq_max < 0:
            errors.append(FieldError("moq_max", _("The MOQ ceiling cannot be negative.")))
        if self.price_max is not None and self.price_max < 0:
            errors.append(FieldError("price_max", _("The price ceiling cannot be negative.")))
        if self.price_max is not None and not self.currency:
            errors.append(FieldError("currency", _("A price ceiling needs a currency.")))
        if self.currency and self.currency not in CURRENCIES:
            errors.append(
                FieldError("currency", _("Unknown currency %(code)s.") % {"code": self.currency})
            )
        if self.market and not _is_market(self.market):
            errors.append(
                FieldError(
                    "market",
                    _(
                        "Unknown market %(code)s: use a two-letter country code "
                        "or a region such as EU."
                    )
                    % {"code": self.market},
                )
            )
        return errors

    def constraints(self) -> list[Constraint]:
        out: list[Constraint] = []
        if self.hs_chapter:
            out.append(Constraint(ConstraintKind.HS_PREFIX, self.hs_chapter, hard=True))
        if self.certification:
            out.append(Constraint(ConstraintKind.CERTIFICATION, self.certification, hard=True))
        if self.market:
            out.append(Constraint(ConstraintKind.MARKET, self.market, hard=True))
        if self.language:
            out.append(Constraint(ConstraintKind.LANGUAGE, self.language, hard=True))
        if self.moq_max is not None:
            out.append(
                Constraint(ConstraintKind.MOQ_MAX, self.moq_max, unit=self.moq_unit, hard=True)
            )
        if self.price_max is not None:
            out.append(
                Constraint(
                    ConstraintKind.PRICE_MAX,
                    self.price_max,
                    currency=self.currency,
                    hard=True,
                )
            )
        return out

    def document_filter(self, index: MatchingIndex) -> Callable[[str], bool] | None:
        if not self.industry:
            return None
        industry = self.industry.casefold()
        docs = index.docs
        return lambda doc_id: docs[doc_id].industry.casefold() == industry

    @property
    def active(self) -> bool:
        return any(
            (
                self.industry,
                self.hs_chapter,
                self.certification,
                self.market,
                self.language,
                self.moq_max is not None,
                self.price_max is not None,
            )
        )


def _is_market(code: str) -> bool:
    code = code.strip().upper()
    return code in REGIONS or (len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None)


@dataclass(frozen=True)
class ProductSearch:
    result: SearchResult
    matches: list[ProductMatch]
    filters: SearchFilters = field(default_factory=SearchFilters)
    has_more: bool = False
    # What pages derived from this ranking (rendered hit lists, keyed by what they show):
    # shared by every search answered with the same cached ranking, gone with it.
    renderings: dict[Hashable, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def understood(self) -> list[UnderstoodConstraint]:
        """The constraints read from the query text, labelled (shown as chips)."""
        return understood(c for c in self.result.query.constraints if not c.hard)

    @cached_property
    def good_match(self) -> bool:
        """Whether anything matches well: some hit shares words with the query's product
        words (in any of the languages the glossary links); for a query of requirements only
        ("FSC"), some hit meets one.

        Words of the best matches that a hit has (the search's feedback, shown as related
        words) count as shared: they came in through products that share the query's words.
        Closeness of meaning alone is not enough: the semantic score is relative to the
        candidates, so the best of unrelated products still reads "similar meaning 100%";
        nor is meeting an MOQ or a price ceiling, which any product may. The engine's
        relevance floor keeps most such hits out; this is the page's guard for what passes.
        """
        by_requirements = not self.result.query.terms.strip()
        return any(_supported(h, by_requirements=by_requirements) for h in self.result.hits)


def _supported(hit: Hit, *, by_requirements: bool) -> bool:
    for r in hit.reasons:
        if r.kind in (ReasonKind.TERM, ReasonKind.RELATED) and r.terms:
            return True
        if by_requirements and r.kind == ReasonKind.CONSTRAINT and r.check and r.check.satisfied:
            return True
    return False


@dataclass(frozen=True)
class SupplierMatch:
    enterprise: Enterprise
    supplier: SupplierHit
    products: list[ProductMatch]

    @property
    def explanation(self) -> Explanation:
        return explain_hit(
            Hit(self.supplier.enterprise_id, self.supplier.score, self.supplier.reasons)
        )


def _products(user: Any, ids: Sequence[str]) -> dict[str, Product]:
    """The published products among ``ids`` that ``user`` may see, by id string."""
    qs: QuerySet[Product] = visible_products(
        user,
        Product.objects.filter(status=ProductStatus.PUBLISHED)
        .select_related("enterprise__region", "enterprise__belt")
        .prefetch_related("images"),  # each hit shows its thumbnail
    )
    return {str(p.pk): p for p in qs.filter(pk__in=[int(i) for i in ids])}


def _rates_key(rates: RateTable) -> tuple[object, ...]:
    return (rates.base, rates.as_of, tuple(sorted(rates.rates.items())))


def _invalid(errors: list[FieldError]) -> InvalidInput:
    return InvalidInput(_("The search is not valid."), errors)


def _check_query(query: str, field_name: str = "q") -> str:
    query = (query or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise _invalid(
            [
                FieldError(
                    field_name,
                    _("At most %(n)d characters, please.") % {"n": MAX_QUERY_LENGTH},
                )
            ]
        )
    return query


def search_products(
    *,
    user: Any,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    explain: bool = True,
    sort: str = SortOrder.RELEVANCE,
) -> ProductSearch:
    """Products matching ``query`` that ``user`` may see, best first, with their reasons
    (``explain=False`` leaves the reasons out: faster, for evaluation runs).

    Constraints written in the query ("MOQ under 3000 meters", "FSC") rank; ``filters``
    exclude. ``sort`` other than relevance re-orders the best ``SORT_POOL`` hits by lowest
    price (converted to CNY with the platform's rates), MOQ or lead time, those without the
    value last. Raises InvalidInput naming the bad parameter. Reads only.
    """
    filters = filters or SearchFilters()
    query = _check_query(query)
    errors = filters.errors()
    if sort not in SortOrder.SEARCH:
        errors.append(
            FieldError(
                "sort",
                _("Sort by one of: %(choices)s.") % {"choices": ", ".join(SortOrder.SEARCH)},
            )
        )
    if errors:
        raise _invalid(errors)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    index = get_service().index()
    if not len(index):  # nothing indexed yet (the core cannot search an empty index)
        return ProductSearch(SearchResult(index.parse(query), ()), [], filters)
    # A few more than shown: one tells whether there is a next page, the others stand in for
    # hits unpublished a moment ago (the index catches up within seconds).
    wanted = offset + limit + 1
    if sort != SortOrder.RELEVANCE:
        wanted = max(wanted, SORT_POOL)
    rates = current_rate_table()

    def ranked() -> tuple[SearchResult, dict[Hashable, str]]:
        result = index.search(
            query,
            filters=filters.constraints(),
            limit=wanted + SLACK,
            rates=rates,
            visible=filters.document_filter(index),
            explain=explain,
        )
        return result, {}

    # The ranking depends only on the index, the query, the filters and the rates — not on the
    # user (visibility is re-checked below, per user): repeated searches reuse it until the
    # index changes.
    key = ("products", query, filters, wanted + SLACK, explain, _rates_key(rates))
    result, renderings = get_service().remember(key, index, ranked)
    products = _products(user, [h.doc_id for h in result.hits])
    visible = [ProductMatch(products[h.doc_id], h) for h in result.hits if h.doc_id in products]
    if sort != SortOrder.RELEVANCE:
        order = sort_key(sort, rates)
        visible.sort(key=lambda m: order(m.product))  # stable: ties keep their relevance order
    return ProductSearch(
        result=result,
        matches=visible[offset : offset + limit],
        filters=filters,
        has_more=len(visible) > offset + limit,
        renderings=renderings,
    )


def understand_query(text: str) -> ParsedQuery:
    """How the matching core reads ``text``: language, product terms, constraints."""
    return get_service().index().parse(_check_query(text))


def similar_products(*, user: Any, product: Product, limit: int = 6) -> list[ProductMatch]:
    """Published products most like ``product`` (none when it is not in the index)."""
    index = get_service().index()
    if str(product.pk) not in index:
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    hits = index.similar(str(product.pk), limit=limit + 10)
    products = _products(user, [h.doc_id for h in hits])
    return [ProductMatch(products[h.doc_id], h) for h in hits if h.doc_id in products][:limit]


def check_need(
    *,
    text: str,
    quantity: Decimal | None,
    target_price: Decimal | None,
    currency: str,
    destination: str,
) -> list[FieldError]:
    """Problems with a sourcing need, naming the field (empty when it can be searched)."""
    errors: list[FieldError] = []
    if not text.strip():
        errors.append(FieldError("text", _("Describe what you need.")))
    elif len(text) > MAX_QUERY_LENGTH:
        errors.append(
            FieldError("text", _("At most %(n)d characters, please.") % {"n": MAX_QUERY_LENGTH})
        )
    if quantity is not None and quantity <= 0:
        errors.append(FieldError("quantity", _("The quantity must be more than zero.")))
    if target_price is not None and target_price < 0:
        errors.append(FieldError("target_price", _("The target price cannot be negative.")))
    if target_price is not None and not currency:
        errors.append(FieldError("currency", _("A target price needs a currency.")))
    if currency and currency.upper() not in CURRENCIES:
        errors.append(FieldError("currency", _("Unknown currency %(code)s.") % {"code": currency}))
    if destination and not _is_market(destination):
        errors.append(
            FieldError(
                "destination",
                _(
                    "Unknown destination %(code)s: use a two-letter country code "
                    "or a region such as EU."
                )
                % {"code": destination},
            )
        )
    return errors


def suppliers_for_need(
    *,
    user: Any,
    text: str,
    quantity: Decimal | None = None,
    unit: str = "",
    target_price: Decimal | None = None,
    currency: str = "",
    destination: str = "",
    certifications: Sequence[str] = (),
    limit: int = 10,
) -> list[SupplierMatch]:
    """Enterprises ranked for a sourcing need, each with its best products and the reasons.

    ``quantity`` must reach a product's MOQ, ``target_price`` (in ``currency``) its lowest
    price, ``destination`` (ISO country code) be among its export markets and each of
    ``certifications`` be held; these and the constraints written in ``text`` rank, they do
    not exclude. Only products ``user`` may see are listed, and an enterprise without any is
    left out. The entry point the deals app uses to invite suppliers to a sourcing request.
    Raises InvalidInput naming the bad field. Reads only.
    """
    try:
        quantity = None if quantity is None else Decimal(quantity)
        target_price = None if target_price is None else Decimal(target_price)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise _invalid([FieldError(None, _("Quantities and prices are numbers."))]) from exc
    currency = (currency or "").strip().upper()
    destination = (destination or "").strip().upper()
    errors = check_need(
        text=text or "",
        quantity=quantity,
        target_price=target_price,
        currency=currency,
        destination=destination,
    )
    if errors:
        raise _invalid(errors)
    limit = max(1, min(limit, MAX_LIMIT))
    index = get_service().index()
    if not len(index):
        return []
    suppliers = index.suppliers_for_need(
        text.strip(),
        quantity=quantity,
        unit=unit.strip(),
        target_price=target_price,
        currency=currency,
        destination=destination,
        certifications=[c.strip() for c in certifications if c.strip()],
        limit=limit + 5,
        rates=current_rate_table(),
    )
    products = _products(user, [h.doc_id for s in suppliers for h in s.products])
    enterprises = Enterprise.objects.select_related("region", "belt").in_bulk(
        [int(s.enterprise_id) for s in suppliers]
    )
    out: list[SupplierMatch] = []
    for s in suppliers:
        visible = [ProductMatch(products[h.doc_id], h) for h in s.products if h.doc_id in products]
        enterprise = enterprises.get(int(s.enterprise_id))
        if visible and enterprise is not None:
            out.append(SupplierMatch(enterprise=enterprise, supplier=s, products=visible))
    return out[:limit]


@dataclass(frozen=True)
class SourcingPrefill:
    """A sourcing request's fields read from a search query, for the "post a sourcing
    request instead" offer when nothing matches well. Only what the query states is set."""

    title: str
    need: str
    quantity: Decimal | None = None
    unit: str = ""
    target_price: Decimal | None = None
    currency: str = ""
    destination_country: str = ""
    certifications: tuple[str, ...] = ()

    def as_params(self) -> dict[str, str]:
        """The request form's query parameters (empty values left out)."""
        values = {
            "title": self.title,
            "need": self.need,
            "quantity": "" if self.quantity is None else str(self.quantity),
            "unit": self.unit,
            "target_price": "" if self.target_price is None else str(self.target_price),
            "currency": self.currency,
            "destination_country": self.destination_country,
            "certifications": ", ".join(self.certifications),
        }
        return {k: v for k, v in values.items() if v}


TITLE_LENGTH = 200


def sourcing_prefill(parsed: ParsedQuery) -> SourcingPrefill:
    """The sourcing request a query describes: the product words as the title, the whole
    query as the need; an MOQ ceiling as the quantity (a buyer asking for "MOQ 50" means to
    order about that many), a price ceiling as the target price, a country as the destination,
    certifications as required ones."""
    text = parsed.text.strip()
    title = " ".join((parsed.terms or text).split()) or text
    fields: dict[str, Any] = {"title": title[:TITLE_LENGTH], "need": text}
    certifications: list[str] = []
    for c in parsed.constraints:
        kind = ConstraintKind(c.kind)
        if kind == ConstraintKind.MOQ_MAX and "quantity" not in fields:
            fields["quantity"] = Decimal(c.value)
            fields["unit"] = c.unit
        elif kind == ConstraintKind.PRICE_MAX and "target_price" not in fields:
            fields["target_price"] = Decimal(c.value)
            fields["currency"] = c.currency
        elif kind == ConstraintKind.MARKET and "destination_country" not in fields:
            code = str(c.value).upper()
            if len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None:
                fields["destination_country"] = code
        elif kind == ConstraintKind.CERTIFICATION:
            certifications.append(str(c.value))
    return SourcingPrefill(**fields, certifications=tuple(dict.fromkeys(certifications)))
