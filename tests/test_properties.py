"""Property tests: arbitrary Unicode into `ask`, the chunker, ingest and `find_company`.

Hypothesis draws from every Unicode category (controls, surrogates excluded only where Python
cannot write them to a file, emoji, combining marks, right-to-left scripts). The properties
are what callers rely on: no exception, a well-formed answer, offsets that point at the text.
Example counts stay small so the suite stays fast; the real model answers every `ask`.
"""
import json
import tempfile
from pathlib import Path

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.corpus.chunking import document_passages, passage_sentences
from assistant.corpus.article_files import SkipFile
from assistant.corpus.ingest import read_article
from assistant.schema import Document, Paragraph
from assistant.text import split_sentences

SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FAST = settings(max_examples=150, deadline=None)

# Text that looks like the corpus as well as anything at all: Chinese, Latin, digits, punctuation.
CORPUS_CHARS = st.sampled_from(list("沐曦燧原摩尔线程壁仞估值营收募资的是多少亿元年月。，！？；:：、“”() \n")
                               + list("MetaXEnflame2024GPU.?!,;'\"-"))
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


@FAST
@given(name=st.one_of(ANY_TEXT, CORPUS_LIKE, ODD_TEXT))
def test_find_company_never_raises_and_ranks_best_first(bot, name):
    matches = bot.find_company(name)
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    assert len({m.company_id for m in matches}) == len(matches)
    for m in matches:
        assert m.profile.id == m.company_id and all(bot.passage(c.passage_id) for c in m.passages)


def _full_width(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_name_of_a_company_in_any_width_case_or_script_finds_it(bot, data):
    profile = data.draw(st.sampled_from(bot.companies()))
    name = data.draw(st.sampled_from(profile.names))
    variant = data.draw(st.sampled_from([
        str.upper, str.lower, _full_width, opencc.OpenCC("s2t").convert, lambda s: f"  {s}\t",
    ]))(name)
    matches = bot.find_company(variant)
    assert matches and profile.id in [m.company_id for m in matches if m.score == matches[0].score]


def _document(paragraphs: list[str]) -> Document:
    text, paras, section = "", [], ""
    for i, para in enumerate(paragraphs):
        if text:
            text += "\n"
        start = len(text)
        text += para
        heading = i % 4 == 0
        section = para if heading else section
        paras.append(Paragraph(para, start, len(text), section, "heading" if heading else "body"))
    return Document("doc", "doc.txt", "t", "", "", "", "", "", text, tuple(paras), "")


PARAGRAPH = st.one_of(st.text(max_size=400), st.text(CORPUS_CHARS, max_size=700)).map(lambda s: s.replace("\n", " "))


@FAST
@given(paragraphs=st.lists(PARAGRAPH, max_size=8), max_chars=st.integers(20, 400), overlap=st.integers(0, 2))
def test_chunker_passages_and_sentences_point_into_the_text(paragraphs, max_chars, overlap):
    doc = _document(paragraphs)
    passages = document_passages(doc, max_chars=max_chars, overlap=overlap)
    assert passages[0].kind == "meta"
    body = passages[1:]
    assert [p.passage_id for p in body] == [f"doc#p{i}" for i in range(1, len(body) + 1)]
    for p in body:
        assert p.text == doc.text[p.start : p.end]
        # only a sentence longer than the limit may make a passage longer than the limit
        assert len(p.text) <= max_chars or len(split_sentences(p.text)) <= 1
    for para in doc.paragraphs:  # nothing lost: every sentence is inside some passage
        for a, b in split_sentences(para.text):
            s, e = para.start + a, para.start + b
            assert any(p.start <= s and e <= p.end for p in body)
    for sent in passage_sentences(passages):
        p = passages[sent.passage_index]
        assert sent.text == p.text[sent.start : sent.end] and sent.text.strip()


@FAST
@given(text=st.text(st.characters(exclude_categories=["Cs"]), max_size=600),
       suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_ingest_reads_any_text_file_or_skips_it_with_a_reason(text, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / f"a{suffix}"
        path.write_text(text, encoding="utf-8")
        try:
            doc = read_article(path, root)
        except SkipFile as exc:
            assert str(exc)
            return
    assert doc.doc_id == "a" and any(p.kind == "body" for p in doc.paragraphs)
    for p in doc.paragraphs:
        assert doc.text[p.start : p.end] == p.text and p.text.strip()
    for p in document_passages(doc)[1:]:
        assert p.text == doc.text[p.start : p.end]


@FAST
@given(text=st.text(max_size=300))
def test_sentence_spans_are_ordered_trimmed_and_hold_a_word(text):
    spans = split_sentences(text)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))
    for a, b in spans:
        s = text[a:b]
        assert s == s.strip() and any(ch.isalnum() for ch in s)
