"""Catalog files for the import tests: real CSV and XLSX files written to a directory."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from dualcirc.catalog.models import Enterprise
from dualcirc.core.enums import Role
from dualcirc.core.models import User
from tests.factories import make_enterprise
from tests.factories.api import make_enterprise_user

HEADER = [
    "enterprise", "enterprise_en", "province", "city", "industry", "sku", "title_zh", "title_en",
    "hs_code", "attributes", "moq", "unit", "price_min", "price_max", "currency",
    "certifications", "export_markets", "lead_time_days",
]  # fmt: skip


def catalog_row(**overrides: str) -> dict[str, str]:
    """One valid row of the canonical format (a Laixi furniture factory's oak table)."""
    row = {
        "enterprise": "莱西好工匠家具有限公司",
        "enterprise_en": "Laixi Good Craftsman Furniture Co., Ltd.",
        "province": "山东省",
        "city": "莱西市",
        "industry": "Furniture",
        "sku": "LX-T001",
        "title_zh": "实木橡木餐桌",
        "title_en": "Solid oak dining table",
        "hs_code": "940360",
        "attributes": "material=oak; seats=6",
        "moq": "50",
        "unit": "pcs",
        "price_min": "120",
        "price_max": "150",
        "currency": "USD",
        "certifications": "FSC;ISO 9001",
        "export_markets": "US;DE",
        "lead_time_days": "30",
    }
    row.update(overrides)
    return row


def write_csv(
    path: Path,
    rows: Sequence[dict[str, str]],
    *,
    header: Sequence[str] | None = None,
    encoding: str = "utf-8",
) -> Path:
    """Write ``rows`` (dicts keyed by header names) as CSV; missing keys are empty cells."""
    header = list(header or (rows[0].keys() if rows else HEADER))
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(h, "") for h in header])
    return path


def write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def make_enterprise_admin(*, enterprise: Enterprise | None = None, role: str = Role.ADMIN) -> User:
    """A user with ``role`` in ``enterprise`` (a new one by default)."""
    return make_enterprise_user(enterprise=enterprise or make_enterprise(), role=role)
