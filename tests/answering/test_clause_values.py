"""What a quoted clause states in English (answering/clause_values.py): clauses split where claims part
and never inside a figure; an untranslated quote's figures, rounds, ratings and domain terms in its
word-by-word gloss (language/gloss.py)."""

from __future__ import annotations

import pytest

from assistant.answering.clause_values import clauses, gloss_spans
from assistant.language.gloss import cedict_glosses, gloss
from assistant.language.glossary import load_glossary
from assistant.language.names import NameTable
from assistant.language.tokens import Tokenizer
from assistant.text import to_simplified
from tests.conftest import CORPUS

GLOSSARY = load_glossary(CORPUS)


@pytest.fixture(scope="module")
def glossed():
    tokenizer = Tokenizer()

    def read(quote: str, names: list[tuple[int, int, str]] = ()) -> str:
        fixed, terms = gloss_spans(quote, NameTable(), GLOSSARY, 2026)
        simple = to_simplified(quote)
        text = simple if len(simple) == len(quote) else quote
        return gloss(text, [*fixed, *names], terms, tokenizer.tagged, cedict_glosses())

    return read


def test_a_thousands_separator_does_not_split_a_clause():
    assert clauses("公司决定，对其处以1,200万元罚款；另罚30,000元，时间为10:30") == [
        "公司决定，",
        "对其处以1,200万元罚款；",
        "另罚30,000元，",
        "时间为10:30",
    ]
    assert clauses("A,B") == ["A,", "B"]


def test_an_untranslated_quote_names_its_round_rating_and_terms_in_english(glossed):
    said = glossed("甲公司完成5亿元C轮融资，由乙资本领投；经评定，债项信用等级为AA-。")
    assert "Series C" in said and "AA-" in said and "credit rating" in said
    assert said.index("Series C") < said.index("AA-")  # in text order


def test_a_term_inside_a_name_or_a_change_is_no_term_of_its_own(glossed):
    said = glossed("天序智算营收3亿元，同比增长20%。", names=[(0, 4, "Tianxu")])
    assert "computing" not in said.lower()  # 智算 of 天序智算 is the name
    assert "up 20% year on year" in said and "growth" not in said  # 增长 is said with the figure


def test_a_share_class_or_a_round_is_no_rating():
    fixed, _ = gloss_spans("公司A股于今日上市，B+轮融资已完成。", NameTable(), GLOSSARY, 2026)
    assert [en for *_, en in fixed] == ["Series B+"]


def test_a_bare_yuan_in_traditional_script_is_not_said_to_be_renminbi():
    from assistant.answering.clause_values import english, values_in

    said = lambda t: [english(v, t) for v in values_in(t)]  # noqa: E731
    assert said("擬配發每股現金股利10元") == ["10 yuan"]
    assert said("營收達新台幣128.6億元") == ["NT$12.86 billion"]
    assert said("營收人民幣3億元") == ["RMB 300 million"]
    assert said("营收为10亿元") == ["RMB 1 billion"]


def test_a_figure_and_its_word_are_glossed_in_the_clauses_order(glossed):
    said = glossed("监管部门对公司处以1,500万元罚款。")
    assert "RMB 15 million" in said and said.index("RMB 15 million") < said.lower().index("fine")
    said = glossed("双方预计于7月21日召开临时股东大会，转换基准日暂定为11月2日。")
    assert "21 July 2026" in said and "2 November 2026" in said


def test_a_figure_per_share_and_a_change_are_rendered_whole(glossed):
    said = glossed("报告期内，公司实现营业收入486.32亿元，同比增长58.71%；")
    assert "revenue RMB 48.632 billion up 58.71% year on year" in said
    said = glossed("此次发行价为58.60元/股，开盘价报168.00元/股，较发行价上涨186.69%；")
    assert "RMB 58.6 per share" in said and "RMB 168 per share" in said and "/" not in said


def test_taiwan_words_for_chips_and_servers_are_glossed(glossed):
    said = glossed("宏鈺在車用與伺服器電源的產品線，正好補足高壓製程的缺口。")
    assert {"automotive", "server", "high-voltage"} <= set(said.replace(",", " ").split(" "))


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
