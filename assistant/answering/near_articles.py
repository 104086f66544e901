"""The articles nearest a question, and the companies an article is about: for "this article", for
open questions that name no company, and for a set of companies named by how many ("the three
start-ups in the round-up")."""

from __future__ import annotations

import numpy as np

from ..corpus.entities import is_institution
from .analysis import QuestionAnalysis
from .calibration import GROUP_SENTENCES, NEAR_PASSAGES
from .candidates import retrieve
from .context import AnswerContext


def main_document(ctx: AnswerContext, vector: np.ndarray) -> str:
    """The article a question about "this article" means: the one whose passages are nearest to it."""
    return next(iter(near_documents(ctx, vector) or ctx.index.documents), "")


def near_documents(ctx: AnswerContext, vector: np.ndarray) -> list[str]:
    """The articles of the passages nearest to the question, nearest first."""
    articles = ctx.index.documents  # the articles (documents.json), not the profiles
    if len(articles) <= 1:
        return list(articles)
    best: dict[str, float] = {}
    for i, score in ctx.retriever.dense(vector, NEAR_PASSAGES).items():
        d = ctx.passages[i].doc_id
        if d in articles:
            best[d] = max(best.get(d, score), score)
    return sorted(best, key=lambda d: -best[d])


def companies_in_order(ctx: AnswerContext, doc: str) -> list[str]:
    """The companies an article names, in the order it first names them."""
    return list(_passages_naming(ctx, doc))


def group_of(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray) -> list[str]:
    """The companies a set named by how many means ("这三家公司", "the three start-ups"): the
    principal companies — not investors, brokers or courts — of the article the question's best
    sentences come from, the first such article with as many as the count says (a round-up of three
    start-ups, not a piece on six GPU makers), in the order it first names them. Principal: named in
    more than one passage; with no count said, all of those."""
    ranked: dict[str, float] = {}
    for c in retrieve(ctx, qa, vector).candidates[:GROUP_SENTENCES]:
        doc = ctx.passages[ctx.sentences[c.sentence].passage_index].doc_id
        if doc in ctx.index.documents:
            ranked[doc] = ranked.get(doc, 0.0) + c.score
    docs = sorted(ranked, key=lambda d: -ranked[d]) or [main_document(ctx, vector)]
    principal = {d: _principal(ctx, d) for d in docs}
    doc = next((d for d in docs if len(principal[d]) == qa.group), docs[0])
    return principal[doc] if not qa.group or len(principal[doc]) <= qa.group else principal[doc][: qa.group]


def _principal(ctx: AnswerContext, doc: str) -> list[str]:
    """The companies (not institutions) an article names in more than one passage, in its order."""
    return [c for c, n in _passages_naming(ctx, doc).items() if n > 1 and not _institution(ctx, c)]


def _passages_naming(ctx: AnswerContext, doc: str) -> dict[str, int]:
    """{company: how many of the article's passages name it}, in the order the article first names them."""
    counts: dict[str, int] = {}
    for pi in ctx.maps.of_document(doc, ("body", "heading"), ctx.passages):
        for cid in ctx.directory.mentions(ctx.passages[pi].text):
            counts[cid] = counts.get(cid, 0) + 1
    return counts


def _institution(ctx: AnswerContext, cid: str) -> bool:
    prof = ctx.directory.by_id[cid]
    return prof.discovered and is_institution(prof.name_zh)
