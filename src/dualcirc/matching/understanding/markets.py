"""Export markets: countries and region groups after a market cue."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dualcirc.matching.types import Constraint, ConstraintKind
from dualcirc.matching.understanding.spans import Found, overlaps
from dualcirc.matching.vocab import fold

# ------------------------------------------------------------------ markets
REGIONS: dict[str, frozenset[str]] = {
    "EU": frozenset(
        "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
    ),
    "ASEAN": frozenset("BN KH ID LA MY MM PH SG TH VN".split()),
    "SOUTHEAST_ASIA": frozenset("BN KH ID LA MY MM PH SG TH VN TL".split()),
    "MIDDLE_EAST": frozenset("AE BH EG IL IQ IR JO KW LB OM PS QA SA SY TR YE".split()),
    "GCC": frozenset("AE BH KW OM QA SA".split()),
    "NORTH_AMERICA": frozenset("US CA MX".split()),
    "SOUTH_AMERICA": frozenset("AR BO BR CL CO EC GY PY PE SR UY VE".split()),
    "LATIN_AMERICA": frozenset(
        "AR BO BR CL CO CR CU DO EC SV GT HN MX NI PA PY PE PR UY VE".split()
    ),
    "EUROPE": frozenset(
        "AL AD AT BY BE BA BG HR CY CZ DK EE FI FR DE GR HU IS IE IT XK LV LI LT LU MT MD MC "
        "ME NL MK NO PL PT RO RU SM RS SK SI ES SE CH UA GB VA".split()
    ),
    "AFRICA": frozenset(
        "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY "
        "MG MW ML MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW".split()
    ),
    "OCEANIA": frozenset("AU NZ FJ PG SB VU WS TO".split()),
    "CENTRAL_ASIA": frozenset("KZ KG TJ TM UZ".split()),
    "SOUTH_ASIA": frozenset("AF BD BT IN MV NP PK LK".split()),
    "EAST_ASIA": frozenset("JP KR MN TW HK MO".split()),
    "LATAM_MERCOSUR": frozenset("AR BR PY UY".split()),
    "BELT_AND_ROAD": frozenset(
        "KZ KG TJ TM UZ RU BY UA MN PK AF BD LK NP MV MM LA KH TH VN MY SG ID BN PH TL IR IQ "
        "SA AE OM QA KW BH YE JO LB SY IL PS EG TR GE AM AZ PL CZ SK HU RO BG RS HR SI BA ME "
        "MK AL GR EE LV LT MD KE ET DJ NG ZA MA TZ ZM".split()
    ),
}
_REGION_NAMES: dict[str, list[str]] = {
    "EU": ["eu", "european union", "the eu", "欧盟", "liên minh châu âu", "eu market"],
    "ASEAN": ["asean", "东盟", "asean countries"],
    "SOUTHEAST_ASIA": [
        "southeast asia",
        "south east asia",
        "south-east asia",
        "东南亚",
        "đông nam á",
    ],
    "MIDDLE_EAST": ["middle east", "mideast", "中东", "trung đông"],
    "GCC": ["gcc", "gulf", "gulf countries", "海湾", "海湾国家", "vùng vịnh"],
    "NORTH_AMERICA": ["north america", "北美", "bắc mỹ"],
    "SOUTH_AMERICA": ["south america", "南美", "nam mỹ"],
    "LATIN_AMERICA": ["latin america", "拉美", "拉丁美洲", "mỹ latinh", "mỹ la tinh"],
    "EUROPE": ["europe", "欧洲", "châu âu"],
    "AFRICA": ["africa", "非洲", "châu phi"],
    "OCEANIA": ["oceania", "大洋洲", "châu đại dương"],
    "CENTRAL_ASIA": ["central asia", "中亚", "trung á"],
    "SOUTH_ASIA": ["south asia", "南亚", "nam á"],
    "EAST_ASIA": ["east asia", "东亚", "đông á"],
    "LATAM_MERCOSUR": ["mercosur", "南方共同市场"],
    "BELT_AND_ROAD": [
        "belt and road",
        "belt & road",
        "one belt one road",
        "obor",
        "一带一路",
        "一带一路沿线",
        "vành đai và con đường",
        "vành đai con đường",
    ],
}
_COUNTRY_ALIASES: dict[str, list[str]] = {
    "US": [
        "usa",
        "u.s.",
        "u.s.a.",
        "us",
        "america",
        "united states",
        "the us",
        "the states",
        "美国",
        "mỹ",
        "hoa kỳ",
    ],
    "GB": ["uk", "u.k.", "britain", "great britain", "england", "英国", "anh", "vương quốc anh"],
    "AE": ["uae", "u.a.e.", "emirates", "dubai", "阿联酋", "迪拜", "các tiểu vương quốc ả rập"],
    "SA": ["saudi", "ksa", "沙特", "ả rập saudi", "ả rập xê út", "saudi ả rập"],
    "KR": ["korea", "south korea", "韩国", "南韩", "hàn quốc", "nam hàn"],
    "KP": ["north korea", "朝鲜", "triều tiên"],
    "RU": ["russia", "俄罗斯", "俄国", "nga"],
    "VN": ["vietnam", "viet nam", "越南", "việt nam"],
    "TW": ["taiwan", "台湾", "đài loan"],
    "HK": ["hong kong", "香港", "hồng kông"],
    "CZ": ["czech republic", "czechia", "捷克", "séc"],
    "IR": ["iran", "伊朗"],
    "TR": ["turkey", "türkiye", "turkiye", "土耳其", "thổ nhĩ kỳ"],
    "LA": ["laos", "老挝", "lào"],
    "SY": ["syria", "叙利亚"],
    "BO": ["bolivia"],
    "VE": ["venezuela"],
    "TZ": ["tanzania"],
    "MD": ["moldova"],
    "NL": ["holland", "the netherlands", "netherlands", "荷兰", "hà lan"],
    "DE": ["germany", "德国", "đức"],
    "FR": ["france", "法国", "pháp"],
    "JP": ["japan", "日本", "nhật", "nhật bản"],
    "CN": ["china", "中国", "trung quốc"],
    "AU": ["australia", "澳洲", "澳大利亚", "úc"],
    "NZ": ["new zealand", "新西兰"],
    "IN": ["india", "印度", "ấn độ"],
    "PH": ["philippines", "the philippines", "菲律宾", "philippin"],
    "MM": ["myanmar", "burma", "缅甸", "miến điện"],
    "CI": ["ivory coast", "côte d'ivoire", "cote d'ivoire", "科特迪瓦"],
    "CD": ["dr congo", "drc", "democratic republic of the congo"],
    "MK": ["north macedonia", "macedonia"],
}
_AMBIGUOUS_CODES = frozenset({"JE", "TD", "GE", "TK", "NU", "ME", "IM", "IO", "AS"})
_MARKET_CUE_BEFORE = re.compile(
    r"(?:export(?:s|ed|ing)?|ship(?:s|ped|ping)?|sell(?:s|ing)?|sold|deliver(?:y|ed|ing)?|"
    r"market|markets|supply|supplying|to|into|for|in|出口|出口到|出口至|销往|销售到|外销|发往|"
    r"运往|做|能做|xuat khau|xuat di|xuat sang|xuat|sang|di|thi truong|ban|giao)"
    r"(?:\s+(?:to|the|into|sang|den|toi|qua|di))?\s*[:：]?\s*(?:the\s)?$",
    re.I,
)
_MARKET_CUE_AFTER = re.compile(r"^\s*(?:market|markets|市场|经验|thi truong)", re.I)


@dataclass(frozen=True, slots=True)
class _Name:
    key: str  # ISO alpha-2 or a REGIONS key
    text: str


@lru_cache(maxsize=1)
def _market_names() -> dict[str, str]:
    """Folded name → ISO code or region key (every country in en, zh and vi)."""
    names: dict[str, str] = {}

    def add(name: str, key: str) -> None:
        n = fold(name).replace("-", " ").strip()
        n = re.sub(r"\s+", " ", n)
        if len(n) >= 2:
            names.setdefault(n, key)

    for region, ns in _REGION_NAMES.items():
        for n in ns:
            add(n, region)
    for code, ns in _COUNTRY_ALIASES.items():
        for n in ns:
            add(n, code)
    try:
        import pycountry

        for c in pycountry.countries:
            code = c.alpha_2
            if code in _AMBIGUOUS_CODES:
                continue
            for attr in ("common_name", "name", "official_name"):
                v = getattr(c, attr, None)
                if v and "," not in v:
                    add(v, code)
    except ImportError:  # pragma: no cover - pycountry is a dependency
        pass
    try:
        from babel import Locale

        for loc in ("zh", "vi", "en"):
            for code, v in Locale(loc).territories.items():
                if len(code) == 2 and code.isalpha() and code not in _AMBIGUOUS_CODES:
                    add(v, code)
    except ImportError:  # pragma: no cover - babel is a dependency
        pass
    return names


@lru_cache(maxsize=1)
def _market_regex() -> re.Pattern[str]:
    alts = sorted(_market_names(), key=len, reverse=True)
    body = "|".join(re.escape(a).replace(r"\ ", r"[\s-]") for a in alts)
    return re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")


def find_markets(text: str, *, need_cue: bool = True) -> list[tuple[str, int, int]]:
    """Countries/regions named in ``text`` as a destination: (ISO code or region, start, end)."""
    folded = fold(text)
    names = _market_names()
    out: list[tuple[str, int, int]] = []
    for m in _market_regex().finditer(folded):
        name = re.sub(r"[\s-]+", " ", m.group())
        key = names.get(name)
        if key is None:
            continue
        if need_cue:
            before = folded[max(0, m.start() - 40) : m.start()]
            after = folded[m.end() : m.end() + 12]
            cue = _MARKET_CUE_BEFORE.search(fold(before)) or _MARKET_CUE_AFTER.match(after)
            if not cue:
                continue
        out.append((key, m.start(), m.end()))
    return out


def market_members(value: str) -> frozenset[str]:
    """ISO codes a market constraint accepts (a region's members, or the country itself)."""
    v = value.upper()
    if v in REGIONS:
        return REGIONS[v]
    key = _market_names().get(fold(value).strip())
    if key in REGIONS:
        return REGIONS[key]
    if key:
        return frozenset({key})
    return frozenset({v})


def add_markets(text: str, found: list[Found]) -> None:
    for key, start, end in find_markets(text):
        if overlaps(found, start, end):
            continue
        before = text[max(0, start - 40) : start]
        cue = _MARKET_CUE_BEFORE.search(fold(before))
        s = start - (len(before) - cue.start()) if cue else start
        after = _MARKET_CUE_AFTER.match(text[end:])
        e = end + after.end() if after else end
        found.append(Found(Constraint(ConstraintKind.MARKET, key, source=text[s:e].strip()), s, e))


# negation cues right before an attribute concept ("non-leather", "not spicy", "không cay",
