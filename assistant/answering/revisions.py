"""A statement a later decision replaced, and that decision: "曾拟对其采取终身市场禁入" in a penalty
report is followed by "禁入期限改为10年". A yes/no question answered by the first is never answered
"yes" (lookup._confirms), and the quote of the earlier proposal comes with the decision in force.
"""

from __future__ import annotations

from ..text import normalize
from .context import AnswerContext


def superseded(ctx: AnswerContext, group: list[int]) -> bool:
    """The quoted sentences report an earlier proposal (曾拟, 原方案, 事先告知书)."""
    return ctx.lexicon.says(normalize(" ".join(ctx.sentences[si].text for si in group)), "superseded")


def decision_after(ctx: AnswerContext, si: int) -> int | None:
    """The first later sentence of the same article that states a revision (改为, 下调至, 最终), or None."""
    doc = ctx.passages[ctx.sentences[si].passage_index].doc_id
    after = False
    for pi in ctx.maps.of_document(doc, ("body",), ctx.passages):
        for sj in ctx.by_passage.get(pi, []):
            if sj == si:
                after = True
            elif after and ctx.lexicon.says(normalize(ctx.sentences[sj].text), "revised"):
                return sj
    return None
