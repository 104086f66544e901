"""The sentences a look-up quotes: the best claim's (or the later revision in force of the plan it
states), then one group for each further part asked that the groups so far do not hold — a need of
the question, each further figure it names ("显存多大、功耗多少"), the next sentence for "only …?".
"""

from __future__ import annotations

from dataclasses import replace

from ..text import normalize, squash
from .analysis import QuestionAnalysis
from .asked_claim import claim_of
from .calibration import MAX_PARTS
from .candidates import Retrieved
from .context import AnswerContext
from .needs import Need, first_holding, group_holds, holds_all
from .sentences import Candidate, with_continuation
from .yesno import decision_after, superseded


def in_force(ctx: AnswerContext, qa: QuestionAnalysis, needs: list[Need], first: Candidate) -> Candidate:
    """An earlier plan that a later sentence of the same article revised ("曾表示…向港交所递交上市申请"
    … "决定放弃赴港上市计划，转而申报上交所科创板"): the revision answers when it holds what was asked,
    unless the question asks the earlier plan (lexicon `former`). A sentence that states a revision
    itself ("修订方案，剔除…项目（原拟投入2.2亿元）") is the one in force."""
    if qa.intent == "yesno":  # quoted with the decision after it, and never confirmed (yesno.py)
        return first
    if ctx.lexicon.says(normalize(qa.text), "former") or not superseded(ctx, [first.sentence]):
        return first
    if ctx.lexicon.says(normalize(ctx.sentences[first.sentence].text), "revised"):
        return first
    later = decision_after(ctx, first.sentence)
    if later is None:
        return first
    revised = replace(first, sentence=later, passage=ctx.sentences[later].passage_index)
    return revised if not needs or holds_all(ctx, revised, needs[:1]) else first


def chosen_groups(
    ctx: AnswerContext, qa: QuestionAnalysis, window: list[Candidate], needs: list[Need], first: Candidate
) -> list[list[int]]:
    """The sentence groups quoted: the best claim's, then one for each further part asked that the
    groups so far do not hold, and for "only …?" the next sentence on the same attribute."""
    chosen = [with_continuation(first.sentence, ctx.sentences, ctx.by_passage)]
    decision = decision_after(ctx, chosen[0][-1]) if superseded(ctx, chosen[0]) else None
    if decision is not None:  # "曾拟…终身市场禁入": and what was decided in the end
        chosen.append([decision])
    for need in needs[1:]:
        if len(chosen) >= MAX_PARTS or group_holds(ctx, chosen, need):
            continue
        extra = first_holding(ctx, window, [need])
        if extra is not None:
            chosen.append(with_continuation(extra.sentence, ctx.sentences, ctx.by_passage))

    if ctx.lexicon.says(normalize(qa.text), "only") and qa.fields and len(chosen) < MAX_PARTS:
        # "only …?" asks what else there is: the next sentence on the same attribute answers that
        words = tuple(w for f in qa.fields for w in ctx.lexicon.fields.get(f, ()))
        other = first_holding(
            ctx,
            [c for c in window if all(c.sentence not in g for g in chosen)],
            [Need(kind="field", words=words)],
        )
        if other is not None:
            chosen.append(with_continuation(other.sentence, ctx.sentences, ctx.by_passage))
    return chosen


def figure_parts(
    ctx: AnswerContext,
    qa: QuestionAnalysis,
    r: Retrieved,
    holding: list[Candidate],
    figures: list[tuple[str, tuple[str, ...]]],
    chosen: list[list[int]],
) -> list[list[int]]:
    """For each further figure asked that the chosen quotes do not state, the sentence whose best
    clause gives that figure a value (配备96GB HBM3显存, not 显存容量多出32GB)."""
    parts: list[list[int]] = []
    for word, forms in figures:
        said = [si for group in [*chosen, *parts] for si in group]
        if len(chosen) + len(parts) >= MAX_PARTS or any(_states(ctx, si, [(word, forms)]) for si in said):
            continue
        cues = {f: 1.0 for f in (word, *forms)}
        stating = [c for c in holding if c.sentence not in said and _states(ctx, c.sentence, [(word, forms)])]
        scored = [(claim_of(ctx, qa, r.support_terms, [c.sentence], cues), c) for c in stating]
        best = max((sc for sc in scored if sc[0].value), key=lambda sc: sc[0].score, default=None)
        if best is not None:
            parts.append(with_continuation(best[1].sentence, ctx.sentences, ctx.by_passage))
    return parts


def states_any(ctx: AnswerContext, c: Candidate, asked: list[tuple[str, tuple[str, ...]]]) -> bool:
    """The sentence uses some form of one of the reported figures asked (毛利率, 营业收入 for 营收)."""
    return _states(ctx, c.sentence, asked)


def _states(ctx: AnswerContext, si: int, asked: list[tuple[str, tuple[str, ...]]]) -> bool:
    s = ctx.sentences[si]
    text = squash(f"{s.text} {s.text_en}")
    return any(squash(f) in text for word, forms in asked for f in (word, *forms))
