"""Open questions: a summary of the article or of a company, its strengths and risks, the conclusion.

A summary is the article's own lead plus one cited line per company it covers; a company's
rundown is its profile's key facts, one per field. Strengths, risks and conclusions are the
sentences in which the article itself says so — its cue phrases (风险在于, 挑战, 优势, 但 …, the
closing paragraph) — within the asked company's part of the article.
"""
from __future__ import annotations

import numpy as np

from ..schema import Answer
from .calibration import CUE_SENTENCES, CUE_WEIGHT, LEAD_PARAGRAPHS, RUNDOWN_FIELDS, RUNDOWN_LINES
from .analysis import QuestionAnalysis
from .compose import AnswerBuilder
from .context import AnswerContext
from .lookup import answer_lookup


def answer_summary(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray, notice: str) -> Answer:
    if len(qa.companies) == 1:
        return _company_rundown(ctx, qa, notice)
    b = AnswerBuilder(ctx, qa.language)
    doc = _main_document(ctx, vector)
    body = [i for i, p in enumerate(ctx.passages) if p.doc_id == doc and p.kind == "body"]
    for pi in body[:LEAD_PARAGRAPHS]:
        first = ctx.by_passage.get(pi, [])[:1]
        if first:
            b.sentences(first, "lead", name_company=False)
    order = _companies_in_order(ctx, doc)
    for cid in [c for c in qa.companies if c in order] or order:
        prof = ctx.directory.by_id[cid]
        for fact in prof.facts_for("focus") + prof.facts_for("analogy"):
            i = ctx.by_id.get(fact.source)
            if i is not None and ctx.passages[i].kind != "heading" and b.fact(prof, fact, "company"):
                break
    if not b.parts:
        return answer_lookup(ctx, qa, vector, notice)
    return b.answer(qa.text, qa.intent, order, notice)


def _company_rundown(ctx: AnswerContext, qa: QuestionAnalysis, notice: str) -> Answer:
    prof = ctx.directory.by_id[qa.companies[0]]
    b = AnswerBuilder(ctx, qa.language)
    for field in RUNDOWN_FIELDS:
        if len(b.parts) >= RUNDOWN_LINES:
            break
        for fact in prof.facts_for(field):
            i = ctx.by_id.get(fact.source)
            if i is not None and ctx.passages[i].kind != "heading" and b.fact(prof, fact, "company"):
                break
    return b.answer(qa.text, qa.intent, [prof.id], notice)


def answer_cues(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray, notice: str) -> Answer:
    """Risks, strengths (both when both are asked) or the conclusion, in the article's own words."""
    b = AnswerBuilder(ctx, qa.language)
    kinds = [k for k in (qa.intent, *qa.also) if k in ("strengths", "risks", "conclusion")]
    if "strengths" in kinds and "risks" in kinds:
        kinds = ["strengths", "risks"]  # the order people expect: first the good, then the bad
    for kind in kinds:
        if kind == "conclusion" and not qa.companies:
            _conclusion(ctx, b, vector)
            continue
        for si in _cue_sentences(ctx, qa, vector, kind):
            b.sentences([si], "direct" if not b.parts else "support")
    if not b.parts:
        return answer_lookup(ctx, qa, vector, notice)
    return b.answer(qa.text, qa.intent, qa.companies, notice)


def _cue_sentences(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray, kind: str) -> list[int]:
    cues = ctx.lexicon.cues.get(kind, ())
    wanted = set(qa.companies)
    scored = []
    for pi, p in enumerate(ctx.passages):
        if p.kind != "body" or (wanted and not wanted & set(p.companies)):
            continue
        for si in ctx.by_passage.get(pi, []):
            text = ctx.sentences[si].text
            hits = sum(1 for c in cues if c in text)
            if hits:
                sim = float(np.dot(ctx.index.sentence_vectors[si], vector))
                scored.append((CUE_WEIGHT * min(hits, 3) + sim, si))
    scored.sort(reverse=True)
    return [si for _, si in scored[:CUE_SENTENCES]]


def _conclusion(ctx: AnswerContext, b: AnswerBuilder, vector: np.ndarray) -> None:
    """The closing paragraph of the article: where reporting puts its conclusion."""
    doc = _main_document(ctx, vector)
    body = [i for i, p in enumerate(ctx.passages) if p.doc_id == doc and p.kind == "body"]
    if body:
        b.sentences(ctx.by_passage.get(body[-1], [])[:CUE_SENTENCES], "direct", name_company=False)


def _main_document(ctx: AnswerContext, vector: np.ndarray) -> str:
    """The article a question about "this article" means: the one whose passages are nearest to it."""
    best = dict.fromkeys(ctx.index.documents, 0.0)  # the articles (documents.json), not every passage
    if len(best) <= 1:
        return next(iter(best), "")
    hits = ctx.retriever.dense(vector, 20)
    for i, score in hits.items():
        d = ctx.passages[i].doc_id
        if d in best:
            best[d] = max(best[d], score)
    return max(best, key=best.get)


def _companies_in_order(ctx: AnswerContext, doc: str) -> list[str]:
    order: list[str] = []
    for p in ctx.passages:
        if p.doc_id == doc and p.kind in ("body", "heading"):
            for cid in ctx.directory.mentions(p.text):
                if cid not in order:
                    order.append(cid)
    return order
