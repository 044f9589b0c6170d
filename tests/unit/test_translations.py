"""Every UI catalog (Chinese, Vietnamese) is complete, compiled, and in step with the source.

`make messages` extracts the strings (makemessages) and compiles them; these tests fail when a
translatable string was added without a translation, a translation is still marked fuzzy, a
translation lost or changed a placeholder or an HTML tag of its message, or the .mo was not
recompiled. The languages checked are those of settings.LANGUAGES other than English (the
language of the source), so a new interface language is checked the day it is added.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation import to_locale

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "dualcirc"
LOCALES = [to_locale(code) for code, _name in settings.LANGUAGES if code != "en"]

# %(name)s, %s, %d, %r, %% of Python's %-formatting; {name} of str.format; opening HTML tags.
PLACEHOLDER = re.compile(
    r"%\([A-Za-z_0-9]+\)[-#0 +]?\d*(?:\.\d+)?[sdrfi]|%[sdrfi]|%%|\{[a-z_0-9]*\}"
)
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*")


def _po(locale: str) -> Path:
    return PACKAGE / "locale" / locale / "LC_MESSAGES" / "django.po"


def _key(msgid: str | tuple[str, ...] | list[str]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f) if path.suffix == ".po" else read_mo(f)


def _catalog(path: Path) -> dict[tuple[str, str], tuple[str, ...]]:
    """(msgctxt, msgid) → translations (one for a plain message, one per plural form); one
    msgid may be translated differently in two contexts ("Seats" of a hall, of a sofa)."""
    return {
        (m.context or "", _key(m.id)): (m.string,)
        if isinstance(m.string, str)
        else tuple(m.string or ())
        for m in _read(path)
        if m.id
    }


def _forms(message: Message) -> tuple[str, ...]:
    return (message.string,) if isinstance(message.string, str) else tuple(message.string or ())


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text)) | {tag.lower() for tag in TAG.findall(text)}


def test_every_interface_language_but_english_has_a_catalog() -> None:
    assert "vi" in LOCALES and "zh_Hans" in LOCALES
    for locale in LOCALES:
        assert _po(locale).is_file(), locale


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_translates_every_message(locale: str) -> None:
    catalog = _read(_po(locale))

    untranslated = [m.id for m in catalog if m.id and not all(_forms(m))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]

    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_translations_keep_the_placeholders_and_tags(locale: str) -> None:
    wrong = []
    for message in _read(_po(locale)):
        if not message.id:
            continue
        # With one plural form (Chinese, Vietnamese) the form serves every count: it says
        # what the plural message says.
        source = message.id if isinstance(message.id, str) else message.id[-1]
        for form in _forms(message):
            if form and _placeholders(form) != _placeholders(source):
                wrong.append((source, form))

    assert wrong == []


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_is_compiled(locale: str) -> None:
    po = _po(locale)
    assert _catalog(po.with_suffix(".mo")) == _catalog(po)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    """The msgids makemessages extracts from the source today."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext (Debian package gettext) is needed to extract messages")
    tmp_path = tmp_path_factory.mktemp("messages")
    copy = tmp_path / "dualcirc"
    shutil.copytree(
        PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "data")
    )
    script = (
        "import os, sys, django; sys.path.insert(0, os.getcwd() + '/..');"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'dualcirc.settings';"
        f"os.environ['DUALCIRC_DATA_DIR'] = {str(tmp_path / 'data')!r};"
        "django.setup();"
        "from django.core.management import call_command;"
        f"call_command('makemessages', locale=[{LOCALES[0]!r}], ignore_patterns=['migrations/*'],"
        " verbosity=0)"
    )
    subprocess.run([sys.executable, "-c", script], cwd=copy, check=True, timeout=300)
    return set(_catalog(copy / "locale" / LOCALES[0] / "LC_MESSAGES" / "django.po"))


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_holds_every_translatable_string_of_the_source(
    locale: str, extracted: set[tuple[str, str]]
) -> None:
    shipped = set(_catalog(_po(locale)))

    assert sorted(extracted - shipped) == []
