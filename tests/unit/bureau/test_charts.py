"""The bureau's charts as data: one unit per chart, months withheld stay blank, the table and
the chart's JSON carry the same figures."""

from __future__ import annotations

from decimal import Decimal as D

from django.utils import translation

from dualcirc.bureau.charts import chain_chart, mix_chart, ranked_chart, trend_chart


def _series(amounts: list[tuple[int, int, bool]]) -> list[dict]:  # type: ignore[type-arg]
    months = [f"{2024 + (i // 12)}-{i % 12 + 1:02d}" for i in range(len(amounts))]
    return [{"month": m, "domestic": D(d), "export": D(e), "shown": shown}
            for m, (d, e, shown) in zip(months, amounts, strict=True)]  # fmt: skip


def test_trend_compares_each_month_with_the_same_month_a_year_earlier() -> None:
    amounts = [(1_000_000, 2_000_000, True)] * 12 + [(1_500_000, 2_500_000, True)] * 11
    amounts.append((0, 0, False))  # the last month: too few enterprises reported
    with translation.override("en"):
        chart = trend_chart(_series(amounts))
    assert chart.unit == "CN¥ million"
    assert chart.rows[0] == ["Jan 2025", "4.00", "3.00", "+33.3%"]
    assert chart.rows[-1] == ["Dec 2025", "—", "3.00", "—"]
    assert chart.spec["series"][0]["data"][-1] is None
    assert chart.spec["series"][1]["data"][0] == "3.00"


def test_mix_and_ranked_charts_in_chinese_units() -> None:
    with translation.override("zh-hans"):
        mix = mix_chart(_series([(30_000, 90_000, True)] * 12))
        ranked = ranked_chart("d", "出口目的地", "国家", [("德国", D(20_000)), ("美国", D(60_000))])
    assert mix.unit == "万元" and mix.rows[0][1:] == ["3.00", "9.00"]
    assert [r[0] for r in ranked.rows] == ["美国", "德国"]  # largest first
    assert ranked.rows[0][1:] == ["6.00", "75.0%"]


def test_chain_chart_keeps_the_links_order_and_states() -> None:
    with translation.override("en"):
        chart = chain_chart("c", [("Upstream", "Boards", "missing", 0),
                                  ("Midstream", "Making", "strong", 4)],
                            {"missing": "Missing", "strong": "Strong"})  # fmt: skip
    assert [r[2] for r in chart.rows] == ["Missing", "Strong"]
    assert [n["state"] for n in chart.spec["nodes"]] == ["missing", "strong"]
