"""Tokenisation and normalisation for the lexical index.

One tokenizer serves documents and queries, so both sides agree:

* text is NFKC-normalised and lower-cased (full-width digits and letters fold to ASCII);
* Chinese runs are segmented with jieba in search mode *and* split into character bigrams
  (single characters are kept for one-character runs), so a query word jieba did not know
  still meets the listing through its bigrams;
* Latin words are lower-cased and lightly stemmed (plural ``-s``/``-es``/``-ies``);
* Vietnamese words are kept with diacritics and, when different, without them (``vải`` and
  ``vai``), because buyers often type without tone marks;
* a number followed by a unit stays one token (``12oz``, ``55inch``, ``400gsm``); common
  Chinese units are folded to their Latin spelling as an extra token (``400克`` → ``400g``);
* adjacent Latin/Vietnamese words also give a bigram token (``bàn_chải``, ``quantum_dot``),
  which lets phrases outscore scattered words.

Stop words (function words and trade boilerplate such as "wholesale", "批发", "giá sỉ") are
dropped from queries and documents alike.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import jieba

jieba.setLogLevel(logging.WARNING)

_JIEBA_LOCK = threading.Lock()
_JIEBA_READY = False


def _ensure_jieba() -> None:
    global _JIEBA_READY
    if not _JIEBA_READY:
        with _JIEBA_LOCK:
            if not _JIEBA_READY:
                jieba.initialize()
                _JIEBA_READY = True


# the Chinese characters of the tokenizer (its runs, and where a Latin word ends)
CJK_RANGES = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# units written after a number; longest first so "mah" wins over "m"
_UNITS = sorted(
    [
        "oz",
        "inch",
        "inches",
        "in",
        "gsm",
        "g",
        "kg",
        "mg",
        "mm",
        "cm",
        "m",
        "km",
        "l",
        "ml",
        "w",
        "kw",
        "v",
        "ah",
        "mah",
        "hz",
        "kwh",
        "pcs",
        "pc",
        "d",
        "ft",
        "yd",
        "lb",
        "lbs",
        "cc",
        "mu",
        "momme",
        "s",
        "t",
        "x",
        "p",
        "k",
        "led",
        "mp",
        "hp",
        "db",
        "lm",
        "btu",
        "克",
        "千克",
        "公斤",
        "毫米",
        "厘米",
        "米",
        "寸",
        "英寸",
        "升",
        "毫升",
        "瓦",
        "千瓦",
        "伏",
        "匹",
        "姆米",
        "码",
        "支",
        "件",
        "人",
        "座",
        "层",
        "门",
        "位",
        "斤",
        "吨",
        "天",
    ],
    key=len,
    reverse=True,
)
_UNIT_FOLD = {
    "克": "g",
    "千克": "kg",
    "公斤": "kg",
    "毫米": "mm",
    "厘米": "cm",
    "米": "m",
    "英寸": "inch",
    "寸": "inch",
    "in": "inch",
    "inches": "inch",
    "升": "l",
    "毫升": "ml",
    "瓦": "w",
    "千瓦": "kw",
    "伏": "v",
    "姆米": "mm",
    "momme": "mm",
    "mu": "mm",
    "码": "yd",
    "pc": "pcs",
    "lbs": "lb",
}
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS)
_TOKEN_RE = re.compile(
    r"(?P<dim>\d+(?:\.\d+)?(?:\s?[x×*]\s?\d+(?:\.\d+)?)+)(?![\d.])"
    rf"|(?P<num>\d+(?:[.,]\d+)?)\s?(?P<unit>(?:{_UNIT_RE})(?![^\W\d_{CJK_RANGES}]))?"
    rf"|(?P<cjk>[{CJK_RANGES}]+)"
    # a word stops where a Chinese run starts: "TC连体服" is "tc" and 连体服, "PP牙刷" "pp" and 牙刷
    rf"|(?P<word>[^\W\d_{CJK_RANGES}]+(?:[-'][^\W\d_{CJK_RANGES}]+)*)",
    re.UNICODE,
)

STOPWORDS: frozenset[str] = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "be",
        "we",
        "our",
        "you",
        "your",
        "i",
        "my",
        "me",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "can",
        "will",
        "would",
        "should",
        "must",
        "need",
        "needs",
        "needed",
        "want",
        "looking",
        "look",
        "find",
        "where",
        "buy",
        "buying",
        "purchase",
        "sourcing",
        "source",
        "supplier",
        "suppliers",
        "manufacturer",
        "manufacturers",
        "factory",
        "factories",
        "wholesale",
        "wholesaler",
        "bulk",
        "rfq",
        "quote",
        "quotation",
        "price",
        "prices",
        "please",
        "any",
        "some",
        "who",
        "which",
        "what",
        "have",
        "has",
        "having",
        "do",
        "does",
        "per",
        "pc",
        "pcs",
        "piece",
        "pieces",
        "unit",
        "units",
        "set",
        "sets",
        "ltd",
        "company",
        "inc",
        "oem",
        "odm",
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "是",
        "在",
        "有",
        "我们",
        "我",
        "你",
        "您",
        "需要",
        "求购",
        "采购",
        "批发",
        "找",
        "厂家",
        "工厂",
        "供应商",
        "供应",
        "厂",
        "哪里",
        "购买",
        "一",
        "个",
        "款",
        "这款",
        "源头",
        "直供",
        "优质",
        "定制",
        "支持",
        "代工",
        "公司",
        "有限公司",
        "有限",
        "价格",
        "单价",
        "mua",
        "tìm",
        "cần",
        "cho",
        "của",
        "và",
        "các",
        "những",
        "một",
        "có",
        "là",
        "với",
        "được",
        "đã",
        "từ",
        "số",
        "lượng",
        "lớn",
        "giá",
        "sỉ",
        "xưởng",
        "sản",
        "xuất",
        "nhà",
        "cung",
        "cấp",
        "báo",
        "đơn",
        "muốn",
        "hàng",
        "loại",
        "chiếc",
        "cái",
        "bộ",
    ]
)


def normalise(text: str) -> str:
    """NFKC + lower case + collapsed whitespace."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


