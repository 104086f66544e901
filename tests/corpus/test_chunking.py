"""Documents → passages → sentences (corpus/chunking.py)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.corpus.chunking import document_passages, passage_sentences
from assistant.corpus.ingest import ingest_corpus
from assistant.schema import Document, Paragraph
from assistant.text import split_sentences
from tests.conftest import ARTICLE_ID, CORPUS


def _article():
    return next(d for d in ingest_corpus(CORPUS).documents if d.doc_id == ARTICLE_ID)


def test_passage_ids_are_stable_and_long_paragraphs_are_split():
    doc = _article()
    first = document_passages(doc, max_chars=120, overlap=1)
    again = document_passages(_article(), max_chars=120, overlap=1)
    assert [p.passage_id for p in first] == [p.passage_id for p in again]
    body = [p for p in first if p.kind == "body"]
    assert all(p.text == doc.text[p.start : p.end] for p in body)
    long_parts = [p for p in body if "64GB HBM2E" in p.text or "邃思3.0" in p.text]
    assert len(long_parts) >= 2  # the 276-character 燧原 paragraph was cut at sentence ends
    assert all(len(p.text) <= 200 for p in long_parts)


FAST = settings(max_examples=150, deadline=None)

# Text that looks like the corpus as well as anything at all: Chinese, Latin, digits, punctuation.
CORPUS_CHARS = st.sampled_from(
    list("沐曦燧原摩尔线程壁仞估值营收募资的是多少亿元年月。，！？；:：、“”() \n")
    + list("MetaXEnflame2024GPU.?!,;'\"-")
)


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


PARAGRAPH = st.one_of(st.text(max_size=400), st.text(CORPUS_CHARS, max_size=700)).map(
    lambda s: s.replace("\n", " ")
)


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
