"""The Chinese UI catalog is complete, compiled, and in step with the source.

`make messages` extracts the strings (makemessages) and compiles them; these tests fail when a
translatable string was added without a translation, or the .mo was not recompiled.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "dualcirc"
PO = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _key(msgid: str | tuple[str, ...]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _catalog(path: Path) -> dict[str, tuple[str, ...]]:
    """msgid → translations (one for a plain message, one per plural form)."""
    with path.open("rb") as f:
        catalog = read_po(f) if path.suffix == ".po" else read_mo(f)
    return {
        _key(m.id): (m.string,) if isinstance(m.string, str) else tuple(m.string)
        for m in catalog
        if m.id
    }


def test_chinese_catalog_translates_every_message() -> None:
    with PO.open("rb") as f:
        catalog = read_po(f)

    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]

    assert untranslated == []
    assert fuzzy == []


def test_chinese_catalog_is_compiled() -> None:
    assert _catalog(MO) == _catalog(PO)


@pytest.mark.slow
def test_chinese_catalog_holds_every_translatable_string_of_the_source(tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext (Debian package gettext) is needed to extract messages")
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
        "call_command('makemessages', locale=['zh_Hans'], ignore_patterns=['migrations/*'],"
        " verbosity=0)"
    )
    subprocess.run([sys.executable, "-c", script], cwd=copy, check=True, timeout=300)

    extracted = set(_catalog(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    shipped = set(_catalog(PO))

    assert sorted(extracted - shipped) == []
