"""Graded qrels for the team's own query set (bench/data/own_queries.tsv), by rule.

    python bench/make_own_qrels.py [--catalog CSV] [--out bench/data/own_qrels.tsv]

Written before any result of the engine on these queries was looked at: each query has a
structured intent (the HS subheadings of the product type asked for, sibling subheadings,
and attribute rules: a pattern the product's text must match, or must not match for a
negated attribute). Grades follow the dev benchmark's definition:

- 2: the product type is the intended one and every stated attribute holds;
- 1: the intended type with an attribute failing, or a sibling type with every attribute holding;
- 0: everything else.

Text = titles, descriptions and attributes in every language of the listing (lower case).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CATALOG = ROOT.parent / "shared" / "data" / "sourcing-bench-dev" / "catalog.csv"
DEFAULT_OUT = ROOT / "bench" / "data" / "own_qrels.tsv"

LEATHER = r"leather|皮|\bpu\b"
SPICY = r"spic|辣|bbq"
CORDED = r"\bcorded\b|插电|有线"
CORDLESS = r"cordless|li-ion|锂电|无线|battery"
KIDS = r"kid|child|儿童|童|宝宝|baby|toddler|学步"
WOMEN = r"women|ladies|lady|女"
MEN = r"\bmen\b|\bmen's|男"
COMBINATION = r"combination|\bcode\b|密码"
ROUND = r"\bround\b|圆"
DOUBLE_DOOR = r"double door|two door|2-door|双门|对开"


@dataclass(frozen=True)
class Intent:
    types: tuple[str, ...]  # HS subheadings of the intended product type
    siblings: tuple[str, ...] = ()
    must: tuple[str, ...] = ()  # each pattern must match
    must_not: tuple[str, ...] = ()  # no pattern may match (negated attributes)


INTENTS: dict[str, Intent] = {
    # ---------------------------------------------------------------- English
    "own-en-01": Intent(("640411", "640219"), ("640419",), must=(KIDS,)),
    "own-en-02": Intent(("820411", "820412"), ("820600",)),
    "own-en-03": Intent(("841810", "841821"), ("841830",)),
    "own-en-04": Intent(("842211",)),
    "own-en-05": Intent(("940161",), ("940141", "940149"), must_not=(LEATHER,)),
    "own-en-06": Intent(("846722",), must=(CORDED,)),
    "own-en-07": Intent(("846721",)),
    "own-en-08": Intent(("611030",), must=(WOMEN,)),
    "own-en-09": Intent(("611430",), ("620140",)),
    "own-en-10": Intent(("621132", "621133")),
    "own-en-11": Intent(("640220",)),
    "own-en-12": Intent(("640291",)),
    "own-en-13": Intent(("852872",), must=(r"(?<![\d.])65(?![\d.])",)),
    "own-en-14": Intent(("961700",)),
    "own-en-15": Intent(("330620",)),
    "own-en-16": Intent(("841460",)),
    "own-en-17": Intent(("520942", "521142")),
    "own-en-18": Intent(("830110",), must=(COMBINATION,)),
    "own-en-19": Intent(("160554",), must_not=(SPICY,)),
    "own-en-20": Intent(("121221",), ("200899",)),
    "own-en-21": Intent(("845011", "845020"), must=(r"dryer|洗烘|烘干",)),
    "own-en-22": Intent(("940139",)),
    "own-en-23": Intent(("630251", "630253", "630259"), must=(ROUND,)),
    "own-en-24": Intent(("620729",), ("620829",), must=(MEN,)),
    "own-en-25": Intent(("940440",), must=(r"silk|蚕丝",)),
    # ---------------------------------------------------------------- Chinese
    "own-zh-01": Intent(("640411", "640219")),
    "own-zh-02": Intent(("820540",), ("820600",)),
    "own-zh-03": Intent(("842211",)),
    "own-zh-04": Intent(("940161",), ("940141", "940149"), must_not=(LEATHER,)),
    "own-zh-05": Intent(("846729",), must=(CORDED,), must_not=(CORDLESS,)),
    "own-zh-06": Intent(("520942", "521142")),
    "own-zh-07": Intent(("841810", "841821"), ("841830",)),
    "own-zh-08": Intent(("611430",), ("620140",)),
    "own-zh-09": Intent(("961700",)),
    "own-zh-10": Intent(("640411", "640219", "640419"), must=(KIDS,)),
    "own-zh-11": Intent(("620729",), ("620829",), must=(MEN,)),
    "own-zh-12": Intent(("630492", "630493", "630499")),
    "own-zh-13": Intent(("640291",)),
    "own-zh-14": Intent(("621132", "621133")),
    "own-zh-15": Intent(("160554",), must_not=(SPICY,)),
    "own-zh-16": Intent(("330620",)),
    "own-zh-17": Intent(("841460",)),
    "own-zh-18": Intent(("852872",), must=(r"(?<![\d.])55(?![\d.])",)),
    "own-zh-19": Intent(("830110",), must=(COMBINATION,)),
    "own-zh-20": Intent(("620140",), ("611430",)),
    # ---------------------------------------------------------------- Vietnamese
    "own-vi-01": Intent(("640411", "640219"), ("640419",), must=(KIDS,)),
    "own-vi-02": Intent(("820411", "820412"), ("820600",)),
    "own-vi-03": Intent(("842211",)),
    "own-vi-04": Intent(("841810",), ("841821",), must=(DOUBLE_DOOR,)),
    "own-vi-05": Intent(("940161",), ("940141", "940149"), must_not=(LEATHER,)),
    "own-vi-06": Intent(("846721",)),
    "own-vi-07": Intent(("611430", "620140")),
    "own-vi-08": Intent(("961700",)),
    "own-vi-09": Intent(("160554",), must_not=(SPICY,)),
    "own-vi-10": Intent(("520942", "521142")),
    "own-vi-11": Intent(("620829",), ("620729",), must=(WOMEN,)),
    "own-vi-12": Intent(("841460",)),
    "own-vi-13": Intent(("630251", "630253", "630259"), must=(ROUND,)),
    "own-vi-14": Intent(("830110",), must=(COMBINATION,)),
    "own-vi-15": Intent(("640291",)),
}


def product_text(row: dict[str, str]) -> str:
    keys = ("title_zh", "title_en", "description_zh", "description_en", "attributes")
    return " ".join(row.get(k, "") for k in keys).lower()


def grade(intent: Intent, row: dict[str, str]) -> int:
    hs = row["hs_code"][:6]
    if hs not in intent.types and hs not in intent.siblings:
        return 0
    text = product_text(row)
    holds = all(re.search(p, text) for p in intent.must) and not any(
        re.search(p, text) for p in intent.must_not
    )
    if hs in intent.types:
        return 2 if holds else 1
    return 1 if holds else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--catalog", type=Path, default=DEFAULT_CATALOG)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    with args.catalog.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    lines = ["qid\tsku\tgrade"]
    for qid, intent in INTENTS.items():
        graded = [(r["sku"], grade(intent, r)) for r in rows]
        n2 = sum(1 for _, g in graded if g == 2)
        if n2 == 0:
            print(f"{qid}: no grade-2 product", file=sys.stderr)
        lines += [f"{qid}\t{sku}\t{g}" for sku, g in graded if g > 0]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines) - 1} judgements for {len(INTENTS)} queries to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
