"""Readiness of one product for one channel: a score and a checklist of what is missing, each
item naming the form fields that fix it.

Pure functions over plain values (:class:`ListingFacts`, built from the database by
``channels.queries``) and the rule book; the messages are in the active language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise

from django.utils.translation import gettext as _

from dualcirc.channels.rules import Channel, ProductType, Requirement, RuleBook

# Weights of the blocking checks in the score; every compliance requirement weighs the same.
WEIGHTS = {
    "category": 3,
    "title": 2,
    "brand": 1,
    "images": 2,
    "spec": 2,
    "price": 2,
    "wholesale": 2,
    "attributes": 1,
    "shipping": 1,
    "after_sales": 1,
    "qualification": 2,
    "compliance": 2,
}


@dataclass(frozen=True)
class ImageFacts:
    width: int | None
    height: int | None
    bytes: int | None


@dataclass(frozen=True)
class SpecRow:
    axes: Mapping[str, str]
    price: Decimal | None
    stock: int | None


@dataclass(frozen=True)
class AuthorisationFacts:
    channels: tuple[str, ...]
    valid_from: date
    valid_until: date  # the last day it counts (the day before its revocation, if revoked)
    revoked_on: date | None = None


@dataclass(frozen=True)
class BrandFacts:
    """The product's brand of record (``channels.models.Brand``) as readiness sees it."""

    name: str
    owned: bool  # the product's enterprise owns the brand (else it is a distributor)
    trademark_number: str
    registered: bool  # registered (®), not only applied for or revoked
    expires_on: date | None
    # the letters the brand's owner gave the product's enterprise (empty when owned)
    authorisations: tuple[AuthorisationFacts, ...] = ()


@dataclass(frozen=True)
class ListingFacts:
    hs_code: str
    titles: str  # every title of the product, to refine its type by keywords
    title_zh: str
    brand: str
    retail_price: Decimal | None
    spec_rows: Sequence[SpecRow]
    attributes: Mapping[str, str]  # channel attribute name → value (already merged)
    catalog_attributes: Mapping[str, str]
    images: Sequence[ImageFacts]
    shipping_hours: int | None
    seven_day_return: bool | None
    wholesale_tiers: Sequence[tuple[Decimal, Decimal]]  # (minimum quantity, unit price)
    moq: Decimal | None
    evidence: Mapping[str, str]  # requirement key → recorded value
    # requirement key → last day the certificate/licence is valid, where recorded
    evidence_valid_until: Mapping[str, date] = field(default_factory=dict)
    today: date | None = None  # expiry is judged against it; None: not judged
    brand_record: BrandFacts | None = None  # None: no brand of record (OEM or not recorded)


@dataclass(frozen=True)
class Check:
    code: str  # category, title, … or compliance:<requirement>
    ok: bool
    message: str
    fix: tuple[str, ...] = ()  # form field names that fix it
    blocking: bool = True
    weight: int = 1


