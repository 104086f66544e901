"""Asking questions: quoted, cited answers in the question's language; abstaining when the corpus is silent."""
import re

from assistant.text import squash


def _quotes_are_verbatim(answer):
    for c in answer.citations:
        for part in c.quote.split(" "):
            assert squash(part) in squash(c.text), (part, c.text)


def test_chinese_question_gets_a_quoted_cited_answer(bot):
    a = bot.ask("沐曦计划募资多少？")
    assert not a.abstained and a.language == "zh"
    assert "39.04" in a.text and "[1]" in a.text
    c = a.citations[0]
    assert c.n == 1 and c.passage_id.startswith("000_1f36a16a379a5773#p") and c.quote in c.text
    assert c.title and c.section.startswith("沐曦")
    _quotes_are_verbatim(a)


def test_every_answer_sentence_is_a_quote_followed_by_its_marker(bot):
    a = bot.ask("壁仞科技的总部在哪里？")
    for line in a.text.splitlines():
        n = int(re.search(r"\[(\d+)\]$", line).group(1))
        quote = a.citations[n - 1].quote
        assert squash(re.sub(r"^【.*?】", "", line[: -len(f"[{n}]")])) in squash(quote)


def test_english_question_gets_the_english_rendering_of_the_cited_sentence_first(bot):
    a = bot.ask("What is Enflame's valuation?")
    assert not a.abstained and a.language == "en"
    first = a.text.splitlines()[0]
    assert first.startswith("Enflame") and "RMB 16 billion" in first and "[1]" in first
    assert "估值约 160 亿人民币" in a.citations[0].text and a.citations[0].quote_en
    assert a.parts[0].role == "direct"
    _quotes_are_verbatim(a)


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


def test_an_article_without_a_translation_is_quoted_in_chinese_and_says_so(corpus_copy, tmp_path, shared_cache):
    from assistant import Assistant
    from assistant.answering.compose import EN_RENDERED

    for f in (corpus_copy / "articles").glob("*.en.txt"):
        f.unlink()
    plain = Assistant.load(corpus_dir=corpus_copy, index_dir=shared_cache(tmp_path / "index"))
    a = plain.ask("What is Enflame's valuation?")
    lines = a.text.splitlines()
    # the curated fact, in English, labelled with what it is
    assert lines[0].startswith("Enflame — valuation:") and "16 billion" in lines[0]
    # the figures and names of the Chinese quote rendered in English, labelled, with the original after it
    assert EN_RENDERED in a.text and "RMB 16 billion" in a.text and "160 亿" in a.text


def test_quote_without_the_company_name_is_labelled_with_its_section_company(bot):
    a = bot.ask("腾讯持有哪家公司超过20%的股份？")
    assert "燧原" in a.text and "腾讯持股超过 20%" in a.citations[0].quote


def test_follow_up_question_carries_the_company_over(bot):
    a = bot.ask("它2024年的营收是多少？", history=["沐曦是哪一年成立的？"])
    assert not a.abstained and "7.43" in a.text and a.companies == ["metax"]
    b = bot.ask("And what is its valuation?", history=["Tell me about Enflame."])
    assert "160" in b.text


def test_article_metadata_is_answerable(bot):
    a = bot.ask("这篇文章是什么时候发布的？")
    assert not a.abstained and "2025-11-04" in a.text


def test_questions_the_corpus_cannot_answer_abstain_with_closest_material(bot):
    for q in ("寒武纪2024年的营收是多少？", "Who founded Cambricon?", "How do I bake sourdough bread?"):
        a = bot.ask(q)
        assert a.abstained and not a.citations, q
    a = bot.ask("寒武纪2024年的营收是多少？")
    assert "语料库没有涉及「寒武纪」" in a.text and a.closest and all(c.passage_id for c in a.closest)


def test_comparison_across_companies_comes_from_cited_profile_facts(bot):
    a = bot.ask("哪家公司成立得最早？")
    assert not a.abstained and a.text.count("燧原") >= 1
    assert "燧原成立于 2018 年" in a.citations[0].quote
    assert all(c.passage_id.startswith("000_1f36a16a379a5773#p") for c in a.citations)


def test_empty_question_gets_a_prompt_not_an_error(bot):
    a = bot.ask("   ")
    assert a.abstained and a.text and not a.citations


def test_answer_serialises_to_json_with_chinese_kept(bot):
    import json

    d = bot.ask("燧原是哪一年成立的？").to_json()
    text = json.dumps(d, ensure_ascii=False)
    assert "燧原" in text and d["citations"][0]["quote"]


def test_a_yes_no_question_is_not_answered_yes_against_its_own_sentence(bot):
    a = bot.ask("Is MetaX profitable?")
    assert not a.text.startswith("Yes") and "1.409 billion" in a.text  # the losses, quoted for the reader
    b = bot.ask("Does Biren's BR100 support CXL?")
    assert b.text.startswith("Yes.") and "CXL" in b.text
