"""What a quoted clause states in English (answering/clause_values.py): clauses split where claims part
and never inside a figure; an untranslated quote's figures, rounds, ratings and domain terms."""

from __future__ import annotations

from assistant.answering.clause_values import clauses, labelled
from assistant.language.glossary import load_glossary
from assistant.language.names import NameTable
from tests.conftest import CORPUS

GLOSSARY = load_glossary(CORPUS)


def test_a_thousands_separator_does_not_split_a_clause():
    assert clauses("公司决定，对其处以1,200万元罚款；另罚30,000元，时间为10:30") == [
        "公司决定，",
        "对其处以1,200万元罚款；",
        "另罚30,000元，",
        "时间为10:30",
    ]
    assert clauses("A,B") == ["A,", "B"]


def test_an_untranslated_quote_names_its_round_rating_and_terms_in_english():
    quote = "甲公司完成5亿元C轮融资，由乙资本领投；经评定，债项信用等级为AA-。"
    items = labelled(quote, NameTable(), GLOSSARY, 2026)
    assert "Series C" in items and "AA-" in items
    assert "lead investor" in items and "credit rating" in items
    assert items.index("Series C") < items.index("lead investor") < items.index("AA-")  # in text order


def test_a_term_inside_a_name_or_a_change_is_no_term_of_its_own():
    quote = "天序智算营收3亿元，同比增长20%。"
    named = labelled(quote, NameTable(), GLOSSARY, 2026, taken=[(0, 4)])
    assert not any("computing" in i.lower() for i in named)  # 智算 of 天序智算 is the name
    assert "growth" not in named  # 增长 is said with the figure ("up 20% year on year")


def test_a_share_class_or_a_round_is_no_rating():
    items = labelled("公司A股于今日上市，B+轮融资已完成。", NameTable(), GLOSSARY, 2026)
    assert not {"A", "B+"} & set(items)


def test_a_bare_yuan_in_traditional_script_is_not_said_to_be_renminbi():
    from assistant.answering.clause_values import english, values_in

    said = lambda t: [english(v, t) for v in values_in(t)]  # noqa: E731
    assert said("擬配發每股現金股利10元") == ["10 yuan"]
    assert said("營收達新台幣128.6億元") == ["NT$12.86 billion"]
    assert said("營收人民幣3億元") == ["RMB 300 million"]
    assert said("营收为10亿元") == ["RMB 1 billion"]


def test_a_figure_stated_before_its_word_is_labelled_by_it():
    items = labelled("监管部门对公司处以1,500万元罚款。", NameTable(), GLOSSARY, 2026)
    assert "penalty: RMB 15 million" in items
    items = labelled(
        "双方预计于7月21日召开临时股东大会，转换基准日暂定为11月2日。", NameTable(), GLOSSARY, 2026
    )
    assert "extraordinary general meeting: 21 July 2026" in items  # the meeting's day, not a forecast
    assert "swap date: 2 November 2026" in items


def test_a_word_followed_by_its_own_figure_labels_no_figure_before_it():
    items = labelled("较前30个交易日均价121.8元溢价约37.9%。", NameTable(), GLOSSARY, 2026)
    assert "premium: about 37.9%" in items and not any(i.startswith("premium: 121.8") for i in items)


def test_taiwan_words_for_chips_and_servers_are_glossed():
    items = labelled("宏鈺在車用與伺服器電源的產品線，正好補足高壓製程的缺口。", NameTable(), GLOSSARY, 2026)
    assert {"automotive", "server", "high-voltage"} <= set(items)


def test_a_number_of_years_that_is_a_term_is_a_duration_not_a_year():
    from assistant.answering.clause_values import english, values_in

    for text, years in (("禁入期限改为10年", "10 years"), ("本期债券期限为6年，自2026年起", "6 years")):
        found = [english(v, text) for v in values_in(text) if v.kind == "duration"]
        assert found == [years], text
    assert not [v for v in values_in("24年营收10亿元") if v.kind == "duration"]  # 24年 is 2024


def test_a_multiple_is_a_value_with_its_thousands():
    from assistant.answering.clause_values import english, values_in

    text = "网上初步有效申购倍数为4,125.63倍，超过100倍"
    assert [english(v, text) for v in values_in(text)] == ["4,125.63 times", "100 times"]


def test_hong_kong_cents_are_values():
    from assistant.answering.clause_values import english, values_in

    text = "每股盈利21.5港仙，派中期息每股5仙"
    assert [english(v, text) for v in values_in(text)] == ["21.5 HK cents", "5 cents"]
