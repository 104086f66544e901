"""What a sentence must hold to answer (answering/needs.py): a date asked of what happens after an
article is answered by a date the article schedules."""

from __future__ import annotations


def test_a_date_the_article_schedules_answers_a_question_about_after_it(uncurated_bot):
    a = uncurated_bot.ask("鸿钧电子股东要拿到配售权，哪天收盘前得持股？")
    assert not a.abstained and "4月22日" in a.text


def test_a_date_before_the_article_does_not_answer_what_happens_after_it(uncurated_bot):
    a = uncurated_bot.ask("澜芯微电子的股价哪天突破了100元？")
    assert a.abstained and "3月18日" not in a.parts[0].text