@lru_cache(maxsize=65536)
def strip_diacritics(word: str) -> str:
    """``vải`` → ``vai``, ``đồng`` → ``dong`` (Vietnamese tone and vowel marks removed)."""
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Very light English stemming: a possessive's 's (women's → women) and plurals (sofas →
    sofa, boxes → box, ponies → pony; irregular ones from WordNet's exception list: knives →
    knife, scarves → scarf, teeth → tooth)."""
    if word.endswith(("'s", "\u2019s")):
        word = word[:-2]
    elif word.endswith(("'", "\u2019")):
        word = word[:-1]
    if len(word) <= 3 or not word.isascii():
        return word
    irregular = _irregular_plurals().get(word)
    if irregular is not None:
        return irregular
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_PLURALS = Path(__file__).parent / "data" / "plurals_en.tsv"


@lru_cache(maxsize=1)
def _irregular_plurals() -> dict[str, str]:
    """``plural → singular`` of WordNet's noun exceptions (``data/plurals_en.tsv``)."""
    try:
        lines = _PLURALS.read_text(encoding="utf-8").splitlines()
    except OSError:  # optional data: without it, the suffix rules alone
        return {}
    pairs = (line.split("\t") for line in lines if line and not line.startswith("#"))
    return {p[0]: p[1] for p in pairs if len(p) == 2}


def _number(raw: str) -> str:
    raw = raw.replace(",", ".")
    if "." in raw:
        raw = raw.rstrip("0").rstrip(".")
    return raw


def _cjk_tokens(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    _ensure_jieba()
    out = [w for w in jieba.cut_for_search(run) if w.strip()]
    out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def tokenize(text: str, *, stopwords: bool = True) -> list[str]:
    """Tokens of ``text`` (with repetitions, in order of appearance).

    >>> tokenize("Vải denim co giãn 12oz")
    ['vải', 'vai', 'denim', 'co', 'giãn', 'gian', '12oz', 'vải_denim', 'vai_denim', ...]
    """
    if not text:
        return []
    norm = normalise(text)
    out: list[str] = []
    prev_word: str | None = None
    prev_plain: str | None = None
    for m in _TOKEN_RE.finditer(norm):
        dim = m.group("dim")
        if dim is not None:
            prev_word = prev_plain = None
            out.append(re.sub(r"\s|\*|×", lambda x: "" if x.group().isspace() else "x", dim))
            continue
        num = m.group("num")
        if num is not None:
            prev_word = prev_plain = None
            n = _number(num)
            unit = m.group("unit")
            if unit:
                out.append(n + unit)
                folded = _UNIT_FOLD.get(unit)
                if folded:
                    out.append(n + folded)
            else:
                out.append(n)
            continue
        cjk = m.group("cjk")
        if cjk is not None:
            prev_word = prev_plain = None
            out.extend(t for t in _cjk_tokens(cjk) if not (stopwords and t in STOPWORDS))
            continue
        word = m.group("word")
        if stopwords and word in STOPWORDS:
            prev_word = prev_plain = None
            continue
        w = stem(word)
        plain = strip_diacritics(w)
        out.append(w)
        if plain != w:
            out.append(plain)
        if "-" in w:  # "t-shirt" also meets "t shirt" (t_shirt) and "tshirt"
            parts = w.split("-")
            out.append("_".join(parts))
            out.append("".join(parts))
        if prev_word is not None and prev_plain is not None:
            out.append(prev_word + "_" + w)
            if plain != w or prev_plain != prev_word:
                out.append(prev_plain + "_" + plain)
        prev_word, prev_plain = w, plain
    return out


def term_counts(tokens: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for t in tokens:
        counts[t] = counts.get(t, 0) + 1
    return counts


def has_cjk(text: str) -> bool:
    return re.search(f"[{CJK_RANGES}]", text) is not None
