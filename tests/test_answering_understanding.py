"""Answers that do not depend on having seen the question (answering/: claims, arithmetic, follow-ups,
years, absent figures, advice, long pastes), on the tiny corpus plus an article nobody prepared."""
from __future__ import annotations

from assistant.answering.claims import find_claim, values_by_year, with_change
from assistant.language.names import NameTable
from assistant.values.parsing import find_values


def _direct(answer) -> str:
    return next(p.text for p in answer.parts if p.role == "direct")


# ---- claims: the clause and the value first --------------------------------------------------------
def test_the_value_right_after_the_asked_attribute_is_the_claim():
    sentence = "按发行价计算，公司发行时总市值为170亿元；此次发行价为42.50元/股，开盘价报96.00元/股。"
    claim = find_claim(sentence, {"发行价": 1.0}, ("amount",), "发行价多少钱一股", NameTable())
    assert claim.value == "42.50元" and claim.value_en == "RMB 42.5 per share"


def test_of_a_list_the_item_the_question_qualifies_is_the_value():
    sentence = "票面利率第一年为0.30%、第二年为0.50%、第三年为1.00%、第四年为1.50%，每年付息一次。"
    claim = find_claim(sentence, {"票面利率": 1.0}, ("amount",), "芯湃转债第四年的票面利率是多少", NameTable())
    assert claim.value == "1.50%"


def test_a_list_of_values_lines_up_with_its_list_of_years():
    before = "2023年、2024年、2025年，公司营收分别为3.2亿元、6.8亿元、11.5亿元；"
    found = values_by_year("", before + "净亏损依次为1.1亿元、0.9亿元、0.2亿元。", ("amount",), None, ["亏损"])
    assert {y: int(v.low) for y, (v, _) in found.items()} == {2023: 110_000_000, 2024: 90_000_000, 2025: 20_000_000}


def test_a_share_is_no_amount_of_revenue():
    claim = find_claim("研发投入18.45亿元，占营业收入的3.79%；", {"营业收入": 1.0}, ("amount",), "营业收入多少",
                       NameTable())
    assert claim.value != "3.79%"


def test_a_share_of_revenue_does_not_answer_for_revenue():
    cues = {"营业收入": 1.0}
    share = find_claim("研发投入18.45亿元，同比增长41.30%，占营业收入的3.79%；", cues, ("amount",), "营业收入多少",
                       NameTable())
    own = find_claim("报告期内，公司实现营业收入486.32亿元，同比增长58.71%；", cues, ("amount",), "营业收入多少",
                     NameTable())
    assert own.value == "486.32亿元" and own.score > share.score


def test_the_change_stated_after_an_amount_comes_with_it():
    sentence = "实现归属于上市公司股东的净利润21.58亿元，同比增长72.36%；"
    claim = find_claim(sentence, {"净利润": 1.0}, ("amount",), "净利润多少", NameTable())
    paired = with_change(claim, sentence)
    assert paired.value == "21.58亿元，同比增长72.36%"
    assert paired.value_en == "RMB 2.158 billion, up 72.36% year on year"
    rate = find_claim(sentence, {"净利润": 1.0}, ("amount",), "净利润增长了多少", NameTable())
    assert rate.value == "72.36%" and with_change(rate, sentence).value == "21.58亿元，同比增长72.36%"


def test_a_revised_figure_answers_with_the_one_in_force_unless_the_earlier_is_asked():
    sentence = "募资总额由不超过32.6亿元下调至不超过24.8亿元，发行方式也由竞价发行调整为锁价发行。"
    now = find_claim(sentence, {"募资总额": 1.0}, ("amount",), "募资多少", NameTable())
    before = find_claim(sentence, {"募资总额": 1.0}, ("amount",), "原方案募资多少", NameTable(), former=True)
    assert (now.value, before.value) == ("不超过24.8亿元", "不超过32.6亿元")
    aside = find_claim("推理芯片项目拟投入11.2亿元（原方案为14.5亿元）；", {"拟投入": 1.0}, ("amount",), "拟投入多少",
                       NameTable())
    assert aside.value == "11.2亿元"


def test_a_figure_in_a_clause_about_another_company_is_theirs():
    sentence = "澜曜微三季度毛利率环比回升，作为对比，启衡半导体三季度毛利率仅为29.1%。"
    claim = find_claim(sentence, {"毛利率": 1.0}, ("amount",), "毛利率多少", NameTable(), others=("启衡半导体",))
    assert claim.value != "29.1%"


def test_an_answer_states_the_value_first_then_quotes_the_sentence(uncurated_bot):
    a = uncurated_bot.ask("澜芯微电子的发行价是多少？")
    assert a.parts[0].role == "direct" and "42.50" in a.parts[0].text and "发行价为42.50" in a.text


def test_an_english_answer_about_an_untranslated_article_renders_values_and_names(uncurated_bot):
    a = uncurated_bot.ask("What was Lanxin's issue price?")
    assert "RMB 42.5 per share" in a.text and "Lanxin Microelectronics" in a.text


def test_who_is_answered_with_the_person_a_title_names(uncurated_bot):
    a = uncurated_bot.ask("Who is the CEO of Lanxin Microelectronics?")
    assert "Kuang Mingzhe" in a.text and not a.abstained


