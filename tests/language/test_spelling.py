"""A slip in a domain word of an English question is respelt as the glossary writes it."""

from __future__ import annotations

import pytest

from assistant.language.glossary import load_glossary
from assistant.language.spelling import respelled
from assistant.language.word_tables import common_english_words
from tests.conftest import CORPUS

GLOSSARY = load_glossary(CORPUS)


def _respelled(text: str, names=()) -> str:
    return respelled(text, GLOSSARY.english_words, common_english_words(), lambda w: w in names)


@pytest.mark.parametrize(
    "question, meant",
    [
        ("How big was its invetory?", "How big was its inventory?"),
        ("What was the reveune last year?", "What was the revenue last year?"),  # two letters swapped
        ("What is the valuaton of Biren?", "What is the valuation of Biren?"),
        ("Which underwritter sponsored it?", "Which underwriter sponsored it?"),
    ],
)
def test_a_slip_in_a_domain_word_is_respelt(question, meant):
    assert _respelled(question) == meant


@pytest.mark.parametrize(
    "question",
    [
        "Has its controlling shareholder committed to taking up the allocation?",  # an inflection
        "How many hosts and posts were there?",  # words of the dictionary, near 'costs' as they are
        "Who chairs Hengyi Micro?",  # a name
        "waht is it",  # too short to tell
    ],
)
def test_words_and_names_are_left_as_they_are(question):
    if "Hengyi" in question:
        assert _respelled(question, names={"Hengyi"}) == question
    else:
        assert _respelled(question) == question
