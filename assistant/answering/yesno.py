"""Yes/no questions: "Yes." only when a sentence confirms every specific thing asked, "No." when the
premise states a figure against the one the article gives ("一开始就开价每股168元？" — 155元), and never a
"yes" from an earlier proposal a later decision replaced ("曾拟对其采取终身市场禁入", then "禁入期限改为
10年"): that quote comes with the decision in force.
"""

from __future__ import annotations

from ..text import normalize, squash
from .analysis import QuestionAnalysis
from .clause_values import FIGURES, values_in
from .context import AnswerContext
from .coverage import CONCEPT, Term

# The kinds of figure a yes/no question's premise can get wrong by number.


def confirms(ctx: AnswerContext, qa: QuestionAnalysis, terms: list[Term], group: list[int]) -> bool:
    """A yes/no question is answered "yes" only when the sentence holds every specific thing it asks
    about (names, model numbers, concepts) and says nothing against it (未, 亏损, not …); "only …?"
    questions are never answered yes or no. Otherwise the sentence is quoted and the reader judges."""
    if ctx.lexicon.says(normalize(qa.text), "only"):
        return False
    said = " ".join(f"{ctx.sentences[si].text} {ctx.sentences[si].text_en}" for si in group)
    if ctx.lexicon.says(normalize(said), "negation") or superseded(ctx, group):
        return False
    text = squash(said)
    specific = [t for t in terms if t.weight >= CONCEPT and not ctx.directory.mentions(t.text)]
    if not specific:
        return False
    for t in specific:
        forms = [t.text, *ctx.glossary.expand(t.text), *ctx.names.chinese_for(t.text)]
        if not any(squash(f) in text for f in forms if f):
            return False
    return True


def contradicts(question: str, value: str) -> bool:
    """A yes/no question that states a figure ("一开始就开价每股168元？") against the figure the sentence
    gives for it (每股155元): the same kind and currency, another number — the premise is wrong."""
    asked = [v for v in values_in(question) if v.kind in FIGURES and v.low is not None]
    stated = [v for v in values_in(value) if v.kind in FIGURES and v.low is not None][:1]
    if len(asked) != 1 or not stated:
        return False
    a, s = asked[0], stated[0]
    return a.kind == s.kind and a.currency == s.currency and not (s.low <= a.low <= (s.high or s.low))


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
