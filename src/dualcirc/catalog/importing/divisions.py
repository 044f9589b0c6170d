"""Where a new enterprise is when its rows give no province or city: its credit code's
division code, else the place name its registered name opens with (catalog.divisions)."""

from __future__ import annotations

from dualcirc.catalog.divisions import division_of_credit_code, infer_division_from_name
from dualcirc.catalog.importing.enterprises import Target


def locate_new_enterprise(target: Target) -> bool:
    """Set ``target.division`` (and its source) from the credit code, else the Chinese name,
    else the English name; on an ambiguous name record the candidates. Returns whether a
    division was found. Decided once per target; an operator's confirmed division stands."""
    if target.division_source:
        return bool(target.division)
    e = target.enterprise
    found = division_of_credit_code(e.credit_code) if e.credit_code else None
    if found is not None:
        target.division, target.division_source = found.code, "credit_code"
        return True
    for name in (e.name_zh, e.name_en):
        if not name:
            continue
        inference = infer_division_from_name(name)
        if inference.division is not None:
            target.division, target.division_source = inference.division.code, "name"
            return True
        if inference.candidates and not target.candidates:
            target.candidates = tuple(d.code for d in inference.candidates)
    target.division_source = "none"
    return False
