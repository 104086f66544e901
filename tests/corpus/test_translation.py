"""The built-in article's English translation, and what a build does with translations that do not align.

The first three read the real corpus files (no model); the build tests use the fake embedder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.corpus.companies import load_profiles
from assistant.corpus.ingest import ingest_corpus
from assistant.corpus.translation import read_translation, translation_file
from assistant.language.names import load_names
from assistant.text import normalize, split_sentences
from assistant.values.comparison import same_values
from tests.conftest import CORPUS
from tests.fakes import FakeEmbedder

ARTICLE = "000_1f36a16a379a5773"


def _pairs() -> list[tuple[str, str]]:
    """(Chinese sentence, its English) for every sentence of the built-in article."""
    doc = next(d for d in ingest_corpus(CORPUS).documents if d.doc_id == ARTICLE)
    found = read_translation(doc, translation_file(Path(doc.path)))
    assert found.problems == []
    return [
        (doc.text[start : start + len(zh)], en)
        for start, en in found.translation.sentences.items()
        for zh in [_sentence_at(doc, start)]
    ]


def _sentence_at(doc, start: int) -> str:
    for para in doc.paragraphs:
        for a, b in split_sentences(para.text):
            if para.start + a == start:
                return para.text[a:b]
    raise AssertionError(f"no sentence starts at {start}")


def test_the_built_in_translation_renders_every_sentence_of_the_article():
    doc = next(d for d in ingest_corpus(CORPUS).documents if d.doc_id == ARTICLE)
    found = read_translation(doc, translation_file(Path(doc.path)))
    assert found.problems == []
    sentences = sum(len(split_sentences(p.text)) for p in doc.paragraphs)
    assert len(found.translation.sentences) == sentences
    assert found.translation.title and found.translation.translated_by


def test_every_number_of_each_original_sentence_appears_converted_in_its_english():
    problems = [(zh, en, p) for zh, en in _pairs() for p in same_values(zh, en, 2025)]
    assert problems == []


def test_every_name_in_the_name_table_and_the_profiles_is_rendered_as_they_say():
    names = load_names(CORPUS)
    profiles = load_profiles(CORPUS)
    wrong = []
    for zh, en in _pairs():
        for n in names.in_text(zh):
            if any(
                normalize(f).replace(" ", "") in normalize(zh).replace(" ", "") for f in n.zh_forms
            ) and not any(normalize(f) in normalize(en) for f in n.en_forms):
                wrong.append((n.zh, n.en, en))
        for p in profiles:
            if any(x in zh for x in (p.name_zh, *p.full_names)) and not any(
                normalize(x) in normalize(en) for x in (p.name_en, *p.aliases) if x.isascii()
            ):
                wrong.append((p.name_zh, p.name_en, en))
    assert wrong == []


# ---- translations that do not align ----------------------------------------------------------------
ORIGINAL = "星河芯片的上市之路\n星河芯片成立于 2018 年。公司的估值约为 150 亿元。\n它计划在科创板上市。\n"
GOOD = (
    "---\ntitle: \"Xinghe's road to listing\"\n---\nXinghe's road to listing\n"
    "Xinghe was founded in 2018. Its valuation is about RMB 15 billion.\n"
    "It plans to list on the STAR Market.\n"
)


def _build(tmp_path: Path, english: str):
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    (corpus / "articles" / "xinghe.txt").write_text(ORIGINAL, encoding="utf-8")
    (corpus / "articles" / "xinghe.en.txt").write_text(english, encoding="utf-8")
    said: list[str] = []
    bot = Assistant.load(
        corpus_dir=corpus, index_dir=tmp_path / "index", embedder=FakeEmbedder(), log=said.append
    )
    return bot, said


def test_an_aligned_translation_gives_every_sentence_its_english(tmp_path):
    bot, said = _build(tmp_path, GOOD)
    assert not [m for m in said if m.startswith("warning: translation")]
    body = [s for s in bot.index.sentences if "估值" in s.text]
    assert body[0].text_en == "Its valuation is about RMB 15 billion."
    assert bot.index.documents["xinghe"]["title_en"] == "Xinghe's road to listing"


@pytest.mark.parametrize(
    "english, problem",
    [
        (GOOD.replace("It plans to list on the STAR Market.\n", ""), "lines, but the original has"),
        (GOOD.replace("2018. Its", "2018, and its"), "1 in the translation"),
        (GOOD.replace("RMB 15 billion", "RMB 1.5 billion"), "150 亿元"),
    ],
)
def test_a_translation_that_does_not_align_is_reported_and_the_original_stands_alone(
    tmp_path, english, problem
):
    bot, said = _build(tmp_path, english)
    reported = [m for m in said if m.startswith("warning: translation")]
    assert any("xinghe.en.txt" in m and problem in m for m in reported), reported
    assert any("indexed from its original only" in m for m in reported)
    assert all(not s.text_en for s in bot.index.sentences)
    assert bot.ask("星河芯片的估值是多少？").citations  # the article still answers
