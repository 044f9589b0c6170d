"""Order terms in a query: MOQ ceilings and lead-time ceilings."""

from __future__ import annotations

import re
from decimal import Decimal

from dualcirc.matching.types import Constraint, ConstraintKind
from dualcirc.matching.understanding.attributes import plain_number
from dualcirc.matching.understanding.numbers import (
    MULT,
    MULT_RE,
    NUM,
    UNIT_RE,
    UNIT_WORDS,
    comparator,
    parse_number,
    span_with_comparator,
)
from dualcirc.matching.understanding.spans import Found, overlaps

_MOQ_CUE = re.compile(
    r"(?:moq|min\.? order(?: quantity| qty)?|minimum order(?: quantity| qty)?|"
    r"order quantity|order qty|起订量|最低起订量?|起订|起批量?|最小起订量?|"
    r"số lượng tối thiểu|số lượng đặt hàng tối thiểu|đơn hàng tối thiểu|đơn tối thiểu|"
    r"sl tối thiểu)",
    re.I,
)
_SHELF_CUE = re.compile(r"(?:shelf life|保质期|hạn sử dụng|hạn dùng)", re.I)
_LEAD_RE = re.compile(
    r"(?P<num>\d+)\s?(?P<unit>days?|working days|weeks?|天|日|个工作日|工作日|周|星期|ngày|tuần)"
    r"(?![a-z])",
    re.I,
)


_QTY_RE = re.compile(rf"(?P<num>{NUM}){MULT_RE}\s?{UNIT_RE}|(?P<bare>{NUM})(?![\d.,])", re.I)


def add_moq(text: str, lang: str, found: list[Found]) -> None:
    for cue in _MOQ_CUE.finditer(text):
        window = text[cue.end() : cue.end() + 40]
        for q in _QTY_RE.finditer(window):
            start, end = cue.end() + q.start(), cue.end() + q.end()
            if overlaps(found, start, end):
                break
            between = text[cue.end() : start]
            if re.search(r"[;；,，。]", between) and "≤" not in between:
                break
            raw = q.group("num") or q.group("bare")
            value = parse_number(raw, lang)
            if value is None:
                break
            mult = q.group("mult")
            if mult:
                value *= MULT.get(mult.lower(), Decimal(1))
            unit_word = q.group("unit") or ""
            unit = UNIT_WORDS.get(unit_word.lower(), "")
            kind, inclusive = comparator(text, start, end)
            if kind == "min":
                break
            # "最低起订300套以内": the comparator after the quantity
            _, e = span_with_comparator(text, start, end)
            found.append(
                Found(
                    Constraint(
                        ConstraintKind.MOQ_MAX,
                        plain_number(value),
                        unit=unit,
                        inclusive=inclusive,
                        source=text[cue.start() : e].strip(),
                    ),
                    cue.start(),
                    e,
                )
            )
            break


def add_lead_time(text: str, found: list[Found]) -> None:
    for m in _LEAD_RE.finditer(text):
        if overlaps(found, m.start(), m.end()):
            continue
        if _SHELF_CUE.search(text[max(0, m.start() - 16) : m.start()]):
            continue
        days = int(m.group("num"))
        unit = m.group("unit").lower()
        if unit.startswith(("week", "周", "星期", "tuần")):
            days *= 7
        kind, inclusive = comparator(text, m.start(), m.end())
        if kind == "min":
            continue
        s, e = span_with_comparator(text, m.start(), m.end())
        # "交期15天内", "35天内交货", "giao hàng trong 30 ngày", "lead time under 20 days"
        pre = re.search(
            r"(?:delivery|lead[\s-]?time|ready|ship(?:ped|ping)?|production|deliver(?:ed)?|"
            r"交期|货期|交货期?|发货|生产周期|giao hàng|thời gian sản xuất|thời gian giao hàng|"
            r"sản xuất|giao)\s*(?:time\s*)?(?:in|within|under|trong|[:：])?\s*$",
            text[max(0, s - 30) : s],
            re.I,
        )
        if pre:
            s = s - (len(text[max(0, s - 30) : s]) - pre.start())
        found.append(
            Found(
                Constraint(
                    ConstraintKind.LEAD_TIME_MAX,
                    Decimal(days),
                    unit="days",
                    inclusive=inclusive,
                    source=text[s:e].strip(),
                ),
                s,
                e,
            )
        )
