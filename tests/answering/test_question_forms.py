"""How a question's form is read: the base of a share it asks for, a set of companies named by how
many, a verb that brings a risk up."""

from __future__ import annotations

import pytest

from assistant.answering.question_forms import (
    answer_types_asked,
    group_asked,
    periods_named,
    roles_asked,
    without_point_verbs,
    without_ratio_base,
)
from assistant.language.glossary import load_glossary
from assistant.language.lexicon import load_lexicon
from assistant.text import normalize
from tests.conftest import CORPUS

LEXICON = load_lexicon(CORPUS)
GLOSSARY = load_glossary(CORPUS)


@pytest.mark.parametrize(
    "question, left",
    [
        ("芯澜科技研发投入占营收比例是多少？", "芯澜科技研发投入比例是多少？"),
        ("研发投入占营业收入的比重", "研发投入的比重"),
        ("What was R&D spending as a share of revenue in 2025?", "What was R&D spending ?"),
        ("R&D as a percentage of sales?", "R&D ?"),
        # no share asked: nothing is taken away
        ("芯澜科技营收多少？", "芯澜科技营收多少？"),
        ("How much did it plan to raise?", "How much did it plan to raise?"),
    ],
)
def test_the_base_of_a_share_is_not_the_figure_asked(question, left):
    assert without_ratio_base(question, LEXICON) == left


@pytest.mark.parametrize(
    "question, size",
    [
        ("对比一下这三家公司的融资轮次和估值", 3),
        ("Compare the three start-ups in the round-up by valuation", 3),
        ("How do the three chip start-ups differ?", 3),
        ("两家公司谁的毛利率更高", 2),
        ("Compare both firms", 2),
        ("这些公司的估值分别是多少", 0),
        ("各家的融资情况", 0),
        # no set of companies named
        ("三季度营收多少？", None),
        ("What did the three analysts say?", None),
        ("Compare Moore Threads and MetaX", None),
    ],
)
def test_a_set_of_companies_is_read_with_how_many(question, size):
    assert group_asked(normalize(question), LEXICON) == size


@pytest.mark.parametrize(
    "question, field_word_left",
    [
        ("What risks does the coverage raise about the launch?", False),
        ("What caveats do analysts flag?", False),
        ("How much did it raise?", True),  # no risk asked: raise is the fundraising's verb
    ],
)
def test_a_verb_that_brings_up_a_risk_is_no_figures_word(question, field_word_left):
    intents = ["risks"] if "risk" in question or "caveat" in question else ["lookup"]
    left = without_point_verbs(question, intents, LEXICON)
    assert (("raise" in left) or ("flag" in left)) == field_word_left


@pytest.mark.parametrize(
    "question, roles",
    [
        ("曜算科技董事长是谁", {"董事长"}),
        ("Who is the chairman of Yaosuan?", {"董事长"}),
        ("曜算科技营收多少", set()),
    ],
)
def test_the_roles_a_question_names_in_the_articles_words(question, roles):
    found = roles_asked(question, GLOSSARY)
    assert roles <= found if roles else not found


def test_a_question_word_after_a_dash_asks():
    assert answer_types_asked(normalize("ok and the next-gen chip — when's tapeout?"), LEXICON) == ["date"]


@pytest.mark.parametrize(
    "text, periods",
    [
        ("芯澜微一季度营收指引", {"Q1"}),
        ("前三季度营收", {"9M"}),  # not the third quarter
        ("What was first-quarter revenue?", {"Q1"}),
        ("上半年毛利率和四季度出货", {"H1", "Q4"}),
        ("公司2025年营收", set()),
    ],
)
def test_the_parts_of_a_year_a_text_names(text, periods):
    assert periods_named(text, LEXICON) == periods
