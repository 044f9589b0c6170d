"""Which enterprise a row names: its identity cells, the enterprises a file may write to, and
the index that finds them (by credit code, else Chinese name, else English name)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from dualcirc.catalog.models import Enterprise, Product


@dataclass(frozen=True)
class Identity:
    credit_code: str
    name_zh: str
    name_en: str

    def __bool__(self) -> bool:
        return bool(self.credit_code or self.name_zh or self.name_en)

    def describe(self) -> str:
        return self.name_zh or self.name_en or self.credit_code


@dataclass(eq=False)
class Target:
    """An enterprise rows go to: an existing one, or one this import creates."""

    enterprise: Enterprise
    is_new: bool
    province: str = ""
    city: str = ""
    # A new enterprise without province/city cells: the GB/T 2260 division its credit code or
    # name gives, or the operator confirmed; how it was found; the candidates of a name that
    # could be several places.
    division: str = ""
    division_source: str = ""  # "credit_code" | "name" | "confirmed"
    candidates: tuple[str, ...] = ()
    products: dict[str, Product] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Names a new enterprise across an import and its confirmation (held rows)."""
        e = self.enterprise
        return f"{e.credit_code or ''}|{e.name_zh}|{e.name_en.casefold()}"


class EnterpriseIndex:
    """Finds the enterprise a row names: by credit code, else Chinese name, else English name.

    A row whose credit code no enterprise has yet names the enterprise of the same name that
    has no credit code (the import then records the code in its profile).
    """

    def __init__(self) -> None:
        self.by_credit: dict[str, Target] = {}
        self.by_zh: dict[str, Target] = {}
        self.by_en: dict[str, Target] = {}

    def add(self, target: Target) -> None:
        e = target.enterprise
        if e.credit_code:
            self.by_credit.setdefault(e.credit_code, target)
        if e.name_zh:
            self.by_zh.setdefault(e.name_zh, target)
        if e.name_en:
            self.by_en.setdefault(e.name_en.casefold(), target)

    def find(self, ident: Identity) -> Target | None:
        by_name = None
        if ident.name_zh:
            by_name = self.by_zh.get(ident.name_zh)
        elif ident.name_en:
            by_name = self.by_en.get(ident.name_en.casefold())
        if not ident.credit_code:
            return by_name
        found = self.by_credit.get(ident.credit_code)
        if found is None and by_name is not None and not by_name.enterprise.credit_code:
            found = by_name
        return found


def matches(enterprise: Enterprise, ident: Identity) -> bool:
    """Whether a row's enterprise cells name ``enterprise`` (compared like the index does)."""
    if ident.credit_code and enterprise.credit_code:
        return ident.credit_code == enterprise.credit_code
    if ident.name_zh and enterprise.name_zh:
        return ident.name_zh == enterprise.name_zh
    if ident.name_en and enterprise.name_en:
        return ident.name_en.casefold() == enterprise.name_en.casefold()
    return False


def chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load_enterprises(idents: Iterable[Identity]) -> list[Enterprise]:
    """Existing enterprises that any of ``idents`` may name (a query per 500 names)."""
    idents = list(idents)
    found: dict[int, Enterprise] = {}
    for lookup, values in (
        ("credit_code__in", {i.credit_code for i in idents if i.credit_code}),
        ("name_zh__in", {i.name_zh for i in idents if i.name_zh}),
        ("name_en__in", {i.name_en for i in idents if i.name_en}),
    ):
        for chunk in chunks(sorted(values)):
            for e in Enterprise.objects.filter(**{lookup: chunk}):
                found.setdefault(e.pk, e)
    return sorted(found.values(), key=lambda e: e.pk)
