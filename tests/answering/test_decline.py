"""Saying precisely what the corpus does not say, with the closest material (answering/decline.py)."""

from __future__ import annotations


# ---- what the corpus does not say ------------------------------------------------------------------
def test_a_year_the_articles_do_not_give_is_said_so(uncurated_bot):
    a = uncurated_bot.ask("澜芯微电子2022年营收是多少？")
    assert a.abstained and "2022" in a.text


def test_a_figure_never_stated_for_the_company_is_not_answered_with_another(uncurated_bot):
    a = uncurated_bot.ask("澜芯微电子的毛利率是多少？")
    assert a.abstained and "毛利率" in a.text


def test_investment_advice_is_declined_with_the_facts(uncurated_bot):
    a = uncurated_bot.ask("澜芯微电子值得买吗？")
    assert a.abstained and "投资建议" in a.text


def test_a_known_company_without_the_asked_attribute_gets_a_precise_not_stated(bot):
    a = bot.ask("What is Glenfly's latest valuation?")
    assert a.abstained and not a.citations
    assert a.text.startswith("The article does not give Glenfly's valuation.")
    assert a.closest and all("格兰菲" not in c.quote or len(c.quote) > 12 for c in a.closest)
    z = bot.ask("格兰菲的估值是多少？")
    assert z.abstained and z.text.startswith("文中没有提到格兰菲的估值")


def test_a_question_about_after_the_article_says_the_article_date(bot):
    a = bot.ask("At what price did Moore Threads' shares open on their first trading day?")
    assert a.abstained and "2025-11-04" in a.text


def test_questions_the_corpus_cannot_answer_abstain_with_closest_material(bot):
    for q in ("寒武纪2024年的营收是多少？", "Who founded Cambricon?", "How do I bake sourdough bread?"):
        a = bot.ask(q)
        assert a.abstained and not a.citations, q
    a = bot.ask("寒武纪2024年的营收是多少？")
    assert "语料库没有涉及「寒武纪」" in a.text and a.closest and all(c.passage_id for c in a.closest)


def test_a_company_the_corpus_does_not_cover_is_declined_with_the_closest_material(tiny_bot):
    a = tiny_bot.ask("寒武纪的营收是多少？")
    assert a.abstained and not a.citations and a.closest
    assert "寒武纪" in a.text and "没有涉及" in a.text  # names what the corpus does not cover


def test_an_unrelated_question_is_declined(tiny_bot):
    a = tiny_bot.ask("量子计算机的原理是什么？")
    assert a.abstained and not a.citations


def test_what_no_article_mentions_about_a_company_is_named_not_answered(tiny_bot):
    a = tiny_bot.ask("云帆智算有多少员工？")
    assert a.abstained and "员工" in a.text and "云帆智算" in a.text


def test_a_name_the_corpus_does_not_cover_is_written_as_a_name():
    from assistant.answering.decline import _as_name

    assert [_as_name(t) for t in ("cambricon", "910b", "海光信息")] == ["Cambricon", "910B", "海光信息"]
