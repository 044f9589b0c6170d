"""Value types shared by the matching core: documents in, ranked hits with reasons out.

This package imports nothing from Django (nor from the rest of dualcirc). The Django side
turns products into :class:`ProductDoc` and renders :class:`Hit` reasons.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class ProductDoc:
    """One searchable product, flattened.

    ``titles`` and ``descriptions`` map a language code (``zh``, ``en``, ``vi``, …) to text.
    ``attributes`` keeps the listing's own keys and values (any language).
    Money is ``Decimal`` with ``currency`` (ISO 4217); ``moq`` is in ``unit``.
    """

    doc_id: str
    enterprise_id: str
    sku: str
    titles: dict[str, str]
    descriptions: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    hs_code: str = ""
    moq: Decimal | None = None
    unit: str = ""
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    currency: str = ""
    certifications: tuple[str, ...] = ()
    export_markets: tuple[str, ...] = ()  # ISO 3166-1 alpha-2
    lead_time_days: int | None = None
    industry: str = ""
    enterprise_name: str = ""
    enterprise_name_en: str = ""
    region: str = ""

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(lang for lang, text in self.titles.items() if text))


class ConstraintKind(enum.StrEnum):
    HS_PREFIX = "hs_prefix"
    CERTIFICATION = "certification"
    MOQ_MAX = "moq_max"
    PRICE_MAX = "price_max"
    MARKET = "market"
    LEAD_TIME_MAX = "lead_time_max"
    LANGUAGE = "language"
    ATTRIBUTE = "attribute"
    ATTRIBUTE_MIN = "attribute_min"
    ATTRIBUTE_NOT = "attribute_not"  # a negated attribute: "non-leather", "không cay", "不辣"


@dataclass(frozen=True, slots=True)
class Constraint:
    """A buyer's requirement, parsed from free text or given as a structured filter.

    ``value`` is kind-specific: a certification name, an HS prefix, an ISO country code or a
    group name (``EU``, ``ASEAN``), a ``Decimal`` bound, a language code, or an attribute value.
    ``unit``/``currency`` qualify numeric bounds; ``inclusive`` tells ``<=`` from ``<``.
    ``source`` is the span of the query it came from ("" for structured filters);
    ``hard`` constraints filter, soft ones only rank.
    """

    kind: ConstraintKind
    value: str | Decimal
    unit: str = ""
    currency: str = ""
    inclusive: bool = True
    source: str = ""
    hard: bool = False


@dataclass(frozen=True, slots=True)
class ConstraintCheck:
    constraint: Constraint
    satisfied: bool | None  # None: the product does not say
    detail: str = ""  # e.g. "MOQ 500 m ≤ 3000 m", "price 2.95 USD = 21.24 CNY"


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    text: str  # the original query
    language: str  # detected: zh, en, vi, …
    terms: str  # the query with constraint phrases removed: what is matched as text
    constraints: tuple[Constraint, ...] = ()


class ReasonKind(enum.StrEnum):
    TERM = "term"  # a query term matched a field
    SEMANTIC = "semantic"  # dense similarity
    CONSTRAINT = "constraint"  # satisfied or failed
    NAMED = "named"  # the product states what the query names (type agreement), by these names
    # words the best products of a first pass share (pseudo-relevance feedback) that this product
    # has: related to the query, not written by the buyer
    RELATED = "related"


@dataclass(frozen=True, slots=True)
class Reason:
    kind: ReasonKind
    field: str = ""  # title_zh, description_en, attributes, hs, …
    terms: tuple[str, ...] = ()
    score: float = 0.0
    check: ConstraintCheck | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    doc_id: str
    score: float
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: ParsedQuery
    hits: tuple[Hit, ...]
    total_candidates: int = 0


@dataclass(frozen=True, slots=True)
class RateTable:
    """Exchange rates into one base currency: ``rates[c]`` = units of base per 1 ``c``.

    The Django side fills it from the deals' rate store; the core never fetches anything.
    """

    base: str = "CNY"
    rates: dict[str, Decimal] = field(
        default_factory=lambda: {
            "CNY": Decimal("1"),
            "USD": Decimal("7.2"),
            "EUR": Decimal("7.8"),
            "VND": Decimal("0.000288"),
        }
    )
    as_of: str = ""

    def convert(self, amount: Decimal, from_currency: str, to_currency: str) -> Decimal | None:
        """Convert, or ``None`` when a rate is missing."""
        a = self.rates.get(from_currency.upper())
        b = self.rates.get(to_currency.upper())
        if a is None or b is None or b == 0:
            return None
        return amount * a / b


@dataclass(frozen=True, slots=True)
class SupplierHit:
    """An enterprise ranked for a buyer's need by its best-matching products."""

    enterprise_id: str
    score: float
    products: tuple[Hit, ...] = ()  # its matching products, best first
    reasons: tuple[Reason, ...] = ()  # constraint checks of the best product, …
