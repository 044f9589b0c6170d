"""Turn the hand-written vocabularies into the demo's field values — deterministically.

Pure Python, no database: every value comes from a ``random.Random`` seeded with the demo seed
and the enterprise's key, so the same enterprise always gets the same credit code, contacts and
products, and adding an enterprise changes nobody else's.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from dualcirc.catalog.enums import BusinessModel, ProductStatus
from dualcirc.catalog.validators import credit_code_check_character
from dualcirc.demo.kinds_goods import APPLIANCES, FURNITURE, HARDWARE, ORAL_CARE, SEAFOOD
from dualcirc.demo.kinds_textiles import (
    DENIM_AND_GREY_CLOTH,
    HOME_TEXTILES,
    KNITWEAR,
    SILK,
    WORKWEAR,
)
from dualcirc.demo.places import BELTS, REGIONS
from dualcirc.demo.types import BeltSpec, EnterpriseSpec, ProductKind, RegionSpec, Text
from dualcirc.demo.vocabulary import UNITS

SEED = "dualcirc-demo-1"
CNY_PER_USD = Decimal("7.2")  # a fixed demo rate, so USD prices never change between loads

KINDS: dict[str, tuple[ProductKind, ...]] = {
    "laixi-furniture": FURNITURE,
    "lanxi-textiles": DENIM_AND_GREY_CLOTH,
    "wujiang-silk": SILK,
    "haimen-home-textiles": HOME_TEXTILES,
    "hanjiang-toothbrushes": ORAL_CARE,
    "lianyungang-seafood": SEAFOOD,
    "qingdao-appliances": APPLIANCES,
    "ningbo-workwear": WORKWEAR,
    "yongkang-hardware": HARDWARE,
    "jimo-knitwear": KNITWEAR,
}
BELTS_BY_SLUG = {b.slug: b for b in BELTS}
REGIONS_BY_CODE = {r.code: r for r in REGIONS}

COUNTRIES: dict[str, Text] = {
    "US": Text("美国", "the US", "Mỹ"),
    "JP": Text("日本", "Japan", "Nhật Bản"),
    "KR": Text("韩国", "South Korea", "Hàn Quốc"),
    "AU": Text("澳大利亚", "Australia", "Úc"),
    "DE": Text("德国", "Germany", "Đức"),
    "GB": Text("英国", "the UK", "Anh"),
    "CA": Text("加拿大", "Canada", "Canada"),
    "VN": Text("越南", "Vietnam", "Việt Nam"),
    "BD": Text("孟加拉国", "Bangladesh", "Bangladesh"),
    "PK": Text("巴基斯坦", "Pakistan", "Pakistan"),
    "TR": Text("土耳其", "Türkiye", "Thổ Nhĩ Kỳ"),
    "IT": Text("意大利", "Italy", "Ý"),
    "KH": Text("柬埔寨", "Cambodia", "Campuchia"),
    "FR": Text("法国", "France", "Pháp"),
    "AE": Text("阿联酋", "the UAE", "UAE"),
    "RU": Text("俄罗斯", "Russia", "Nga"),
    "TH": Text("泰国", "Thailand", "Thái Lan"),
    "MY": Text("马来西亚", "Malaysia", "Malaysia"),
    "SG": Text("新加坡", "Singapore", "Singapore"),
    "SA": Text("沙特阿拉伯", "Saudi Arabia", "Ả Rập Xê Út"),
    "NG": Text("尼日利亚", "Nigeria", "Nigeria"),
    "NL": Text("荷兰", "the Netherlands", "Hà Lan"),
    "BR": Text("巴西", "Brazil", "Brazil"),
    "IN": Text("印度", "India", "Ấn Độ"),
}
BUSINESS_MODEL_TEXT: dict[str, Text] = {
    BusinessModel.OEM: Text("OEM代工", "OEM"),
    BusinessModel.ODM: Text("ODM设计", "ODM"),
    BusinessModel.OWN_BRAND: Text("自有品牌", "own brand"),
}
SURNAMES = tuple(
    Text(zh, en)
    for zh, en in (
        ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"),
        ("杨", "Yang"), ("赵", "Zhao"), ("黄", "Huang"), ("周", "Zhou"), ("吴", "Wu"),
        ("徐", "Xu"), ("孙", "Sun"), ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"),
    )
)  # fmt: skip
GIVEN_NAMES = tuple(
    Text(zh, en)
    for zh, en in (
        ("海涛", "Haitao"), ("秀英", "Xiuying"), ("建华", "Jianhua"), ("丽娜", "Lina"),
        ("志强", "Zhiqiang"), ("晓燕", "Xiaoyan"), ("国平", "Guoping"), ("婷婷", "Tingting"),
        ("明辉", "Minghui"), ("春梅", "Chunmei"), ("俊杰", "Junjie"), ("雪梅", "Xuemei"),
        ("立新", "Lixin"), ("佳怡", "Jiayi"), ("文博", "Wenbo"), ("静", "Jing"),
    )
)  # fmt: skip
CONTACT_TITLES = (
    Text("销售经理", "Sales Manager"),
    Text("外贸经理", "Export Manager"),
    Text("总经理", "General Manager"),
    Text("电商运营主管", "E-commerce Manager"),
)


def region_chain(code: str) -> list[RegionSpec]:
    """The region and its parents, province first."""
    chain = []
    spec: RegionSpec | None = REGIONS_BY_CODE[code]
    while spec is not None:
        chain.append(spec)
        spec = REGIONS_BY_CODE[spec.parent] if spec.parent else None
    return chain[::-1]


def place_name(code: str, lang: str) -> str:
    chain = region_chain(code)
    if lang == "zh":
        return "".join(r.name.zh for r in chain)
    return ", ".join(r.name.en for r in reversed(chain))


def organisation_code_check(body8: str) -> str:
    """The check character of an organisation code (GB 11714), the 9th character."""
    total = sum(int(ch) * w for ch, w in zip(body8, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code(spec: EnterpriseSpec) -> str:
    """A valid unified social credit code (GB 32100): ``9`` (registered with the market
    regulator), ``1`` (an enterprise), the county's division code, an organisation code."""
    rng = random.Random(f"{SEED}:credit:{spec.key}")
    body = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    first17 = "91" + spec.region.ljust(6, "0") + body + organisation_code_check(body)
    return first17 + credit_code_check_character(first17)


