"""Whether an English sentence kept the values of the Chinese one (values/comparison.py)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.values.comparison import same_values
from assistant.values.parsing import find_values
from assistant.values.rendering import render_en
from tests.values.strategies import AMOUNTS, DATES, UNIT_NAMES

FAST = settings(max_examples=150, deadline=None)


@pytest.mark.parametrize(
    "zh, en",
    [
        ("0.46 亿元", "RMB 46 million"),
        ("募资 7.43 亿元,即 7.43 亿元", "raised 743 million yuan"),
        ("7.43 亿元", "revenue of RMB 743 million (7.43 亿元) in 2024"),
        ("估值约 160 亿", "valued at about RMB 16 billion"),
        ("估值约 140 ~ 155 亿元", "valued at RMB 14 billion to RMB 15.5 billion"),
        ("从 50 亿元增至 80 亿元", "from RMB 5 billion to RMB 8 billion"),
        ("复合增长率超过 200%", "compound growth above 200 percent"),
        ("在手订单亦达数十亿元", "orders on hand reach billions of yuan"),
        ("2025 年 6 月 30 日提交", "filed on June 30, 2025"),
        ("10月30日获批", "approved on 30 October"),
        ("沐曦股份成立于 2020 年 9 月", "MetaX was founded in September 2020"),
        ("燧原成立于 2018 年", "Enflame was founded in 2018"),
        ("总部位于上海", "headquartered in Shanghai"),
    ],
)
def test_same_values_accepts_correct_renderings(zh, en):
    assert same_values(zh, en) == []


def test_same_values_names_the_chinese_value_and_the_expected_english():
    assert same_values("营收 7.43 亿元", "revenue of RMB 7.43 billion") == [
        '"7.43 亿元" should appear as RMB 743 million'
    ]


def test_same_values_flags_a_rounded_amount():
    assert same_values("募资约 39.04 亿元", "raised about RMB 3.9 billion")


def test_same_values_flags_a_wrong_year():
    assert same_values("成立于 2018 年", "founded in 2019") == ['"2018 年" should appear as 2018']


def test_same_values_flags_a_wrong_currency():
    assert same_values("融资 10 亿美元", "raised RMB 1 billion")


def test_same_values_year_argument_for_dates_without_a_year():
    assert same_values("10月30日获批", "approved on 30 October 2025", year=2025) == []
    assert same_values("10月30日获批", "approved on 30 October 2024", year=2025) == [
        '"10月30日" should appear as 30 October 2025'
    ]


# ---------------------------------------------------------------- properties


def _change_one_digit(text: str, index: int, digit: int) -> str | None:
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    if not positions:
        return None
    i = positions[index % len(positions)]
    new = str((int(text[i]) + 1 + digit % 9) % 10)
    return text[:i] + new + text[i + 1 :]


SENTENCES = st.one_of(
    st.builds(lambda n, u: f"营收约 {n} {u}元", AMOUNTS, UNIT_NAMES),
    st.builds(lambda a, b, u: f"估值 {min(a, b)} ~ {max(a, b)} {u}元", AMOUNTS, AMOUNTS, UNIT_NAMES),
    st.builds(lambda n: f"增长率超过 {n}%", st.decimals(min_value=0, max_value=1000, places=2)),
    st.builds(lambda d: f"{d.year} 年 {d.month} 月 {d.day} 日上市", DATES),
    st.builds(lambda d: f"成立于 {d.year} 年", DATES),
)


@FAST
@given(SENTENCES)
def test_same_values_accepts_its_own_rendering(zh):
    en = "; ".join(render_en(v) for v in find_values(zh))
    assert same_values(zh, en) == []


@FAST
@given(SENTENCES, st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=8))
def test_same_values_catches_one_changed_digit(zh, index, digit):
    en = "; ".join(render_en(v) for v in find_values(zh))
    changed = _change_one_digit(en, index, digit)
    assert changed is not None and changed != en
    assert same_values(zh, changed) != []
