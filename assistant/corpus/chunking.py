"""Documents → passages (what is retrieved and cited) and passages → sentences (what answers quote).

A passage is a paragraph; a long paragraph is cut at sentence ends with a small overlap so a
fact on the border is whole in at least one passage. Ids count passages in document order,
so rebuilding the same file gives the same ids.
"""

from __future__ import annotations

from ..schema import Document, Passage, Sentence
from ..text import split_english_sentences, split_sentences

META_SECTION = "文章信息"


def document_passages(doc: Document, max_chars: int = 300, overlap: int = 1) -> list[Passage]:
    passages = [meta_passage(doc)]
    n = 0
    for para in doc.paragraphs:
        for start, end in split_long(doc.text, para.start, para.end, max_chars, overlap):
            n += 1
            passages.append(
                Passage(
                    passage_id=f"{doc.doc_id}#p{n}",
                    doc_id=doc.doc_id,
                    title=doc.title,
                    section=para.section,
                    text=doc.text[start:end],
                    start=start,
                    end=end,
                    published=doc.published,
                    kind=para.kind,
                )
            )
    return passages


def meta_passage(doc: Document) -> Passage:
    """The article's own metadata as a citable passage, so 'when was this published?' has evidence."""
    parts = [f"《{doc.title}》"]
    for label, value in (("来源", doc.source), ("作者", doc.author), ("发布时间", doc.published)):
        if value:
            parts.append(f"{label}:{value}")
    return Passage(
        passage_id=f"{doc.doc_id}#meta",
        doc_id=doc.doc_id,
        title=doc.title,
        section=META_SECTION,
        text=",".join(parts) + "。",
        start=0,
        end=0,
        published=doc.published,
        kind="meta",
    )


def split_long(text: str, start: int, end: int, max_chars: int, overlap: int) -> list[tuple[int, int]]:
    """Spans covering text[start:end], each at most about max_chars, cut only at sentence ends."""
    if end - start <= max_chars:
        return [(start, end)]
    sentences = [(start + a, start + b) for a, b in split_sentences(text[start:end])]
    if len(sentences) <= 1:
        return [(start, end)]
    chunks: list[tuple[int, int]] = []
    i = 0
    while i < len(sentences):
        j = i + 1
        while j < len(sentences) and sentences[j][1] - sentences[i][0] <= max_chars:
            j += 1
        chunks.append((sentences[i][0], sentences[j - 1][1]))
        if j >= len(sentences):
            break
        i = max(j - overlap, i + 1)
    return chunks


def passage_sentences(passages: list[Passage]) -> list[Sentence]:
    """Sentences of every passage, in passage order; the candidates an answer can quote.

    A passage with an aligned translation pairs its sentences with the English ones by position
    (translation.py joined them so that the English splitter cuts them back the same way).
    """
    out = []
    for i, p in enumerate(passages):
        spans = split_sentences(p.text)
        english = split_english_sentences(p.text_en) if p.text_en else []
        if len(english) != len(spans):
            english = [(0, 0)] * len(spans)
        for (a, b), (c, d) in zip(spans, english):
            out.append(Sentence(i, p.text[a:b], a, b, p.text_en[c:d], c, d))
    return out
