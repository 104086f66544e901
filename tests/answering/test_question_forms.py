"""How a question's form is read: the base of a share it asks for."""

from __future__ import annotations

import pytest

from assistant.answering.question_forms import without_ratio_base
from assistant.language.lexicon import load_lexicon
from tests.conftest import CORPUS

LEXICON = load_lexicon(CORPUS)


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
