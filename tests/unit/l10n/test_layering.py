"""The presentation rules' home sits low in the layering: it imports no app, and the money and
search modules that used to import each other now both import it instead."""

from __future__ import annotations

import ast
from pathlib import Path

import dualcirc

SRC = Path(dualcirc.__file__).parent
ALLOWED_OUTSIDE = {"dualcirc.core.errors", "dualcirc.matching.types"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_l10n_imports_no_app() -> None:
    outside = {
        module
        for path in (SRC / "l10n").glob("*.py")
        for module in imported_modules(path)
        if module.startswith("dualcirc.") and not module.startswith("dualcirc.l10n")
    }

    assert outside <= ALLOWED_OUTSIDE


def test_deals_money_and_search_rates_no_longer_import_each_other() -> None:
    money = imported_modules(SRC / "deals" / "money.py")
    rates = imported_modules(SRC / "search" / "rates.py")

    assert not any(m.startswith("dualcirc.search") for m in money)
    assert not any(m.startswith("dualcirc.deals") for m in rates)
    assert "dualcirc.l10n.rates" in money & rates