@dataclass(frozen=True)
class Readiness:
    channel: str
    product_type: str | None
    category_path: tuple[str, ...]
    checks: tuple[Check, ...] = field(default_factory=tuple)

    @property
    def ready(self) -> bool:
        return all(c.ok for c in self.checks if c.blocking)

    @property
    def score(self) -> int:
        """0–100: the weighted share of passed checks. 100 only when nothing is missing."""
        total = sum(c.weight for c in self.checks)
        passed = sum(c.weight for c in self.checks if c.ok)
        return 100 if total == 0 else (100 * passed) // total

    @property
    def missing(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.ok)

    @property
    def fix_fields(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for check in self.missing:
            seen.update(dict.fromkeys(check.fix))
        return tuple(seen)


def count_title(text: str, unit: str) -> int:
    """Length as the channel counts it: characters, or GBK bytes (CJK and full-width = 2)."""
    if unit == "gbk_bytes":
        return sum(1 if ord(ch) < 0x80 else 2 for ch in text)
    return len(text)


def check_evidence(requirement: Requirement, value: str) -> str | None:
    """The problem with ``value`` as evidence for ``requirement``, or None if it fits."""
    value = value.strip()
    if not value:
        return _("missing")
    if requirement.choices and value not in requirement.choices:
        return _("must be one of: %(choices)s") % {"choices": ", ".join(requirement.choices)}
    if requirement.pattern and not requirement.pattern.fullmatch(value):
        if requirement.example:
            return _("%(value)s is not in the expected format (e.g. %(example)s)") % {
                "value": value,
                "example": requirement.example,
            }
        return _("%(value)s is not in the expected format") % {"value": value}
    return None


def requirement_name(requirement: Requirement, language: str) -> str:
    return requirement.name_zh if language.startswith("zh") else requirement.name_en


def channel_name(channel: Channel, language: str) -> str:
    return channel.name_zh if language.startswith("zh") else channel.name_en


def _title_check(channel: Channel, facts: ListingFacts) -> Check:
    rule = channel.title
    title = facts.title_zh.strip()
    weight = WEIGHTS["title"]
    if not title:
        return Check("title", False, _("Chinese title missing."), ("title_zh",), weight=weight)
    length = count_title(title, rule.unit)
    if length < rule.min or length > rule.max:
        unit = _("bytes") if rule.unit == "gbk_bytes" else _("characters")
        return Check(
            "title",
            False,
            _("Chinese title is %(n)s %(unit)s; allowed %(min)s–%(max)s.")
            % {"n": length, "unit": unit, "min": rule.min, "max": rule.max},
            ("title_zh",),
            weight=weight,
        )
    return Check("title", True, _("Chinese title fits."), weight=weight)


def _image_problem(channel: Channel, index: int, image: ImageFacts) -> str | None:
    rule = channel.images
    if image.width is None or image.height is None:
        return _("Image %(n)s: size unknown.") % {"n": index}
    if min(image.width, image.height) < rule.min_px:
        return _("Image %(n)s is %(w)s×%(h)s px; at least %(px)s×%(px)s needed.") % {
            "n": index,
            "w": image.width,
            "h": image.height,
            "px": rule.min_px,
        }
    want = rule.ratio[0] / rule.ratio[1]
    have = image.width / image.height
    if abs(have - want) / want > rule.ratio_tolerance:
        return _("Image %(n)s is %(w)s×%(h)s px; the ratio must be %(ratio)s.") % {
            "n": index,
            "w": image.width,
            "h": image.height,
            "ratio": f"{rule.ratio[0]}:{rule.ratio[1]}",
        }
    if image.bytes is not None and image.bytes > rule.max_bytes:
        return _("Image %(n)s is %(kb)s KB; at most %(max)s KB.") % {
            "n": index,
            "kb": image.bytes // 1024,
            "max": rule.max_bytes // 1024,
        }
    return None


def _images_check(channel: Channel, facts: ListingFacts) -> Check:
    rule = channel.images
    weight = WEIGHTS["images"]
    if len(facts.images) < rule.min:
        return Check(
            "images",
            False,
            _("%(have)s main image(s); at least %(min)s needed.")
            % {"have": len(facts.images), "min": rule.min},
            ("images",),
            weight=weight,
        )
    problems = [
        p
        for i, image in enumerate(facts.images[: rule.max], start=1)
        if (p := _image_problem(channel, i, image))
    ]
    if problems:
        return Check("images", False, " ".join(problems), ("images",), weight=weight)
    return Check("images", True, _("Main images fit."), weight=weight)


def _spec_check(channel: Channel, ptype: ProductType | None, facts: ListingFacts) -> Check:
    rule = channel.sku
    weight = WEIGHTS["spec"]
    rows = facts.spec_rows

    def fail(message: str) -> Check:
        return Check("spec", False, message, ("spec_matrix",), weight=weight)

    if not rows:
        return fail(_("Specification matrix missing (one row per SKU with price and stock)."))
    if len(rows) > rule.max_skus:
        return fail(_("%(n)s SKUs; at most %(max)s.") % {"n": len(rows), "max": rule.max_skus})
    axes = set(rows[0].axes)
    if len(axes) > rule.axes_max:
        return fail(
            _("%(n)s specification axes; at most %(max)s.") % {"n": len(axes), "max": rule.axes_max}
        )
    seen: set[tuple[str, ...]] = set()
    for i, row in enumerate(rows, start=1):
        if set(row.axes) != axes or not all(v.strip() for v in row.axes.values()):
            return fail(_("SKU %(n)s: every SKU needs a value on each axis.") % {"n": i})
        combo = tuple(row.axes[a] for a in sorted(axes))
        if combo in seen:
            return fail(_("SKU %(n)s repeats another SKU's values.") % {"n": i})
        seen.add(combo)
        if rule.price_each and (row.price is None or row.price <= 0):
            return fail(_("SKU %(n)s: price missing.") % {"n": i})
        if rule.stock_each and (row.stock is None or row.stock < 0):
            return fail(_("SKU %(n)s: stock missing.") % {"n": i})
    return Check("spec", True, _("%(n)s SKUs.") % {"n": len(rows)}, weight=weight)


def _price_check(channel: Channel, facts: ListingFacts) -> Check:
    weight = WEIGHTS["price"]
    price = facts.retail_price
    if price is None or price <= 0:
        return Check(
            "price",
            False,
            _("Domestic retail price (CNY) missing."),
            ("retail_price",),
            weight=weight,
        )
    sku_prices = [r.price for r in facts.spec_rows if r.price is not None]
    if sku_prices and not (min(sku_prices) <= price <= max(sku_prices)):
        return Check(
            "price",
            False,
            _("Retail price ¥%(price)s is outside the SKU prices ¥%(low)s–¥%(high)s.")
            % {"price": price, "low": min(sku_prices), "high": max(sku_prices)},
            ("retail_price", "spec_matrix"),
            weight=weight,
        )
    return Check("price", True, _("Retail price ¥%(price)s.") % {"price": price}, weight=weight)


def _wholesale_check(channel: Channel, facts: ListingFacts) -> Check:
    rule = channel.wholesale
    assert rule is not None
    weight = WEIGHTS["wholesale"]
    tiers = list(facts.wholesale_tiers)

    def fail(message: str) -> Check:
        return Check("wholesale", False, message, ("wholesale_tiers",), weight=weight)

    if len(tiers) < rule.tiers_min:
        return fail(_("Wholesale price tiers missing (minimum quantity and unit price)."))
    if len(tiers) > rule.tiers_max:
        return fail(
            _("%(n)s price tiers; at most %(max)s.") % {"n": len(tiers), "max": rule.tiers_max}
        )
    for (q1, p1), (q2, p2) in pairwise(tiers):
        if not (q2 > q1 and p2 < p1):
            return fail(
                _("Each tier needs a larger quantity and a lower price than the one before.")
            )
    moq = facts.moq if facts.moq is not None else tiers[0][0]
    if rule.moq_required and (moq is None or moq <= 0):
        return fail(_("Minimum order quantity missing."))
    return Check(
        "wholesale",
        True,
        _("%(n)s price tier(s); minimum order %(moq)s.")
        % {"n": len(tiers), "moq": f"{moq.normalize():f}"},
        weight=weight,
    )


def _attributes_check(ptype: ProductType, facts: ListingFacts) -> Check:
    missing = []
    for attr in ptype.attributes:
        value = facts.attributes.get(attr.name) or next(
            (
                facts.catalog_attributes[k]
                for k in attr.from_keys
                if facts.catalog_attributes.get(k)
            ),
            "",
        )
        if not str(value).strip():
            missing.append(attr.name)
    if missing:
        return Check(
            "attributes",
            False,
            _("Category attributes missing: %(names)s.") % {"names": "、".join(missing)},
            tuple(f"attr:{name}" for name in missing),
            weight=WEIGHTS["attributes"],
        )
    return Check(
        "attributes", True, _("Category attributes complete."), weight=WEIGHTS["attributes"]
    )


def _evidence_check(
    code: str, requirement: Requirement, facts: ListingFacts, language: str, *, blocking: bool
) -> Check:
    name = requirement_name(requirement, language)
    problem = check_evidence(requirement, facts.evidence.get(requirement.key, ""))
    until = facts.evidence_valid_until.get(requirement.key)
    if not problem and until is not None and facts.today is not None and until < facts.today:
        problem = _("expired on %(date)s") % {"date": until.isoformat()}
    weight = WEIGHTS["qualification" if code.startswith("qualification") else "compliance"]
    if problem:
        return Check(
            code,
            False,
            f"{name}: {problem}",
            (f"evidence:{requirement.key}",),
            blocking=blocking,
            weight=weight,
        )
    return Check(
        code, True, f"{name}: {facts.evidence[requirement.key]}", blocking=blocking, weight=weight
    )


def _brand_right_check(channel_key: str, facts: ListingFacts) -> Check:
    """The channel asks for a brand with a valid trademark or an authorisation for it: judged
    on the brand of record only (a typed brand name proves nothing)."""
    code, weight, fix = "qualification:trademark", WEIGHTS["qualification"], ("brand_record",)
    brand = facts.brand_record
    today = facts.today or date.today()
    if brand is None:
        return Check(
            code,
            False,
            _("No brand of record: put the product under your brand or an authorised one."),
            fix,
            weight=weight,
        )
    if brand.owned:
        if not brand.registered:
            problem = _("trademark %(number)s of %(brand)s is not registered") % {
                "number": brand.trademark_number,
                "brand": brand.name,
            }
        elif brand.expires_on is not None and brand.expires_on < today:
            problem = _("trademark %(number)s of %(brand)s expired on %(date)s") % {
                "number": brand.trademark_number,
                "brand": brand.name,
                "date": brand.expires_on.isoformat(),
            }
        else:
            return Check(
                code,
                True,
                _("Trademark %(number)s of %(brand)s.")
                % {"number": brand.trademark_number, "brand": brand.name},
                weight=weight,
            )
        return Check(
            code, False, _("Brand: %(problem)s.") % {"problem": problem}, fix, weight=weight
        )
    letters = [a for a in brand.authorisations if channel_key in a.channels]
    valid = [a for a in letters if a.valid_from <= today <= a.valid_until]
    trademark_ok = brand.registered and (brand.expires_on is None or brand.expires_on >= today)
    if valid and trademark_ok:
        until = max(a.valid_until for a in valid)
        return Check(
            code,
            True,
            _("Authorised to sell %(brand)s here until %(date)s.")
            % {"brand": brand.name, "date": until.isoformat()},
            weight=weight,
        )
    if valid:
        message = _("The owner's trademark of %(brand)s is not valid.") % {"brand": brand.name}
    elif letters and all(a.revoked_on for a in letters):
        message = _("The authorisation to sell %(brand)s here was revoked on %(date)s.") % {
            "brand": brand.name,
            "date": max(a.revoked_on for a in letters if a.revoked_on).isoformat(),
        }
    elif letters and max(a.valid_until for a in letters) < today:
        message = _("The authorisation to sell %(brand)s here expired on %(date)s.") % {
            "brand": brand.name,
            "date": max(a.valid_until for a in letters).isoformat(),
        }
    else:
        message = _("No valid authorisation to sell %(brand)s on this channel.") % {
            "brand": brand.name
        }
    return Check(code, False, message, fix, weight=weight)


def assess_channel_readiness(
    *, book: RuleBook, channel_key: str, facts: ListingFacts, language: str = "en"
) -> Readiness:
    """Score and checklist of one product for one channel. A product without the evidence of
    a blocking requirement of its type (a CCC number in a CCC category) is never ready."""
    channel = book.channels[channel_key]
    ptype = book.type_for(hs_code=facts.hs_code, text=facts.titles)
    path = channel.categories.get(ptype.key, ()) if ptype else ()
    checks: list[Check] = []
    if path:
        checks.append(Check("category", True, " > ".join(path), weight=WEIGHTS["category"]))
    else:
        checks.append(
            Check(
                "category",
                False,
                _("No category of this channel for HS %(hs)s.") % {"hs": facts.hs_code},
                weight=WEIGHTS["category"],
            )
        )
    checks.append(_title_check(channel, facts))
    brand_name = facts.brand_record.name if facts.brand_record else facts.brand.strip()
    checks.append(
        Check("brand", True, _("Brand: %(brand)s") % {"brand": brand_name}, weight=WEIGHTS["brand"])
        if brand_name
        else Check("brand", False, _("Brand missing."), ("brand",), weight=WEIGHTS["brand"])
    )
    checks.append(_images_check(channel, facts))
    checks.append(_spec_check(channel, ptype, facts))
    if channel.price_within_sku_range:
        checks.append(_price_check(channel, facts))
    if channel.wholesale is not None:
        checks.append(_wholesale_check(channel, facts))
    if ptype is not None and ptype.attributes:
        checks.append(_attributes_check(ptype, facts))
    hours = facts.shipping_hours
    if hours is None or hours > channel.max_promise_hours:
        checks.append(
            Check(
                "shipping",
                False,
                _("Shipping promise must be at most %(max)s hours.")
                % {"max": channel.max_promise_hours},
                ("shipping_hours",),
                weight=WEIGHTS["shipping"],
            )
        )
    else:
        checks.append(
            Check("shipping", True, _("Ships within %(h)s hours.") % {"h": hours}, weight=1)
        )
    if channel.seven_day_return and not (ptype and ptype.seven_day_return_exempt):
        ok = facts.seven_day_return is True
        checks.append(
            Check(
                "after_sales",
                ok,
                _("Seven-day no-reason return offered.")
                if ok
                else _("This channel requires the seven-day no-reason return."),
                () if ok else ("seven_day_return",),
                weight=WEIGHTS["after_sales"],
            )
        )
    for key in channel.qualifications:
        if key == "trademark":  # from the brand records, not a number typed on the listing
            checks.append(_brand_right_check(channel_key, facts))
            continue
        checks.append(
            _evidence_check(
                f"qualification:{key}", book.requirements[key], facts, language, blocking=True
            )
        )
    for key in ptype.requirements if ptype else ():
        requirement = book.requirements[key]
        checks.append(
            _evidence_check(
                f"compliance:{key}", requirement, facts, language, blocking=requirement.blocking
            )
        )
    return Readiness(
        channel=channel_key,
        product_type=ptype.key if ptype else None,
        category_path=path,
        checks=tuple(checks),
    )
