"""The claim that answers (answering/claims.py): the clause of a quoted sentence that holds what was
asked, and the value it asks for."""

from __future__ import annotations

from assistant.answering.claims import find_claim, with_change
from assistant.answering.year_values import values_by_year
from assistant.language.names import NameTable


# ---- claims: the clause and the value first --------------------------------------------------------
def test_the_value_right_after_the_asked_attribute_is_the_claim():
    sentence = "按发行价计算，公司发行时总市值为170亿元；此次发行价为42.50元/股，开盘价报96.00元/股。"
    claim = find_claim(sentence, {"发行价": 1.0}, ("amount",), "发行价多少钱一股", NameTable())
    assert claim.value == "42.50元" and claim.value_en == "RMB 42.5 per share"


def test_of_a_list_the_item_the_question_qualifies_is_the_value():
    sentence = "票面利率第一年为0.30%、第二年为0.50%、第三年为1.00%、第四年为1.50%，每年付息一次。"
    claim = find_claim(
        sentence, {"票面利率": 1.0}, ("amount",), "芯湃转债第四年的票面利率是多少", NameTable()
    )
    assert claim.value == "1.50%"


def test_a_year_named_once_is_every_clauses_year_not_the_first_figures():
    sentence = "財務面，瑞升2025年合併營收210.4億元，年增12.1%，每股純益9.62元；"
    claim = find_claim(
        sentence, {"每股纯益": 1.0}, ("amount",), "2025年每股纯益是多少", NameTable()
    )  # names out
    assert claim.value == "9.62元"


def test_a_list_of_values_lines_up_with_its_list_of_years():
    before = "2023年、2024年、2025年，公司营收分别为3.2亿元、6.8亿元、11.5亿元；"
    found = values_by_year(
        "", before + "净亏损依次为1.1亿元、0.9亿元、0.2亿元。", ("amount",), None, ["亏损"]
    )
    assert {y: int(v.low) for y, (v, _) in found.items()} == {
        2023: 110_000_000,
        2024: 90_000_000,
        2025: 20_000_000,
    }


def test_a_share_is_no_amount_of_revenue():
    claim = find_claim(
        "研发投入18.45亿元，占营业收入的3.79%；", {"营业收入": 1.0}, ("amount",), "营业收入多少", NameTable()
    )
    assert claim.value != "3.79%"


def test_a_share_of_revenue_does_not_answer_for_revenue():
    cues = {"营业收入": 1.0}
    share = find_claim(
        "研发投入18.45亿元，同比增长41.30%，占营业收入的3.79%；",
        cues,
        ("amount",),
        "营业收入多少",
        NameTable(),
    )
    own = find_claim(
        "报告期内，公司实现营业收入486.32亿元，同比增长58.71%；",
        cues,
        ("amount",),
        "营业收入多少",
        NameTable(),
    )
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
    aside = find_claim(
        "推理芯片项目拟投入11.2亿元（原方案为14.5亿元）；",
        {"拟投入": 1.0},
        ("amount",),
        "拟投入多少",
        NameTable(),
    )
    assert aside.value == "11.2亿元"


def test_a_figure_in_a_clause_about_another_company_is_theirs():
    sentence = "澜曜微三季度毛利率环比回升，作为对比，启衡半导体三季度毛利率仅为29.1%。"
    claim = find_claim(
        sentence, {"毛利率": 1.0}, ("amount",), "毛利率多少", NameTable(), others=("启衡半导体",)
    )
    assert claim.value != "29.1%"


def test_a_stated_duration_is_a_value():
    claim = find_claim(
        "芯澜科技IPO从受理到注册仅用时45天，创下年内最快纪录。",
        {"受理": 1.0, "注册": 1.0},
        ("count",),
        "从受理到注册用了多少天",
        NameTable(),
    )
    assert (claim.value, claim.value_en) == ("45天", "45 days")


def test_a_premium_asked_is_a_rate_not_the_price_beside_it():
    sentence = "每股对价约92元，较华铠当日收盘价70.5元溢价约30.5%。"
    claim = find_claim(
        sentence, {"溢价": 1.0, "收盘价": 0.8}, ("amount",), "收购价比收盘价溢价多少", NameTable()
    )
    assert claim.value == "约30.5%"


def test_a_multiple_asked_is_answered_in_multiples():
    sentence = "本次发行价格为38.60元/股，对应摊薄后的市盈率为73.52倍。"
    claim = find_claim(
        sentence, {"市盈率": 1.0, "发行价格": 0.9}, ("amount",), "发行市盈率是多少倍", NameTable()
    )
    assert claim.value == "73.52倍"


def test_a_value_the_nearest_figure_word_before_it_names_is_that_figures():
    """ "营业收入37.80亿元，同比增长41.5%，归母净利润2.05亿元": asked the net profit's growth, the growth
    stated is the revenue's; the net profit is the value of its own word."""
    sentence = "公司一季度实现营业收入37.80亿元，同比增长41.5%，归母净利润2.05亿元。"
    cues = {"同比": 3.0, "增长": 3.0, "一季度": 2.5, "净利润": 2.0}
    question = "一季度净利润同比增长多少"
    assert find_claim(sentence, cues, ("amount",), question, NameTable()).value == "41.5%"  # the nearest cue
    labels = (("净利润", True), ("营业收入", False))
    claim = find_claim(sentence, cues, ("amount",), question, NameTable(), labels=labels)
    assert claim.value == "2.05亿元"


def test_a_value_reckoned_on_a_basis_the_question_does_not_ask_counts_less():
    """ "按发行价计算，…总市值为234.4亿元" answers the market value at the issue price, not at the close."""
    cues = {"总市值": 3.0, "收盘": 3.0}
    question = "上市首日收盘时总市值是多少"
    labels = (("总市值", True), ("收盘", True), ("发行价", False))
    on_issue = "按发行价计算，公司发行时总市值为234.4亿元。"
    at_close = "截至收盘，公司报152.36元/股，总市值609.44亿元。"
    weighed = [
        find_claim(s, cues, ("amount",), question, NameTable(), labels=labels) for s in (on_issue, at_close)
    ]
    assert weighed[1].score > weighed[0].score
    plain = [find_claim(s, cues, ("amount",), question, NameTable()) for s in (on_issue, at_close)]
    assert plain[0].score - weighed[0].score == 2.0 and plain[1].score == weighed[1].score


def test_a_figure_stated_as_a_difference_from_another_is_not_its_level():
    sentence = "QH-960的FP16算力较XL-2000高出25%，显存容量多出32GB，功耗则低100W，每瓦算力提升约53%。"
    level = find_claim(sentence, {"显存": 1.0}, ("amount",), "QH-960显存多大", NameTable())
    assert level.value != "32GB" and "100W" not in level.value
    gap = find_claim(sentence, {"显存": 1.0}, ("amount",), "QH-960显存多多少", NameTable(), level=False)
    assert gap.value == "32GB"
    stated = find_claim(
        "较QH-960低300W，QH-960S功耗仅为150W。", {"功耗": 1.0}, ("amount",), "功耗多少", NameTable()
    )
    assert stated.value == "150W"


def test_the_start_or_the_end_of_a_span_of_days_is_the_one_asked():
    sentence = "根据合同约定，相关设备将自2026年7月起分批交付，最后一批设备须于2027年6月30日前完成交付。"
    start = find_claim(sentence, {"交付": 1.0}, ("date",), "设备什么时候开始交付", NameTable())
    end = find_claim(sentence, {"交付": 1.0}, ("date",), "最后一批设备最晚什么时候交付", NameTable())
    assert start.value == "2026年7月" and end.value == "2027年6月30日"
