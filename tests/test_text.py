"""Text normalisation, language detection and sentence splitting (text.py)."""

from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.text import (
    HISTORY_TURNS,
    MAX_SHOWN_CHARS,
    clip,
    detect_language,
    funding_rounds,
    history_turns,
    prepare_question,
    split_english_sentences,
    split_sentences,
    squash,
)


def test_english_sentences_of_thousands_of_initials_split_in_linear_time():
    # "A. " * 24000 took minutes: the abbreviation check re-read the whole pending sentence at each
    # full stop. 8x the text may take at most ~8x the time (quadratic would be 64x), with a floor
    # for timer noise.
    def seconds(n: int) -> float:
        start = time.perf_counter()
        spans = split_english_sentences("A. " * n)
        assert spans == [(0, 3 * n - 1)]  # one sentence: every "A." is an initial
        return time.perf_counter() - start

    # the fastest of three runs each: a busy machine slows a run, never speeds one up
    small, large = min(seconds(3000) for _ in range(3)), min(seconds(24000) for _ in range(3))
    assert large < max(20 * small, 0.5)


def test_abbreviations_still_do_not_end_sentences():
    text = "Nvidia Corp. sells GPUs. The U.S. market is big. Approx. 5 units, e.g. A. B. Smith left."
    assert [text[a:b] for a, b in split_english_sentences(text)] == [
        "Nvidia Corp. sells GPUs.",
        "The U.S. market is big.",
        "Approx. 5 units, e.g. A. B. Smith left.",
    ]


def test_clip_keeps_short_text_and_says_how_long_long_text_was():
    assert clip("short") == "short"
    cut = clip("a" * 100 + "b" * 4900)
    assert len(cut) <= MAX_SHOWN_CHARS + 30 and cut.startswith("a") and cut.endswith("b") and "5,000" in cut


def test_a_name_the_corpus_writes_with_a_taiwan_form_is_kept():
    assert prepare_question("锐矽的营收") == "锐硅的营收"  # mainland phrasing, for words
    assert prepare_question("锐矽的营收", keep=("锐矽",)) == "锐矽的营收"  # not for a company's name
    assert prepare_question("銳矽的硬體", keep=("锐矽",)) == "锐矽的硬件"


@pytest.mark.parametrize(
    "text, rounds",
    [
        ("公司于4月10日完成3亿元A轮融资", {"A"}),
        ("天枢智算｜B轮｜8亿元", {"B"}),
        ("How much did it raise in its Series C+ round?", {"C+"}),
        ("Pre-IPO轮融资时128亿元的投后估值", {"PRE-IPO"}),
        ("in a round of talks", set()),  # "a round" is no round's name
    ],
)
def test_a_financing_round_is_read_the_same_in_both_languages(text, rounds):
    assert funding_rounds(text) == rounds


@pytest.mark.parametrize(
    "text, language",
    [
        ("星河芯片的估值是多少？", "zh"),
        ("What is XHC worth?", "en"),
        ("XHC 的估值是多少？", "zh"),
        ("How much is 星河芯片 worth today?", "en"),
    ],
)
def test_the_answer_language_follows_the_question(text, language):
    assert detect_language(text) == language


def test_full_width_and_traditional_questions_are_read_as_simplified_ascii(tiny_bot):
    assert prepare_question("ＸＨＣ的估值") == "XHC的估值"
    assert prepare_question("雲帆智算的營收") == "云帆智算的营收"
    assert tiny_bot.ask("雲帆智算的營收是多少？").companies == ["yunfan"]


# ---- 16. an endless history ------------------------------------------------------------------------------
def test_an_endless_history_takes_at_most_the_limit(tiny_bot):
    t0 = time.monotonic()
    answer = tiny_bot.ask("它的估值是多少？", history=itertools.count())
    assert time.monotonic() - t0 < 10 and answer.text
    assert (
        history_turns(itertools.repeat("星河芯片成立于哪一年"), 500)
        == ["星河芯片成立于哪一年"] * HISTORY_TURNS
    )
    follow_up = tiny_bot.ask(
        "它的估值是多少？", history=itertools.chain(["星河芯片成立于哪一年？"], itertools.count())
    )
    assert follow_up.companies == ["xinghe"]  # the text turn within the limit is still used


def test_one_squash_for_quotes_and_names():
    assert squash("星河 芯片\t的估值") == "星河芯片的估值"
    assert squash("Moore-Threads ＭＴＴ", punctuation=True) == "moorethreadsmtt"
    assert (
        squash("估值：150 亿元。") == "估值:150亿元。"
    )  # punctuation kept for quotes (NFKC folds the colon)


FAST = settings(max_examples=150, deadline=None)


@FAST
@given(text=st.text(max_size=300))
def test_sentence_spans_are_ordered_trimmed_and_hold_a_word(text):
    spans = split_sentences(text)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))
    for a, b in spans:
        s = text[a:b]
        assert s == s.strip() and any(ch.isalnum() for ch in s)


def test_english_sentences_split_at_their_ends_but_not_after_abbreviations_or_decimals():
    text = "It raised RMB 3.904 billion. U.S. firms, e.g. Nvidia, watched; then it listed. Done"
    assert [text[a:b] for a, b in split_english_sentences(text)] == [
        "It raised RMB 3.904 billion.",
        "U.S. firms, e.g. Nvidia, watched;",
        "then it listed.",
        "Done",
    ]
