"""Putting an answer together (answering/compose.py): the value first, quoted sentences with their
markers, lines in the reader's language."""

from __future__ import annotations

import re

from assistant.text import squash


def _quotes_are_verbatim(answer):
    for c in answer.citations:
        for part in c.quote.split(" "):
            assert squash(part) in squash(c.text), (part, c.text)


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


def test_an_article_without_a_translation_is_quoted_in_chinese_and_says_so(
    corpus_copy, tmp_path, shared_cache
):
    from assistant import Assistant
    from assistant.answering.compose import EN_GLOSSED

    for f in (corpus_copy / "articles").glob("*.en.txt"):
        f.unlink()
    plain = Assistant.load(corpus_dir=corpus_copy, index_dir=shared_cache(tmp_path / "index"))
    a = plain.ask("What is Enflame's valuation?")
    lines = a.text.splitlines()
    # the curated fact, in English, labelled with what it is
    assert lines[0].startswith("Enflame — valuation:") and "16 billion" in lines[0]
    # the figures and names of the Chinese quote rendered in English, labelled, with the original after it
    assert EN_GLOSSED in a.text and "RMB 16 billion" in a.text and "160 亿" in a.text


def test_quote_without_the_company_name_is_labelled_with_its_section_company(bot):
    a = bot.ask("腾讯持有哪家公司超过20%的股份？")
    assert "燧原" in a.text and "腾讯持股超过 20%" in a.citations[0].quote


def _direct(answer) -> str:
    return next(p.text for p in answer.parts if p.role == "direct")


def test_an_answer_states_the_value_first_then_quotes_the_sentence(uncurated_bot):
    a = uncurated_bot.ask("澜芯微电子的发行价是多少？")
    assert a.parts[0].role == "direct" and "42.50" in a.parts[0].text and "发行价为42.50" in a.text


def test_an_english_answer_about_an_untranslated_article_renders_values_and_names(uncurated_bot):
    a = uncurated_bot.ask("What was Lanxin's issue price?")
    assert "RMB 42.5 per share" in a.text and "Lanxin Microelectronics" in a.text


def test_an_english_value_from_an_untranslated_article_is_labelled(uncurated_bot):
    assert "gross margin: 41.2%" in _direct(uncurated_bot.ask("What was Lantu Technology's gross margin?"))
