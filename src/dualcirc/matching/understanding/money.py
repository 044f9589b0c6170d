"""Money in a query: a number with a currency sign or word (and an optional unit) is a
price ceiling."""

from __future__ import annotations

import re
from decimal import Decimal

from dualcirc.matching.types import Constraint, ConstraintKind
from dualcirc.matching.understanding.attributes import plain_number
from dualcirc.matching.understanding.numbers import (
    MULT,
    MULT_RE,
    NUM,
    UNIT_ALT,
    UNIT_WORDS,
    comparator,
    parse_number,
    span_with_comparator,
)
from dualcirc.matching.understanding.spans import Found, overlaps

# ------------------------------------------------------------------ currencies
_CUR_PREFIX = {
    "us$": "USD",
    "usd": "USD",
    "$": "USD",
    "¥": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "€": "EUR",
    "eur": "EUR",
    "vnd": "VND",
    "vnđ": "VND",
}
_CUR_SUFFIX = {
    "usd": "USD",
    "us$": "USD",
    "$": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "美元": "USD",
    "美金": "USD",
    "刀": "USD",
    "đô": "USD",
    "đô la": "USD",
    "元": "CNY",
    "块": "CNY",
    "块钱": "CNY",
    "人民币": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "yuan": "CNY",
    "tệ": "CNY",
    "nhân dân tệ": "CNY",
    "đ": "VND",
    "đồng": "VND",
    "vnd": "VND",
    "vnđ": "VND",
    "dong": "VND",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "欧元": "EUR",
}


def _alt(words: dict[str, str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_PER = r"(?:\s?(?:/|per|a|an|each|một|mỗi|/\s?một|每)\s?)"
_MONEY_RE = re.compile(
    rf"(?:(?P<pre>{_alt(_CUR_PREFIX)})\s?(?P<num1>{NUM}){MULT_RE.replace('mult', 'mult1')}"
    rf"(?:\s?(?P<suf1>{_alt(_CUR_SUFFIX)})(?![a-zà-ỹ]))?"
    rf"|(?P<num2>{NUM}){MULT_RE.replace('mult', 'mult2')}\s?(?P<suf2>{_alt(_CUR_SUFFIX)})"
    r"(?![a-zà-ỹ]))"
    rf"(?:{_PER}(?P<unit>{UNIT_ALT})(?![a-zà-ỹ]))?",
    re.I,
)
_ZH_PER_BEFORE = re.compile(rf"每\s?(?P<unit>{UNIT_ALT})\s?$")


def add_money(text: str, lang: str, found: list[Found]) -> None:
    for m in _MONEY_RE.finditer(text):
        if overlaps(found, m.start(), m.end()):
            continue
        raw = m.group("num1") or m.group("num2")
        value = parse_number(raw, lang)
        if value is None:
            continue
        mult = m.group("mult1") or m.group("mult2")
        if mult:
            value *= MULT.get(mult.lower(), Decimal(1))
        cur_word = (m.group("pre") or m.group("suf2") or m.group("suf1") or "").lower()
        currency = _CUR_PREFIX.get(cur_word) or _CUR_SUFFIX.get(cur_word, "")
        if cur_word == "$" and text[max(0, m.start() - 2) : m.start()].lower() == "us":
            currency = "USD"
        if not currency:
            continue
        unit_word = m.group("unit")
        start, end = m.start(), m.end()
        zh_per = _ZH_PER_BEFORE.search(text[max(0, start - 4) : start])
        if not unit_word and zh_per:
            unit_word = zh_per.group("unit")
            start -= len(zh_per.group())
        unit = UNIT_WORDS.get(unit_word.lower(), "") if unit_word else ""
        kind, inclusive = comparator(text, start, end)
        if kind == "min":
            continue
        s, e = span_with_comparator(text, start, end)
        found.append(
            Found(
                Constraint(
                    ConstraintKind.PRICE_MAX,
                    plain_number(value),
                    unit=unit,
                    currency=currency,
                    inclusive=inclusive,
                    source=text[s:e].strip(),
                ),
                s,
                e,
            )
        )
