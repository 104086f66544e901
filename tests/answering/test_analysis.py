"""Question analysis (answering/analysis.py): what a question asks, read from the curated tables, and
follow-ups read with the conversation — on their own, and through the tiny and the real corpus."""

from __future__ import annotations

import pytest

from assistant.answering.analysis import analyze
from assistant.corpus.companies import load_profiles
from assistant.corpus.company_directory import CompanyDirectory
from assistant.language.glossary import load_glossary
from assistant.language.lexicon import load_lexicon
from assistant.text import prepare_question
from tests.conftest import CORPUS

DIRECTORY = CompanyDirectory(load_profiles(CORPUS))
GLOSSARY = load_glossary(CORPUS)
LEXICON = load_lexicon(CORPUS)


def ask(question: str, history: list[str] | None = None):
    return analyze(prepare_question(question), history or [], DIRECTORY, GLOSSARY, LEXICON)


@pytest.mark.parametrize(
    "question, intent",
    [
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
    ],
)
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


@pytest.mark.parametrize("question", ["摩尔线程的董秘叫什么名字？", "壁仞科技的首席财务官叫什么？"])
def test_the_name_of_someone_in_a_role_asks_a_person_not_a_product(question):
    assert ask(question).answer_types[:1] == ("person",)


def test_a_product_name_is_still_a_product():
    assert ask("摩尔线程的新显卡叫什么名字？").answer_types[:1] == ("product",)


def test_where_inside_a_clause_is_not_a_question_about_a_place():
    assert (
        "place"
        not in ask("Which game was used in the tests where the MTT S90 beat the RTX 4060?").answer_types
    )


@pytest.mark.parametrize(
    "question, field, word",
    [
        ("沐曦是什么时候递表的?", "listing", "招股书"),
        ("沐曦去年亏了多少钱?", "losses", "亏损"),
        ("壁仞到现在一共融了多少钱?", "fundraising", "融资"),
        ("谁投的燧原?", "shareholders", "持股"),
    ],
)
def test_everyday_words_map_to_the_words_articles_use(question, field, word):
    qa = ask(question)
    assert field in qa.fields and word in qa.expansions


def test_a_follow_up_takes_its_company_from_the_conversation():
    qa = ask("它的估值是多少？", ["壁仞科技的首款芯片叫什么?"])
    assert qa.companies == ("biren",) and qa.carried and not qa.unresolved_followup


def test_a_follow_up_with_nobody_to_refer_to_is_flagged():
    assert ask("What is its valuation?").unresolved_followup


@pytest.mark.parametrize(
    "question",
    [
        "Which company wants its GPU to run an operating system?",  # asks for a company
        "Who wrote this piece and which outlet published it?",  # "it" is the article
    ],
)
def test_pronouns_that_do_not_refer_to_an_earlier_company(question):
    assert not ask(question).unresolved_followup


def test_a_possessive_refers_back_even_next_to_the_word_article():
    qa = ask("What does the article compare its market approach to?", ["What is Glenfly's strategy?"])
    assert qa.companies == ("glenfly",)


def test_questions_about_after_the_article_are_flagged():
    assert ask("At what price did Moore Threads' shares open on their first trading day?").after_article
    assert not ask("When did Moore Threads get its registration approved?").after_article


def test_a_turn_that_only_qualifies_asks_the_previous_question_again():
    qa = ask("最开始那版呢？", ["壁仞的估值是多少？"])
    assert qa.companies == ("biren",) and "valuation" in qa.fields
    assert (
        ask("那风险呢？", ["壁仞的估值是多少？"]).intent == "risks"
    )  # an intent of its own: not a qualifier


def test_an_alias_in_a_question_names_the_company(tiny_bot):
    a = tiny_bot.ask("XHC 在哪一年成立？")
    assert a.companies == ["xinghe"] and "2018" in a.text


# ---- question analysis ----------------------------------------------------------------------------
def test_a_follow_up_carries_the_company_of_the_conversation(tiny_bot):
    a = tiny_bot.ask("它的总部在哪里？", history=["云帆智算成立于哪一年？"])
    assert a.companies == ["yunfan"] and "成都" in a.text
    b = tiny_bot.ask("它的总部在哪里？", history=["星河芯片的估值是多少？", "云帆智算成立于哪一年？"])
    assert b.companies == ["yunfan"]  # the latest company mentioned


def test_a_named_company_wins_over_the_conversation(tiny_bot):
    a = tiny_bot.ask("星河芯片的总部在哪里？", history=["云帆智算成立于哪一年？"])
    assert a.companies == ["xinghe"] and "杭州" in a.text


@pytest.mark.parametrize(
    "question, history, meant, says",
    [
        ("那云帆智算呢？", ["星河芯片的总部在哪里？"], "云帆智算的总部在哪里？", "成都"),
        ("云帆智算呢", ["星河芯片的总部在哪里？"], "云帆智算的总部在哪里？", "成都"),
        ("云帆智算的呢？", ["星河芯片的总部在哪里？"], "云帆智算的总部在哪里？", "成都"),
        (
            "And Yunfan Compute's?",
            ["What is Xinghe Chips' valuation?"],
            "What is Yunfan Compute' valuation?",
            "valuation",
        ),
        (
            "那云帆智算呢？",
            ["星河芯片的估值是多少？", "那星河芯片呢？"],
            "云帆智算的估值是多少？",
            "80 亿元",
        ),  # asked further back
        (
            "What about Yunfan Compute?",
            ["What is Xinghe Chips' valuation?"],
            "What is Yunfan Compute' valuation?",
            "valuation",
        ),
    ],
)
def test_a_follow_up_naming_only_another_company_asks_the_previous_question_of_it(
    tiny_bot, question, history, meant, says
):
    a, full = tiny_bot.ask(question, history=history), tiny_bot.ask(meant)
    assert a.companies == ["yunfan"] and says in a.text
    assert a.text == full.text and a.question == question  # answered as the full question, shown as asked


