"""The claim a quoted sentence holds for an analysed question: the words it is scored on (the question's
own, their forms in the articles, weighed by rarity), the names that are the asked company's or
another's, and the year and revision asked — handed to claims.find_claim. Used by look-ups for the
short answer and for choosing the sentence, and by arithmetic for its operands' words.
"""

from __future__ import annotations

import re

from ..corpus.entities import is_institution
from ..text import article_year, normalize
from .analysis import QuestionAnalysis
from .claims import Claim, find_claim, with_change
from .clause_values import names_at, values_in
from .context import AnswerContext
from .coverage import Term
from .question_forms import role_in

_CHANGES = ("difference", "ratio", "growth")  # operations that ask how far one figure is from another


def claim_of(
    ctx: AnswerContext,
    qa: QuestionAnalysis,
    support_terms: list[Term],
    group: list[int],
    cues: dict[str, float] | None = None,
) -> Claim:
    """The clause of the quoted sentence that answers, and its value (claims.py); `cues`: claim_cues's,
    when the caller scores several sentences for one question."""
    sent = ctx.sentences[group[0]]
    p = ctx.passages[sent.passage_index]
    cues = dict(cues) if cues is not None else claim_cues(ctx, qa, support_terms)
    # the articles' words for the question's everyday ones (票息: 票面利率) say what is asked, too
    asked = " ".join((qa.text, *qa.expansions))
    for name in sorted(_own_names(ctx, qa), key=len, reverse=True):  # the company's name is in every clause
        asked = asked.replace(name, " ")
    for v in reversed(values_in(asked)):  # "3月18日收盘价": the day says when, not which figure
        if v.kind == "date":
            for digits in re.findall(r"\d+", asked[v.span[0] : v.span[1]]):
                cues.pop(digits, None)
            asked = asked[: v.span[0]] + " " * (v.span[1] - v.span[0]) + asked[v.span[1] :]
    year = article_year(p.published)
    asked_years = qa.years or ((year + qa.year_shift,) if year and qa.year_shift is not None else ())
    for y in asked_years:  # a year is when, not what: it lines values up (values_by_year), it is no cue
        cues.pop(str(y), None)
    claim = find_claim(
        sent.text,
        cues,
        qa.answer_types,
        asked,
        ctx.names,
        year,
        _own_names(ctx, qa),
        asked_years,
        p.text[: sent.start],
        _other_names(ctx, qa, sent.text),
        ctx.lexicon.says(normalize(qa.text), "former"),
        _figure_words(ctx, qa, sent.text),
        level=qa.operation not in _CHANGES,
    )
    return with_change(claim, sent.text, year) if qa.operation == "growth" else claim


def claim_cues(ctx: AnswerContext, qa: QuestionAnalysis, support_terms: list[Term]) -> dict[str, float]:
    """The question's own content words and what they mean in the articles' words (glossary,
    lexicon), each weighed by its rarity — not a whole field's vocabulary, which matches half the
    sentences of a results report — and not the asked company's own names."""
    asked_names = {normalize(n) for n in _own_names(ctx, qa)}
    words = [
        *qa.expansions,
        *ctx.glossary.expand(qa.text),
        *ctx.names.chinese_for(qa.text),
        *ctx.bridge(qa.text),
        *(t.text for t in support_terms if normalize(t.text) not in asked_names),
    ]  # T20, S90: cues too
    return {w: _rarity(ctx, w) for w in dict.fromkeys(words) if w}


def _own_names(ctx: AnswerContext, qa: QuestionAnalysis) -> tuple[str, ...]:
    """The asked companies' own names — not the products a profile lists among its aliases (T20,
    S90), which are what a question about one of them asks."""
    return tuple(
        n for c in qa.companies for n in ctx.directory.by_id[c].names if not any(ch.isdigit() for ch in n)
    )


def _other_names(ctx: AnswerContext, qa: QuestionAnalysis, text: str) -> tuple[str, ...]:
    """The names, as `text` writes them, of the companies it names besides the asked ones (not the
    institutions: a sponsor or a court named in a clause does not own its figure), and of the people
    it names when the question asks about no one ("对董事长蒋维舟处以600万元罚款" is his fine, not the
    company's; "董事长陈浩然持股市值" his stake)."""
    if not qa.companies:
        return ()
    out = []
    if not ({"person"} & ctx.names.kinds_in(qa.text) or role_in(qa.text, ctx.glossary)):
        out += [form for _, form, n in names_at(text, ctx.names) if n.kind == "person"]
    for cid in ctx.directory.mentions(text):
        prof = ctx.directory.by_id[cid]
        if cid in qa.companies or (prof.discovered and is_institution(prof.name_zh)):
            continue
        out += [n for n in prof.names if n and normalize(n) in normalize(text)]
    return tuple(out)


def _figure_words(ctx: AnswerContext, qa: QuestionAnalysis, text: str) -> tuple[tuple[str, bool], ...]:
    """The glossary's figure words (metrics) `text` uses, normalised, each with whether the question
    asks it; none when it asks no figure by name — then no value is told apart by its word."""
    # the question's words and the articles' words for them: "收在多少钱" asks 收盘
    asked, other = ctx.glossary.figure_words(" ".join((qa.text, *qa.expansions)))
    if not asked:
        return ()
    norm = normalize(text)
    return tuple((f, True) for f in asked if f in norm) + tuple((f, False) for f in other if f in norm)


def _rarity(ctx: AnswerContext, word: str) -> float:
    """How rare a word is in the corpus (the BM25 idf of its rarest known part; 0 when unused)."""
    parts = [t for t in ctx.tokenizer.tokens(word) if ctx.retriever.known(t)]
    return max((ctx.retriever.idf(t) for t in parts), default=0.0)
