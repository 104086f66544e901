"""Values read from Chinese text (values/parsing.py): examples, corpus sentences, properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.values.parsing import find_values
from assistant.values.rendering import Value, render_en

FAST = settings(max_examples=150, deadline=None)


def one(text: str, year: int | None = None) -> Value:
    values = find_values(text, year=year)
    assert len(values) == 1, values
    return values[0]


def rendered(text: str) -> list[str]:
    return [render_en(v) for v in find_values(text)]


@pytest.mark.parametrize("zh", ["两三亿元", "三四十亿元", "十几亿元"])
def test_spoken_estimates_are_not_read_as_one_number(zh):
    assert find_values(zh) == []


def test_chinese_numerals_with_zero():
    assert rendered("一百零五万元") == ["RMB 1.05 million"]


def test_contract_is_not_a_qualifier():
    assert one("签约 50 亿元").qualifier is None


@pytest.mark.parametrize(
    "zh, en",
    [
        ("数十亿元", "several billion yuan"),
        ("几十亿元", "several billion yuan"),
        ("数亿美元", "hundreds of millions of US dollars"),
    ],
)
def test_vague_amount_has_no_number(zh, en):
    v = one(zh)
    assert v.vague and v.low is None
    assert render_en(v) == en


def test_currency_of_each_suffix():
    assert [
        v.currency for v in find_values("1 亿元、1 亿元人民币、1 亿人民币、1 亿美元、1 亿港元、1 亿港币")
    ] == ["RMB", "RMB", "RMB", "USD", "HKD", "HKD"]


def test_unit_without_currency_is_a_plain_number():
    v = one("用户数达 2 亿")
    assert (v.kind, v.low, v.currency, render_en(v)) == ("number", Decimal("2e8"), None, "200 million")


@pytest.mark.parametrize(
    "text", ["64GB 显存", "4K 场景", "MUSA SDK 4.0.1 版", "单一元件", "千万不要", "RTX 4060"]
)
def test_counters_and_versions_are_not_values(text):
    assert find_values(text) == []


def test_full_width_digits_are_read_with_spans_of_the_original():
    text = "募资约３９．０４亿元"
    v = one(text)
    assert v.low == Decimal("3.904e9") and text[v.span[0] : v.span[1]] == v.text == "约３９．０４亿元"


def test_full_date():
    v = one("2025 年 6 月 30 日")
    assert (v.kind, v.ymd, render_en(v)) == ("date", (2025, 6, 30), "30 June 2025")


def test_year_and_month():
    v = one("2025年7月")
    assert (v.ymd, render_en(v)) == ((2025, 7, None), "July 2025")


@pytest.mark.parametrize("zh", ["10 月 30 日", "10月30日"])
def test_month_and_day_take_the_given_year(zh):
    assert one(zh).ymd == (None, 10, 30)
    assert render_en(one(zh)) == "30 October"
    assert one(zh, year=2025).ymd == (2025, 10, 30)


def test_bare_year():
    v = one("成立于 2018 年")
    assert (v.kind, v.year, render_en(v)) == ("year", 2018, "2018")


def test_iso_date():
    assert one("2025-11-04").ymd == (2025, 11, 4)


def test_impossible_date_is_no_value():
    assert [(v.kind, v.text) for v in find_values("2025 年 2 月 30 日")] == [("year", "2025 年")]


def test_duration_in_years_is_no_year():
    assert find_values("5000 年历史") == []


@pytest.mark.parametrize(
    "zh, number", [("200%", 200), ("20 %", 20), ("百分之二十", 20), ("百分之三点五", Decimal("3.5"))]
)
def test_percentages(zh, number):
    v = one(zh)
    assert (v.kind, v.low) == ("percent", number)


def test_percentage_with_qualifier():
    assert rendered("复合增长率超过 200%") == ["more than 200%"]


def test_corpus_growth_sentence():
    values = find_values("其营收从 2022 年约 0.46 亿元增长至 2024 年约 4.38 亿元,复合增长率超过 200%")
    assert [(v.kind, v.text) for v in values] == [
        ("year", "2022 年"),
        ("amount", "约 0.46 亿元"),
        ("year", "2024 年"),
        ("amount", "约 4.38 亿元"),
        ("percent", "超过 200%"),
    ]
    assert [render_en(v) for v in values] == [
        "2022",
        "about RMB 46 million",
        "2024",
        "about RMB 438 million",
        "more than 200%",
    ]


def test_corpus_revenue_sentence():
    values = find_values(
        "2022 年、2023 年、2024 年营收分别为 42.64 万元(0.0043 亿元)、0.5302 亿元、7.43 亿元"
    )
    assert [render_en(v) for v in values] == [
        "2022",
        "2023",
        "2024",
        "RMB 426,400",
        "RMB 430,000",
        "RMB 53.02 million",
        "RMB 743 million",
    ]


def test_corpus_loss_sentence():
    assert rendered("净利润亏损依次为 7.77 亿元、8.71 亿元、14.09 亿元,逐年扩大") == [
        "RMB 777 million",
        "RMB 871 million",
        "RMB 1.409 billion",
    ]


def test_corpus_valuation_range():
    assert rendered("估值约 140 ~ 155 亿元") == ["about RMB 14–15.5 billion"]


def test_corpus_funding_total():
    assert rendered("公开融资总额超过 50 亿元人民币") == ["more than RMB 5 billion"]


def test_corpus_prospectus_sentence():
    values = find_values("2025 年 6 月 30 日,公司向科创板提交招股书,拟募资约 39.04 亿元人民币")
    assert [render_en(v) for v in values] == ["30 June 2025", "about RMB 3.904 billion"]


def test_corpus_approval_date():
    text = "10月30日,官方信息显示,证监会批准摩尔线程科创板IPO注册"
    assert [v.ymd for v in find_values(text, year=2025)] == [(2025, 10, 30)]


def test_spans_point_at_the_text():
    text = "2025 年 6 月 30 日,公司向科创板提交招股书,拟募资约 39.04 亿元人民币"
    for v in find_values(text):
        assert text[v.span[0] : v.span[1]] == v.text


@FAST
@given(st.text(st.sampled_from(list("0123456789.,~-%年月日万亿元美港人民币约超过近数十百千 ")), max_size=40))
def test_any_text_gives_ordered_spans_that_point_at_it(text):
    values = find_values(text)
    for v in values:
        assert text[v.span[0] : v.span[1]] == v.text
    assert all(a.span[1] <= b.span[0] for a, b in zip(values, values[1:]))


def test_values_of_a_sentence_are_found_in_text_order():
    assert [v.kind for v in find_values("2025年营收11.5亿元，同比增长69%")] == ["year", "amount", "percent"]


@pytest.mark.parametrize(
    "text, part, english",
    [
        ("计划于2026年第四季度流片", "Q4", "Q4 2026"),
        ("预计2026年三季度实现小批量出货", "Q3", "Q3 2026"),
        ("2025年上半年营收9.6亿元", "H1", "H1 2025"),
        ("2025年营收11.5亿元", None, "2025"),
        ("2026年一月份", None, "2026"),  # a month in words is no quarter
    ],
)
def test_a_year_keeps_the_part_of_it_a_sentence_names(text, part, english):
    year = next(v for v in find_values(text) if v.kind == "year")
    assert (year.part, render_en(year)) == (part, english)
