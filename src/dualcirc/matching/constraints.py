"""Constraint checks: does a product satisfy a buyer's requirement?

:func:`check_constraint` answers ``True``/``False``, or ``None`` when the product does not
say, with a short detail for the explanation ("MOQ 500 m ≤ 3000 m",
"price 2.95 USD = 21.24 CNY ≤ 25 CNY").

* **units** are canonicalised by family: counts (pcs/sets/pairs/units and the Chinese
  measure words 件 个 张 把 台 套 双 条 支 片 …) count alike; lengths in metres
  (1 yard = 0.9144 m); masses in kilograms (1 ton = 1000 kg); bounds in different families
  cannot be compared (``None``);
* **money** is converted with the caller's :class:`~types.RateTable`, in ``Decimal`` only;
  the product's lowest price (``price_min``) is compared, per the query's unit when given;
* **certifications** are normalised on both sides (``ISO9001`` = ``ISO 9001``, ``3C`` =
  ``CCC``); a certification named only in the description counts;
* **markets** accept a country or any member of a region group (EU, ASEAN, …);
* **attributes** read the listing's attributes, titles and descriptions (some facts are
  only in the description): glossary concepts with their narrower concepts ("solid wood"
  accepts oak), exclusive alternatives ("corded" fails "cordless"), and spec values with
  units (``12oz``, ``1.8m``, ``55inch``); **attribute minimums** compare the numbers the
  listing states in the same unit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from dualcirc.matching.lexicon import lexicon
from dualcirc.matching.text import has_cjk, tokenize
from dualcirc.matching.types import (
    Constraint,
    ConstraintCheck,
    ConstraintKind,
    ProductDoc,
    RateTable,
)
from dualcirc.matching.understanding import (
    ATTR_NUM_RE,
    ATTR_UNITS,
    REGIONS,
    UNIT_WORDS,
    find_certifications,
    market_members,
    normalise_certification,
)
from dualcirc.matching.vocab import (
    ATTRIBUTE_KINDS,
    exclusive_alternatives,
    fold,
    glossary,
    on_glossary_change,
)

# ------------------------------------------------------------------ units
# canonical unit → (family, factor to the family's base unit)
UNIT_FAMILY: dict[str, tuple[str, Decimal]] = {
    "pcs": ("count", Decimal(1)),
    "sets": ("count", Decimal(1)),
    "pairs": ("count", Decimal(1)),
    "m": ("length", Decimal(1)),
    "yd": ("length", Decimal("0.9144")),
    "cm": ("length", Decimal("0.01")),
    "kg": ("mass", Decimal(1)),
    "t": ("mass", Decimal(1000)),
    "g": ("mass", Decimal("0.001")),
    "lb": ("mass", Decimal("0.45359237")),
}
_EXTRA_UNITS = {
    "panels": "pcs",
    "panel": "pcs",
    "units": "pcs",
    "unit": "pcs",
    "rolls": "pcs",
    "roll": "pcs",
    "boxes": "pcs",
    "box": "pcs",
    "bags": "pcs",
    "bag": "pcs",
    "cartons": "pcs",
    "dozen": "pcs",
    "lbs": "lb",
    "lb": "lb",
    "箱": "pcs",
    "盒": "pcs",
    "袋": "pcs",
    "卷": "pcs",
    "顶": "pcs",
    "组": "sets",
}


def canonical_unit(unit: str) -> str:
    """``"Meters"`` → ``"m"``, ``"张"`` → ``"pcs"``, ``"tons"`` → ``"t"``; ``""`` if unknown."""
    u = (unit or "").strip().lower()
    if not u:
        return ""
    if u in UNIT_FAMILY:
        return u
    return UNIT_WORDS.get(u) or _EXTRA_UNITS.get(u, "")


_BASE_NAME = {"count": "pcs", "length": "m", "mass": "kg"}


def to_base(amount: Decimal, unit: str) -> tuple[Decimal, str] | None:
    """``(amount in the family's base unit, base unit)`` or ``None`` for an unknown unit."""
    cu = canonical_unit(unit)
    if not cu:
        return None
    family, factor = UNIT_FAMILY[cu]
    return amount * factor, _BASE_NAME[family]


def fmt(d: Decimal, places: int = 2) -> str:
    """A short decimal for details: ``Decimal("21.2400")`` → ``"21.24"``."""
    q = d.quantize(Decimal(1).scaleb(-places)) if d != d.to_integral() else d.to_integral()
    s = format(q, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _cmp(value: Decimal, bound: Decimal, inclusive: bool) -> bool:
    return value <= bound if inclusive else value < bound


def _sign(ok: bool, inclusive: bool) -> str:
    if ok:
        return "≤" if inclusive else "<"
    return ">" if inclusive else "≥"


# ------------------------------------------------------------------ facts of a product
_ZH_DIGITS = {
    "一": 1,
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_ZH_COUNT = re.compile(r"([一两二三四五六七八九十])(人位|人|门|座|件套|件)")
_MOQ_CONTEXT = re.compile(
    r"(?:moq|minimum order|min\.? order|起订|最低起订|最小起订|số lượng tối thiểu)[^。.;；]{0,12}$",
    re.I,
)


class _Facts:
    __slots__ = ("concepts", "folded", "numbers", "tokens")

    def __init__(
        self,
        concepts: frozenset[str],
        numbers: tuple[tuple[tuple[Decimal, str], ...], ...],
        folded: str,
        tokens: frozenset[str],
    ) -> None:
        self.concepts = concepts  # glossary concept keys named anywhere
        self.numbers = numbers  # (value, unit) pairs: attributes, titles, descriptions
        self.folded = folded
        self.tokens = tokens


def _numbers(text: str) -> tuple[tuple[Decimal, str], ...]:
    text = _ZH_COUNT.sub(lambda m: f"{_ZH_DIGITS[m.group(1)]}{m.group(2)}", text)
    text = re.sub(r"(?<![\d.])(\d)m(\d)(?!\d)", r"\1.\2m", text)
    out: list[tuple[Decimal, str]] = []
    for m in ATTR_NUM_RE.finditer(text):
        if _MOQ_CONTEXT.search(text[max(0, m.start() - 20) : m.start()]):
            continue
        raw_unit = m.group("unit")
        unit = ATTR_UNITS.get(raw_unit.lower()) or ATTR_UNITS.get(raw_unit, "")
        if not unit:
            continue
        try:
            value = Decimal(m.group("num").replace(",", "."))
        except InvalidOperation:
            continue
        if unit == "cm":  # lengths compare in metres too ("180cm" = "1.8m")
            out.append((value / 100, "m"))
        out.append((value, unit))
    return tuple(out)


@lru_cache(maxsize=16384)
def _facts(attrs: str, titles: str, descs: str, lang: str) -> _Facts:

    whole = f"{attrs}\n{titles}\n{descs}"
    concepts = frozenset(m.concept.key for m in glossary().find(whole, lang))
    numbers = (_numbers(attrs), _numbers(titles), _numbers(descs))
    tokens = frozenset(tokenize(whole, stopwords=False))
    return _Facts(concepts, numbers, fold(whole), tokens)


_BY_DOC: dict[str, tuple[ProductDoc, _Facts]] = {}


def facts(doc: ProductDoc) -> _Facts:
    """What a product states (concepts, numbers with units), cached per document object."""
    hit = _BY_DOC.get(doc.doc_id)
    if hit is not None and hit[0] is doc:
        return hit[1]
    if len(_BY_DOC) > 500_000:
        _BY_DOC.clear()
    f = _compute_facts(doc)
    _BY_DOC[doc.doc_id] = (doc, f)
    return f


def _compute_facts(doc: ProductDoc) -> _Facts:
    attrs = "; ".join(f"{k}: {v}" for k, v in doc.attributes.items())
    titles = " \n ".join(t for t in doc.titles.values() if t)
    descs = " \n ".join(t for t in doc.descriptions.values() if t)
    lang = "vi" if "vi" in doc.titles or "vi" in doc.descriptions else "en"
    return _facts(attrs, titles, descs, lang)


def states(doc: ProductDoc, name: str) -> bool:
    """Whether the product's own text (titles, descriptions, attributes) names ``name``:
    Chinese as a substring, other scripts as whole (lightly stemmed) words."""
    f = facts(doc)
    key = _name_key(name)
    if isinstance(key, str):
        return key in f.folded
    return bool(key) and all(w in f.tokens for w in key)


@lru_cache(maxsize=65536)
def _name_key(name: str) -> str | tuple[str, ...]:
    """How :func:`states` looks ``name`` up — Chinese as folded text, other scripts as their
    words —, remembered: the relevance floor and the ranking's type agreement ask it for the
    same names of many products."""
    if has_cjk(name):
        return fold(name)
    return tuple(tokenize(name, stopwords=False))


def states_head(doc: ProductDoc, name: str) -> bool:
    """Whether the product names ``name`` or, for a Chinese word, its head: the last
    character of a Chinese compound says what kind of thing it is (球鞋 and 运动鞋 are both
    鞋 shoes, 保温水壶 and 保温壶 both 壶 pots), so another word for the same thing usually
    shares it."""
    if states(doc, name):
        return True
    return (
        len(name) >= 2
        and has_cjk(name[-1])
        and lexicon().specific_head(name[-1])
        and name[-1] in facts(doc).folded
    )


def stated_names(doc: ProductDoc, units: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """For each of ``units`` the product names, the first of its names the product states."""
    found = (next((n for n in unit if states(doc, n)), None) for unit in units)
    return tuple(name for name in found if name)


def stated_share(doc: ProductDoc, units: Sequence[Sequence[str]], *, head: bool = False) -> float:
    """The share of ``units`` the product names (a unit: one of its names; with ``head``, a
    Chinese name counts when the product names its head character, see :func:`states_head`)."""
    if not units:
        return 0.0
    said = states_head if head else states
    return sum(1 for unit in units if any(said(doc, n) for n in unit)) / len(units)


# ------------------------------------------------------------------ checks
def check_constraint(c: Constraint, doc: ProductDoc, rates: RateTable) -> ConstraintCheck:
    """Whether ``doc`` satisfies ``c`` (``None``: the product does not say)."""
    fn = _CHECKS.get(c.kind)
    if fn is None:
        return ConstraintCheck(c, None, "not checked")
    return fn(c, doc, rates)


def _decimal(v: str | Decimal) -> Decimal | None:
    try:
        return v if isinstance(v, Decimal) else Decimal(str(v).strip())
    except InvalidOperation:
        return None


def _check_moq(c: Constraint, doc: ProductDoc, rates: RateTable) -> ConstraintCheck:
    bound = _decimal(c.value)
    if bound is None:
        return ConstraintCheck(c, None, "bad bound")
    if doc.moq is None:
        return ConstraintCheck(c, None, "MOQ not stated")
    doc_unit = canonical_unit(doc.unit)
    q_unit = canonical_unit(c.unit)
    if not q_unit or not doc_unit or q_unit == doc_unit:
        ok = _cmp(doc.moq, bound, c.inclusive)
        u = f" {c.unit or doc.unit}".rstrip()
        return ConstraintCheck(
            c, ok, f"MOQ {fmt(doc.moq)}{u} {_sign(ok, c.inclusive)} {fmt(bound)}{u}"
        )
    d = to_base(doc.moq, doc_unit)
    q = to_base(bound, q_unit)
    if d is None or q is None or d[1] != q[1]:
        return ConstraintCheck(
            c, None, f"MOQ {fmt(doc.moq)} {doc.unit} not comparable with {c.unit}"
        )
    ok = _cmp(d[0], q[0], c.inclusive)
    shown = f"MOQ {fmt(doc.moq)} {doc_unit}"
    if doc_unit != q_unit:
        _, qf = UNIT_FAMILY[q_unit]
        shown += f" = {fmt(d[0] / qf)} {q_unit}"
    return ConstraintCheck(c, ok, f"{shown} {_sign(ok, c.inclusive)} {fmt(bound)} {q_unit}")


def _check_price(c: Constraint, doc: ProductDoc, rates: RateTable) -> ConstraintCheck:
    bound = _decimal(c.value)
    if bound is None:
        return ConstraintCheck(c, None, "bad bound")
    if doc.price_min is None or not doc.currency:
        return ConstraintCheck(c, None, "price not stated")
    q_cur = (c.currency or doc.currency).upper()
    price = rates.convert(doc.price_min, doc.currency, q_cur)
    if price is None:
        return ConstraintCheck(c, None, f"no rate {doc.currency}→{q_cur}")
    shown = f"price {fmt(doc.price_min)} {doc.currency.upper()}"
    if q_cur != doc.currency.upper():
        shown += f" = {fmt(price)} {q_cur}"
    doc_unit = canonical_unit(doc.unit)
    q_unit = canonical_unit(c.unit)
    if q_unit and doc_unit and q_unit != doc_unit:
        fd, fq = UNIT_FAMILY[doc_unit], UNIT_FAMILY[q_unit]
        if fd[0] != fq[0]:
            return ConstraintCheck(c, None, f"{shown}/{doc.unit} not comparable per {c.unit}")
        price = price * fq[1] / fd[1]  # per query unit
        shown += f"/{doc_unit} = {fmt(price)} {q_cur}/{q_unit}"
    ok = _cmp(price, bound, c.inclusive)
    per = f"/{q_unit}" if q_unit else ""
    return ConstraintCheck(c, ok, f"{shown} {_sign(ok, c.inclusive)} {fmt(bound)} {q_cur}{per}")


def _check_cert(c: Constraint, doc: ProductDoc, rates: RateTable) -> ConstraintCheck:
    want = normalise_certification(str(c.value))
    have = [normalise_certification(x) for x in doc.certifications]
    if want in have:
        return ConstraintCheck(c, True, f"certified {want}")
    for d in doc.descriptions.values():
        if any(canon == want for canon, _, _ in find_certifications(d or "")):
            return ConstraintCheck(c, True, f"{want} (stated in the description)")
    if have:
        return ConstraintCheck(c, False, f"no {want} (has {', '.join(have)})")
    return ConstraintCheck(c, None, "no certifications stated")


def _check_market(c: Constraint, doc: ProductDoc, rates: RateTable) -> ConstraintCheck:
    value = str(c.value)
    members = market_members(value)
    hit = sorted(set(doc.export_markets) & members)
    label = value.upper() if value.upper() in REGIONS else value
    if hit:
        extra = f" ({label})" if len(members) > 1 else ""
        return ConstraintCheck(c, True, f"exports to {', '.join(hit)}{extra}")
    if doc.export_markets:
        return ConstraintCheck(
            c, False, f"no export to {label} (exports to {', '.join(doc.export_markets)})"
        )
    return ConstraintCheck(c, None, "no export markets stated")


def _check_lead(c: Constraint, doc: ProductDoc, rates: RateTable) -> ConstraintCheck:
    bound = _decimal(c.value)
    if bound is None:
        return ConstraintCheck(c, None, "bad bound")
    if doc.lead_time_days is None:
        return ConstraintCheck(c, None, "lead time not stated")
    ok = _cmp(Decimal(doc.lead_time_days), bound, c.inclusive)
    return ConstraintCheck(
        c, ok, f"lead time {doc.lead_time_days} days {_sign(ok, c.inclusive)} {fmt(bound)} days"
    )


def _check_hs(c: Constraint, doc: ProductDoc, rates: RateTable) -> ConstraintCheck:
    want = re.sub(r"\D", "", str(c.value))
    have = re.sub(r"\D", "", doc.hs_code)
    if not have:
        return ConstraintCheck(c, None, "no HS code")
    ok = have.startswith(want)
    return ConstraintCheck(c, ok, f"HS {have} {'in' if ok else 'not in'} {want}")


def _check_language(c: Constraint, doc: ProductDoc, rates: RateTable) -> ConstraintCheck:
    ok = str(c.value) in doc.languages
    return ConstraintCheck(c, ok, f"listing in {', '.join(doc.languages)}")


_SPEC_RE = re.compile(r"^(?P<num>\d+(?:\.\d+)?)(?P<unit>[a-z%\"]+)$")


def _check_attribute(c: Constraint, doc: ProductDoc, rates: RateTable) -> ConstraintCheck:
    value = str(c.value).strip()
    f = facts(doc)
    spec = _SPEC_RE.match(value.lower())
    if spec and (spec.group("unit") in ATTR_UNITS.values()):
        want = Decimal(spec.group("num"))
        unit = spec.group("unit")
        stated = [v for src in f.numbers for v, u in src if u == unit]
        if not stated:
            return ConstraintCheck(c, None, f"no {unit} stated")
        if any(abs(v - want) <= want * Decimal("0.02") for v in stated):
            return ConstraintCheck(c, True, f"{value} stated")
        shown = ", ".join(sorted({fmt(v) + unit for v in stated}))
        return ConstraintCheck(c, False, f"{shown}, not {value}")
    if re.fullmatch(r"[\d.]+x[\d.]+(?: [\d.]+x[\d.]+)*", value.lower()):
        dims = value.lower().split()
        if all(d in f.tokens for d in dims):
            return ConstraintCheck(c, True, f"{value} stated")
        return ConstraintCheck(c, None, f"{value} not stated")
    g = glossary()
    concept = g.by_key.get(value)
    if concept is None:
        needle = fold(value)
        if needle and needle in f.folded:
            return ConstraintCheck(c, True, f"{value} stated")
        return ConstraintCheck(c, None, f"{value} not stated")
    accepted = _accepted(value)
    found = accepted & f.concepts
    if found:
        return ConstraintCheck(c, True, f"{value} ({', '.join(sorted(found))})")
    rivals = set(exclusive_alternatives(value)) & f.concepts
    if rivals:
        return ConstraintCheck(c, False, f"{', '.join(sorted(rivals))}, not {value}")
    if concept.kind in ("color", "material") and concept.kind in ATTRIBUTE_KINDS:
        same_kind = sorted(
            k for k in f.concepts if (o := g.by_key.get(k)) is not None and o.kind == concept.kind
        )
        if same_kind:
            return ConstraintCheck(c, False, f"{', '.join(same_kind)}, not {value}")
    return ConstraintCheck(c, None, f"{value} not stated")


def _check_attribute_not(c: Constraint, doc: ProductDoc, rates: RateTable) -> ConstraintCheck:
    """A negated attribute holds when the product states a rival value and fails when it
    states the value (or a narrower one)."""
    positive = _check_attribute(replace(c, kind=ConstraintKind.ATTRIBUTE), doc, rates)
    if positive.satisfied is True:
        return ConstraintCheck(c, False, f"{positive.detail}, asked: not {c.value}")
    if positive.satisfied is False:
        return ConstraintCheck(c, True, f"{positive.detail.split(', not ')[0]}: not {c.value}")
    return ConstraintCheck(c, None, positive.detail)


def _check_attribute_min(c: Constraint, doc: ProductDoc, rates: RateTable) -> ConstraintCheck:
    bound = _decimal(c.value)
    if bound is None:
        return ConstraintCheck(c, None, "bad bound")
    unit = ATTR_UNITS.get(c.unit.lower(), c.unit.lower()) if c.unit else ""
    f = facts(doc)
    for src in f.numbers:  # attributes first, then titles, then descriptions
        stated = [v for v, u in src if u == unit]
        if stated:
            best = max(stated)
            ok = best >= bound if c.inclusive else best > bound
            sign = ("≥" if c.inclusive else ">") if ok else "<"
            return ConstraintCheck(c, ok, f"{fmt(best)} {unit} {sign} {fmt(bound)} {unit}")
    return ConstraintCheck(c, None, f"no {unit} stated")


@lru_cache(maxsize=4096)
def _accepted(key: str) -> frozenset[str]:
    c = glossary().by_key.get(key)
    return frozenset(k.key for k in glossary().narrower_closure(c)) if c else frozenset()


def _clear_caches() -> None:
    _facts.cache_clear()
    _accepted.cache_clear()
    _BY_DOC.clear()


on_glossary_change(_clear_caches)

_CHECKS = {
    ConstraintKind.MOQ_MAX: _check_moq,
    ConstraintKind.PRICE_MAX: _check_price,
    ConstraintKind.CERTIFICATION: _check_cert,
    ConstraintKind.MARKET: _check_market,
    ConstraintKind.LEAD_TIME_MAX: _check_lead,
    ConstraintKind.HS_PREFIX: _check_hs,
    ConstraintKind.LANGUAGE: _check_language,
    ConstraintKind.ATTRIBUTE: _check_attribute,
    ConstraintKind.ATTRIBUTE_MIN: _check_attribute_min,
    ConstraintKind.ATTRIBUTE_NOT: _check_attribute_not,
}

__all__ = ["canonical_unit", "check_constraint", "facts", "fmt", "to_base"]
