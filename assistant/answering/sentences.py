"""Extractive answers: pick the sentences that answer, quote them verbatim, cite them, or abstain.

Candidate sentences come from the best passages; each is scored by its own vector against the
question (made at build time) and by how much of the question's weighted vocabulary it and its
section contain. Nothing in an answer is written by the program except the framing around
quotes and, for English questions, a sentence built from a curated profile fact, which is
cited to the article passage the fact was taken from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..corpus.companies import CompanyDirectory, Fact
from ..schema import Citation, Passage, Sentence
from ..text import has_cjk, squash

ZH_ABSTAIN = "语料库中没有能回答这个问题的内容。下面是最接近的材料，仅供参考，并非答案。"
EN_ABSTAIN = "The corpus does not cover this question. The closest material is listed below — it is not an answer."
# A sentence that ends like this introduces what follows, so the next sentence belongs with it.
_INTRODUCES = ("：", ":", "；", ";")  # a list or a clause that the next sentence completes


@dataclass
class Candidate:
    sentence: int  # index into the index's sentences
    passage: int
    score: float
    dense: float
    lexical: float


# What kind of thing a question asks for, and what a sentence holding such a thing looks like.
ANSWER_TYPES = {
    "amount": (
        re.compile(r"多少|多大|几[家个款张亿万]|规模|how (much|many|large|big)|what (amount|percentage|share)", re.I),
        re.compile(r"\d[\d.,]*\s*(亿|万|千|百)?\s*(元|美元|人民币|%|GB|TB|倍|家|张|卡|亿)|\d\s*%|\b(billion|million)\b", re.I),
    ),
    "date": (
        re.compile(r"什么时候|何时|哪天|哪一?年|几月|日期|\bwhen\b|what (year|date|month)|which (year|month)", re.I),
        re.compile(r"\d{4}\s*年|\d{1,2}\s*月|\d{4}-\d{1,2}"),
    ),
}


def answer_type(question: str) -> str | None:
    for name, (asks, _) in ANSWER_TYPES.items():
        if asks.search(question):
            return name
    return None


@dataclass(frozen=True)
class Weights:
    dense: float = 0.55
    lexical: float = 0.35
    passage: float = 0.10
    company: float = 0.08
    answer_type: float = 0.06


def term_weights(terms: list[str], idf) -> dict[str, float]:
    return {t: idf(t) for t in terms}


def lexical_score(text: str, weights: dict[str, float]) -> float:
    """Share of the question's idf mass whose terms occur in `text` (whitespace and case ignored)."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    s = squash(text)
    return sum(w for t, w in weights.items() if squash(t) in s) / total


def rank_sentences(
    passages: list[Passage],
    sentences: list[Sentence],
    sentence_vectors: np.ndarray,
    by_passage: dict[int, list[int]],
    hits: list[tuple[int, float]],
    qvec: np.ndarray,
    weights: dict[str, float],
    companies: set[str] = frozenset(),
    wanted_type: str | None = None,
    w: Weights = Weights(),
) -> list[Candidate]:
    if not hits:
        return []
    top = max(s for _, s in hits) or 1.0
    cands = []
    for pi, pscore in hits:
        p = passages[pi]
        # a question about a company prefers sentences from passages about it, and avoids those about others
        about = 0.0
        if companies and p.companies:
            about = w.company if companies & set(p.companies) else -w.company
        for si in by_passage.get(pi, []):
            sent = sentences[si]
            dense = float(np.dot(sentence_vectors[si], qvec))
            lex = lexical_score(p.section + " " + sent.text, weights) * 0.3 + lexical_score(sent.text, weights) * 0.7
            typed = w.answer_type if wanted_type and ANSWER_TYPES[wanted_type][1].search(sent.text) else 0.0
            score = w.dense * dense + w.lexical * lex + w.passage * pscore / top + about + typed
            cands.append(Candidate(si, pi, score, dense, lex))
    cands.sort(key=lambda c: -c.score)
    return cands


def choose(cands: list[Candidate], sentences: list[Sentence], by_passage: dict[int, list[int]], limit: int) -> list[list[int]]:
    """Groups of sentence indices to quote: the best sentence (with what it introduces), then a close runner-up."""
    if not cands:
        return []
    groups = [_with_continuation(cands[0].sentence, sentences, by_passage)]
    used = set(groups[0])
    best = cands[0]
    for c in cands[1:]:
        if len(groups) >= limit:
            break
        if c.sentence in used or sentences[c.sentence].text in {sentences[i].text for i in used}:
            continue
        # a second quote only when it is nearly as good and brings question words the first lacks
        if c.score >= best.score - 0.03 and c.lexical > 0 and c.passage != best.passage:
            group = _with_continuation(c.sentence, sentences, by_passage)
            groups.append(group)
            used.update(group)
        break
    return groups


def _with_continuation(si: int, sentences: list[Sentence], by_passage: dict[int, list[int]]) -> list[int]:
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


def make_citation(n: int, p: Passage, quote: str, score: float) -> Citation:
    return Citation(
        n=n, passage_id=p.passage_id, doc_id=p.doc_id, title=p.title, section=p.section, text=p.text,
        quote=quote, score=round(float(score), 4), published=p.published, start=p.start, end=p.end,
    )


def format_quote(quote: str, n: int, context: str, language: str) -> str:
    if language == "en":
        about = f" about {context}" if context else ""
        if has_cjk(quote):
            return f"According to [{n}]{about}: “{quote}” [{n}]"
        return f"According to [{n}]{about}: {quote} [{n}]"
    prefix = f"【{context}】" if context else ""
    return f"{prefix}{quote}[{n}]"


def fact_sentence(name_en: str, fact: Fact, n: int) -> str:
    """An English sentence from a curated fact; the number cites the passage the fact came from."""
    text = fact.en.rstrip(". ")
    return f"{name_en}: {text} [{n}]."


def abstain_text(language: str) -> str:
    return EN_ABSTAIN if language == "en" else ZH_ABSTAIN


def contains_fact(quote: str, fact: Fact) -> bool:
    return squash(fact.zh) in squash(quote)

