"""Names and listing text in the viewer's language, else the original, marked as such.

Listing text is data: a product has ``title_zh`` / ``title_en`` / ``title_vi`` (and the same for
``description``), regions, belts, enterprises, fairs and halls have ``name_zh`` / ``name_en``.
The rule, everywhere: show the text in the viewer's language when the listing has it; otherwise
show the original (the first of Chinese, English, Vietnamese that is written — suppliers write
their own language first) and mark it "(original)", with a ``lang`` attribute so that browsers
and screen readers read it right. A text kept in one unlabelled field (an enterprise's
``description``) is taken as written in the language its script shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from dualcirc.l10n.languages import FAMILIES, language_family

# Which written language counts as the original when several are there: suppliers are Chinese
# first, then write English, and Vietnamese last.
ORIGINAL_ORDER = FAMILIES
ORIGINAL_LABEL = gettext_lazy("(original)")

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Letters only Vietnamese uses among the platform's languages (đ, ơ, ư and tone-marked vowels).
_VIETNAMESE = re.compile(
    "[đĐơƠưƯăĂạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
    "ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ]"
)


@dataclass(frozen=True)
class LocalText:
    """A piece of listing text and the language it is written in (``zh``, ``en``, ``vi``).

    ``original`` is true when it is shown to a viewer of another language (it is the
    supplier's own wording, not a translation into the viewer's language).
    """

    lang: str
    text: str
    original: bool = False

    def __str__(self) -> str:
        return self.text


def guess_language(text: str) -> str:
    """The family a text is written in, from its script: Han characters → ``zh``, Vietnamese
    letters → ``vi``, anything else → ``en``."""
    if _CJK.search(text):
        return "zh"
    if _VIETNAMESE.search(text):
        return "vi"
    return "en"


def listing_texts(obj: Any, field: str) -> list[LocalText]:
    """Every non-empty ``<field>_zh/_en/_vi`` of ``obj`` in zh, en, vi order; an object with one
    plain ``field`` instead gives that text in the language its script shows; a plain ``field``
    beside some ``<field>_<lang>`` (an organisation's ``name`` and ``name_en``) counts as the
    text of its script's language when that one is not written separately."""
    texts = []
    for lang in ORIGINAL_ORDER:
        text = getattr(obj, f"{field}_{lang}", "") or ""
        if text.strip():
            texts.append(LocalText(lang=lang, text=text))
    plain = getattr(obj, field, "")
    if isinstance(plain, str) and plain.strip():
        lang = guess_language(plain)
        if all(t.lang != lang for t in texts):
            texts.append(LocalText(lang=lang, text=plain))
            texts.sort(key=lambda t: ORIGINAL_ORDER.index(t.lang))
    return texts


def local_text(obj: Any, field: str, *, language: str | None = None) -> LocalText | None:
    """``obj``'s ``field`` in the viewer's language when written, else the original marked
    ``original=True``; None when ``obj`` has no such text."""
    texts = listing_texts(obj, field)
    if not texts:
        return None
    family = language_family(language)
    for text in texts:
        if text.lang == family:
            return text
    first = texts[0]
    return LocalText(lang=first.lang, text=first.text, original=True)


def other_text(obj: Any, field: str, *, language: str | None = None) -> LocalText | None:
    """The text to show beside :func:`local_text`: the original when the shown text is a
    translation, else the next written language (a card shows both, so a buyer can quote the
    factory's own wording); None when there is only one."""
    shown = local_text(obj, field, language=language)
    if shown is None:
        return None
    rest = [t for t in listing_texts(obj, field) if t.lang != shown.lang]
    return rest[0] if rest else None


def local_name(obj: Any, field: str = "name", *, language: str | None = None) -> str:
    """:func:`local_text` as plain text, for places that take no markup (``<title>``, ``alt``,
    a sentence): a region's, belt's, enterprise's or fair's name in the viewer's language,
    else the original."""
    shown = local_text(obj, field, language=language)
    return shown.text if shown else ""


def language_name(code: str, *, language: str | None = None) -> str:
    """The name of the language a text is written in (``zh``, ``en``, ``vi`` or any ISO 639
    code), in the viewer's language (babel): ``zh`` → ``Chinese`` / ``中文`` / ``Tiếng Trung``."""
    from babel import Locale

    from dualcirc.l10n.languages import babel_locale

    names = Locale.parse(babel_locale(language)).languages
    return str(names.get((code or "").strip().lower(), code or ""))


def person_name(*, given: str, family: str) -> str:
    """A person's full name in the order their language writes it: Chinese names family name
    first with no space (张 + 建国 → ``张建国``), Vietnamese family name first with a space
    (``Nguyễn Văn An``), other names given name first (``Anna Schmidt``); one part alone is
    that part."""
    given, family = (given or "").strip(), (family or "").strip()
    if not given or not family:
        return given or family
    written = guess_language(family + given)
    if written == "zh":
        return f"{family}{given}"
    if written == "vi":
        return f"{family} {given}"
    return f"{given} {family}"
