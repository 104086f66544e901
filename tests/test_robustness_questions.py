"""Bad input to `ask` gets a clear answer, never a stack trace.

Every case goes through the real index and model. Where a case should still be answered
(control characters, traditional script, full-width letters), the test compares it with the
plain question: same passage cited, same company recognised.
"""
import json

import opencc
import pytest

from assistant.engine import QUESTION_FOUND

from assistant.text import to_simplified

VALUATION = "燧原的估值是多少？"  # answered by the 燧原 valuation sentence


def _cited(answer) -> list[str]:
    return [c.passage_id for c in answer.citations]


def _well_formed(answer) -> None:
    assert isinstance(answer.text, str) and answer.text.strip()
    assert answer.language in ("zh", "en")
    if answer.abstained:
        assert answer.citations == []
    else:
        assert answer.citations and all(f"[{c.n}]" in answer.text for c in answer.citations)
    json.dumps(answer.to_json(), ensure_ascii=False)


@pytest.mark.parametrize("question", ["", "   ", "\n\t \u3000", "\u200b\ufeff", None, 42, ["沐曦"]])
def test_empty_or_non_text_question_asks_for_a_question(bot, question):
    a = bot.ask(question)
    assert a.abstained and a.text in ("Please type a question.", "请输入一个问题。")
    assert a.notice == "empty question" and a.citations == [] and a.closest == []


@pytest.mark.parametrize("question", ["？？！！……", "...?!", "🚀🔥😀", "😀 🙃 🤖 ❤️", "《》【】“”"])
def test_punctuation_or_emoji_only_asks_for_a_question(bot, question):
    a = bot.ask(question)
    assert a.abstained and a.notice == "no words in the question" and a.citations == []
    _well_formed(a)


@pytest.mark.parametrize("question", ["a", "燧", "1", "Ω", " ? 1 ! "])
def test_a_single_character_is_too_short_to_answer(bot, question):
    a = bot.ask(question)
    assert a.abstained and a.notice == "question too short" and a.citations == [] and a.closest == []
    _well_formed(a)


def test_two_characters_are_enough_to_search(bot):
    a = bot.ask("沐曦")
    assert a.notice == "" and a.companies == ["metax"]
    _well_formed(a)


def test_a_20000_character_question_is_cut_with_a_notice_and_still_answered(bot):
    limit = bot.settings.max_question_chars
    question = (VALUATION * 3000)[:20_000]
    a = bot.ask(question)
    # the paste repeats one question: the last one is picked out of it (or, without one, the text is cut)
    assert a.notice in (f"question truncated to {limit} characters", QUESTION_FOUND)
    assert 0 < len(a.question) <= limit < 20_000  # only the cut question reaches the model: time stays bounded
    assert not a.abstained and _cited(a) == _cited(bot.ask(VALUATION))


def test_a_20000_character_question_without_meaning_abstains_with_the_notice(bot):
    a = bot.ask("x" * 20_000)
    assert a.abstained and "truncated" in a.notice and len(a.question) <= bot.settings.max_question_chars
    _well_formed(a)


def test_nul_and_control_characters_are_dropped_not_fatal(bot):
    plain = bot.ask("沐曦计划募资多少？")
    noisy = bot.ask("\x00沐曦\x00计划\x07募资\x1b[31m多少\x7f？\x85\u202e")
    assert not noisy.abstained and _cited(noisy) == _cited(plain)
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in noisy.question)
    assert "\u202e" not in noisy.question


def test_a_lone_surrogate_cannot_reach_the_model(bot):
    a = bot.ask("沐曦\ud800计划募资多少？")
    assert not a.abstained and "\ud800" not in a.question
    a.question.encode("utf-8")


@pytest.mark.parametrize("mixed, plain", [
    ("Moore Threads 2024年的营收是多少？", "摩尔线程2024年的营收是多少？"),
    ("MetaX计划募资多少？", "沐曦计划募资多少？"),
    ("What is 燧原's valuation?", VALUATION),
])
def test_mixed_script_questions_find_the_same_passage(bot, mixed, plain):
    a, b = bot.ask(mixed), bot.ask(plain)
    assert not a.abstained and _cited(a)[0] == _cited(b)[0] and a.companies == b.companies


@pytest.mark.parametrize("traditional", [
    "燧原的估值為多少？",
    "請問燧原的估值是多少？",
    opencc.OpenCC("s2twp").convert("燧原科技的估值是多少？请告诉我。"),
])
def test_traditional_chinese_valuation_question_finds_the_passage(bot, traditional):
    assert to_simplified(traditional) != traditional  # really written in 繁體
    a, simplified = bot.ask(traditional), bot.ask(VALUATION)
    assert not a.abstained and a.companies == ["enflame"] and a.language == "zh"
    assert _cited(simplified)[0] in _cited(a)
    assert a.question == traditional  # shown as the user wrote it


@pytest.mark.parametrize("simplified", ["摩尔线程2024年的营收是多少？", "沐曦计划募资多少？", "燧原的股东有哪些？"])
def test_traditional_chinese_is_answered_like_simplified(bot, simplified):
    traditional = opencc.OpenCC("s2t").convert(simplified)
    assert traditional != simplified
    a, b = bot.ask(traditional), bot.ask(simplified)
    assert not a.abstained and _cited(a) == _cited(b) and a.companies == b.companies


@pytest.mark.parametrize("full_width, plain", [
    ("Ｗｈｏ ｂａｃｋｓ Ｅｎｆｌａｍｅ？", "Who backs Enflame?"),
    ("ＭｅｔａＸ计划募资多少？", "沐曦计划募资多少？"),
])
def test_full_width_latin_is_read_as_ascii(bot, full_width, plain):
    a, b = bot.ask(full_width), bot.ask(plain)
    assert not a.abstained and _cited(a) == _cited(b) and a.companies == b.companies


@pytest.mark.parametrize("history", [
    [None, "燧原是做什么的？", 3],
    "燧原是做什么的？",  # one string instead of a list
    [b"bytes", {"turn": 1}, ["nested"], None, "燧原是做什么的？"],
])
def test_malformed_history_is_tolerated_and_still_used(bot, history):
    a = bot.ask("它的估值是多少？", history=history)
    assert a.companies == ["enflame"] and not a.abstained


@pytest.mark.parametrize("history", [12, object(), [None] * 10_000])
def test_history_without_any_text_is_ignored(bot, history):
    a = bot.ask("它的估值是多少？", history=history)
    assert a.companies == []
    _well_formed(a)


def test_very_long_history_uses_the_recent_turns(bot):
    long_turn = "今天天气怎么样？" * 5_000
    history = ["沐曦是哪一年成立的？"] + [long_turn] * 5_000 + ["燧原是做什么的？"]
    a = bot.ask("它的估值是多少？", history=history)
    assert a.companies == ["enflame"] and not a.abstained
