"""Answers across companies: comparisons side by side, rankings, "which companies …" lists.

No single passage compares or ranks the companies, so these answers are assembled from the
curated profile facts, each quoted from (and cited to) the article sentence it was taken from:
one line per company on the asked aspect, then — where the facts carry comparable values — the
contrast (a bigger number, an earlier date) rendered from those values.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..corpus.companies import CompanyProfile, Fact
from ..messages import Msg
from ..schema import Answer
from ..text import model_numbers, normalize
from ..values.parsing import find_values
from ..values.rendering import render_en
from .analysis import Intent, QuestionAnalysis
from .calibration import DEFAULT_ASPECT, SENTENCES_PER_COMPANY, SENTENCES_SINGLE
from .candidates import retrieve
from .checks import holds
from .compose import AnswerBuilder, company_name, field_label
from .context import AnswerContext
from .lookup import answer_lookup
from .near_articles import group_of
from .ranking import companies_with, rank, sort_key


def answer_comparison(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray, notice: str) -> Answer:
    """One cited line (or two) per named company on the asked aspect; then the contrast of values."""
    products = not qa.companies and len(model_numbers(qa.text)) >= 2  # two products, no company named
    asked = qa.companies or (group_of(ctx, qa, vector) if qa.group is not None else ())
    profiles = [] if products else [ctx.directory.by_id[c] for c in asked] or list(ctx.profiles)
    aspect = qa.fields or DEFAULT_ASPECT
    per = SENTENCES_SINGLE if len(profiles) == 1 else SENTENCES_PER_COMPANY
    b = AnswerBuilder(ctx, qa.language)
    shown = _model_lines(ctx, b, qa, vector)
    for prof in profiles:
        n = _company_lines(ctx, b, prof, aspect, per)
        shown += n or nearest_lines(ctx, b, qa, vector, prof.id, per)  # no curated facts: its own sentences
    if not shown:
        return answer_lookup(ctx, qa, vector, notice)
    _contrast(ctx, b, profiles, aspect, qa.language)
    return b.answer(qa.text, qa.intent, [p.id for p in profiles], notice)


def _model_lines(ctx: AnswerContext, b: AnswerBuilder, qa: QuestionAnalysis, vector: np.ndarray) -> int:
    """Two or more products compared ("QH-960和XL-2000"): for each, the sentence nearest the question
    that gives figures of it alone — its own specifications before any sentence about both."""
    asked = model_numbers(qa.text)
    if len(asked) < 2:
        return 0
    found = retrieve(ctx, qa, vector).candidates
    n = 0
    for model in sorted(asked):
        for c in found:
            text = ctx.sentences[c.sentence].text
            if model_numbers(text) & asked == {model} and holds("amount", text):
                n += b.sentences([c.sentence], "company")
                break
    return n


def _company_lines(ctx: AnswerContext, b: AnswerBuilder, prof: CompanyProfile, fields, limit: int) -> int:
    """Up to `limit` lines from the company's facts on `fields`, taking the fields in turn (its focus,
    then what it is likened to, then focus again …) so that each asked aspect is heard."""
    n = 0
    columns = [prof.facts_for(field) for field in fields]
    in_turn = [col[i] for i in range(max(map(len, columns), default=0)) for col in columns if i < len(col)]
    for fact in in_turn:
        if n >= limit:
            break
        if _from_heading(ctx, fact):
            continue  # a section heading ("国产 AMD?") is a title, not a statement
        n += b.fact(prof, fact, "company")
    return n


def nearest_lines(
    ctx: AnswerContext,
    b: AnswerBuilder,
    qa: QuestionAnalysis,
    vector: np.ndarray,
    cid: str,
    limit: int,
    role: str = "company",
) -> int:
    """Up to `limit` of the sentences about one company nearest to the question, quoted: what a
    company found in the articles (no curated profile) has instead of facts."""
    one = replace(qa, companies=(cid,), named=(cid,), intent=Intent.LOOKUP, answer_types=())
    r = retrieve(ctx, one, vector)
    n = 0
    for c in r.answerable:
        if n >= limit:
            break
        if cid in ctx.passages[c.passage].companies:  # (answerable: no sentence about another company)
            n += b.sentences([c.sentence], role, company=cid)
    return n


def _from_heading(ctx: AnswerContext, fact: Fact) -> bool:
    i = ctx.by_id.get(fact.source)
    return i is None or ctx.passages[i].kind == "heading"


def _contrast(ctx: AnswerContext, b: AnswerBuilder, profiles, fields, language: str) -> None:
    """ "A (80 亿元) is more than B (39.04 亿元)": only from facts whose values compare as numbers."""
    for field in fields:
        rows = []
        for prof in profiles:
            facts = [
                f
                for f in prof.facts_for(field)
                if isinstance(f.value, (int, float)) and not isinstance(f.value, bool)
            ]
            if facts:
                rows.append((prof, facts[0]))
        if len(rows) < 2 or len(rows) != len(profiles):
            continue
        rows.sort(key=lambda r: -float(r[1].value))
        shown = []
        for prof, fact in rows:
            values = find_values(fact.zh)
            written = fact.zh[values[0].span[0] : values[0].span[1]] if values else str(fact.value)
            shown.append((prof, render_en(values[0]) if values and language == "en" else written))
        label = field_label(field, language)
        (a, va), (c, vc) = shown[0], shown[-1]
        if language == "en":
            b.line(Msg.HIGHER.say("en", a=a.name_en, label=label, va=va, c=c.name_en, vc=vc), "contrast")
        else:
            b.line(Msg.HIGHER.say("zh", a=a.name_zh, label=label, va=va, c=c.name_zh, vc=vc), "contrast")
        return


def answer_ranking(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray, notice: str) -> Answer:
    """Who is first: the order the article itself states ("速度最快") wins over one computed from values."""
    b = AnswerBuilder(ctx, qa.language)
    pool = [ctx.directory.by_id[c] for c in qa.named] if len(qa.named) >= 2 else list(ctx.profiles)
    if qa.superlative == "stated":
        stated = _stated_order(ctx, qa, vector)
        if stated is not None:
            b.sentences([stated], "direct")
            return b.answer(qa.text, qa.intent, qa.companies, notice)
    direction = "min" if qa.superlative == "min" else "max"
    ranking = rank(pool, qa.fields, direction, set(qa.years)) if qa.superlative in ("min", "max") else None
    if ranking is None:
        return answer_lookup(ctx, qa, vector, notice)
    winners = ranking.winners
    for pos, (prof, fact) in enumerate(ranking.ranked[:4]):
        if pos < winners:
            b.fact(prof, fact, "direct" if pos == 0 else "company")
        else:
            n = _cite_fact(ctx, b, fact)
            if n is None:
                continue
            text = Msg.COMPARE_WITH.say(
                qa.language,
                company=prof.display(qa.language),
                n=str(n),
                fact=fact.en if qa.language == "en" else fact.zh,
            )
            b.line(text, "company", company=prof.id, citations=(n,))
    return b.answer(qa.text, qa.intent, [p.id for p, _ in ranking.ranked[:4]], notice)


def _stated_order(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray) -> int | None:
    """A retrieved sentence that states the order itself: a superlative word next to the asked topic."""
    words = ctx.lexicon.superlative.get("stated", ())
    topic = [w for f in qa.fields for w in ctx.lexicon.fields.get(f, ())] + list(qa.expansions)
    for c in retrieve(ctx, qa, vector, wide=True).answerable:
        s = ctx.sentences[c.sentence]
        text = f"{s.text} {s.text_en}".lower()
        if (
            any(w in text for w in words if len(w) >= 2)
            and (not topic or any(w in text for w in topic))
            and ctx.directory.mentions(s.text)
        ):
            return c.sentence
    return None


def _cite_fact(ctx: AnswerContext, b: AnswerBuilder, fact: Fact) -> int | None:
    i = ctx.by_id.get(fact.source)
    return None if i is None else b.cite(i, fact.zh)


def answer_list(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray, notice: str) -> Answer:
    """ "Which companies …": the companies a fact applies to; with two clauses, where each one stands."""
    pool = [ctx.directory.by_id[c] for c in qa.named] if len(qa.named) >= 2 else list(ctx.profiles)
    b = AnswerBuilder(ctx, qa.language)
    # "which have filed, and which are still …" asks where every company stands
    if qa.fields and ctx.lexicon.says(normalize(qa.text), "each_stands"):
        for prof in pool:
            fact = _latest(prof.facts_for(qa.fields[0]), ctx)
            if fact is not None:
                b.fact(prof, fact, "company")
        if b.parts:
            return b.answer(qa.text, qa.intent, [p.id for p in pool], notice)
    rows = companies_with(pool, ctx.retriever.concept_groups(qa.text), ctx.retriever.idf)
    if not rows:
        return answer_lookup(ctx, qa, vector, notice)
    sep, colon = ("、", "：") if qa.language == "zh" else (", ", ":")
    b.line(sep.join(company_name(ctx, p.id, qa.language) for p, _ in rows[:6]) + colon, "direct")
    for prof, fact in rows[:6]:
        b.fact(prof, fact, "company")
    return b.answer(qa.text, qa.intent, [p.id for p, _ in rows[:6]], notice)


def _latest(facts: list[Fact], ctx: AnswerContext) -> Fact | None:
    """The fact with the latest date value (how far a listing has got), else the first one."""
    facts = [f for f in facts if not _from_heading(ctx, f)]
    dated = [f for f in facts if sort_key(f.value) is not None]
    if dated:
        return max(dated, key=lambda f: sort_key(f.value))
    return facts[0] if facts else None
