"""Question analysis: what a question asks, read from the curated tables (no model, no index)."""
from __future__ import annotations

import pytest

from assistant.answering.analysis import analyze
from assistant.answering.checks import holds
from assistant.corpus.companies import CompanyDirectory, load_profiles
from assistant.language.glossary import load_glossary
from assistant.language.lexicon import load_lexicon
from assistant.language.names import load_names
from assistant.evaluation import english_readable
from assistant.text import funding_rounds, prepare_question

from .conftest import CORPUS

DIRECTORY = CompanyDirectory(load_profiles(CORPUS))
GLOSSARY = load_glossary(CORPUS)
LEXICON = load_lexicon(CORPUS)
NAMES = load_names(CORPUS)


def ask(question: str, history: list[str] | None = None):
    return analyze(prepare_question(question), history or [], DIRECTORY, GLOSSARY, LEXICON)


@pytest.mark.parametrize("question, intent", [
    ("帮我总结一下这篇文章。", "summary"),
    ("Give me a quick rundown of Moore Threads.", "summary"),
    ("摩尔线程和沐曦的路线有什么区别？", "comparison"),
    ("How is Glenfly different from the other GPU makers?", "comparison"),
    ("燧原这家公司的优势和风险分别是什么?", "risks"),
    ("这篇文章最后的结论是什么?", "conclusion"),
    ("哪家公司成立得最早？", "ranking"),
    ("Which companies have filed a prospectus?", "list"),
    ("Does Biren's BR100 support CXL?", "yesno"),
    ("沐曦上会过了没有?", "yesno"),
    ("Why is MetaX likened to AMD?", "explain"),
    ("壁仞的估值是多少？", "lookup"),
])
def test_the_intent_comes_from_the_lexicon(question, intent):
    assert ask(question).intent == intent


def test_comparing_one_company_with_a_product_is_a_look_up_not_a_comparison():
    assert ask("Which game was used to compare the S90 with the RTX 4060?").intent == "lookup"


def test_strengths_and_risks_asked_together_are_both_kept():
    qa = ask("燧原这家公司的优势和风险分别是什么?")
    assert {qa.intent, *qa.also} >= {"risks", "strengths"}


def test_a_multi_part_question_expects_each_kind_of_answer_in_order():
    qa = ask("When did Vastai begin its A-share IPO tutoring, and which brokerage tutors it?")
    assert qa.answer_types[:2] == ("date", "organisation")


def test_where_inside_a_clause_is_not_a_question_about_a_place():
    assert "place" not in ask("Which game was used in the tests where the MTT S90 beat the RTX 4060?").answer_types


@pytest.mark.parametrize("question, field, word", [
    ("沐曦是什么时候递表的?", "listing", "招股书"),
    ("沐曦去年亏了多少钱?", "losses", "亏损"),
    ("壁仞到现在一共融了多少钱?", "fundraising", "融资"),
    ("谁投的燧原?", "shareholders", "持股"),
])
def test_everyday_words_map_to_the_words_articles_use(question, field, word):
    qa = ask(question)
    assert field in qa.fields and word in qa.expansions


def test_a_follow_up_takes_its_company_from_the_conversation():
    qa = ask("它的估值是多少？", ["壁仞科技的首款芯片叫什么?"])
    assert qa.companies == ("biren",) and qa.carried and not qa.unresolved_followup


def test_a_follow_up_with_nobody_to_refer_to_is_flagged():
    assert ask("What is its valuation?").unresolved_followup


@pytest.mark.parametrize("question", [
    "Which company wants its GPU to run an operating system?",  # asks for a company
    "Who wrote this piece and which outlet published it?",  # "it" is the article
])
def test_pronouns_that_do_not_refer_to_an_earlier_company(question):
    assert not ask(question).unresolved_followup


def test_a_possessive_refers_back_even_next_to_the_word_article():
    qa = ask("What does the article compare its market approach to?", ["What is Glenfly's strategy?"])
    assert qa.companies == ("glenfly",)


def test_questions_about_after_the_article_are_flagged():
    assert ask("At what price did Moore Threads' shares open on their first trading day?").after_article
    assert not ask("When did Moore Threads get its registration approved?").after_article


@pytest.mark.parametrize("kind, text, expected", [
    ("date", "2025 年 6 月 30 日,公司向科创板提交招股书", True),
    ("date", "燧原成立于 2018 年", True),
    ("amount", "拟募资约 39.04 亿元人民币", True),
    ("amount", "配备 64GB HBM2E 显存", True),
    ("amount", "燧原的路线更单一", False),
    ("organisation", "券商为国泰君安证券", True),
    ("person", "燧原成立于 2018 年,比壁仞更早", False),
    ("person", "作者:董道力", True),
])
def test_a_sentence_holds_an_answer_only_of_the_kind_asked(kind, text, expected):
    assert holds(kind, text, NAMES) is expected


def test_an_english_reader_gets_the_answer_without_chinese_quotes_or_characters():
    text = "MetaX raised RMB 3.9 billion [1] — original: “拟募资约 39.04 亿元”\n「沐曦」 said \"hello\" 沐曦"
    assert english_readable(text) == 'MetaX raised RMB 3.9 billion [1] — original: \n said "hello" '


def test_a_name_the_corpus_writes_with_a_taiwan_form_is_kept():
    assert prepare_question("锐矽的营收") == "锐硅的营收"  # mainland phrasing, for words
    assert prepare_question("锐矽的营收", keep=("锐矽",)) == "锐矽的营收"  # not for a company's name
    assert prepare_question("銳矽的硬體", keep=("锐矽",)) == "锐矽的硬件"


def test_a_chinese_term_expands_to_its_other_forms_in_the_articles():
    assert "营业收入" in GLOSSARY.expand("恒擎信息去年营收多少")


def test_a_turn_that_only_qualifies_asks_the_previous_question_again():
    qa = ask("最开始那版呢？", ["壁仞的估值是多少？"])
    assert qa.companies == ("biren",) and "valuation" in qa.fields
    assert ask("那风险呢？", ["壁仞的估值是多少？"]).intent == "risks"  # an intent of its own: not a qualifier


@pytest.mark.parametrize("text, rounds", [
    ("公司于4月10日完成3亿元A轮融资", {"A"}),
    ("天枢智算｜B轮｜8亿元", {"B"}),
    ("How much did it raise in its Series C+ round?", {"C+"}),
    ("Pre-IPO轮融资时128亿元的投后估值", {"PRE-IPO"}),
    ("in a round of talks", set()),  # "a round" is no round's name
])
def test_a_financing_round_is_read_the_same_in_both_languages(text, rounds):
    assert funding_rounds(text) == rounds
