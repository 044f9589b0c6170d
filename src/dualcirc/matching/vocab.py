"""Trade glossary (en ↔ zh ↔ vi): cross-lingual query expansion and attribute equivalence.

The glossary (``data/glossary.tsv``) is general vocabulary of the industrial belts the
platform serves — product types, materials, colours, finishes, sizes, features — written
from domain knowledge. One row is one *concept*: its kind, its names in English, Chinese
and Vietnamese (synonyms separated by ``|``, the preferred name first) and, optionally,
the English names of narrower concepts ("solid wood" → oak, walnut, …), so a group value in
a query accepts its members.

:func:`find_concepts` spots concept names in a text (longest match first; Latin words are
matched stem- and diacritic-insensitively, Chinese by substring);
:func:`expand_terms` turns a query into extra texts in the other languages (the engine
matches them lexically, weighted lower than the buyer's own words, and embeds the first
one, a pivot rendering, next to the query); :func:`equivalents` gives every name of a
concept and its narrower concepts (for attribute checks in :mod:`constraints`).

HS nomenclature descriptions are a second, automatic bridge (see :mod:`hs` and
``engine.doc_fields``): every product's English HS text is indexed with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dualcirc.matching.lexicon import LexMatch, is_loanword, lexicon, reverse_dictionary
from dualcirc.matching.text import CJK_RANGES, has_cjk, stem, strip_diacritics, tokenize

GLOSSARY_PATH = Path(__file__).with_name("data") / "glossary.tsv"
LANGS = ("en", "zh", "vi")

# kinds whose concepts describe a product's properties (attribute constraints)
ATTRIBUTE_KINDS = frozenset({"material", "color", "pattern", "feature", "size", "style"})

# concepts that exclude each other (a product stating one fails a query for another)
EXCLUSIVE: tuple[tuple[str, ...], ...] = (
    ("cordless", "corded"),
    ("brushless", "brushed"),
    ("high top", "low top"),
    ("stretch", "non-stretch"),
    ("men", "women", "kids"),
    ("short sleeve", "long sleeve"),
    ("front load", "top load"),
    ("soft bristle", "medium bristle", "hard bristle"),
    ("spicy", "original flavor", "garlic", "bbq", "sesame", "mint", "herbal"),
    ("salted", "unsalted"),
    ("frozen", "ambient"),
    ("king", "queen", "full", "twin"),
    ("small", "medium", "large"),
    ("class 1", "class 2", "class 3"),
    ("single door", "double door", "french door"),
    ("built-in", "freestanding", "countertop"),
    ("wall mounted", "window type", "portable"),
    ("steel toe", "composite toe"),
    ("hinged door", "sliding door"),
    ("solid color", "printed", "striped", "plaid", "floral"),
    ("double-sided", "single-sided"),
    ("plain weave", "twill weave", "broken twill"),
    ("crew neck", "v-neck", "collar"),
    ("rectangular", "round", "square"),
    ("side draft", "chimney"),
    ("full hd", "4k", "8k"),
    ("summer", "winter", "all season"),
)


@dataclass(frozen=True, slots=True)
class Concept:
    kind: str
    names: dict[str, tuple[str, ...]]
    narrower: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The preferred English name: the concept's identity."""
        return self.names["en"][0]

    def preferred(self, lang: str) -> str:
        names = self.names.get(lang) or self.names["en"]
        return names[0]

    def all_names(self) -> list[str]:
        return [n for lang in LANGS for n in self.names.get(lang, ())]


@dataclass(frozen=True, slots=True)
class ConceptMatch:
    concept: Concept
    start: int
    end: int
    surface: str


# ------------------------------------------------------------------ normalisation
def fold(text: str) -> str:
    """NFKC, lower case, diacritics removed per character (length-preserving for NFC text)."""
    norm = unicodedata.normalize("NFKC", text).lower()
    out = []
    for ch in norm:
        if ch.isascii() or not ch.isalpha():
            out.append(ch)
            continue
        base = strip_diacritics(ch)
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


