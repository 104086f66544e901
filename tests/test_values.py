"""Values in Chinese text rendered in English (assistant.values): examples, corpus sentences, properties.

The properties are the ones the build relies on: a rendering read back gives the same yuan exactly,
a correct translation is never flagged, and a changed digit always is.
"""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.values.comparison import same_values
from assistant.values.english import english_values
from assistant.values.parsing import find_values
from assistant.values.rendering import MONTHS_EN, Value, render_amount_en, render_en

FAST = settings(max_examples=150, deadline=None)
UNITS = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}


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


@pytest.mark.parametrize("zh, en", [
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
])
def test_amount_renders_with_every_significant_digit(zh, en):
    assert rendered(zh) == [en]


@pytest.mark.parametrize("zh", ["140 ~ 155 亿元", "140-155亿元", "140至155亿元", "140～155 亿元"])
def test_range_keeps_both_ends_with_an_en_dash(zh):
    v = one(zh)
    assert (v.low, v.high) == (Decimal("14e9"), Decimal("15.5e9"))
    assert render_en(v) == "RMB 14–15.5 billion"


@pytest.mark.parametrize("zh, en", [
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
])
def test_qualifier_becomes_english_words(zh, en):
    assert rendered(zh) == [en]


@pytest.mark.parametrize("zh", ["两三亿元", "三四十亿元", "十几亿元"])
def test_spoken_estimates_are_not_read_as_one_number(zh):
    assert find_values(zh) == []


def test_chinese_numerals_with_zero():
    assert rendered("一百零五万元") == ["RMB 1.05 million"]


def test_contract_is_not_a_qualifier():
    assert one("签约 50 亿元").qualifier is None


@pytest.mark.parametrize("zh, en", [
    ("数十亿元", "several billion yuan"),
    ("几十亿元", "several billion yuan"),
    ("数亿美元", "hundreds of millions of US dollars"),
])
def test_vague_amount_has_no_number(zh, en):
    v = one(zh)
    assert v.vague and v.low is None
    assert render_en(v) == en


def test_currency_of_each_suffix():
    assert [v.currency for v in find_values("1 亿元、1 亿元人民币、1 亿人民币、1 亿美元、1 亿港元、1 亿港币")] == [
        "RMB", "RMB", "RMB", "USD", "HKD", "HKD"]


def test_unit_without_currency_is_a_plain_number():
    v = one("用户数达 2 亿")
    assert (v.kind, v.low, v.currency, render_en(v)) == ("number", Decimal("2e8"), None, "200 million")


@pytest.mark.parametrize("text", ["64GB 显存", "4K 场景", "MUSA SDK 4.0.1 版", "单一元件", "千万不要", "RTX 4060"])
def test_counters_and_versions_are_not_values(text):
    assert find_values(text) == []


def test_full_width_digits_are_read_with_spans_of_the_original():
    text = "募资约３９．０４亿元"
    v = one(text)
    assert v.low == Decimal("3.904e9") and text[v.span[0]:v.span[1]] == v.text == "约３９．０４亿元"


# ---------------------------------------------------------------- render_amount_en


@pytest.mark.parametrize("amount, en", [
    (Decimal("426400"), "RMB 426,400"),
    (Decimal("1000000"), "RMB 1 million"),
    (Decimal("999999999"), "RMB 999.999999 million"),
    (Decimal("1000000000"), "RMB 1 billion"),
    (0.46 * 1e8, "RMB 46 million"),
    (8e9, "RMB 8 billion"),
])
def test_render_amount_scale_boundaries_and_floats(amount, en):
    assert render_amount_en(amount) == en


def test_render_amount_other_currencies():
    assert render_amount_en(Decimal("1.2e9"), currency="USD") == "US$1.2 billion"
    assert render_amount_en(Decimal("5e6"), currency=None) == "5 million"


# ---------------------------------------------------------------- dates, years, percentages


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


@pytest.mark.parametrize("zh, number", [("200%", 200), ("20 %", 20), ("百分之二十", 20), ("百分之三点五", Decimal("3.5"))])
def test_percentages(zh, number):
    v = one(zh)
    assert (v.kind, v.low) == ("percent", number)


def test_percentage_with_qualifier():
    assert rendered("复合增长率超过 200%") == ["more than 200%"]


def test_months_table():
    assert MONTHS_EN[6] == "June" and len(MONTHS_EN) == 12


# ---------------------------------------------------------------- corpus sentences


def test_corpus_growth_sentence():
    values = find_values("其营收从 2022 年约 0.46 亿元增长至 2024 年约 4.38 亿元,复合增长率超过 200%")
    assert [(v.kind, v.text) for v in values] == [
        ("year", "2022 年"), ("amount", "约 0.46 亿元"), ("year", "2024 年"),
        ("amount", "约 4.38 亿元"), ("percent", "超过 200%")]
    assert [render_en(v) for v in values] == [
        "2022", "about RMB 46 million", "2024", "about RMB 438 million", "more than 200%"]


def test_corpus_revenue_sentence():
    values = find_values("2022 年、2023 年、2024 年营收分别为 42.64 万元(0.0043 亿元)、0.5302 亿元、7.43 亿元")
    assert [render_en(v) for v in values] == [
        "2022", "2023", "2024", "RMB 426,400", "RMB 430,000", "RMB 53.02 million", "RMB 743 million"]


