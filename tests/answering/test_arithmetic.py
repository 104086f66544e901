"""Arithmetic a question asks of values the articles give (answering/arithmetic.py): a difference, a
ratio, a sum, days between dates — on the tiny corpus plus an article nobody prepared."""

from __future__ import annotations


def _direct(answer) -> str:
    return next(p.text for p in answer.parts if p.role == "direct")


# ---- arithmetic ----------------------------------------------------------------------------------
def test_a_difference_between_two_years_shows_the_operation_and_cites_it(uncurated_bot):
    a = uncurated_bot.ask("澜芯微电子2025年营收比2024年多多少？")
    assert (
        "11.5亿元" in _direct(a)
        and "6.8亿元" in _direct(a)
        and "4.7亿元" in _direct(a)
        and "[1]" in _direct(a)
    )


def test_a_ratio_and_a_sum(uncurated_bot):
    assert "≈ 3.59" in _direct(uncurated_bot.ask("澜芯微电子2025年营收是2023年的几倍？"))
    assert "21.5亿元" in _direct(uncurated_bot.ask("澜芯微电子23到25年营收一共多少？"))


def test_an_amount_asked_of_two_parts_subtracts_amounts_not_shares(uncurated_bot):
    assert "2.6亿元" in _direct(uncurated_bot.ask("岚途科技推理芯片业务营收比训练芯片业务多多少亿？"))


def test_two_products_compared_take_each_products_own_figure(uncurated_bot):
    assert "64 TFLOPS" in _direct(uncurated_bot.ask("LT-200的FP16算力比AX-90高多少TFLOPS？"))


def test_days_between_two_stated_dates_are_counted(uncurated_bot):
    a = uncurated_bot.ask("岚途科技定增从受理到审核通过用了多少天？")
    assert "64 天" in _direct(a) and "2025年6月30日" in _direct(a)


def test_two_values_of_one_attribute_in_two_sentences_are_subtracted(uncurated_bot):
    a = uncurated_bot.ask("按发行价算和按收盘价算，澜芯微电子的总市值差了多少？")
    assert "182.8亿元" in _direct(a)


def test_days_from_an_event_to_a_date_in_a_traditional_sentence(uncurated_bot):
    a = uncurated_bot.ask("瑞升的股东临时会开完之后，距离转换基准日还有多少天？")
    assert "104" in _direct(a)  # 7月21日 → 11月2日, both of the merger report


def test_days_between_two_ends_asked_in_english(uncurated_bot):
    a = uncurated_bot.ask("How many days are there between Ruisheng's EGM and the swap date?")
    assert "104 days" in _direct(a)


def test_growth_from_the_figure_a_sentence_says_it_grew_from(uncurated_bot):
    """ "…存货为8.4亿元，较年初的6.0亿元增加2.4亿元": growth in percent, the base first."""
    a = uncurated_bot.ask("鸿钧电子一季度末存货比年初涨了百分之几？")
    assert "+40%" in a.text.splitlines()[0] and "8.4亿元" in a.text
    b = uncurated_bot.ask(
        "By what percentage did Hongjun Electronics' inventory rise from the start of the year?"
    )
    assert "+40%" in b.text.splitlines()[0]


def test_a_day_referred_to_as_the_same_day_is_the_day_named_before_it(uncurated_bot):
    """ "3月2日晚间，…。同日，钧石投资决定提前终止减持计划": the termination is of 2 March."""
    a = uncurated_bot.ask("钧石投资从披露减持计划到终止减持隔了多少天？")
    assert "49 天" in a.text.splitlines()[0]


def test_the_midpoint_of_a_stated_range(uncurated_bot):
    assert "= 8.9亿元" in _direct(uncurated_bot.ask("启云算力2026年预计营收按区间中值算是多少？"))


def test_a_share_no_sentence_states_is_the_part_over_the_whole(uncurated_bot):
    a = uncurated_bot.ask("鸿钧电子一季度归母净利润占营收的比例是多少？")
    assert "÷ 5.2亿元[1] ≈ 11.54%" in _direct(a)  # 0.6亿元 ÷ 5.2亿元
    b = uncurated_bot.ask("What share of Hongjun Electronics' first-quarter revenue was net profit?")
    assert "≈ 11.54%" in _direct(b)


def test_a_share_an_article_states_is_quoted_not_computed(uncurated_bot):
    a = uncurated_bot.ask("岚途科技研发投入占营收的比例是多少？")
    assert "21.9%" in _direct(a) and "÷" not in _direct(a)


def test_the_figure_a_stated_change_grew_from_is_backed_out(uncurated_bot):
    a = uncurated_bot.ask("按增速倒推一下鸿钧电子去年一季度的营收")
    assert "5.2亿元[1] ÷ (1 + 30.5%) ≈ 3.985亿元" in _direct(a)


def test_how_much_more_and_by_what_percentage_against_last_years_figure(uncurated_bot):
    a = uncurated_bot.ask("启云算力今年资本开支比去年多出多少？增幅多少？")
    assert "6亿元[1] − 4亿元[1] = 2亿元 (+50%)" in _direct(a)
