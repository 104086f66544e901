"""Rankings from the profiles' facts (answering/ranking.py): the lowest or highest, best first."""

import pytest


def test_a_tie_names_every_winner(bot):
    a = bot.ask("摩尔线程和沐曦哪家成立得更早？")
    assert "摩尔线程成立于 2020 年" in a.text and "沐曦股份成立于 2020 年 9 月" in a.text


# ---- rankings from profile facts ------------------------------------------------------------------
@pytest.mark.parametrize(
    "question, first, second",
    [
        ("哪家公司成立得最早？", "星河芯片成立于 2018 年", "云帆智算成立于 2020 年"),
        ("哪家公司估值最高？", "150 亿元", "80 亿元"),
        ("星河芯片和云帆智算哪家成立得更早？", "2018", "2020"),
    ],
)
def test_earliest_and_highest_come_from_profile_facts_best_first(tiny_bot, question, first, second):
    a = tiny_bot.ask(question)
    assert not a.abstained and first in a.text and second in a.text
    assert a.text.index(first) < a.text.index(second)
    assert {c.passage_id.split("#")[0] for c in a.citations} == {"xinghe", "yunfan"}  # cited to the articles
