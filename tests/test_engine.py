"""The Assistant (engine.py): loading and building, errors that say what happened, and `ask` and
`find_company` on any input — over the tiny corpus, and the real one (marked slow)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assistant.index.opening as opening
from assistant import Assistant
from assistant.engine import QUESTION_FOUND
from assistant.errors import AssistantError
from assistant.index.folders import live_build
from assistant.index.layout import MANIFEST
from tests.conftest import DEV_SET
from tests.fakes import FakeEmbedder

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
    assert (
        0 < len(a.question) <= limit < 20_000
    )  # only the cut question reaches the model: time stays bounded
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


@pytest.mark.parametrize(
    "simplified", ["摩尔线程2024年的营收是多少？", "沐曦计划募资多少？", "燧原的股东有哪些？"]
)
def test_traditional_chinese_is_answered_like_simplified(bot, simplified):
    traditional = opencc.OpenCC("s2t").convert(simplified)
    assert traditional != simplified
    a, b = bot.ask(traditional), bot.ask(simplified)
    assert not a.abstained and _cited(a) == _cited(b) and a.companies == b.companies


@pytest.mark.parametrize(
    "history",
    [
        [None, "燧原是做什么的？", 3],
        "燧原是做什么的？",  # one string instead of a list
        [b"bytes", {"turn": 1}, ["nested"], None, "燧原是做什么的？"],
    ],
)
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


# ---- building -------------------------------------------------------------------------------------
def test_the_tiny_corpus_builds_on_first_load(tiny_copy, tmp_path):
    # (how long a build takes is measured by benchmarks/build_bench.py, not asserted here)
    bot = Assistant.load(corpus_dir=tiny_copy, index_dir=tmp_path / "index", embedder=FakeEmbedder())
    assert bot.load_report.built
    # seven paragraphs, a metadata passage per article, a profile record per company
    assert sorted(p.kind for p in bot.index.passages) == ["body"] * 7 + ["meta"] * 2 + ["profile"] * 2
    assert {p.passage_id for p in bot.index.passages if not p.is_article} == {
        "company:xinghe",
        "company:yunfan",
    }
    assert bot.index.manifest["model_id"] == FakeEmbedder().model_id


# ---- company names --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "星河芯片",
        "Xinghe Chips",
        "XHC",
        "xhc",
        "ＸＨＣ",
        "星河芯片科技",
        "星河",
        "Xinghe Chps",
        "xinghe chips",
    ],
)
def test_a_company_is_found_by_any_of_its_names(tiny_bot, name):
    matches = tiny_bot.find_company(name)
    assert matches and matches[0].company_id == "xinghe", name


@pytest.mark.parametrize("name", ["芯片", "chips", "寒武纪", "x", ""])
def test_a_fragment_or_another_company_finds_nothing(tiny_bot, name):
    assert tiny_bot.find_company(name) == []


def test_a_match_carries_every_passage_naming_the_company(tiny_bot):
    m = tiny_bot.find_company("YFC")[0]
    assert m.name_zh == "云帆智算" and m.score == 1.0
    assert [c.passage_id for c in m.passages] == ["yunfan#p1", "yunfan#p2", "yunfan#p3"]


@pytest.mark.parametrize("question", ["", "   ", "？？", "1", "🙂"])
def test_a_question_without_words_is_asked_for_again(tiny_bot, question):
    a = tiny_bot.ask(question)
    assert a.abstained and not a.citations and not a.closest
    assert a.text in ("Please type a question.", "请输入一个问题。")


def test_a_long_question_is_cut_with_a_notice(tiny_bot):
    a = tiny_bot.ask("星河芯片的估值" + "以及相关的情况" * 200)
    assert "truncated" in a.notice and len(a.question) <= tiny_bot.settings.max_question_chars


def _load(corpus, index, **kw):
    said: list[str] = []
    return Assistant.load(
        corpus_dir=corpus, index_dir=index, embedder=FakeEmbedder(), log=said.append, **kw
    ), said


def test_an_up_to_date_index_is_opened_not_rebuilt(built):
    corpus, index = built
    bot, said = _load(corpus, index)
    assert not bot.load_report.built and said == []


def test_a_manifest_edited_out_of_shape_is_a_reason_to_rebuild(built):
    corpus, index = built
    build = live_build(index)
    manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    manifest["dense_index"] = ["not", "an", "object"]
    (build / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    bot, said = _load(corpus, index)
    assert bot.load_report.built and "dense_index" in bot.load_report.reason
    assert any("dense_index" in m for m in said)


def test_a_bug_while_opening_the_index_shows_instead_of_passing_for_damage(built, monkeypatch):
    corpus, index = built

    def buggy(build, manifest):
        return manifest["no such key"]  # a KeyError in the program, not in a file

    monkeypatch.setattr(opening, "read_index", buggy)
    with pytest.raises(KeyError):
        _load(corpus, index)


def test_a_file_that_cannot_be_read_is_a_reason_to_rebuild(built, monkeypatch):
    corpus, index = built
    real, damaged = opening.read_index, live_build(index)

    def unreadable(build, manifest):
        if build == damaged:
            raise PermissionError(13, "Permission denied", str(build / "passages.jsonl"))
        return real(build, manifest)

    monkeypatch.setattr(opening, "read_index", unreadable)
    bot, said = _load(corpus, index)
    assert bot.load_report.built and "Permission denied" in bot.load_report.reason


@pytest.mark.slow  # loads the model to learn the vector size of nothing
def test_a_corpus_with_nothing_readable_is_a_clear_error(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    (corpus / "articles" / "blob.txt").write_bytes(b"\x00\x01\x02")
    with pytest.raises(AssistantError, match="nothing to index") as err:
        Assistant.load(corpus_dir=corpus, index_dir=tmp_path / "index")
    assert "cannot build the index" in str(err.value)


def test_a_missing_corpus_folder_is_a_clear_error(tmp_path):
    with pytest.raises(AssistantError, match="does not exist"):
        Assistant.load(corpus_dir=tmp_path / "nope", index_dir=tmp_path / "index")


def test_empty_question_gets_a_prompt_not_an_error(bot):
    a = bot.ask("   ")
    assert a.abstained and a.text in ("Please type a question.", "请输入一个问题。") and not a.citations


SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Text that looks like the corpus as well as anything at all: Chinese, Latin, digits, punctuation.
CORPUS_CHARS = st.sampled_from(
    list("沐曦燧原摩尔线程壁仞估值营收募资的是多少亿元年月。，！？；:：、“”() \n")
    + list("MetaXEnflame2024GPU.?!,;'\"-")
)
ANY_TEXT = st.text(max_size=300)
CORPUS_LIKE = st.text(CORPUS_CHARS, max_size=300)
# Controls, lone surrogates, invisible format characters, combining marks, symbols (emoji), CJK.
ODD_TEXT = st.text(st.characters(categories=["Cc", "Cs", "Cf", "Mn", "So", "Lo", "Zs"]), max_size=60)
QUESTIONS = st.one_of(ANY_TEXT, CORPUS_LIKE, ODD_TEXT, st.text(CORPUS_CHARS, min_size=1, max_size=30))
HISTORY = st.one_of(
    st.none(),
    ANY_TEXT,
    st.lists(st.one_of(st.none(), st.integers(), ANY_TEXT, CORPUS_LIKE), max_size=30),
)


def _check_answer(bot, a) -> None:
    assert isinstance(a.text, str) and a.text.strip()
    assert isinstance(a.abstained, bool) and a.language in ("zh", "en")
    assert len(a.question) <= bot.settings.max_question_chars
    json.loads(json.dumps(a.to_json(), ensure_ascii=False))
    if a.abstained:
        assert a.citations == []
    else:
        assert a.citations
    for c in [*a.citations, *a.closest]:
        p = bot.passage(c.passage_id)
        assert p is not None and c.text == p.text
    numbers = [c.n for c in a.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    assert all(f"[{n}]" in a.text for n in numbers)
    assert set(a.companies) <= {p.id for p in bot.companies()}


@SLOW
@given(question=QUESTIONS, history=HISTORY)
def test_ask_never_raises_and_answers_are_well_formed(bot, question, history):
    _check_answer(bot, bot.ask(question, history=history))


def _questions() -> list[tuple[str, list[str]]]:
    if DEV_SET.exists():
        items = [
            json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
        qs = [(i["question"], list(i.get("history") or [])) for i in items if "question" in i]
    else:
        qs = [
            ("沐曦计划募资多少？", []),
            ("Who backs Enflame?", []),
            ("它2024年的营收是多少？", ["沐曦是哪一年成立的？"]),
            ("哪家公司成立得最早？", []),
            ("寒武纪2024年的营收是多少？", []),
            ("What is Biren's valuation?", []),
        ]
    return (qs * (50 // len(qs) + 1))[:50]


def _gist(a) -> str:
    d = a.to_json()
    for volatile in ("timings_ms",):  # how long it took, not what was answered
        d.pop(volatile, None)
    return json.dumps(d, ensure_ascii=False, sort_keys=True)


@pytest.mark.slow
def test_eight_threads_answer_exactly_as_one(bot):
    """The engine is read-only after load: 8 threads × 50 questions give the serial answers."""
    qs = _questions()
    serial = [_gist(bot.ask(q, history=h)) for q, h in qs]
    with ThreadPoolExecutor(8) as pool:
        rounds = list(pool.map(lambda _: [_gist(bot.ask(q, history=h)) for q, h in qs], range(8)))
    for answers in rounds:
        assert answers == serial


def test_a_followup_about_the_company_the_previous_answer_named(uncurated_bot):
    """The previous turn asked which company, naming none: "it" is the company its answer quoted."""
    asked = "哪家公司的保荐机构是鹤鸣证券？"
    a = uncurated_bot.ask("它的收盘价是多少？", history=[asked])
    assert not a.abstained and "88.20" in a.text
    b = uncurated_bot.ask(
        "What was its closing price?", history=["Which company did Heming Securities sponsor?"]
    )
    assert not b.abstained and "88.2" in b.text
    # without the earlier turn there is nobody to refer to
    assert "88.20" not in uncurated_bot.ask("它的收盘价是多少？").text
