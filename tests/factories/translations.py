"""What the UI catalogs say, for tests that look for UI strings left in English on a page."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings


def catalog_path(language: str) -> Path:
    """The .po file of an interface language code (``zh-hans`` → ``zh_Hans``)."""
    directory = {"zh-hans": "zh_Hans"}.get(language, language)
    return Path(settings.LOCALE_PATHS[0]) / directory / "LC_MESSAGES" / "django.po"


def english_ui_strings(language: str) -> set[str]:
    """The English source strings that ``language``'s catalog translates into something else:
    seeing one of them word for word on that language's page means a string escaped
    translation. Messages with placeholders never show verbatim and are left out. Empty for a
    language without a catalog (English, the source language)."""
    po = catalog_path(language)
    if not po.exists():
        return set()
    with po.open("rb") as f:
        catalog = read_po(f)
    return {
        m.id.strip()
        for m in catalog
        if isinstance(m.id, str)
        and isinstance(m.string, str)
        and m.string.strip() not in ("", m.id.strip())
        and re.search(r"[A-Za-z]{3}", m.id)
        and "%" not in m.id
        and "{" not in m.id
    }
