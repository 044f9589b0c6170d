"""The viewer's language, its babel locale and its default currency."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import get_language, to_locale

# The interface languages as the families listing text is written in (``title_zh`` …).
FAMILIES = ("zh", "en", "vi")
# The currency a viewer sees prices converted into, by interface language.
VIEWER_CURRENCY = {"zh": "CNY", "en": "USD", "vi": "VND"}


def active_language() -> str:
    """The Django language of the request or of the ``translation.override`` in force."""
    return get_language() or settings.LANGUAGE_CODE


def language_family(language: str | None = None) -> str:
    """``zh-hans`` → ``zh``, ``en-gb`` → ``en``, ``vi`` → ``vi``; any other language → ``en``
    (the platform's lingua franca)."""
    prefix = (language or active_language()).lower().replace("_", "-").split("-")[0]
    return prefix if prefix in FAMILIES else "en"


def babel_locale(language: str | None = None) -> str:
    """``zh-hans`` → ``zh_Hans``, ``en`` → ``en``, ``vi`` → ``vi``."""
    return to_locale(language or active_language())


def viewer_currency(language: str | None = None, *, user: Any = None) -> str:
    """The currency to show prices in beside the listing's own: the user's own setting where
    their profile has one (``preferred_currency``), else by interface language."""
    chosen = str(getattr(user, "preferred_currency", "") or "").strip().upper()
    if len(chosen) == 3:
        return chosen
    return VIEWER_CURRENCY[language_family(language)]
