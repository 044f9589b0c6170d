"""Which language a query is written in."""

from __future__ import annotations

import re

from dualcirc.matching.text import has_cjk

# ------------------------------------------------------------------ language
_VI_MARKS = re.compile(
    r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
    r"àáãèéìíòóõùúýĩũ]",
    re.I,
)
_VI_WORDS = frozenset(
    "mua tim gia si cua nhung duoi khong qua toi hang ao quan giay ghe nha cung cap xuong "
    "san xuat luong chiec cai vai mau tivi dep khan rem chan goi".split()
)


def detect_language(text: str) -> str:
    """``zh``, ``vi``, ``en`` or ``other`` (another script)."""
    if has_cjk(text):
        return "zh"
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(1 for ch in letters if ch.isascii()) < 0.5 * len(letters):
        latin_ext = sum(
            1 for ch in letters if "\u00c0" <= ch <= "\u024f" or "\u1e00" <= ch <= "\u1eff"
        )
        if latin_ext < 0.3 * len(letters):
            return "other"
    if _VI_MARKS.search(text):
        return "vi"
    words = re.findall(r"[a-z]+", text.lower())
    if words and sum(1 for w in words if w in _VI_WORDS) >= max(1, len(words) // 3):
        return "vi"
    return "en"
