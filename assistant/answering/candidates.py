"""The candidate sentences of a question, as every answerer starts from them: retrieval (dense and
BM25, company boost), a hit on a company profile standing for the article passages its facts cite,
the sentences ranked, and those kept that may answer — about the asked company, not a heading. Also
the question's support terms and their coverage, which decide whether the corpus speaks of it at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..corpus.entities import is_institution
from ..search.retrieval import Query
from .analysis import QuestionAnalysis
from .calibration import COMPANY_TOP_K_FACTOR
from .context import AnswerContext
from .coverage import NAME, Term, coverage, question_terms
from .sentences import Candidate, rank_sentences, term_weights


@dataclass
class Retrieved:
    terms: list[str]
    candidates: list[Candidate]  # every candidate sentence, best first
    answerable: list[Candidate]  # those that may answer (company, not a heading)
    support_terms: list[Term]
    coverage: float


def retrieve(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray, wide: bool = False) -> Retrieved:
    """Candidates for `qa`; `wide` draws on as many passages as a company question does (for
    answers that scan for a kind of sentence rather than the one most similar)."""
    s = ctx.settings
    companies = list(qa.companies)
    extra = [*qa.expansions, *ctx.names.chinese_for(qa.text), *ctx.bridge(qa.text)]
    terms, expansions = ctx.retriever.query_terms(qa.text, companies, extra)
    k = s.top_k * (COMPANY_TOP_K_FACTOR if companies or wide else 1)
    hits = ctx.retriever.search(
        Query(qa.text, vector, terms, companies, expansions),
        k=k,
        candidates=s.candidates,
        fusion=s.fusion,
        dense_weight=s.dense_weight,
        company_boost=s.company_boost,
    )
    article_hits = expand_profiles(ctx, hits, qa.fields)
    cands = rank_sentences(
        ctx.passages,
        ctx.sentences,
        ctx.index.sentence_vectors,
        ctx.by_passage,
        article_hits,
        vector,
        term_weights(terms, ctx.retriever.idf),
        qa.answer_types,
        ctx.index.sentence_vectors_en,
    )
    support = question_terms(
        qa.text, ctx.tokenizer, ctx.glossary, ctx.directory, ctx.retriever.known, ctx.lexicon, ctx.names
    )
    # a company the follow-up refers back to ("它", "its") is part of what the question is about
    support += [Term(ctx.directory.by_id[c].name_zh, NAME, True) for c in qa.companies if c not in qa.named]
    return Retrieved(terms, cands, [c for c in cands if _may_answer(ctx, qa, c)], support, coverage(support))


def _may_answer(ctx: AnswerContext, qa: QuestionAnalysis, c: Candidate) -> bool:
    p = ctx.passages[c.passage]
    if p.kind == "heading" or not p.is_article or (p.kind == "meta" and not qa.about_article):
        # a section heading or an article's title line is no answer, unless the article is asked about
        return False
    if qa.companies:
        if not set(p.companies) & set(qa.companies):
            return False  # a passage about another company
        named = [
            cid
            for cid in ctx.directory.mentions(ctx.sentences[c.sentence].text)
            if not (ctx.directory.by_id[cid].discovered and is_institution(ctx.directory.by_id[cid].name_zh))
        ]
        if named and not set(named) & set(qa.companies):
            return False  # a sentence about another company (a sponsor named in it is not what it is about)
    return True


def retrieved_order(ctx: AnswerContext, candidates: list[Candidate], limit: int = 10) -> list[int]:
    """Passages in the order retrieval ranked them (for `Answer.retrieved`: evaluation and debugging)."""
    seen: list[int] = []
    for c in candidates:
        if c.passage not in seen:
            seen.append(c.passage)
            if len(seen) == limit:
                break
    return seen


def expand_profiles(ctx: AnswerContext, hits, fields) -> list[tuple[int, float]]:
    """Profile records stand for their facts: a hit on a profile brings in the article passages its
    facts cite."""
    asked = set(fields)
    out: dict[int, float] = {}
    for h in hits:
        p = ctx.passages[h.index]
        if p.is_article:
            out[h.index] = max(out.get(h.index, 0.0), h.score)
            continue
        prof = ctx.directory.by_id.get(p.companies[0]) if p.companies else None
        for fact in prof.facts if prof else ():
            i = ctx.by_id.get(fact.source)
            if i is not None and fact.field in asked:
                out[i] = max(out.get(i, 0.0), h.score * 0.9)
    return sorted(out.items(), key=lambda x: -x[1])
