"""Hybrid search (search/retrieval.py): fusion, the company boost, and questions written another way
(mixed, traditional or full-width script) finding the same passage."""

import opencc
import pytest

from assistant import Assistant
from assistant.search import retrieval
from assistant.search.retrieval import _rrf, _weighted
from assistant.text import to_simplified
from tests.fakes import FakeEmbedder

# ---- fusion ---------------------------------------------------------------------------------------
DENSE = {0: 0.9, 1: 0.5, 2: 0.1}
BM25 = {2: 10.0, 1: 9.0, 0: 1.0}


def test_weighted_fusion_blends_normalised_scores():
    fused = _weighted(DENSE, BM25, 0.5)
    assert max(fused, key=fused.get) == 1  # second on both lists, best on their normalised sum
    assert pytest.approx(fused[0]) == 0.5 and pytest.approx(fused[2]) == 0.5
    assert max(_weighted(DENSE, BM25, 1.0).items(), key=lambda kv: kv[1])[0] == 0  # dense alone
    assert max(_weighted(DENSE, BM25, 0.0).items(), key=lambda kv: kv[1])[0] == 2  # BM25 alone
    assert _weighted(DENSE, {}, 0.5) == {0: 1.0, 1: 0.5, 2: 0.0}  # no keyword evidence: dense decides


def test_rrf_uses_ranks_not_scores():
    fused = _rrf(DENSE, BM25)
    assert (
        fused[0] == pytest.approx(fused[2]) and fused[0] > fused[1]
    )  # first and last beat second and second
    assert _rrf({0: 100.0, 1: 0.1}, {}) == _rrf({0: 0.2, 1: 0.1}, {})  # the size of a score does not matter


def test_the_fusion_setting_reaches_the_search(tiny_bot, tiny_corpus, monkeypatch):
    calls = []
    monkeypatch.setattr(retrieval, "_rrf", lambda d, b: calls.append("rrf") or _rrf(d, b))
    monkeypatch.setattr(
        retrieval, "_weighted", lambda d, b, w: calls.append("weighted") or _weighted(d, b, w)
    )
    tiny_bot.ask("星河芯片的估值是多少？")
    assert calls == ["weighted"]
    monkeypatch.setenv("ASSISTANT_FUSION", "RRF")  # once silently weighted
    rrf_bot = Assistant.load(
        corpus_dir=tiny_corpus, index_dir=tiny_bot.settings.index_dir, embedder=FakeEmbedder()
    )
    assert not rrf_bot.load_report.built  # fusion does not change the index
    rrf_bot.ask("星河芯片的估值是多少？")
    assert calls == ["weighted", "rrf"]


def test_the_company_boost_prefers_passages_about_the_company_named(tiny_bot):
    r = tiny_bot.retriever
    vector = FakeEmbedder().query("估值是多少")
    query = retrieval.Query("估值是多少", vector, ["估值"], ["yunfan"])
    hits = r.search(query, k=3, candidates=10, company_boost=0.35)
    assert "yunfan" in tiny_bot.index.passages[hits[0].index].companies


VALUATION = "燧原的估值是多少？"  # answered by the 燧原 valuation sentence


def _cited(answer) -> list[str]:
    return [c.passage_id for c in answer.citations]


@pytest.mark.parametrize(
    "mixed, plain",
    [
        ("Moore Threads 2024年的营收是多少？", "摩尔线程2024年的营收是多少？"),
        ("MetaX计划募资多少？", "沐曦计划募资多少？"),
        ("What is 燧原's valuation?", VALUATION),
    ],
)
def test_mixed_script_questions_find_the_same_passage(bot, mixed, plain):
    a, b = bot.ask(mixed), bot.ask(plain)
    assert not a.abstained and _cited(a)[0] == _cited(b)[0] and a.companies == b.companies


@pytest.mark.parametrize(
    "traditional",
    [
        "燧原的估值為多少？",
        "請問燧原的估值是多少？",
        opencc.OpenCC("s2twp").convert("燧原科技的估值是多少？请告诉我。"),
    ],
)
def test_traditional_chinese_valuation_question_finds_the_passage(bot, traditional):
    assert to_simplified(traditional) != traditional  # really written in 繁體
    a, simplified = bot.ask(traditional), bot.ask(VALUATION)
    assert not a.abstained and a.companies == ["enflame"] and a.language == "zh"
    assert _cited(simplified)[0] in _cited(a)
    assert a.question == traditional  # shown as the user wrote it


@pytest.mark.parametrize(
    "full_width, plain",
    [
        ("Ｗｈｏ ｂａｃｋｓ Ｅｎｆｌａｍｅ？", "Who backs Enflame?"),
        ("ＭｅｔａＸ计划募资多少？", "沐曦计划募资多少？"),
    ],
)
def test_full_width_latin_is_read_as_ascii(bot, full_width, plain):
    a, b = bot.ask(full_width), bot.ask(plain)
    assert not a.abstained and _cited(a) == _cited(b) and a.companies == b.companies
