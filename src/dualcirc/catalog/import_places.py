"""Where imported enterprises are: provinces, cities and industrial belts, found or created.

Used by the catalog import (:mod:`dualcirc.catalog.importing`) inside its transaction. Lookups
are by name (Chinese, or English, case-insensitive); what is missing is created with a
deterministic code or slug, so importing the same file twice creates nothing the second time.
"""

from __future__ import annotations

import gettext
import hashlib
import unicodedata
from functools import cache

import pycountry
from django.utils.text import slugify

from dualcirc.catalog.divisions import division_table
from dualcirc.catalog.divisions import short_name as division_short_name
from dualcirc.catalog.models import IndustrialBelt
from dualcirc.core.enums import RegionLevel
from dualcirc.core.models import Region

REGION_CODE_LENGTH = 12  # Region.code max_length
PROVINCE_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")
_EN_SUFFIXES = {"sheng", "shi", "zizhiqu", "sar", "zhuangzu", "huizu", "uygur"}
# pycountry's zh_CN catalogue lacks this one.
_ZH_MISSING = {"CN-NX": "宁夏回族自治区"}


def short_name(name: str) -> str:
    """``浙江省`` → ``浙江``, ``广西壮族自治区`` → ``广西``; other names unchanged."""
    for suffix in PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _english(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[-1].casefold() in _EN_SUFFIXES:
        words.pop()
    return " ".join(words)


@cache
def cn_provinces() -> dict[str, tuple[str, str, str]]:
    """Chinese provinces from pycountry: short Chinese or English name → (code, zh, en)."""
    translation = gettext.translation(
        "iso3166-2", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True
    )
    table: dict[str, tuple[str, str, str]] = {}
    for sub in pycountry.subdivisions.get(country_code="CN") or []:
        zh = translation.gettext(sub.name)
        if zh == sub.name:
            zh = _ZH_MISSING.get(sub.code, "")
        en = _english(sub.name)
        entry = (sub.code, zh or en, en)
        if zh:
            table[short_name(zh)] = entry
        table[en.casefold()] = entry
    return table


def derived_code(parent_code: str, name: str, *, salt: int = 0) -> str:
    """A region code from its parent's code and its name: ``CN-ZJ`` + 兰溪市 → ``CN-ZJ-1A2B3C``."""
    digest = hashlib.sha1(f"{parent_code}|{name}|{salt}".encode()).hexdigest().upper()
    room = REGION_CODE_LENGTH - len(parent_code) - 1
    if room < 4:
        return "C" + digest[: REGION_CODE_LENGTH - 1]
    return f"{parent_code}-{digest[:room]}"


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a.casefold() == b.casefold()


class PlaceDirectory:
    """The platform's regions and belts, loaded once; creates what an import needs."""

    def __init__(self) -> None:
        self.regions = list(Region.objects.all())
        self.by_code = {r.code: r for r in self.regions}
        self._located: dict[tuple[str, str], Region] = {}
        self._belts: dict[tuple[int, str], IndustrialBelt] = {}

    def _create(self, **fields: object) -> Region:
        region = Region.objects.create(**fields)
        self.regions.append(region)
        self.by_code[region.code] = region
        return region

    def _free_code(self, parent_code: str, name: str) -> str:
        salt = 0
        code = derived_code(parent_code, name)
        while code in self.by_code:
            salt += 1
            code = derived_code(parent_code, name, salt=salt)
        return code

    def province(self, name: str) -> Region:
        for r in self.regions:
            if r.level == RegionLevel.PROVINCE and (
                r.name_zh == name
                or short_name(r.name_zh) == short_name(name)
                or _same(r.name_en, name)
            ):
                return r
        known = cn_provinces().get(short_name(name)) or cn_provinces().get(name.casefold())
        if known is not None:
            code, name_zh, name_en = known
            if code in self.by_code:
                return self.by_code[code]
            return self._create(
                code=code, name_zh=name_zh, name_en=name_en, level=RegionLevel.PROVINCE
            )
        return self._create(
            code=self._free_code("CN", name),
            name_zh=name,
            name_en=name if name.isascii() else "",
            level=RegionLevel.PROVINCE,
        )

    def city(self, province: Region | None, name: str) -> Region:
        within = [
            r
            for r in self.regions
            if r != province and (province is None or r.path.startswith(province.path))
        ]
        # Shallowest first: a city before a county of the same name.
        for r in sorted(within, key=lambda r: (r.path.count("/"), r.path)):
            if r.name_zh == name or _same(r.name_en, name):
                return r
        parent_code = province.code if province is not None else "CN"
        return self._create(
            code=self._free_code(parent_code, name),
            name_zh=name,
            name_en=name if name.isascii() else "",
            level=RegionLevel.CITY,
            parent=province,
        )

    def locate(self, *, province: str, city: str) -> Region:
        """The region of a (province, city) pair; at least one of them is given."""
        key = (unicodedata.normalize("NFKC", province), unicodedata.normalize("NFKC", city))
        if key not in self._located:
            parent = self.province(key[0]) if key[0] else None
            if key[1]:
                self._located[key] = self.city(parent, key[1])
            elif parent is not None:
                self._located[key] = parent
            else:
                raise ValueError("locate() needs a province or a city")
        return self._located[key]

    def division(self, code: str) -> Region:
        """The region of a GB/T 2260 division (catalog.divisions), with its province and city:
        each found by its code, else by its name under its parent (a region an earlier import
        created by name), else created with the division's code."""
        table = division_table()
        found = table.real(code)
        if found is None:
            raise ValueError(f"division {code!r} is not in the GB/T 2260 table")
        parent: Region | None = None
        for division in table.chain(found):
            region = self.by_code.get(division.code)
            if region is None:
                region = self._named(parent, division.name, division.level)
            if region is None:
                region = self._create(
                    code=division.code,
                    name_zh=division.name,
                    level=division.level,
                    parent=parent,
                )
            parent = region
        assert parent is not None
        return parent

    def _named(self, parent: Region | None, name: str, level: str) -> Region | None:
        parent_id = parent.pk if parent is not None else None
        for r in self.regions:
            if r.level != level or r.parent_id != parent_id:
                continue
            # 青岛 (an earlier import's city typed without its suffix) is 青岛市
            if r.name_zh == name or division_short_name(r.name_zh) == division_short_name(name):
                return r
        return None

    def belt(self, region: Region, industry: str) -> IndustrialBelt:
        """The belt of ``industry`` in ``region``; created (deterministic slug) when missing."""
        key = (region.pk, industry.casefold())
        if key in self._belts:
            return self._belts[key]
        found = IndustrialBelt.objects.filter(region=region, industry__iexact=industry).first()
        if found is None:
            digest = hashlib.sha1(f"{region.code}|{industry}".encode()).hexdigest()[:8]
            slug = f"{slugify(f'{region.code} {industry}')[:40]}-{digest}".strip("-")
            found, _created = IndustrialBelt.objects.get_or_create(
                slug=slug,
                defaults={
                    "name_zh": f"{region.name_zh} {industry}"[:100],
                    "name_en": f"{region.name_en or region.name_zh} {industry}"[:100],
                    "industry": industry[:100],
                    "region": region,
                },
            )
        self._belts[key] = found
        return found
