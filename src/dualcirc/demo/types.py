"""The shapes of the hand-written demo vocabularies (plain, immutable data; no Django)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Text(NamedTuple):
    """One phrase in Chinese, English and (where the demo has it) Vietnamese."""

    zh: str
    en: str
    vi: str = ""


@dataclass(frozen=True)
class RegionSpec:
    code: str  # the GB/T 2260 administrative division code
    name: Text
    level: str  # core.enums.RegionLevel value
    parent: str | None = None


@dataclass(frozen=True)
class BeltSpec:
    slug: str
    name: Text
    industry: Text
    region: str  # region code
    phone_area: str  # the area code of the city, for the contacts' landlines
    domestic_markets: tuple[str, ...]
    export_markets: tuple[str, ...]  # ISO 3166-1 alpha-2
    certifications: tuple[str, ...]


@dataclass(frozen=True)
class Axis:
    """One way products of a kind differ, e.g. the wood of a table.

    Qualities (wood, colour, style) come before the noun in Chinese and English titles and after
    it in Vietnamese; ``suffix`` axes (sizes, weights, capacities) come last in every language.
    """

    key: str  # the attribute name
    options: tuple[Text, ...]
    suffix: bool = False


@dataclass(frozen=True)
class ProductKind:
    key: str
    name: Text
    hs_code: str
    unit: str  # a key of products.UNITS
    moq: tuple[int, ...]
    price_cny: tuple[str, str]  # unit price range in CNY, as Decimal strings
    lead_days: tuple[int, int]
    axes: tuple[Axis, ...]
    certifications: tuple[str, ...] = ()


@dataclass(frozen=True)
class EnterpriseSpec:
    """A demo factory. ``listing`` says which languages its product listings are written in:
    ``zh`` (domestic sellers), ``en`` (export traders), ``zh-en`` or ``zh-en-vi``."""

    key: str  # stable; also the prefix of its SKUs
    belt: str
    region: str
    name_zh: str
    name_en: str
    listing: str
    domain: str  # the e-mail domain of its contacts (under .example, never a real one)
    kinds: tuple[str, ...]  # keys of the belt's product kinds it makes
    products: int


@dataclass(frozen=True)
class OrganisationSpec:
    key: str
    kind: str  # core.enums.OrganisationKind value
    name: str
    name_en: str
    country: str = "CN"
    region: str | None = None
    buyer_type: str = ""


@dataclass(frozen=True)
class LoginSpec:
    role: str  # a key of places.ROLE_LABELS: what the login shows off
    username: str
    password: str
    organisation: str  # an OrganisationSpec or EnterpriseSpec key
    membership_role: str  # core.enums.Role value
    first_name: str
    last_name: str
    language: str = "zh-hans"
    time_zone: str = "Asia/Shanghai"
    staff: bool = False