def _sample(rng: random.Random, items: Sequence[str], low: int, high: int) -> list[str]:
    return rng.sample(list(items), k=min(len(items), rng.randint(low, high)))


def _join(words: Sequence[str], lang: str) -> str:
    if lang == "zh":
        return "、".join(words)
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _contact(rng: random.Random, spec: EnterpriseSpec, belt: BeltSpec, n: int) -> dict[str, str]:
    surname, given = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
    title = CONTACT_TITLES[(n + (spec.listing == "en")) % len(CONTACT_TITLES)]
    if spec.listing == "zh":
        name, title_text = surname.zh + given.zh, title.zh
    elif spec.listing == "en":
        name, title_text = f"{surname.en} {given.en}", title.en
    else:
        name, title_text = f"{surname.zh}{given.zh} ({surname.en} {given.en})", title.zh
    if n == 0:
        phone = f"{belt.phone_area}-8{rng.randint(1000000, 9999999)}"
    else:
        prefix = f"1{rng.choice('3589')}{rng.randint(0, 9)}"
        phone = f"+86 {prefix} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
    email = f"{given.en.lower()}.{surname.en.lower()}@{spec.domain}.example"
    return {"name": name, "title": title_text, "phone": phone, "email": email}


def enterprise_fields(spec: EnterpriseSpec) -> dict[str, Any]:
    """The model fields of one demo enterprise (all but organisation, region and belt)."""
    rng = random.Random(f"{SEED}:enterprise:{spec.key}")
    belt = BELTS_BY_SLUG[spec.belt]
    kinds = {k.key: k for k in KINDS[spec.belt]}
    share_range = {"zh": (0, 20), "zh-en": (25, 70), "zh-en-vi": (30, 75), "en": (60, 98)}
    low, high = share_range[spec.listing]
    share = Decimal(rng.randint(low * 10, high * 10)) / 10
    markets = _sample(rng, belt.export_markets, 2, 5) if share else []
    if spec.listing == "zh-en-vi" and "VN" not in markets:
        markets.insert(0, "VN")
    models = sorted(
        _sample(rng, list(BusinessModel), 1, 3)
        if spec.listing != "en"
        else [BusinessModel.OEM, BusinessModel.ODM]
    )
    year = rng.randint(1986, 2020)
    big = spec.belt == "qingdao-appliances"
    employees = rng.randrange(300, 4000, 10) if big else rng.randrange(40, 1200, 10)
    made = [kinds[k].name for k in spec.kinds]
    texts = {}
    for lang in ("zh", "en"):
        models_text = _join([getattr(BUSINESS_MODEL_TEXT[m], lang) for m in models], lang)
        countries = _join([getattr(COUNTRIES[c], lang) for c in markets], lang)
        if lang == "zh":
            text = (
                f"{spec.name_zh}位于{place_name(spec.region, 'zh')}，成立于{year}年，"
                f"员工约{employees}人，是{belt.name.zh}的骨干企业，主营"
                f"{_join([m.zh for m in made], 'zh')}，支持{models_text}。"
            )
            text += f"出口约占销售额的{share}%，主要市场为{countries}。" if markets else ""
        else:
            text = (
                f"{spec.name_en or spec.name_zh}, founded in {year} in "
                f"{place_name(spec.region, 'en')}, employs about {employees} people in the "
                f"{belt.name.en}. Product lines: {_join([m.en for m in made], 'en')}. "
                f"Business: {models_text}."
            )
            text += f" Exports ({share}% of sales) go to {countries}." if markets else ""
        texts[lang] = text
    description = {
        "zh": texts["zh"],
        "en": texts["en"],
        "zh-en": texts["zh"] + "\n\n" + texts["en"],
        "zh-en-vi": texts["zh"] + "\n\n" + texts["en"],
    }[spec.listing]
    return {
        "name_zh": spec.name_zh,
        "name_en": spec.name_en,
        "credit_code": credit_code(spec),
        "industries": [belt.industry.zh, belt.industry.en],
        "year_founded": year,
        "employees": employees,
        "domestic_markets": _sample(rng, belt.domestic_markets, 2, 4),
        "export_markets": markets,
        "export_share": share,
        "certifications": list(
            dict.fromkeys(["ISO 9001", *_sample(rng, belt.certifications, 1, 3)])
        ),
        "contacts": [_contact(rng, spec, belt, n) for n in range(rng.randint(1, 2))],
        "business_models": [str(m) for m in models],
        "description": description,
    }


