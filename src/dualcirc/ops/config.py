"""Where settings come from: the environment, then an optional configuration file.

``DUALCIRC_CONFIG_FILE`` names a file of ``NAME=value`` lines (``#`` starts a comment, blank lines
are skipped, a value may be quoted) — the same names as the environment variables, so a systemd
``EnvironmentFile=`` and this file are interchangeable. A variable set in the environment wins
over the file. Every name read is remembered, so a test can check that each is documented.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def parse_config_file(path: Path) -> dict[str, str]:
    """The ``NAME=value`` pairs of ``path``; raises ImproperlyConfigured naming a bad line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ImproperlyConfigured(f"DUALCIRC_CONFIG_FILE: cannot read {path}: {exc}") from exc
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        name = name.strip().removeprefix("export ").strip()
        if not sep or not name.replace("_", "").isalnum():
            raise ImproperlyConfigured(
                f"{path}, line {number}: expected NAME=value, got {raw.strip()!r}"
            )
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name] = value
    return values


class Config:
    """Reads settings from ``environ`` first, then from the configuration file."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ
        self.names_read: set[str] = {"DUALCIRC_CONFIG_FILE"}
        file_name = self.environ.get("DUALCIRC_CONFIG_FILE", "").strip()
        self.file: Path | None = Path(file_name) if file_name else None
        self.file_values = parse_config_file(self.file) if self.file else {}

    def __call__(self, name: str, default: str) -> str:
        """The value of ``name``; ``default`` when neither the environment nor the file sets it."""
        self.names_read.add(name)
        if name in self.environ:
            return self.environ[name]
        return self.file_values.get(name, default)

    def flag(self, name: str, default: bool) -> bool:
        """A yes/no setting: 1/true/yes/on or 0/false/no/off (any case)."""
        value = self(name, "1" if default else "0").strip().lower()
        if value in TRUE_WORDS:
            return True
        if value in FALSE_WORDS:
            return False
        raise ImproperlyConfigured(f"{name}={value!r}: expected 1 or 0 (true/false, yes/no).")

    def integer(self, name: str, default: int, *, minimum: int = 0) -> int:
        value = self(name, str(default)).strip()
        try:
            number = int(value)
        except ValueError:
            number = minimum - 1
        if number < minimum:
            raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number ≥ {minimum}.")
        return number

    def words(self, name: str, default: str) -> list[str]:
        """A comma-separated list, blanks dropped."""
        return [w.strip() for w in self(name, default).split(",") if w.strip()]

    def policy_directives(self, name: str, default: str) -> dict[str, list[str]]:
        """A policy written as a header value (``default-src 'self'; img-src 'self' data:``) as
        django-csp's ``DIRECTIVES`` mapping: each directive and its sources; empty when blank."""
        directives: dict[str, list[str]] = {}
        for part in self(name, default).split(";"):
            words = part.split()
            if not words:
                continue
            directive = words[0].lower()
            if directive in directives:
                raise ImproperlyConfigured(f"{name}: directive {directive!r} appears twice.")
            directives[directive] = words[1:]
        return directives
