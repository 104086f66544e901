"""Open questions (answering/overview.py): risks quoted with the points that continue them."""

from __future__ import annotations


def test_a_risk_sentence_brings_the_points_that_continue_it(uncurated_bot):
    a = uncurated_bot.ask("霁光智能有哪些风险？")
    # the caveat comes as one quote with the sentence opening with 此外 after it, and its point after
    # the semicolon: one point each would leave the rest to whatever ranks next
    caveat = next(p.text for p in a.parts if "尚未经第三方机构验证" in p.text)
    assert "先进封装产能仍较为紧张" in caveat and "有待更多客户验证" in caveat, caveat


def test_raise_in_a_risk_question_asks_no_fundraising(uncurated_bot):
    a = uncurated_bot.ask("What caveats does the coverage raise about Jiguang Intelligence?")
    first = a.parts[0].text
    assert "third" in first.lower() or "第三方" in first, first


def test_why_a_figure_changed_states_the_figure_first(uncurated_bot):
    # the premise is wrong (it grew): the figure's own sentence says so before any reason
    a = uncurated_bot.ask("为什么启云算力今年要削减资本开支？")
    assert "较2025年的4亿元明显增加" in a.parts[0].text
