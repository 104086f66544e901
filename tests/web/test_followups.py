"""Suggested follow-ups (web/followups.py): made from the answer's companies and the field it answered,
only fields the corpus holds, worded by the message catalog in the page's language."""

from __future__ import annotations

from dataclasses import replace

from assistant.messages import Msg
from assistant.web.followups import MAX_SUGGESTIONS, answered_fields, suggestions


def test_a_valuation_answer_suggests_another_company_valuation_then_other_fields(tiny_bot):
    answer = tiny_bot.ask("星河芯片的估值是多少？")
    assert answer.companies == ["xinghe"] and not answer.abstained
    got = suggestions(tiny_bot, answer, "zh")
    assert got[0] == Msg.FOLLOW_VALUATION.say("zh", company="云帆智算")
    assert got[1:] == [
        Msg.FOLLOW_REVENUE.say("zh", company="星河芯片"),
        Msg.FOLLOW_FOUNDED.say("zh", company="星河芯片"),
    ]
    assert len(got) <= MAX_SUGGESTIONS


def test_the_suggestions_follow_the_page_language(tiny_bot):
    answer = tiny_bot.ask("星河芯片的估值是多少？")
    assert suggestions(tiny_bot, answer, "en")[0] == "What is Yunfan Compute's valuation?"


def test_a_field_no_profile_holds_is_never_suggested(tiny_bot):
    answer = tiny_bot.ask("云帆智算的营收是多少？")
    got = suggestions(tiny_bot, answer, "zh")
    assert "revenue" in answered_fields(answer, [p for p in tiny_bot.companies() if p.id == "yunfan"])
    assert Msg.FOLLOW_LISTING.say("zh", company="云帆智算") not in got  # yunfan's profile has no listing
    assert Msg.FOLLOW_REVENUE.say("zh", company="星河芯片") in got


def test_every_suggestion_is_answered(tiny_bot):
    for question in ("星河芯片的估值是多少？", "云帆智算是哪一年成立的？"):
        for follow in suggestions(tiny_bot, tiny_bot.ask(question), "zh"):
            assert not tiny_bot.ask(follow).abstained, follow


def test_an_answer_about_no_company_has_none(tiny_bot):
    answer = tiny_bot.ask("星河芯片的估值是多少？")
    assert suggestions(tiny_bot, replace(answer, companies=[]), "zh") == []