def test_a_revised_plan_answers_with_the_figure_in_force(uncurated_bot):
    assert "不超过18亿元" in _direct(uncurated_bot.ask("岚途科技定增募资多少？"))
    assert "不超过22亿元" in _direct(uncurated_bot.ask("岚途科技定增原计划募资多少？"))
    assert "22亿元" in _direct(uncurated_bot.ask("最开始那版呢？", history=["岚途科技定增募资多少？"]))


def test_an_amount_asked_with_its_growth_comes_with_the_stated_change(uncurated_bot):
    assert "9.6亿元，同比增长35.2%" in _direct(uncurated_bot.ask("岚途科技上半年营收多少？增长了多少？"))
    a = uncurated_bot.ask("What was Lantu Technology's revenue in the first half, and how fast did it grow?")
    assert "RMB 960 million, up 35.2% year on year" in _direct(a)


def test_an_english_value_from_an_untranslated_article_is_labelled(uncurated_bot):
    assert "gross margin: 41.2%" in _direct(uncurated_bot.ask("What was Lantu Technology's gross margin?"))


def test_a_sentence_that_says_which_figure_was_meant_is_one_question_with_the_one_before(uncurated_bot):
    a = uncurated_bot.ask("岚途科技上半年赚了多少？我说的是营业收入。")
    assert "9.6亿元" in _direct(a) and len([p for p in a.parts if p.role == "direct"]) == 1


def test_why_is_answered_with_the_sentence_that_gives_the_reason(uncurated_bot):
    a = uncurated_bot.ask("岚途科技毛利率为啥提升了？")
    assert "得益于高端推理芯片" in a.text and not a.abstained


# ---- arithmetic ----------------------------------------------------------------------------------
def test_a_difference_between_two_years_shows_the_operation_and_cites_it(uncurated_bot):
    a = uncurated_bot.ask("澜芯微电子2025年营收比2024年多多少？")
    assert "11.5亿元" in _direct(a) and "6.8亿元" in _direct(a) and "4.7亿元" in _direct(a) and "[1]" in _direct(a)


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


def test_a_stated_duration_is_a_value():
    claim = find_claim("芯澜科技IPO从受理到注册仅用时45天，创下年内最快纪录。", {"受理": 1.0, "注册": 1.0}, ("count",),
                       "从受理到注册用了多少天", NameTable())
    assert (claim.value, claim.value_en) == ("45天", "45 days")


def test_two_values_of_one_attribute_in_two_sentences_are_subtracted(uncurated_bot):
    a = uncurated_bot.ask("按发行价算和按收盘价算，澜芯微电子的总市值差了多少？")
    assert "182.8亿元" in _direct(a)


# ---- what the corpus does not say ------------------------------------------------------------------
def test_a_year_the_articles_do_not_give_is_said_so(uncurated_bot):
    a = uncurated_bot.ask("澜芯微电子2022年营收是多少？")
    assert a.abstained and "2022" in a.text


def test_a_figure_never_stated_for_the_company_is_not_answered_with_another(uncurated_bot):
    a = uncurated_bot.ask("澜芯微电子的毛利率是多少？")
    assert a.abstained and "毛利率" in a.text


def test_investment_advice_is_declined_with_the_facts(uncurated_bot):
    a = uncurated_bot.ask("澜芯微电子值得买吗？")
    assert a.abstained and "投资建议" in a.text


def test_an_ordinary_word_is_never_called_not_covered(uncurated_bot):
    a = uncurated_bot.ask("澜芯微电子归母营收是多少？")
    assert "没有涉及" not in a.text


# ---- conversation ------------------------------------------------------------------------------------
def test_an_ellipsis_replaces_only_the_year(uncurated_bot):
    a = uncurated_bot.ask("那2023年呢？", history=["澜芯微电子2025年营收多少？"])
    assert "3.2亿元" in _direct(a)


def test_a_chain_of_ellipses_resolves_turn_by_turn(uncurated_bot):
    a = uncurated_bot.ask("And the year before?", history=["澜芯微电子2025年营收多少？", "And in 2024?"])
    assert "320 million" in _direct(a)


def test_a_turn_that_names_nobody_is_about_the_conversations_company(uncurated_bot):
    a = uncurated_bot.ask("保荐机构是哪家？", history=["澜芯微电子的发行价是多少？"])
    assert "鹤鸣证券" in _direct(a)


# ---- long input ----------------------------------------------------------------------------------------
def test_the_question_at_the_end_of_a_long_paste_is_the_one_answered(uncurated_bot):
    background = "背景：国产GPU行业近年来发展很快，多家公司陆续推进上市。" * 40
    a = uncurated_bot.ask(background + "请问澜芯微电子的发行价是多少？")
    assert "42.50" in a.text and "long text" in a.notice


def test_values_of_a_sentence_are_found_in_text_order():
    assert [v.kind for v in find_values("2025年营收11.5亿元，同比增长69%")] == ["year", "amount", "percent"]


def test_an_untranslated_quote_in_english_says_which_figure_is_which():
    from assistant.answering.claims import labelled
    from assistant.language.glossary import load_glossary

    from .conftest import CORPUS

    quote = "报告期内，公司实现营业收入486.32亿元，同比增长58.71%；"
    assert labelled(quote, NameTable(), load_glossary(CORPUS), 2026) == (
        "revenue: RMB 48.632 billion, up 58.71% year on year",)
    assert labelled("此次发行价为58.60元/股，开盘价报168.00元/股，较发行价上涨186.69%；", NameTable(),
                    load_glossary(CORPUS)) == ("issue price: RMB 58.6 per share",
                                               "opening price: RMB 168 per share, up 186.69%")
