"""Open questions: a summary of the article or of a company, its strengths and risks, the conclusion.

A summary is the article's own lead plus one cited line per company it covers; a company's
rundown is its profile's key facts, one per field. Strengths, risks and conclusions are the
sentences in which the article itself says so — its cue phrases (风险在于, 挑战, 优势, 但 …, the
closing paragraph) — within the asked company's part of the article.
"""

from __future__ import annotations

import numpy as np

from ..schema import Answer, Passage
from ..text import normalize
from .across import nearest_lines
from .analysis import QuestionAnalysis
from .calibration import (
    CAUSE_SENTENCES,
    CUE_SENTENCES,
    CUE_WEIGHT,
    FIGURE_BONUS,
    LEAD_PARAGRAPHS,
    LEAD_SENTENCES,
    MAX_POINTS,
    RUNDOWN_FIELDS,
    RUNDOWN_LINES,
)
from .checks import holds
from .compose import AnswerBuilder
from .context import AnswerContext
from .lookup import answer_lookup
from .near_articles import companies_in_order, main_document, near_documents
from .sentences import lexical_score, term_weights


def answer_summary(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray, notice: str) -> Answer:
    if len(qa.companies) == 1:
        return _company_rundown(ctx, qa, vector, notice)
    b = AnswerBuilder(ctx, qa.language)
    doc = main_document(ctx, vector)
    body = ctx.maps.of_document(doc, ("body",), ctx.passages)
    for pi in body[:LEAD_PARAGRAPHS]:
        first = ctx.by_passage.get(pi, [])[:1]
        if first:
            b.sentences(first, "lead", name_company=False)
    order = companies_in_order(ctx, doc)
    for cid in [c for c in qa.companies if c in order] or order:
        prof = ctx.directory.by_id[cid]
        for fact in prof.facts_for("focus") + prof.facts_for("analogy"):
            i = ctx.by_id.get(fact.source)
            if i is not None and ctx.passages[i].kind != "heading" and b.fact(prof, fact, "company"):
                break
    if not b.parts:
        return answer_lookup(ctx, qa, vector, notice)
    return b.answer(qa.text, qa.intent, order, notice)


def _company_rundown(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray, notice: str) -> Answer:
    prof = ctx.directory.by_id[qa.companies[0]]
    b = AnswerBuilder(ctx, qa.language)
    if not prof.facts:  # found in the articles: the headline of its own article (the news in one
        # line: 净利润21.58亿元, 首日收涨123.96%), then its sentences nearest to the question, figures first
        newest = _newest_own_article(ctx, prof.id)
        for pi in ctx.maps.of_document(newest, ("meta",), ctx.passages)[:1] if newest else ():
            head = ctx.passages[pi]
            b.quote(pi, head.title, head.title_en, "support", company=prof.id)
        for si in _key_sentences(ctx, prof.id, vector, newest):
            b.sentences([si], "support", company=prof.id)
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
    if len(qa.companies) == 1 and set(qa.fields) - {"losses", "profit"}:
        # "its strategy, and the risks": the other part first, from the company's nearest sentences
        nearest_lines(ctx, b, qa, vector, qa.companies[0], 1, role="direct")
    for kind in kinds:
        if kind == "conclusion" and not qa.companies:
            _conclusion(ctx, b, vector)
            continue
        for si in _cue_sentences(ctx, qa, vector, kind):
            b.sentences(_with_points(ctx, si), "direct" if not b.parts else "support")
    if not b.parts:
        return answer_lookup(ctx, qa, vector, notice)
    return b.answer(qa.text, qa.intent, qa.companies, notice)


def answer_causes(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray, notice: str) -> Answer:
    """ "Why …": of the sentences about the asked company (or in the nearest articles), those that give
    a reason (得益于, 主要由于, due to) and are nearest the question in meaning and words — reporting
    states the cause next to the figure it explains. A look-up when no sentence gives one."""
    cues = ctx.lexicon.cues.get("causes", ())
    terms, _ = ctx.retriever.query_terms(qa.text, list(qa.companies), qa.expansions)
    weights = term_weights(terms, ctx.retriever.idf)
    scored = []
    for pi in _scope(ctx, qa, vector):
        for si in ctx.by_passage.get(pi, []):
            s = ctx.sentences[si]
            text = (
                f"{normalize(s.text)} {s.text_en.lower()}"  # 補足 is 补足: traditional text, simplified cues
            )
            if any(c in text for c in cues):
                sim = float(np.dot(ctx.index.sentence_vectors[si], vector))
                scored.append((sim + lexical_score(f"{s.text} {s.text_en}", weights), si))
    if not scored:
        return answer_lookup(ctx, qa, vector, notice)
    b = AnswerBuilder(ctx, qa.language)
    figure = _figure_sentence(ctx, qa, vector)
    if figure is not None:  # "why is it cutting capex": the figure as stated first (较2025年明显增加)
        b.sentences([figure], "direct")
    for _, si in sorted(scored, reverse=True)[:CAUSE_SENTENCES]:
        if si != figure:
            b.sentences(_with_points(ctx, si), "direct" if not b.parts else "support")
    return b.answer(qa.text, qa.intent, qa.companies, notice)