def _languages(listing: str, rng: random.Random) -> tuple[str, ...]:
    r = rng.random()
    if listing in ("zh", "en"):
        return (listing,)
    if listing == "zh-en":
        return ("zh", "en") if r < 0.75 else ("zh",) if r < 0.92 else ("en",)
    return ("zh", "en", "vi") if r < 0.55 else ("zh", "en") if r < 0.8 else ("en", "vi")


def compose_title(kind: ProductKind, combo: Sequence[Text], lang: str) -> str:
    """``北欧白橡木餐桌 1.6米`` / ``Nordic white oak dining table, 1.6 m`` /
    ``Bàn ăn kiểu Bắc Âu gỗ sồi trắng, 1,6 m``."""
    pre = [getattr(o, lang) for a, o in zip(kind.axes, combo, strict=True) if not a.suffix]
    suf = [getattr(o, lang) for a, o in zip(kind.axes, combo, strict=True) if a.suffix]
    noun = getattr(kind.name, lang)
    if lang == "zh":
        return "".join([*pre, noun]) + "".join(" " + s for s in suf)
    words = [*pre, noun] if lang == "en" else [noun, *pre]
    title = " ".join(words) + "".join(", " + s for s in suf)
    return title[:1].upper() + title[1:]


def _price(rng: random.Random, kind: ProductKind, currency: str) -> tuple[Decimal, Decimal]:
    low, high = (int(Decimal(p) * 100) for p in kind.price_cny)
    cents_min = rng.randint(low, high)
    cents_max = cents_min * rng.randint(105, 140) // 100

    def convert(cents: int) -> Decimal:
        value = Decimal(cents) / 100
        if currency == "USD":
            value /= CNY_PER_USD
        quantum = Decimal("1") if value >= 100 else Decimal("0.01") if value >= 1 else None
        return value.quantize(quantum or Decimal("0.001"))

    price_min, price_max = convert(cents_min), convert(cents_max)
    return price_min, max(price_min, price_max)