def test_a_follow_up_naming_another_company_and_more_is_its_own_question(tiny_bot):
    a = tiny_bot.ask("那云帆智算的估值呢？", history=["星河芯片的总部在哪里？"])
    assert a.companies == ["yunfan"] and "80 亿元" in a.text and "成都" not in a.text


def test_a_company_named_alone_with_no_conversation_is_not_a_follow_up(tiny_bot):
    a = tiny_bot.ask("那云帆智算呢？")
    assert "成都" not in a.text and a.companies == ["yunfan"]  # about the company named, not a follow-up


def _direct(answer) -> str:
    return next(p.text for p in answer.parts if p.role == "direct")


def test_a_sentence_that_says_which_figure_was_meant_is_one_question_with_the_one_before(uncurated_bot):
    a = uncurated_bot.ask("岚途科技上半年赚了多少？我说的是营业收入。")
    assert "9.6亿元" in _direct(a) and len([p for p in a.parts if p.role == "direct"]) == 1


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


def test_follow_up_question_carries_the_company_over(bot):
    a = bot.ask("它2024年的营收是多少？", history=["沐曦是哪一年成立的？"])
    assert not a.abstained and "7.43" in a.text and a.companies == ["metax"]
    b = bot.ask("And what is its valuation?", history=["Tell me about Enflame."])
    assert "160" in b.text


def test_of_two_overlapping_question_words_the_one_ending_later_asks():
    assert ask("股东得在哪天持有股票？").answer_types[0] == "date"  # 在哪天: a day, not a place
    assert ask("沐曦总部在哪？").answer_types[0] == "place"


def test_he_after_a_question_about_a_role_is_whoever_holds_it():
    from assistant.answering.question_forms import person_replaced

    assert person_replaced("他被罚了多少？", ["沐曦的董秘是谁？"], GLOSSARY, LEXICON) == "董秘被罚了多少？"
    assert person_replaced("他们营收多少？", ["沐曦的董秘是谁？"], GLOSSARY, LEXICON) == "他们营收多少？"
    assert person_replaced("他被罚了多少？", ["沐曦营收多少？"], GLOSSARY, LEXICON) == "他被罚了多少？"
    said = person_replaced("What was his job before?", ["Who is MetaX's chairman?"], GLOSSARY, LEXICON)
    assert said == "What was the chairman's job before?"


def test_a_first_question_with_it_as_its_own_subject_asks_no_company_back():
    assert not ask("Is it true that the chairman was fined?").unresolved_followup
    assert ask("What is its valuation?").unresolved_followup  # "its" still refers back
    assert ask("它的估值是多少？").unresolved_followup


def test_arithmetic_asked_of_no_figure_of_its_own_is_asked_of_the_previous_questions():
    qa = ask("比去年同期增长多少？", ["沐曦2024年营收多少？"])
    assert "营收" in qa.text and qa.operation == "growth"
    assert qa.year_shift is None  # 去年同期 is the base of the growth, not the year asked
    assert ask("去年营收多少？", ["沐曦2024年营收多少？"]).text == prepare_question("去年营收多少？")


def test_a_turn_that_asked_which_company_is_referred_to_by_its_answer():
    """ "它" after "哪家公司…" means the company the answer named (the engine answers that turn again);
    after a turn that named the company, the company named."""
    assert ask("它的估值是多少？", ["哪家公司的总部在上海？"]).refers_to_answer
    assert ask("When was it founded?", ["Which company makes the MTT S4000?"]).refers_to_answer
    assert not ask("它的估值是多少？", ["沐曦的总部在哪里？"]).refers_to_answer
    assert not ask("沐曦的估值是多少？", ["哪家公司的总部在上海？"]).refers_to_answer
    assert not ask("它的估值是多少？").refers_to_answer


def test_where_a_company_lists_asks_a_market_not_a_city():
    assert ask("沐曦打算在哪儿上市？").answer_types[0] == "market"
    assert ask("On which board did MetaX list?").answer_types[0] == "market"
    assert ask("Where will MetaX list its shares?").answer_types[0] == "market"  # where + listing
    assert ask("沐曦总部在哪里？").answer_types[0] == "place"


def test_a_yes_no_question_asks_an_amount_only_when_it_states_one_to_check():
    assert ask("沐曦的募资计划还是这个吗？").answer_types == ()
    assert ask("沐曦计划募资39.04亿元吗？").answer_types == ("amount",)


def test_a_figures_change_over_a_year_is_no_market_move_after_the_article():
    assert not ask("沐曦去年营收同比涨了多少？").after_article
    assert ask("沐曦上市首日涨了多少？").after_article
