"""The logic after the vectors, on the ten-passage corpus with the deterministic FakeEmbedder (no model).

Fusion, sentence choice, company names, rankings from profile facts and question analysis each get
checked here in milliseconds; tests over the built-in corpus with the real model (marked slow)
check the same on real text.
"""
import time

import pytest

from assistant import Assistant
from assistant.search import retrieval
from assistant.search.retrieval import _rrf, _weighted
from assistant.text import detect_language, prepare_question

from .fakes import FakeEmbedder


def quoted(answer) -> list[str]:
    return [c.quote for c in answer.citations]


# ---- building -------------------------------------------------------------------------------------
def test_the_tiny_corpus_builds_in_well_under_a_second(tiny_copy, tmp_path):
    Assistant.load(corpus_dir=tiny_copy, index_dir=tmp_path / "warm", embedder=FakeEmbedder())  # segmenter loaded
    t0 = time.perf_counter()
    bot = Assistant.load(corpus_dir=tiny_copy, index_dir=tmp_path / "index", embedder=FakeEmbedder())
    assert time.perf_counter() - t0 < 1.0  # about 0.1 s once the word segmenter's dictionary is read
    assert bot.load_report.built
    # seven paragraphs, a metadata passage per article, a profile record per company
    assert sorted(p.kind for p in bot.index.passages) == ["body"] * 7 + ["meta"] * 2 + ["profile"] * 2
    assert {p.passage_id for p in bot.index.passages if not p.is_article} == {"company:xinghe", "company:yunfan"}
    assert bot.index.manifest["model_id"] == FakeEmbedder().model_id


def test_the_fake_embedder_is_deterministic_and_similar_texts_are_near():
    a, b = FakeEmbedder(), FakeEmbedder()
    q = "星河芯片的估值是多少？"
    assert (a.query(q) == b.query(q)).all() and abs(float(a.query(q) @ a.query(q)) - 1) < 1e-5
    near = float(a.vector(q) @ a.vector("星河芯片的估值约为 150 亿元。"))
    far = float(a.vector(q) @ a.vector("股东包括多家地方产业基金。"))
    assert near > far + 0.1


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
    assert fused[0] == pytest.approx(fused[2]) and fused[0] > fused[1]  # first and last beat second and second
    assert _rrf({0: 100.0, 1: 0.1}, {}) == _rrf({0: 0.2, 1: 0.1}, {})  # the size of a score does not matter


def test_the_fusion_setting_reaches_the_search(tiny_bot, tiny_corpus, monkeypatch):
    calls = []
    monkeypatch.setattr(retrieval, "_rrf", lambda d, b: calls.append("rrf") or _rrf(d, b))
    monkeypatch.setattr(retrieval, "_weighted", lambda d, b, w: calls.append("weighted") or _weighted(d, b, w))
    tiny_bot.ask("星河芯片的估值是多少？")
    assert calls == ["weighted"]
    monkeypatch.setenv("ASSISTANT_FUSION", "RRF")  # once silently weighted
    rrf_bot = Assistant.load(corpus_dir=tiny_corpus, index_dir=tiny_bot.settings.index_dir, embedder=FakeEmbedder())
    assert not rrf_bot.load_report.built  # fusion does not change the index
    rrf_bot.ask("星河芯片的估值是多少？")
    assert calls == ["weighted", "rrf"]


def test_the_company_boost_prefers_passages_about_the_company_named(tiny_bot):
    r = tiny_bot.retriever
    vector = FakeEmbedder().query("估值是多少")
    query = retrieval.Query("估值是多少", vector, ["估值"], ["yunfan"])
    hits = r.search(query, k=3, candidates=10, company_boost=0.35)
    assert "yunfan" in tiny_bot.index.passages[hits[0].index].companies


# ---- sentence choice ------------------------------------------------------------------------------
def test_the_sentence_that_answers_is_quoted_not_its_neighbour(tiny_bot):
    a = tiny_bot.ask("星河芯片的估值是多少？")
    assert not a.abstained and a.companies == ["xinghe"]
    assert quoted(a) == ["最新一轮融资后，星河芯片的估值约为 150 亿元。"]  # not the fundraising sentence before it
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


def test_a_company_the_corpus_does_not_cover_is_declined_with_the_closest_material(tiny_bot):
    a = tiny_bot.ask("寒武纪的营收是多少？")
    assert a.abstained and not a.citations and a.closest
    assert "寒武纪" in a.text or "没有" in a.text


def test_an_unrelated_question_is_declined(tiny_bot):
    a = tiny_bot.ask("量子计算机的原理是什么？")
    assert a.abstained and not a.citations


# ---- company names --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["星河芯片", "Xinghe Chips", "XHC", "xhc", "ＸＨＣ", "星河芯片科技", "星河", "Xinghe Chps",
                                  "xinghe chips"])
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


