"""Candidate sentences: scored, checked, chosen and turned into citations.

Candidates come from the best passages; each sentence is scored by its own vectors against the
question (made at build time, for the original and its English rendering), by how much of the
question's weighted vocabulary it, its English and its section contain, and by whether it holds
the kind of thing asked (a date, an amount, …). Nothing here writes text: answers quote.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..corpus.company_directory import CompanyDirectory
from ..schema import Citation, Passage, Sentence
from ..text import model_numbers, squash
from .calibration import Weights
from .checks import holds

# A sentence that ends like this introduces what follows, so the next sentence belongs with it.
_INTRODUCES = ("：", ":")  # a list the next sentence (or paragraph) completes
# A sentence that ends like this is continued by the next, which keeps its subject.
_GOES_ON = ("；", ";")


@dataclass
class Candidate:
    sentence: int  # index into the index's sentences
    passage: int
    score: float
    dense: float
    lexical: float


def term_weights(terms: list[str], idf) -> dict[str, float]:
    return {t: idf(t) for t in terms}


def lexical_score(text: str, weights: dict[str, float]) -> float:
    """Share of the question's idf mass whose terms occur in `text` (whitespace and case ignored)."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    s = squash(text)
    return sum(w for t, w in weights.items() if squash(t) in s) / total


# The calibrated weights (calibration.py), made once: what rank_sentences weighs with unless told.
_DEFAULT_WEIGHTS = Weights()


def rank_sentences(
    passages: list[Passage],
    sentences,
    sentence_vectors: np.ndarray,
    by_passage,
    hits: list[tuple[int, float]],
    qvec: np.ndarray,
    weights: dict[str, float],
    wanted_types: tuple[str, ...] = (),
    sentence_vectors_en: np.ndarray | None = None,
    w: Weights = _DEFAULT_WEIGHTS,
) -> list[Candidate]:
    if not hits:
        return []
    top = max(s for _, s in hits) or 1.0
    cands = []
    for pi, pscore in hits:
        p = passages[pi]
        for si in by_passage.get(pi, []):
            sent = sentences[si]
            dense = float(np.dot(sentence_vectors[si], qvec))
            if sentence_vectors_en is not None and sent.text_en:
                dense = max(dense, float(np.dot(sentence_vectors_en[si], qvec)))
            own = f"{sent.text} {sent.text_en}"
            # the passage around it counts a little: reporting names the company once, then says 公司;
            # a clause after a semicolon is about the model the clause it goes on from names
            lex = (
                lexical_score(f"{p.section} {p.section_en} {p.text} {own}", weights) * 0.3
                + lexical_score(f"{own} {_models_before(si, sentences, by_passage)}", weights) * 0.7
            )
            typed = w.answer_type if wanted_types and holds(wanted_types[0], own) else 0.0
            score = w.dense * dense + w.lexical * lex + w.passage * pscore / top + typed
            cands.append(Candidate(si, pi, score, dense, lex))
    cands.sort(key=lambda c: -c.score)
    return cands


def _models_before(si: int, sentences, by_passage) -> str:
    """The model numbers a semicolon-continued sentence's subject names and it does not (QH-960 for
    "配备96GB HBM3显存；" after "QH-960基于…；"), else ""."""
    own = model_numbers(sentences[si].text)
    return " ".join(sorted(model_numbers(with_subject(si, sentences, by_passage)) - own))


def with_subject(si: int, sentences, by_passage) -> str:
    """The sentence with the ones before it that it continues: a clause after a semicolon keeps the
    subject of the sentence it goes on from ("QH-960…INT8算力为1280 TOPS；" then "配备96GB HBM3显存；")."""
    siblings = by_passage.get(sentences[si].passage_index, [])
    at = siblings.index(si) if si in siblings else 0
    start = at
    while start > 0 and sentences[siblings[start - 1]].text.rstrip().endswith(_GOES_ON):
        start -= 1
    return "".join(sentences[sj].text for sj in siblings[start : at + 1]) or sentences[si].text


def with_continuation(si: int, sentences, by_passage) -> list[int]:
    """The sentence, plus the next one when it ends in a colon (the list it introduces)."""
    group = [si]
    sent = sentences[si]
    if sent.text.rstrip().endswith(_INTRODUCES):
        siblings = by_passage.get(sent.passage_index, [])
        pos = siblings.index(si)
        if pos + 1 < len(siblings):
            group.append(siblings[pos + 1])
        else:  # the list is the next paragraph
            nxt = by_passage.get(sent.passage_index + 1, [])
            if nxt:
                group.append(nxt[0])
    return group


def company_context(passage: Passage, quote: str, directory: CompanyDirectory, language: str) -> str:
    """Name the company a quote is about when the quote itself does not (its section says: '其营收…')."""
    section_ids = directory.mentions(passage.section)
    if not section_ids:
        return ""
    cid = section_ids[0]
    if cid in directory.mentions(quote):
        return ""
    prof = directory.by_id[cid]
    return prof.name_en if language == "en" else prof.name_zh


def make_citation(n: int, p: Passage, quote: str, score: float, quote_en: str = "") -> Citation:
    return Citation(
        n=n,
        passage_id=p.passage_id,
        doc_id=p.doc_id,
        title=p.title,
        section=p.section,
        text=p.text,
        quote=quote,
        score=round(float(score), 4),
        published=p.published,
        start=p.start,
        end=p.end,
        quote_en=quote_en,
        text_en=p.text_en,
        section_en=p.section_en,
        title_en=p.title_en,
    )


def sentence_of(
    sentences: list[Sentence] | object, by_passage, passage_index: int, phrase: str
) -> int | None:
    """The sentence of a passage that contains `phrase` (a profile fact's words), if any."""
    key = squash(phrase)
    for si in by_passage.get(passage_index, []):
        if key and key in squash(sentences[si].text):
            return si
    return None