def test_corpus_loss_sentence():
    assert rendered("净利润亏损依次为 7.77 亿元、8.71 亿元、14.09 亿元,逐年扩大") == [
        "RMB 777 million", "RMB 871 million", "RMB 1.409 billion"]


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
        assert text[v.span[0]:v.span[1]] == v.text


# ---------------------------------------------------------------- English


@pytest.mark.parametrize("en, low, high, currency", [
    ("RMB 3.904 billion", "3.904e9", "3.904e9", "RMB"),
    ("3.904 billion yuan", "3.904e9", "3.904e9", "RMB"),
    ("more than RMB 5 billion", "5e9", "5e9", "RMB"),
    ("RMB 14–15.5 billion", "14e9", "15.5e9", "RMB"),
    ("RMB 426,400", "426400", "426400", "RMB"),
    ("$1.2 billion", "1.2e9", "1.2e9", "USD"),
    ("US$1 billion", "1e9", "1e9", "USD"),
    ("RMB743m", "743e6", "743e6", "RMB"),
    ("eight billion yuan", "8e9", "8e9", "RMB"),
])
def test_english_amounts(en, low, high, currency):
    v = en_one(en)
    assert (v.low, v.high, v.currency) == (Decimal(low), Decimal(high), currency)


def test_english_qualifier():
    assert en_one("more than RMB 5 billion").qualifier == "more than"


@pytest.mark.parametrize("en, ymd", [
    ("30 June 2025", (2025, 6, 30)),
    ("June 30, 2025", (2025, 6, 30)),
    ("July 2025", (2025, 7, None)),
    ("October 30", (None, 10, 30)),
    ("the 30th of June", (None, 6, 30)),
    ("July of 2025", (2025, 7, None)),
    ("Oct. 30", (None, 10, 30)),
])
def test_english_dates(en, ymd):
    assert en_one(en).ymd == ymd


def test_english_percent_and_not_percentage_points():
    assert en_one("200%").low == 200
    assert en_one("20 percent").low == 20
    assert english_values("5 percentage points") == []


@pytest.mark.parametrize("text", ["4K TVs", "64GB of memory", "version 4.0.1", "may 30 people"])
def test_english_non_values(text):
    assert english_values(text) == []


def test_english_keeps_chinese_left_in_the_text():
    kinds = [(v.kind, v.low) for v in english_values("over RMB 5 billion (50 亿元)")]
    assert kinds == [("amount", Decimal("5e9")), ("amount", Decimal("5e9"))]


# ---------------------------------------------------------------- same_values


@pytest.mark.parametrize("zh, en", [
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
])
def test_same_values_accepts_correct_renderings(zh, en):
    assert same_values(zh, en) == []


def test_same_values_names_the_chinese_value_and_the_expected_english():
    assert same_values("营收 7.43 亿元", "revenue of RMB 7.43 billion") == [
        '"7.43 亿元" should appear as RMB 743 million']


def test_same_values_flags_a_rounded_amount():
    assert same_values("募资约 39.04 亿元", "raised about RMB 3.9 billion")


def test_same_values_flags_a_wrong_year():
    assert same_values("成立于 2018 年", "founded in 2019") == ['"2018 年" should appear as 2018']


def test_same_values_flags_a_wrong_currency():
    assert same_values("融资 10 亿美元", "raised RMB 1 billion")


def test_same_values_year_argument_for_dates_without_a_year():
    assert same_values("10月30日获批", "approved on 30 October 2025", year=2025) == []
    assert same_values("10月30日获批", "approved on 30 October 2024", year=2025) == [
        '"10月30日" should appear as 30 October 2025']


# ---------------------------------------------------------------- properties

AMOUNTS = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("99999.9999"), places=4,
                      allow_nan=False, allow_infinity=False)
UNIT_NAMES = st.sampled_from(sorted(UNITS))
DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))


def _change_one_digit(text: str, index: int, digit: int) -> str | None:
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    if not positions:
        return None
    i = positions[index % len(positions)]
    new = str((int(text[i]) + 1 + digit % 9) % 10)
    return text[:i] + new + text[i + 1:]


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
    yuan = number * 10 ** 4
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


@FAST
@given(st.text(st.sampled_from(list("0123456789.,~-%年月日万亿元美港人民币约超过近数十百千 ")), max_size=40))
def test_any_text_gives_ordered_spans_that_point_at_it(text):
    values = find_values(text)
    for v in values:
        assert text[v.span[0]:v.span[1]] == v.text
    assert all(a.span[1] <= b.span[0] for a, b in zip(values, values[1:]))


@pytest.mark.parametrize("zh, en", [
    ("现金流量净额为-8.93亿元", ["-RMB 893 million"]),  # a net outflow keeps its sign
    ("上年同期为−0.64亿元", ["-RMB 64 million"]),
    ("营收目标650-700亿元", ["RMB 65–70 billion"]),  # a range's dash is no minus
    ("同比增长约34%-44%", ["about 34–44%"]),
])
def test_a_minus_before_a_figure_is_its_sign_and_a_range_dash_is_not(zh, en):
    assert rendered(zh) == en
