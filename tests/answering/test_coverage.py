"""Is a question about something the corpus covers (answering/coverage.py)?"""

from __future__ import annotations


def test_an_ordinary_word_is_never_called_not_covered(uncurated_bot):
    a = uncurated_bot.ask("澜芯微电子归母营收是多少？")
    assert "没有涉及" not in a.text
    assert not a.abstained and "营收分别为" in a.text  # answered from the revenue sentence


def _terms(question: str, known=lambda w: False):
    """The question's terms, read with the tiny corpus's tables."""
    from assistant.answering.coverage import question_terms
    from assistant.corpus.companies import load_profiles
    from assistant.corpus.company_directory import CompanyDirectory
    from assistant.language.glossary import load_glossary
    from assistant.language.lexicon import load_lexicon
    from assistant.language.tokens import Tokenizer
    from tests.conftest import CORPUS

    return question_terms(
        question,
        Tokenizer(),
        load_glossary(CORPUS),
        CompanyDirectory(load_profiles(CORPUS)),
        known,
        load_lexicon(CORPUS),
    )


def test_words_that_ask_arithmetic_are_not_what_a_question_is_about():
    terms = _terms("沐曦一共融资多少？", known=lambda w: True)
    assert "一共" not in {t.text for t in terms}
    assert "沐曦" in {t.text for t in terms}


def test_a_short_form_of_a_glossary_term_is_known_through_the_long_one(uncurated_bot):
    a = uncurated_bot.ask("鸿钧电子的董秘被罚了多少？")
    assert not a.abstained and "60万元" in a.text


def test_a_measure_word_after_a_demonstrative_is_no_family_name():
    from assistant.answering.coverage import NAME

    names = {t.text for t in _terms("沐曦拿到的那张智驾芯片订单值多少钱？") if t.weight >= NAME}
    assert not any(n.startswith("张") for n in names)
    assert not {"芯片", "智驾芯片"} & names  # …芯片 is a weak suffix: no company in one mention


def test_a_stranger_named_by_a_strong_suffix_is_still_a_name():
    from assistant.answering.coverage import NAME

    assert "海光" in {t.text for t in _terms("海光信息的营收是多少？") if t.weight >= NAME}


def test_a_single_character_is_no_name_to_say_is_missing():
    from assistant.answering.coverage import NAME

    terms = _terms("QH-960功耗多少瓦？")
    assert not [t for t in terms if t.text == "瓦" and t.weight >= NAME]