def product_rows(spec: EnterpriseSpec, export_markets: Sequence[str]) -> list[dict[str, Any]]:
    """The products of one demo enterprise, as Product field values keyed by field name."""
    rng = random.Random(f"{SEED}:products:{spec.key}")
    belt = BELTS_BY_SLUG[spec.belt]
    kinds = {k.key: k for k in KINDS[spec.belt]}
    pools: dict[str, list[tuple[Text, ...]]] = {}
    for key in spec.kinds:
        combos = list(itertools.product(*(a.options for a in kinds[key].axes)))
        rng.shuffle(combos)
        pools[key] = combos
    if sum(len(p) for p in pools.values()) < spec.products:
        raise ValueError(f"{spec.key}: the vocabulary has fewer than {spec.products} products")
    currency = {"zh": "CNY", "en": "USD", "zh-en-vi": "USD"}.get(spec.listing) or rng.choice(
        ("CNY", "USD")
    )
    origin = {lang: place_name(spec.region, lang) for lang in ("zh", "en")}
    order = itertools.cycle(spec.kinds)
    rows = []
    for n in range(spec.products):
        key = next(k for k in order if pools[k])
        kind, combo = kinds[key], pools[key].pop()
        langs = _languages(spec.listing, rng)
        unit = UNITS[kind.unit]
        moq = rng.choice(kind.moq)
        lead = rng.randint(*kind.lead_days)
        row: dict[str, Any] = {"sku": f"{spec.key}-{n + 1:03d}", "hs_code": kind.hs_code}
        for lang in ("zh", "en", "vi"):
            title = compose_title(kind, combo, lang) if lang in langs else ""
            row[f"title_{lang}"] = title
            row[f"description_{lang}"] = (
                _description(lang, title, belt, origin, moq, getattr(unit, lang), lead)
                if title
                else ""
            )
        bilingual = "zh" in langs and "en" in langs
        row["attributes"] = {
            axis.key: (
                f"{option.zh} / {option.en}"
                if bilingual and option.zh != option.en
                else option.zh
                if "zh" in langs
                else option.en
            )
            for axis, option in zip(kind.axes, combo, strict=True)
        }
        row["attributes"]["origin"] = (
            f"{origin['zh']} / {origin['en']}"
            if bilingual
            else origin["zh"]
            if "zh" in langs
            else origin["en"]
        )
        row["moq"], row["unit"] = Decimal(moq), kind.unit
        if rng.random() < 0.05:  # "price on request"
            row["price_min"] = row["price_max"] = None
            row["currency"] = ""
        else:
            row["price_min"], row["price_max"] = _price(rng, kind, currency)
            row["currency"] = currency
        row["certifications"] = _sample(rng, kind.certifications, 0, 2)
        row["export_markets"] = _sample(rng, export_markets, 1, 4) if export_markets else []
        row["lead_time_days"] = lead
        row["status"] = ProductStatus.DRAFT if rng.random() < 0.05 else ProductStatus.PUBLISHED
        rows.append(row)
    return rows


def _description(
    lang: str,
    title: str,
    belt: BeltSpec,
    origin: dict[str, str],
    moq: int,
    unit: str,
    lead: int,
) -> str:
    if lang == "zh":
        return (
            f"{title}。{belt.name.zh}源头工厂直供，产地{origin['zh']}。"
            f"起订量{moq}{unit}，交货期约{lead}天，支持来样定制。"
        )
    if lang == "en":
        return (
            f"{title}. Factory-direct from the {belt.name.en} ({origin['en']}). "
            f"MOQ {moq:,} {unit}, lead time about {lead} days; custom orders from samples."
        )
    vi_moq = f"{moq:,}".replace(",", ".")  # Vietnamese groups thousands with dots
    return (
        f"{title}. Hàng trực tiếp từ nhà máy tại {origin['en']}, Trung Quốc. "
        f"Số lượng đặt tối thiểu {vi_moq} {unit}, thời gian giao hàng khoảng {lead} ngày."
    )
