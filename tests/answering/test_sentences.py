"""Candidate sentences (answering/sentences.py): the sentence that answers is the one quoted, verbatim."""


def quoted(answer) -> list[str]:
    return [c.quote for c in answer.citations]


# ---- sentence choice ------------------------------------------------------------------------------
def test_the_sentence_that_answers_is_quoted_not_its_neighbour(tiny_bot):
    a = tiny_bot.ask("星河芯片的估值是多少？")
    assert not a.abstained and a.companies == ["xinghe"]
    assert quoted(a) == [
        "最新一轮融资后，星河芯片的估值约为 150 亿元。"
    ]  # not the fundraising sentence before it
    assert a.citations[0].passage_id == "xinghe#p2" and a.text.endswith("[1]")


def test_a_date_question_quotes_the_sentence_with_the_date(tiny_bot):
    a = tiny_bot.ask("星河芯片什么时候提交招股书？")
    assert not a.abstained and "2025 年 3 月" in a.text and a.citations[0].passage_id == "xinghe#p4"


def test_every_quote_is_verbatim_from_its_passage(tiny_bot):
    for q in ("云帆智算的营收是多少？", "星河芯片的总部在哪里？", "星河芯片的估值是多少？"):
        a = tiny_bot.ask(q)
        assert a.citations, q
        for c in a.citations:
            assert c.quote and c.quote in tiny_bot.passage(c.passage_id).text
