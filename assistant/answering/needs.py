"""What a sentence must hold to answer each part of a question: a kind of value ("date", an amount)
with, for the first part, the asked attribute's word (估值 for "壁仞的估值是多少"), then each further
checked attribute. Look-ups (lookup.py) keep the sentences that hold them and quote one per part.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..text import article_year, squash
from .analysis import AFTER_ARTICLE, QuestionAnalysis
from .calibration import CHECKED_FIELDS, FIELD_KINDS
from .checks import holds
from .clause_values import days_named
from .context import AnswerContext
from .sentences import Candidate


@dataclass(frozen=True)
class Need:
    """Something a sentence must hold to answer one part: a kind of value, or an attribute's word."""

    kind: str  # an answer type ("date", …) or "field"
    words: tuple[str, ...] = ()  # for "field": the attribute's words
    field: str = ""


def needs_of(ctx: AnswerContext, qa: QuestionAnalysis) -> list[Need]:
    """One need per part asked: each expected answer type, then each checked attribute of a company.
    The first attribute's word joins the first type ("壁仞的估值是多少": an amount *with* 估值), since
    a bare type holds for many sentences ("多少" for any amount) and the attribute pins it down."""
    types = [Need(kind=t) for t in qa.answer_types]
    fields = [
        Need(kind="field", words=ctx.lexicon.fields.get(f, ()), field=f)
        for f in qa.fields
        if qa.companies and f in CHECKED_FIELDS
    ]
    if qa.after_article:  # a share price, a first trading day: the sentence must speak of it
        zh, en = ctx.lexicon.after_article
        fields.insert(0, Need(kind="field", words=zh + en, field=AFTER_ARTICLE))
    if types and fields and FIELD_KINDS.get(fields[0].field, types[0].kind) == types[0].kind:
        types[0] = Need(kind=types[0].kind, words=fields[0].words, field=fields[0].field)
        fields = fields[1:]
    fields = [
        f
        for f in fields
        if FIELD_KINDS.get(f.field, "") not in ("date", "place")
        or not {"person", "organisation"} & set(qa.answer_types)
    ]  # "who founded X": not its founding date
    return types + fields


def holds_need(ctx: AnswerContext, need: Need, text: str) -> bool:
    if need.words and not any(squash(w) in squash(text) for w in need.words):
        return False
    return need.kind == "field" or holds(need.kind, text, ctx.names)


def holds_all(ctx: AnswerContext, c: Candidate, needs: list[Need]) -> bool:
    s = ctx.sentences[c.sentence]
    return all(holds_need(ctx, n, f"{s.text} {s.text_en}") or _scheduled(ctx, n, c) for n in needs)


def _scheduled(ctx: AnswerContext, need: Need, c: Candidate) -> bool:
    """A date asked of what happens after an article (when trading starts, a record date) is answered
    by a date the article schedules — one later than the article itself ("股权登记日为4月8日" in an
    article of 7 April): a stated plan is a fact, whatever words it uses."""
    if need.field != AFTER_ARTICLE or need.kind != "date":
        return False
    published = ctx.passages[c.passage].published
    text = ctx.sentences[c.sentence].text
    if not published:
        return False
    return any(
        v.year and f"{v.year:04d}-{v.month:02d}-{v.day:02d}" > published[:10]
        for v in days_named(text, article_year(published))
    )


def first_holding(ctx: AnswerContext, window: list[Candidate], needs: list[Need]) -> Candidate | None:
    for c in window:
        s = ctx.sentences[c.sentence]
        text = f"{s.text} {s.text_en}"
        if all(holds_need(ctx, n, text) for n in needs):
            return c
    return None


def group_holds(ctx: AnswerContext, chosen: list[list[int]], need: Need) -> bool:
    text = " ".join(f"{ctx.sentences[si].text} {ctx.sentences[si].text_en}" for g in chosen for si in g)
    return holds_need(ctx, need, text)