_WORD = re.compile(r"[0-9a-z\u00c0-\u024f\u1e00-\u1eff]+(?:[.'][0-9a-z]+)*")
_LATIN_ALNUM = re.compile(r"[0-9a-z]")


def _word_key(word: str) -> str:
    return stem(strip_diacritics(word))


def _latin_key(phrase: str) -> tuple[str, ...]:
    return tuple(_word_key(w) for w in _WORD.findall(fold(phrase).replace("-", " ")))


_EXACT_WORD = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*")


def _exact_key(phrase: str) -> tuple[str, ...]:
    """Words with their diacritics ("vải bố" and "vải bò" differ)."""
    norm = unicodedata.normalize("NFKC", phrase).lower().replace("-", " ")
    return tuple(_EXACT_WORD.findall(norm))


def _cjk_key(phrase: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", phrase).lower())


# ------------------------------------------------------------------ the glossary
class Glossary:
    """Concepts with phrase indexes per script."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.concepts = list(concepts)
        self.by_key: dict[str, Concept] = {}
        self.by_name: dict[str, Concept] = {}  # any English name (for narrower references)
        for c in self.concepts:
            self.by_key.setdefault(c.key, c)
        for c in self.concepts:
            for name in c.names["en"]:
                self.by_name.setdefault(name, c)
        # Latin phrases (en, and vi separately: "in" is English filler but Vietnamese "print")
        self._latin: dict[str, dict[tuple[str, ...], Concept]] = {"en": {}, "vi": {}}
        self._vi_exact: dict[tuple[str, ...], Concept] = {}
        self._cjk: dict[str, Concept] = {}
        for c in self.concepts:
            for lang in LANGS:
                for name in c.names.get(lang, ()):
                    if has_cjk(name):
                        self._cjk.setdefault(_cjk_key(name), c)
                    else:
                        key = _latin_key(name)
                        if key:
                            target = "vi" if lang == "vi" else "en"
                            self._latin[target].setdefault(key, c)
                            if lang == "vi":
                                self._vi_exact.setdefault(_exact_key(name), c)
        self._max_latin = max((len(k) for d in self._latin.values() for k in d), default=1)
        self._max_cjk = max((len(k) for k in self._cjk), default=1)
        # lengths of the names by first character / first word, longest first: ``find`` tries
        # only these instead of every length at every position (the same matches, ~Nx fewer
        # look-ups; it runs on every product's whole text at indexing)
        cjk_lens: dict[str, set[int]] = {}
        for k in self._cjk:
            cjk_lens.setdefault(k[0], set()).add(len(k))
        self._cjk_lens = {ch: sorted(ls, reverse=True) for ch, ls in cjk_lens.items()}
        self._latin_len: dict[str, int] = {}
        for d in self._latin.values():
            for key in d:
                self._latin_len[key[0]] = max(self._latin_len.get(key[0], 0), len(key))

    @classmethod
    def from_tsv(cls, path: str | Path) -> Glossary:
        concepts: list[Concept] = []
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            cols += [""] * (5 - len(cols))
            kind, en, zh, vi, narrower = (c.strip() for c in cols[:5])
            names = {
                lang: tuple(n.strip() for n in cell.split("|") if n.strip())
                for lang, cell in (("en", en), ("zh", zh), ("vi", vi))
            }
            if not names["en"]:
                raise ValueError(f"glossary row without an English name: {line!r}")
            concepts.append(
                Concept(
                    kind=kind,
                    names=names,
                    narrower=tuple(n.strip() for n in narrower.split("|") if n.strip()),
                )
            )
        return cls(concepts)

    # -------------------------------------------------------------- lookup
    def find(self, text: str, lang: str = "") -> list[ConceptMatch]:
        """Concept names in ``text``, longest first, non-overlapping, in text order.

        Chinese runs are matched by substring; Latin words as whole words, stem- and
        diacritic-insensitive, with English names (and Vietnamese ones unless ``lang`` is
        ``en`` or ``zh``).
        """
        folded = fold(text)
        if len(folded) != len(text):  # NFKC changed the length: work on the normalised text
            text = unicodedata.normalize("NFKC", text)
            folded = fold(text)
        taken = [False] * len(folded)
        out: list[ConceptMatch] = []
        # Chinese (and mixed Latin+Chinese names such as "t恤", "led电视")
        low = folded
        i = 0
        n = len(low)
        while i < n:
            hit = None
            lens = self._cjk_lens.get(low[i], ())
            # Latin edges must not cut a Latin word
            if lens and i > 0 and _LATIN_ALNUM.match(low[i]) and _LATIN_ALNUM.match(low[i - 1]):
                lens = ()
            for ln in lens:
                if ln > n - i:
                    continue
                sub = low[i : i + ln]
                c = self._cjk.get(sub)
                if c is None:
                    continue
                if _LATIN_ALNUM.match(sub[-1]) and i + ln < n and _LATIN_ALNUM.match(low[i + ln]):
                    continue
                hit = (c, ln)
                break
            if hit is None:
                i += 1
                continue
            c, ln = hit
            out.append(ConceptMatch(c, i, i + ln, text[i : i + ln]))
            for j in range(i, i + ln):
                taken[j] = True
            i += ln
        # Latin words
        tables = [self._latin["en"]]
        if lang not in ("en", "zh"):
            tables.insert(0, self._latin["vi"])
        words = [
            (m.start(), m.end(), _word_key(m.group()))
            for m in _WORD.finditer(folded.replace("-", " "))
        ]
        exact_text = unicodedata.normalize("NFKC", text).lower().replace("-", " ")
        use_exact = lang not in ("en", "zh") and len(exact_text) == len(folded)
        # a query written with tone marks means its marks: "tối" is not "tỏi", "đã" not "da"
        marked = use_exact and exact_text != folded.replace("-", " ")
        k = 0
        while k < len(words):
            hit2 = None
            # (an exact span's words need not be ``words``' words: it keeps every length)
            longest = self._max_latin if use_exact else self._latin_len.get(words[k][2], 0)
            for ln in range(min(longest, len(words) - k), 0, -1):
                key = tuple(w[2] for w in words[k : k + ln])
                if use_exact:  # a Vietnamese name with its tone marks wins over a folded one
                    ek = _exact_key(exact_text[words[k][0] : words[k + ln - 1][1]])
                    c = self._vi_exact.get(ek)
                    if c is not None:
                        hit2 = (c, ln)
                        break
                span = slice(words[k][0], words[k + ln - 1][1])
                for table in tables:
                    if marked and (table is self._latin["vi"] or exact_text[span] != folded[span]):
                        continue
                    c = table.get(key)
                    if c is not None:
                        hit2 = (c, ln)
                        break
                if hit2:
                    break
            if hit2 is None:
                k += 1
                continue
            c, ln = hit2
            start, end = words[k][0], words[k + ln - 1][1]
            if not any(taken[start:end]):
                out.append(ConceptMatch(c, start, end, text[start:end]))
                for j in range(start, end):
                    taken[j] = True
            k += ln
        out.sort(key=lambda m: m.start)
        return out

    def narrower_closure(self, concept: Concept) -> list[Concept]:
        """The concept and every concept below it (depth-first, no repeats)."""
        seen: dict[str, Concept] = {}
        stack = [concept]
        while stack:
            c = stack.pop()
            if c.key in seen:
                continue
            seen[c.key] = c
            for name in c.narrower:
                sub = self.by_key.get(name) or self.by_name.get(name)
                if sub is not None:
                    stack.append(sub)
        return list(seen.values())


@lru_cache(maxsize=1)
def bundled_glossary() -> Glossary:
    """The bundled glossary (parsed once per process)."""
    return Glossary.from_tsv(GLOSSARY_PATH)


_OVERRIDE: list[Glossary] = []  # a stack: evaluation protocols swap the glossary in and out
_DEPENDENT_CACHES: list[Callable[[], None]] = []


def glossary() -> Glossary:
    """The glossary in use: the bundled one unless :func:`using_glossary` swapped it."""
    return _OVERRIDE[-1] if _OVERRIDE else bundled_glossary()


def on_glossary_change(clear: Callable[[], None]) -> None:
    """Register a cache that holds results derived from the glossary (cleared on a swap)."""
    _DEPENDENT_CACHES.append(clear)


@contextmanager
def using_glossary(g: Glossary) -> Iterator[Glossary]:
    """Use ``g`` instead of the bundled glossary inside the block (leave-one-family-out
    evaluation removes one family's concepts this way). Not thread-safe: for evaluation."""
    _OVERRIDE.append(g)
    for clear in _DEPENDENT_CACHES:
        clear()
    try:
        yield g
    finally:
        _OVERRIDE.pop()
        for clear in _DEPENDENT_CACHES:
            clear()


def glossary_sections(path: str | Path = GLOSSARY_PATH) -> dict[str, list[str]]:
    """The glossary's concept keys by section (the ``# ---- name`` comment lines above them)."""
    out: dict[str, list[str]] = {}
    section = ""
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        m = re.match(r"#\s*-{4,}\s*(.+?)\s*$", line)
        if m:
            section = m.group(1)
            continue
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) > 1 and cols[1].strip():
            out.setdefault(section, []).append(cols[1].split("|")[0].strip())
    return out


def without_concepts(g: Glossary, keys: Iterable[str]) -> Glossary:
    """``g`` less the concepts whose preferred English name is in ``keys``."""
    drop = set(keys)
    return Glossary(c for c in g.concepts if c.key not in drop)


# ------------------------------------------------------------------ public helpers
def find_concepts(text: str, lang: str = "") -> list[ConceptMatch]:
    return glossary().find(text, lang)


def concept(key: str) -> Concept | None:
    """A concept by its preferred English name (case-insensitive)."""
    g = glossary()
    c = g.by_key.get(key)
    if c is None:
        found = g.find(key, "en")
        if len(found) == 1 and found[0].end - found[0].start >= len(key.strip()) - 1:
            c = found[0].concept
    return c


def equivalents(value: str) -> list[str]:
    """Every name (all languages) of ``value``'s concept and its narrower concepts.

    An unknown value gives just itself.
    """
    c = concept(value)
    if c is None:
        return [value]
    names: list[str] = []
    for sub in glossary().narrower_closure(c):
        names.extend(sub.all_names())
    return list(dict.fromkeys(names))


def exclusive_alternatives(key: str) -> list[str]:
    """Concept keys that exclude ``key`` (e.g. ``corded`` for ``cordless``)."""
    for group in EXCLUSIVE:
        if key in group:
            return [k for k in group if k != key]
    return []


_PIVOT_NUM = re.compile(
    r"[0-9][0-9a-zA-Z.,x×/\"]*(?:\s(?:inch|inches|in|cm|mm|m|kg|g|l|w|hz|oz|gsm|pcs|pieces|"
    r"seater|seats|doors?|momme|ml|liters?|litres?)(?![a-z]))?",
    re.I,
)


def _lexicon_matches(text: str, lang: str, taken: list[bool]) -> list[LexMatch]:
    """Lexicon words (:mod:`lexicon`) in the parts of ``text`` no glossary concept covers."""
    if not LEXICON_ENABLED[-1]:
        return []
    out = []
    for m in lexicon().find(text, lang):
        if not any(taken[m.start : m.end]):
            out.append(m)
            for j in range(m.start, m.end):
                taken[j] = True
    return out


def find_readings(text: str, lang: str = "") -> list[ConceptMatch]:
    """Glossary concepts of ``text`` that no longer dictionary word holds: what the query
    understanding reads as concepts. The glossary wins, except where a longer Chinese or
    Vietnamese dictionary word holds a glossary match inside it (枕套 "pillowcase" holds 套
    "set", "đèn pin" "flashlight" holds "pin" "battery"): the longer word is the more
    specific reading."""
    matches = find_concepts(text, lang)
    if LEXICON_ENABLED[-1] and lang in ("zh", "vi"):
        longer = [
            x
            for x in lexicon().find(text, lang)
            if (has_cjk(x.surface) or lang == "vi")
            and any(
                x.start <= m.start and m.end <= x.end and m.end - m.start < x.end - x.start
                for m in matches
            )
            and not any(m.start < x.start < m.end or m.start < x.end < m.end for m in matches)
        ]
        if longer:
            matches = [
                m
                for m in matches
                if not any(
                    x.start <= m.start and m.end <= x.end and m.end - m.start < x.end - x.start
                    for x in longer
                )
            ]
    return matches


_ZH_LINK = frozenset("的和与及或、，, ")
_EN_NEXT = re.compile(r"\s*([a-z][a-z'-]*)", re.I)


def is_modifier(text: str, m: ConceptMatch, lang: str) -> bool:
    """Whether a product-type concept only qualifies the word after it: the head of an
    English or Chinese noun compound comes last ("TV console", "duvet cover", 沙发套,
    电视柜), so the product asked for is that last word, not the concept."""
    if m.concept.kind != "type":
        return False
    rest = text[m.end :]
    if lang == "zh":
        return bool(rest) and has_cjk(rest[0]) and rest[0] not in _ZH_LINK
    if lang == "en":
        nxt = _EN_NEXT.match(rest)
        if not nxt:
            return False
        word = nxt.group(1).lower()
        return bool(tokenize(word)) and stem(word) not in _HEAD_GENERIC
    return False


def _qualifies_next(text: str, end: int, lang: str) -> bool:
    """Whether the word ending at ``end`` is followed by another content word (English) or
    by a further Chinese character with no link such as 的 between: the head of an English or
    Chinese compound comes last, so the word before it only qualifies it."""
    if lang == "zh":
        rest = text[end:]
        return bool(rest) and has_cjk(rest[0]) and rest[0] not in _ZH_LINK
    if lang != "en":
        return False
    nxt = _EN_NEXT.match(text[end:])
    if not nxt:
        return False
    word = nxt.group(1).lower()
    return bool(tokenize(word)) and stem(word) not in _HEAD_GENERIC


_HEAD_GENERIC = frozenset(
    "set kit piece unit supplier manufacturer factory wholesale bulk price quality "
    "type model style size color colour".split()
)


def _render(text: str, lang: str, target: str) -> tuple[str, list[ConceptMatch], list[LexMatch]]:
    matches = find_readings(text, lang)
    parts: list[tuple[int, str]] = [(m.start, m.concept.preferred(target)) for m in matches]
    taken = [False] * len(text)
    for m in matches:
        for j in range(m.start, min(m.end, len(text))):
            taken[j] = True
    lex = _lexicon_matches(text, lang, taken)
    for x in lex:
        name = (x.english[:1] if target == "en" else x.chinese[:1]) or (x.surface,)
        if lang == "vi" and target == "en" and is_loanword(x.surface):
            name = (x.surface,)  # "sofa" in a Vietnamese query is its own English name
        parts.append((x.start, name[0]))
    if lang == "vi":  # Vietnamese puts the head first ("rèm cửa": a curtain, not a door)
        first = _UNIT_WORD.search(text)
        if first and not any(taken[first.start() : first.end()]):
            return text, matches, lex
    for m in matches:  # a compound whose head nobody can render: no pivot (it would
        if is_modifier(text, m, lang):  # name the modifier as if it were the product)
            head = m.end + (len(text[m.end :]) - len(text[m.end :].lstrip()))
            if not taken[head] if head < len(taken) else False:
                return text, matches, lex
    for num in _PIVOT_NUM.finditer(text):
        if not any(taken[num.start() : num.end()]):
            parts.append((num.start(), num.group()))
    parts.sort()
    return " ".join(p for _, p in parts), matches, lex


def pivot_text(text: str, lang: str, target: str = "en") -> str:
    """``text`` rendered in ``target`` by concept: preferred names in text order.

    Words the glossary does not know are rendered through the general lexicon where it
    knows them; numbers and Latin codes (``4K``, ``55 inch``) are kept; other words of the
    source language are dropped.
    """
    return _render(text, lang, target)[0]


def expand_terms(text: str, lang: str) -> list[str]:
    """Equivalent phrasings of ``text`` in the other languages (and synonyms in its own).

    Returns ``[pivot, concept_1_names, concept_2_names, …]``: the first item renders the
    whole text in English (in Chinese when ``lang`` is ``en``), for the dense side; each
    following item holds every name of one concept found in the text, minus the buyer's own
    wording, for the lexical side — glossary concepts first, then general-lexicon words
    (WordNet synonyms, CC-CEDICT translations). Empty when nothing is recognised.
    """
    target = "zh" if lang == "en" else "en"
    pivot, matches, lex = _render(text, lang, target)
    described = described_as(text, lang)
    if described:  # the product's own names lead the pivot
        name = described[0] if target == "en" else (_chinese_of(described) or described)[0]
        pivot = f"{name} {pivot}".strip() if pivot != text else name
    if not matches and not lex and not described:
        return []
    out = [pivot]
    if described:
        out.append(" ".join((*described, *_chinese_of(described))))
    for m in matches:
        if is_modifier(text, m, lang):  # "TV console" asks for no TV
            continue
        surface = fold(m.surface)
        names = [n for n in m.concept.all_names() if fold(n) != surface]
        if names:
            out.append(" ".join(names))
    for x in lex:
        if _qualifies_next(text, x.end, lang):  # "puffer jacket" asks for no blowfish
            continue
        names = [n for n in (*x.english, *x.chinese) if fold(n) != fold(x.surface)]
        if names:
            out.append(" ".join(names))
    return out


# words as tokenize reads them: "Oral-B" is one; a Chinese run is its own ("TC连体服": TC, 连体服)
_LATIN = rf"[^\W\d_{CJK_RANGES}]+"
_UNIT_WORD = re.compile(rf"[{CJK_RANGES}]+|{_LATIN}(?:-{_LATIN})*", re.UNICODE)
_NOT_IDENTITY = ATTRIBUTE_KINDS | {"trade"}


# A description says what a thing does or is for ("machine that washes the dishes", "thread
# for cleaning between teeth"); a name of one ("stainless steel kettle", "small fish snack")
# has no such word and is not looked up among the definitions.
_DESCRIBES = re.compile(r"\b(?:that|which|who|for|to|used)\b", re.IGNORECASE)


def described_as(text: str, lang: str) -> tuple[str, ...]:
    """Names of the product an English description names (``lexicon.ReverseDictionary``)."""
    if lang != "en" or not LEXICON_ENABLED[-1] or not _DESCRIBES.search(text):
        return ()
    return reverse_dictionary().describe(text)


def _chinese_of(names: tuple[str, ...]) -> tuple[str, ...]:
    from dualcirc.matching.lexicon import _key

    return lexicon().chinese([_key(n) for n in names])


def query_units(text: str, lang: str) -> list[tuple[str, ...]]:
    """What a query names, one unit per thing, each as the names that would show a product
    states it: a glossary concept (every name, narrower concepts included), a lexicon word
    (its synonyms and translations), or a word nobody knows (itself). Attribute concepts,
    trade words and numbers are left out: they are constraints, not the product.

    The engine's relevance floor asks whether a hit states every unit.
    """
    described = described_as(text, lang)
    if described:  # a description: the product it describes is what it names
        return [(*described, *_chinese_of(described))]
    g = glossary()
    matches = find_readings(text, lang)
    taken = [False] * len(text)
    units: list[tuple[int, tuple[str, ...]]] = []  # (where it starts, its names)
    for m in matches:
        for j in range(m.start, min(m.end, len(text))):
            taken[j] = True
        if m.concept.kind in _NOT_IDENTITY:
            continue
        names = [n for c in g.narrower_closure(m.concept) for n in c.all_names()]
        units.append((m.start, tuple(dict.fromkeys([m.surface, *names]))))
    for x in _lexicon_matches(text, lang, taken):
        units.append((x.start, (x.surface, *x.english, *x.chinese)))
    for num in _PIVOT_NUM.finditer(text):
        for j in range(num.start(), min(num.end(), len(text))):
            taken[j] = True
    for w in _UNIT_WORD.finditer(text):
        if not any(taken[w.start() : w.end()]):
            if tokenize(w.group()):  # stop words: nothing
                units.append((w.start(), (w.group(),)))
        elif has_cjk(w.group()):  # a Chinese run partly read: its unread words are units
            for part in _untaken_runs(w.start(), w.end(), taken):
                units.append((part[0], (text[part[0] : part[1]],)))
    return [names for _, names in _head_phrase(sorted(units), text, lang)]


# Where an English noun phrase's post-modifiers begin ("extractor fan for above the stove",
# "machine that washes dishes", "jacket with a hood"): what follows qualifies the product
# named before it. Not "of": in "set of wrenches" the product comes after it.
_EN_POSTMODIFIER = re.compile(r"\b(?:for|to|that|which|who|with|in|on)\b", re.IGNORECASE)


def _head_phrase(
    units: list[tuple[int, tuple[str, ...]]], text: str, lang: str
) -> list[tuple[int, tuple[str, ...]]]:
    """The units of the phrase that names the product: in English the words before a
    post-modifier (for, that, with …), in Chinese those after the last 的 (下雨天穿的靴子 names
    boots: what comes before 的 qualifies them) — where that phrase names anything."""
    if lang == "en":
        cut = _EN_POSTMODIFIER.search(text)
        if cut is not None and any(at < cut.start() for at, _ in units):
            return [(at, u) for at, u in units if at < cut.start()]
    elif lang == "zh":
        cut_at = text.rfind("的")
        if cut_at > 0 and any(at > cut_at for at, _ in units):
            return [(at, u) for at, u in units if at > cut_at]
    return units


def _untaken_runs(start: int, end: int, taken: list[bool]) -> list[tuple[int, int]]:
    """Spans of two or more characters in ``[start, end)`` that nothing has read."""
    out, i = [], start
    while i < end:
        if taken[i]:
            i += 1
            continue
        j = i
        while j < end and not taken[j]:
            j += 1
        if j - i >= 2:
            out.append((i, j))
        i = j
    return out


LEXICON_ENABLED: list[bool] = [True]  # a stack, for ablation in evaluation


@contextmanager
def using_lexicon(enabled: bool) -> Iterator[None]:
    """Turn the general lexicon on or off inside the block (evaluation ablation)."""
    LEXICON_ENABLED.append(enabled)
    try:
        yield
    finally:
        LEXICON_ENABLED.pop()


__all__ = [
    "ATTRIBUTE_KINDS",
    "Concept",
    "ConceptMatch",
    "Glossary",
    "bundled_glossary",
    "concept",
    "described_as",
    "equivalents",
    "exclusive_alternatives",
    "expand_terms",
    "find_concepts",
    "find_readings",
    "fold",
    "glossary",
    "glossary_sections",
    "is_modifier",
    "on_glossary_change",
    "pivot_text",
    "query_units",
    "using_glossary",
    "using_lexicon",
    "without_concepts",
]
