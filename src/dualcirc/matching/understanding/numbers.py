"""Numbers (language conventions, multipliers), units and comparator words."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# ------------------------------------------------------------------ numbers
NUM = r"\d+(?:[.,]\d+)*"
MULT = {
    "k": Decimal(1000),
    "nghìn": Decimal(1000),
    "ngàn": Decimal(1000),
    "triệu": Decimal(1_000_000),
    "tr": Decimal(1_000_000),
    "千": Decimal(1000),
    "万": Decimal(10_000),
    "w": Decimal(10_000),
}
MULT_RE = r"(?:\s?(?P<mult>k|nghìn|ngàn|triệu|tr|千|万)(?![a-zà-ỹ克米瓦伏卡]))?"


def parse_number(raw: str, lang: str) -> Decimal | None:
    """A number as written in ``lang`` (``2,000`` en; ``800.000`` / ``2,5`` vi)."""
    raw = raw.strip()
    seps = re.findall(r"[.,]", raw)
    groups = re.split(r"[.,]", raw)
    try:
        if not seps:
            return Decimal(raw)
        if len(set(seps)) == 2:  # both: the last one is the decimal mark
            dec = seps[-1]
            thou = "," if dec == "." else "."
            return Decimal(raw.replace(thou, "").replace(dec, "."))
        sep = seps[0]
        tail_three = all(len(g) == 3 for g in groups[1:])
        if len(seps) > 1:  # 1,000,000 / 1.000.000
            return Decimal(raw.replace(sep, "")) if tail_three else None
        if lang == "vi":
            if sep == "." and tail_three:
                return Decimal(raw.replace(".", ""))
            return Decimal(raw.replace(",", "."))
        if sep == "," and tail_three:
            return Decimal(raw.replace(",", ""))
        return Decimal(raw.replace(",", "."))
    except InvalidOperation:
        return None


# ------------------------------------------------------------------ units
# unit words → canonical unit code
UNIT_WORDS: dict[str, str] = {}
for _code, _words in {
    "pcs": "pcs pc piece pieces unit units ea each item items 件 个 張 张 把 台 支 片 条 幅 只 "
    "根 块 cái chiếc",
    "sets": "set sets kit kits 套 bộ",
    "pairs": "pair pairs prs pr 双 đôi",
    "m": "m meter meters metre metres mtr mtrs 米 mét",
    "yd": "yd yds yard yards 码",
    "kg": "kg kgs kilo kilos kilogram kilograms 公斤 千克 kí ký",
    "t": "t ton tons tonne tonnes mt 吨 tấn",
    "g": "g gram grams 克",
}.items():
    for _w in _words.split():
        UNIT_WORDS[_w] = _code
UNIT_ALT = "|".join(sorted((re.escape(w) for w in UNIT_WORDS), key=len, reverse=True))
UNIT_RE = rf"(?P<unit>{UNIT_ALT})(?![a-zà-ỹ])"

# attribute units (for minimums and spec values) → canonical code
ATTR_UNITS: dict[str, str] = {}
for _code, _words in {
    "inch": 'inch inches in " ″ 英寸 寸 inch',
    "l": "l liter liters litre litres 升 lít",
    "ml": "ml 毫升",
    "w": "w watt watts 瓦",
    "kw": "kw 千瓦",
    "v": "v volt volts 伏",
    "g": "gsm g/m2 g/m² g/㎡ 克 g gram grams",
    "kg": "kg kgs 公斤 千克",
    "mm": "mm 毫米 momme mommes 姆米",
    "cm": "cm 厘米",
    "m": "m 米 mét",
    "oz": "oz 盎司 安",
    "hz": "hz 赫兹",
    "mah": "mah",
    "ah": "ah",
    "btu": "btu",
    "hp": "hp 匹",
    "lm": "lumens lumen lm 流明",
    "tc": "tc|thread count",
    "%": "% percent",
    "month": "months month 个月 月 tháng",
    "pcs": "pcs pc pieces piece 件 件套 支 片",
    "sets": "sets|place settings|place setting|套",
    "seats": "seater seaters seats seat 人位 座 人 chỗ",
    "doors": "doors door 门 cánh",
    "rpm": "rpm 转",
    "s": "s 支纱",
}.items():
    for _w in _words.split("|") if "|" in _words else _words.split():
        ATTR_UNITS.setdefault(_w, _code)
ATTR_UNITS['"'] = "inch"
_ATTR_UNIT_ALT = "|".join(sorted((re.escape(w) for w in ATTR_UNITS), key=len, reverse=True))
ATTR_NUM_RE = re.compile(
    rf"(?P<num>\d+(?:[.,]\d+)?)\s?(?:-\s?)?(?P<unit>{_ATTR_UNIT_ALT})(?![a-zà-ỹ0-9])",
    re.I,
)


# ------------------------------------------------------------------ comparators
STRICT_BEFORE = re.compile(
    r"(?:under|below|less than|lower than|cheaper than|<|dưới|thấp hơn|低于|少于|小于|不到|不足)"
    r"\s*[:：]?\s*$",
    re.I,
)
INCL_BEFORE = re.compile(
    r"(?:up to|upto|max(?:imum)?\.?|at most|no more than|not more than|not exceeding|"
    r"not over|within|≤|<=|=<|tối đa|không quá|không vượt quá|nhiều nhất|trong vòng|"
    r"不超过|不高于|不多于|最多|最高|控制在|以内|限)\s*[:：]?\s*$",
    re.I,
)
INCL_AFTER = re.compile(
    r"^\s*(?:or less|or below|or under|max(?:imum)?|at most|以内|以下|之内|内|及以下|"
    r"或以下|trở xuống|đổ lại|tối đa)",
    re.I,
)
STRICT_AFTER = re.compile(r"^\s*(?:以下不含|未满)", re.I)
MIN_BEFORE = re.compile(
    r"(?:at least|min(?:imum)?\.?|no less than|not less than|≥|>=|=>|over|above|more than|"
    r"từ|ít nhất|tối thiểu|không dưới|至少|不低于|不少于|最少|大于|超过)\s*[:：]?\s*$",
    re.I,
)
MIN_AFTER = re.compile(
    r"^\s*(?:or more|or above|and above|and up|\+|or higher|以上|及以上|或以上|起|trở lên|"
    r"hoặc hơn)",
    re.I,
)


def comparator(text: str, start: int, end: int) -> tuple[str, bool]:
    """('max', inclusive) / ('min', True) / ('', True) from the words around a span."""
    before = text[max(0, start - 24) : start]
    after = text[end : end + 14]
    if STRICT_BEFORE.search(before):
        return "max", False
    if INCL_BEFORE.search(before) or INCL_AFTER.match(after):
        return "max", True
    if MIN_BEFORE.search(before) or MIN_AFTER.match(after):
        return "min", True
    if STRICT_AFTER.match(after):
        return "max", False
    return "", True


def span_with_comparator(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a number span over its comparator words (for ``source`` and term removal)."""
    before = text[max(0, start - 24) : start]
    for rx in (STRICT_BEFORE, INCL_BEFORE, MIN_BEFORE):
        m = rx.search(before)
        if m:
            start = start - (len(before) - m.start())
            break
    after = text[end : end + 14]
    for rx in (INCL_AFTER, MIN_AFTER, STRICT_AFTER):
        m2 = rx.match(after)
        if m2:
            end += m2.end()
            break
    return start, end