def test_an_alias_in_a_question_names_the_company(tiny_bot):
    a = tiny_bot.ask("XHC 在哪一年成立？")
    assert a.companies == ["xinghe"] and "2018" in a.text


# ---- rankings from profile facts ------------------------------------------------------------------
@pytest.mark.parametrize("question, first, second", [
    ("哪家公司成立得最早？", "星河芯片成立于 2018 年", "云帆智算成立于 2020 年"),
    ("哪家公司估值最高？", "150 亿元", "80 亿元"),
    ("星河芯片和云帆智算哪家成立得更早？", "2018", "2020"),
])
def test_earliest_and_highest_come_from_profile_facts_best_first(tiny_bot, question, first, second):
    a = tiny_bot.ask(question)
    assert not a.abstained and first in a.text and second in a.text
    assert a.text.index(first) < a.text.index(second)
    assert {c.passage_id.split("#")[0] for c in a.citations} == {"xinghe", "yunfan"}  # cited to the articles


def test_an_english_ranking_question_is_answered_in_english_from_the_facts(tiny_bot):
    a = tiny_bot.ask("Which company was founded earliest?")
    assert a.language == "en" and a.text.startswith("Xinghe Chips") and "2018" in a.text


# ---- question analysis ----------------------------------------------------------------------------
def test_a_follow_up_carries_the_company_of_the_conversation(tiny_bot):
    a = tiny_bot.ask("它的总部在哪里？", history=["云帆智算成立于哪一年？"])
    assert a.companies == ["yunfan"] and "成都" in a.text
    b = tiny_bot.ask("它的总部在哪里？", history=["星河芯片的估值是多少？", "云帆智算成立于哪一年？"])
    assert b.companies == ["yunfan"]  # the latest company mentioned


def test_a_named_company_wins_over_the_conversation(tiny_bot):
    a = tiny_bot.ask("星河芯片的总部在哪里？", history=["云帆智算成立于哪一年？"])
    assert a.companies == ["xinghe"] and "杭州" in a.text


@pytest.mark.parametrize("question, history, meant, says", [
    ("那云帆智算呢？", ["星河芯片的总部在哪里？"], "云帆智算的总部在哪里？", "成都"),
    ("云帆智算呢", ["星河芯片的总部在哪里？"], "云帆智算的总部在哪里？", "成都"),
    ("那云帆智算呢？", ["星河芯片的估值是多少？", "那星河芯片呢？"], "云帆智算的估值是多少？", "80 亿元"),  # asked further back
    ("What about Yunfan Compute?", ["What is Xinghe Chips' valuation?"], "What is Yunfan Compute' valuation?", "valuation"),
])
def test_a_follow_up_naming_only_another_company_asks_the_previous_question_of_it(tiny_bot, question, history, meant,
                                                                                   says):
    a, full = tiny_bot.ask(question, history=history), tiny_bot.ask(meant)
    assert a.companies == ["yunfan"] and says in a.text
    assert a.text == full.text and a.question == question  # answered as the full question, shown as asked


def test_a_follow_up_naming_another_company_and_more_is_its_own_question(tiny_bot):
    a = tiny_bot.ask("那云帆智算的估值呢？", history=["星河芯片的总部在哪里？"])
    assert a.companies == ["yunfan"] and "80 亿元" in a.text and "成都" not in a.text


def test_a_company_named_alone_with_no_conversation_is_not_a_follow_up(tiny_bot):
    assert "成都" not in tiny_bot.ask("那云帆智算呢？").text


def test_what_no_article_mentions_about_a_company_is_named_not_answered(tiny_bot):
    a = tiny_bot.ask("云帆智算有多少员工？")
    assert a.abstained and "员工" in a.text and "云帆智算" in a.text


@pytest.mark.parametrize("question", ["", "   ", "？？", "1", "🙂"])
def test_a_question_without_words_is_asked_for_again(tiny_bot, question):
    a = tiny_bot.ask(question)
    assert a.abstained and not a.citations and not a.closest


def test_a_long_question_is_cut_with_a_notice(tiny_bot):
    a = tiny_bot.ask("星河芯片的估值" + "以及相关的情况" * 200)
    assert "truncated" in a.notice and len(a.question) <= tiny_bot.settings.max_question_chars


@pytest.mark.parametrize("text, language", [("星河芯片的估值是多少？", "zh"), ("What is XHC worth?", "en"),
                                            ("XHC 的估值是多少？", "zh"), ("How much is 星河芯片 worth today?", "en")])
def test_the_answer_language_follows_the_question(text, language):
    assert detect_language(text) == language


def test_full_width_and_traditional_questions_are_read_as_simplified_ascii(tiny_bot):
    assert prepare_question("ＸＨＣ的估值") == "XHC的估值"
    assert prepare_question("雲帆智算的營收") == "云帆智算的营收"
    assert tiny_bot.ask("雲帆智算的營收是多少？").companies == ["yunfan"]