def _figure_sentence(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray) -> int | None:
    """Of a company's sentences, the one nearest the question that states the figure a "why" names
    with a value (资本开支 of "why is it cutting capex"): what changed, before why — and where the
    question's premise is wrong (it grew), the sentence that says so. None when it names no figure."""
    forms = [normalize(f) for _, fs in ctx.glossary.asked_figures(qa.text) for f in fs]
    if not forms or not qa.companies:
        return None
    best = None
    for pi in _scope(ctx, qa, vector):
        for si in ctx.by_passage.get(pi, []):
            text = ctx.sentences[si].text
            if any(f in normalize(text) for f in forms) and holds("amount", text):
                sim = float(np.dot(ctx.index.sentence_vectors[si], vector))
                best = max(best or (sim, si), (sim, si))
    return best[1] if best else None


def _scope(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray) -> list[int]:
    """The body passages an answer scans: the asked companies', or those of the nearest articles."""
    if qa.companies:
        scope = ctx.maps.of_companies(qa.companies)
    else:
        scope = [
            i
            for doc in near_documents(ctx, vector)
            for i in ctx.maps.of_document(doc, ("body",), ctx.passages)
        ]
    return [pi for pi in scope if ctx.passages[pi].kind == "body"]


def _key_sentences(ctx: AnswerContext, cid: str, vector: np.ndarray, newest: str) -> list[int]:
    """A company without a profile summed up: of the sentences about it, those nearest the question,
    a sentence that states a figure first (a results report is its figures), in article order."""
    lead = _lead_of_article(ctx, newest)
    scored = []
    for pi in ctx.maps.of_companies((cid,)):
        if ctx.passages[pi].kind != "body":
            continue
        for si in ctx.by_passage.get(pi, []):
            text = ctx.sentences[si].text
            sim = float(np.dot(ctx.index.sentence_vectors[si], vector))
            scored.append((sim + (FIGURE_BONUS if holds("amount", text) else 0.0), si))
    best = [si for _, si in sorted(scored, reverse=True) if si not in lead][: RUNDOWN_LINES - len(lead)]
    return lead + sorted(best)


def _newest_own_article(ctx: AnswerContext, cid: str) -> str:
    """The newest article whose title names the company ("" when none does)."""
    docs: dict[str, Passage] = {}  # each article about it once, by a body passage of it
    for i in ctx.maps.of_companies((cid,)):
        if ctx.passages[i].kind == "body":
            docs.setdefault(ctx.passages[i].doc_id, ctx.passages[i])
    own = [d for d, p in docs.items() if cid in ctx.directory.mentions(p.title)]
    return max(own, key=lambda d: docs[d].published) if own else ""


def _lead_of_article(ctx: AnswerContext, newest: str) -> list[int]:
    """The opening of the company's own newest article (`_newest_own_article`; "" for none): where
    reporting puts the news."""
    if not newest:
        return []
    body = ctx.maps.of_document(newest, ("body",), ctx.passages)
    return [si for pi in body[:LEAD_PARAGRAPHS] for si in _lead_sentences(ctx, pi)]


def _lead_sentences(ctx: AnswerContext, pi: int) -> list[int]:
    """A paragraph's first sentence, and the next when the first states no figure: "…发布2025年年度
    报告。报告期内，公司实现营业收入486.32亿元…" — the news is in the second."""
    first = ctx.by_passage.get(pi, [])[:LEAD_SENTENCES]
    if len(first) > 1 and holds("amount", ctx.sentences[first[0]].text):
        return first[:1]
    return first


def _with_points(ctx: AnswerContext, si: int) -> list[int]:
    """A sentence that ends in a semicolon lists points ("风险提示方面，公司尚未盈利…；公司芯片依赖境外
    晶圆代工…；客户集中度较高…"), and one that opens with 此外 or moreover adds a point to the one before
    it ("…尚未经第三方机构独立测试。此外，HBM3显存供应仍较为紧张…"): the points after it in its
    paragraph come with it."""
    group = [si]
    siblings = ctx.by_passage.get(ctx.sentences[si].passage_index, [])
    at = siblings.index(si) if si in siblings else len(siblings)
    while (
        at + 1 < len(siblings)
        and len(group) < MAX_POINTS
        and (
            ctx.sentences[group[-1]].text.rstrip().endswith(("；", ";")) or _continues(ctx, siblings[at + 1])
        )
    ):
        at += 1
        group.append(siblings[at])
    return group


def _continues(ctx: AnswerContext, si: int) -> bool:
    """Whether the sentence opens with a word that continues the point before it (lexicon `continues`)."""
    opening = normalize(ctx.sentences[si].text).lstrip()[:8]
    return any(opening.startswith(w) for w in (*ctx.lexicon.continues[0], *ctx.lexicon.continues[1]))


def _cue_sentences(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray, kind: str) -> list[int]:
    """The sentences with the kind's cue phrases, within the asked companies' passages or, when
    none is asked, within the articles nearest to the question."""
    cues = ctx.lexicon.cues.get(kind, ())
    scored = []
    for pi in _scope(ctx, qa, vector):
        for si in ctx.by_passage.get(pi, []):
            text = normalize(ctx.sentences[si].text)
            hits = sum(1 for c in cues if c in text)
            if hits:
                sim = float(np.dot(ctx.index.sentence_vectors[si], vector))
                scored.append((CUE_WEIGHT * min(hits, 3) + sim, si))
    scored.sort(reverse=True)
    return [si for _, si in scored[:CUE_SENTENCES]]


def _conclusion(ctx: AnswerContext, b: AnswerBuilder, vector: np.ndarray) -> None:
    """The closing paragraph of the article: where reporting puts its conclusion."""
    doc = main_document(ctx, vector)
    body = ctx.maps.of_document(doc, ("body",), ctx.passages)
    if body:
        b.sentences(ctx.by_passage.get(body[-1], [])[:CUE_SENTENCES], "direct", name_company=False)
