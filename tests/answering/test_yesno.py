"""Yes/no answers (answering/yesno.py): an earlier proposal and the decision that replaced it, a
premise against the figure stated — end to end on the uncurated articles (tests/fakes.py)."""

from __future__ import annotations


def test_a_proposal_replaced_later_confirms_no_yes_and_comes_with_the_decision(uncurated_bot):
    a = uncurated_bot.ask("罗启明是否被终身市场禁入？")
    assert not a.text.startswith("是的")
    quotes = " ".join(c.quote for c in a.citations)
    assert "曾拟" in quotes and "改为5年" in quotes


def test_a_figure_in_the_premise_against_the_figure_stated_is_a_no(uncurated_bot):
    a = uncurated_bot.ask("瑞升一开始就开价每股92元吗？")
    assert a.text.startswith("不是") and "85元" in a.text


def test_a_plan_called_off_later_comes_with_the_decision_that_ended_it(uncurated_bot):
    """ "钧石投资曾于1月12日披露减持计划" is a plan; "决定提前终止减持计划" ended it: never a bare yes."""
    a = uncurated_bot.ask("钧石投资是不是已经减持了1%的股份？")
    assert not a.text.startswith("是的") and "提前终止减持计划" in a.text
