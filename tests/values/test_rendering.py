"""The English an answer states for a value (values/rendering.py); a rendering read back gives the
same yuan exactly."""

from decimal import Decimal

import pytest
from hypothesis import given, settings

from assistant.values.english import english_values
from assistant.values.parsing import find_values
from assistant.values.rendering import MONTHS_EN, Value, render_amount_en, render_en
from tests.values.strategies import AMOUNTS, DATES, UNIT_NAMES, UNITS

FAST = settings(max_examples=150, deadline=None)


def one(text: str, year: int | None = None) -> Value:
    values = find_values(text, year=year)
    assert len(values) == 1, values
    return values[0]


def en_one(text: str) -> Value:
    values = english_values(text)
    assert len(values) == 1, values
    return values[0]


def rendered(text: str) -> list[str]:
    return [render_en(v) for v in find_values(text)]


# ---------------------------------------------------------------- amounts in Chinese


@pytest.mark.parametrize(
    "zh, en",
    [
        ("7.43 亿元", "RMB 743 million"),
        ("39.04 亿元", "RMB 3.904 billion"),
        ("80 亿元", "RMB 8 billion"),
        ("80亿元", "RMB 8 billion"),
        ("42.64 万元", "RMB 426,400"),
        ("0.0043 亿元", "RMB 430,000"),
        ("0.46 亿元", "RMB 46 million"),
        ("0.5302 亿元", "RMB 53.02 million"),
        ("14.09 亿元", "RMB 1.409 billion"),
        ("39.04 亿元人民币", "RMB 3.904 billion"),
        ("160 亿人民币", "RMB 16 billion"),
        ("10 亿美元", "US$1 billion"),
        ("3 亿港元", "HK$300 million"),
        ("1.5 万亿元", "RMB 1.5 trillion"),
        ("三千万元", "RMB 30 million"),
    ],
)
def test_amount_renders_with_every_significant_digit(zh, en):
    assert rendered(zh) == [en]


@pytest.mark.parametrize("zh", ["140 ~ 155 亿元", "140-155亿元", "140至155亿元", "140～155 亿元"])
def test_range_keeps_both_ends_with_an_en_dash(zh):
    v = one(zh)
    assert (v.low, v.high) == (Decimal("14e9"), Decimal("15.5e9"))
    assert render_en(v) == "RMB 14–15.5 billion"


@pytest.mark.parametrize(
    "zh, en",
    [
        ("超过 50 亿元", "more than RMB 5 billion"),
        ("逾50亿元", "more than RMB 5 billion"),
        ("50多亿元", "more than RMB 5 billion"),
        ("近 70 亿元", "nearly RMB 7 billion"),
        ("将近 70 亿元", "nearly RMB 7 billion"),
        ("约 80 亿元", "about RMB 8 billion"),
        ("约为 80 亿元", "about RMB 8 billion"),
        ("80 亿元左右", "about RMB 8 billion"),
        ("不超过24.8亿元", "up to RMB 2.48 billion"),  # a cap, not "more than"
        ("不低于25亿元", "at least RMB 2.5 billion"),
    ],
)
def test_qualifier_becomes_english_words(zh, en):
    assert rendered(zh) == [en]


@pytest.mark.parametrize(
    "amount, en",
    [
        (Decimal("426400"), "RMB 426,400"),
        (Decimal("1000000"), "RMB 1 million"),
        (Decimal("999999999"), "RMB 999.999999 million"),
        (Decimal("1000000000"), "RMB 1 billion"),
        (0.46 * 1e8, "RMB 46 million"),
        (8e9, "RMB 8 billion"),
    ],
)
def test_render_amount_scale_boundaries_and_floats(amount, en):
    assert render_amount_en(amount) == en


def test_render_amount_other_currencies():
    assert render_amount_en(Decimal("1.2e9"), currency="USD") == "US$1.2 billion"
    assert render_amount_en(Decimal("5e6"), currency=None) == "5 million"


def test_months_table():
    assert MONTHS_EN[6] == "June" and len(MONTHS_EN) == 12


@FAST
@given(AMOUNTS, UNIT_NAMES)
def test_rendered_amount_reads_back_to_the_same_yuan(number, unit):
    v = one(f"募资 {number} {unit}元")
    assert v.low == number * UNITS[unit]
    back = en_one(render_en(v))
    assert (back.low, back.high, back.currency) == (v.low, v.low, "RMB")


@FAST
@given(AMOUNTS)
def test_render_amount_en_reads_back(number):
    yuan = number * 10**4
    assert en_one(render_amount_en(yuan)).low == yuan


@FAST
@given(AMOUNTS, AMOUNTS, UNIT_NAMES)
def test_rendered_range_keeps_both_ends(a, b, unit):
    low, high = sorted((a, b))
    v = one(f"估值 {low} ~ {high} {unit}元")
    assert (v.low, v.high) == (low * UNITS[unit], high * UNITS[unit])
    back = en_one(render_en(v))
    assert (back.low, back.high) == (v.low, v.high)


@FAST
@given(DATES)
def test_rendered_date_reads_back(d):
    v = one(f"{d.year} 年 {d.month} 月 {d.day} 日")
    assert v.ymd == (d.year, d.month, d.day)
    assert en_one(render_en(v)).ymd == v.ymd
    month = one(f"{d.year}年{d.month}月")
    assert en_one(render_en(month)).ymd == (d.year, d.month, None)
    day = one(f"{d.month}月{d.day}日")
    assert en_one(render_en(day)).ymd == (None, d.month, d.day)


@pytest.mark.parametrize(
    "zh, en",
    [
        ("现金流量净额为-8.93亿元", ["-RMB 893 million"]),  # a net outflow keeps its sign
        ("上年同期为−0.64亿元", ["-RMB 64 million"]),
        ("营收目标650-700亿元", ["RMB 65–70 billion"]),  # a range's dash is no minus
        ("同比增长约34%-44%", ["about 34–44%"]),
    ],
)
def test_a_minus_before_a_figure_is_its_sign_and_a_range_dash_is_not(zh, en):
    assert rendered(zh) == en
