"""Which answerer answers: chosen from the question analysis's intent.

Before any open answerer runs, a question that names something the corpus never mentions
(Ascend 910B next to BR100) is declined: a comparison, summary or ranking built around the one
name the corpus knows would be a confident answer to a question nobody asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from ..language.lexicon import has_word
from ..messages import Msg
from ..schema import Answer, AnswerPart, Citation
from ..text import MODEL_NUMBER, normalize
from .across import answer_comparison, answer_list, answer_ranking
from .analysis import LOOKUP, Intent, QuestionAnalysis, analyze
from .arithmetic import answer_arithmetic
from .calibration import MIN_CLAUSE_LETTERS
from .candidates import retrieve
from .context import AnswerContext
from .coverage import question_terms
from .decline import advise, clarify, decline, unknown_names
from .lookup import answer_lookup
from .overview import answer_causes, answer_cues, answer_summary
from .question_forms import period_words, question_words

# "Why is X likened to Y" asks for the attribute itself: answered like a comparison of the named
# companies on that attribute, when it is one of these descriptive ones.
EXPLAINED_BY_PROFILE = ("analogy", "focus")
_CLAUSE_END = re.compile(r"(?<=[?？;；])")
_MARK = re.compile(r"\[(\d+)\]")


def answer_question(
    ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray, notice: str, history: list[str] = ()
) -> Answer:
    """Answer `qa`; a question made of several questions gets one answer per part, merged."""
    clauses = [
        part
        for c in _CLAUSE_END.split(qa.text)
        for part in _asked_parts(ctx, c.strip())
        if sum(ch.isalnum() for ch in part) >= MIN_CLAUSE_LETTERS
    ]
    zh, en = ctx.lexicon.clarifies
    clarified = any(
        normalize(c).lstrip(" ,，.。").startswith(tuple(w for w in (*zh, *en) if w)) for c in clauses[1:]
    )
    if len(clauses) < 2 or clarified or qa.intent not in (LOOKUP, "yesno", "risks", "strengths"):
        return answer_one(ctx, qa, vector, notice)  # "赚了多少？我说的是归母净利润": one question
    parts = []
    for i, clause in enumerate(clauses):
        models = MODEL_NUMBER.findall(clauses[i - 1]) if i else []
        if models and not MODEL_NUMBER.search(
            clause
        ):  # "QH-960显存多大、功耗多少瓦": both parts of the QH-960
            clause = " ".join(models) + " " + clause
        if i and not ctx.glossary.concepts(clause, metrics_only=True) and not _fields_of(ctx, clause):
            # "归母净利润多少？增长了多少？": the second part asks of the first part's figure
            before = clauses[i - 1]  # its figure, and the part of the year it is for ("一季度营收")
            said = [*(w for _, w in period_words(before, ctx.lexicon)), *_figure_words(ctx, before)]
            clause = " ".join(said) + " " + clause
        part = analyze(clause, [*history, *clauses[:i]], ctx.directory, ctx.glossary, ctx.lexicon)
        if not part.companies and qa.companies:  # "…总部在哪个城市?" after "壁仞科技是哪年成立的?"
            part = replace(part, companies=qa.companies, unresolved_followup=False)
        parts.append(part)
    asks = {(p.intent, p.answer_types, p.fields) for p in parts}
    about = {p.named for p in parts}  # "Who heads A, and who chairs B?": one ask, of two companies
    if len(asks) < 2 and not (len(about) > 1 and all(about)):
        return answer_one(ctx, qa, vector, notice)
    answers = [
        answer_one(ctx, p, ctx.embed_query(" ".join([*_carried(ctx, p), p.text])), notice) for p in parts
    ]
    shown = [c.quote for a in answers if not a.abstained for c in a.citations]
    # "Which agency rated it, and what rating?": a part the quotes shown already answer is no decline
    answers = [a for a, p in zip(answers, parts) if not (a.abstained and _shown(ctx, p.text, shown))]
    return merge_answers(qa, answers, notice)


def _figure_words(ctx: AnswerContext, clause: str) -> list[str]:
    return [w for w, _ in ctx.glossary.concepts(clause, metrics_only=True)]


def _shown(ctx: AnswerContext, part: str, quotes: list[str]) -> bool:
    """The quotes of the answered parts hold what a declined part asks (its glossary term, in any of
    its Chinese forms): saying the article does not give it would contradict them."""
    forms = [f for _, fs in ctx.glossary.concepts(part) for f in fs if len(f) >= 2]
    return bool(forms) and all(any(f in q for q in quotes) for f in forms[:1])


# Where one sentence asks two things: "罚了多少钱、被禁入几年", "Which regulator …, and how long …".
_ASKING = r"(?:what|which|who|when|where|how)\b"
_PART_END = re.compile(r"[，,、]\s*(?:and\s+|以及|还有|并且|另外)?|\s+and\s+(?=" + _ASKING + ")")
# An English part that starts with a question word asks a question of its own ("who is chairman of B").
_ASKS = re.compile(r"^\s*(?:and\s+)?" + _ASKING, re.I)


def _asked_parts(ctx: AnswerContext, clause: str) -> list[str]:
    """A clause split where each side asks a question of its own (each has a question word); one
    part otherwise ("按发行价算和按收盘价算，总市值差了多少" asks one thing)."""
    pieces = [p for p in _PART_END.split(clause) if p and p.strip()]
    if len(pieces) < 2 or any(
        has_word(normalize(clause), w) for ws in ctx.lexicon.operations.values() for w in ws
    ):
        return [clause]  # "A和B差了多少": one question of two values
    asks = [bool(question_words(normalize(p), ctx.lexicon)) or bool(_ASKS.match(p)) for p in pieces]
    if sum(asks) < 2:
        return [clause]
    parts: list[str] = []
    for piece, asking in zip(pieces, asks):
        if parts and not asking:
            parts[-1] += "，" + piece  # a part without a question word belongs to the one before it
        elif parts and not any(asks[: len(parts)]):
            parts[-1] += "，" + piece
        else:
            parts.append(piece)
    return [p.strip() for p in parts]


def _carried(ctx: AnswerContext, part: QuestionAnalysis) -> list[str]:
    """The names a part is about without naming them ("增长了多少？" after "恒擎信息…"), for its vector."""
    return [] if part.named else [ctx.directory.by_id[c].name_zh for c in part.companies]


def _fields_of(ctx: AnswerContext, text: str) -> list[str]:
    norm = normalize(text)
    return [f for f, words in ctx.lexicon.fields.items() if any(has_word(norm, w) for w in words)]


def merge_answers(qa: QuestionAnalysis, answers: list[Answer], notice: str) -> Answer:
    """One answer from the answers to each part: citations renumbered (one per passage), repeated
    lines dropped, and the closest material kept only when no part was answered."""
    citations: list[Citation] = []
    parts: list[AnswerPart] = []
    answered = [a for a in answers if not a.abstained]
    for a in answers:
        remap: dict[int, int] = {}
        for c in a.citations:
            same = next((x for x in citations if x.passage_id == c.passage_id), None)
            if same is None:
                same = replace(c, n=len(citations) + 1)
                citations.append(same)
            elif c.quote not in same.quote:
                same.quote = f"{same.quote} {c.quote}".strip()
                same.quote_en = f"{same.quote_en} {c.quote_en}".strip()
            remap[c.n] = same.n
        for p in a.parts:
            if p.role == "closest" and answered:
                continue
            if a.abstained and answered and p.text == Msg.NOT_ANSWERED.say(qa.language):
                # not "nothing answers"
                p = replace(p, text=Msg.PART_NOT_ANSWERED.say(qa.language, part=a.question))
            text = _MARK.sub(lambda m, remap=remap: f"[{remap.get(int(m.group(1)), m.group(1))}]", p.text)
            if any(x.text == text for x in parts):
                continue  # one sentence answered two parts
            parts.append(replace(p, text=text, citations=tuple(remap.get(n, n) for n in p.citations)))
    retrieved: dict[str, str] = {}
    for a in answers:
        for k, v in a.retrieved.items():
            retrieved.setdefault(k, v)
    return Answer(
        question=qa.text,
        text="\n".join(p.text for p in parts),
        abstained=not answered,
        language=qa.language,
        citations=citations,
        closest=[] if answered else answers[0].closest,
        companies=list(qa.companies),
        notice=notice,
        retrieved=retrieved,
        intent=qa.intent,
        parts=parts,
    )


Answerer = Callable[[AnswerContext, QuestionAnalysis, np.ndarray, str], Answer]


def _lookup(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray, notice: str) -> Answer:
    """A look-up; one that asks arithmetic of the values (qa.operation) is computed when it can be."""
    if qa.operation:
        computed = answer_arithmetic(ctx, qa, vector, notice)
        if computed is not None:
            return computed
    return answer_lookup(ctx, qa, vector, notice)


def _explain(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray, notice: str) -> Answer:
    """ "Why is X likened to Y": the attribute itself, side by side; any other "why": the sentences that
    give a reason."""
    curated = all(not ctx.directory.by_id[c].discovered for c in qa.companies)
    if qa.companies and curated and any(f in EXPLAINED_BY_PROFILE for f in qa.fields):
        return answer_comparison(ctx, qa, vector, notice)  # (a found company has no profile to explain by)
    return answer_causes(ctx, qa, vector, notice)


# One answerer per intent: a new intent is one entry here and its words in corpus/lexicon.yaml.
ANSWERERS: dict[Intent, Answerer] = {
    Intent.LOOKUP: _lookup,
    Intent.YESNO: answer_lookup,
    Intent.COMPARISON: answer_comparison,
    Intent.EXPLAIN: _explain,
    Intent.RANKING: answer_ranking,
    Intent.LIST: answer_list,
    Intent.SUMMARY: answer_summary,
    Intent.RISKS: answer_cues,
    Intent.STRENGTHS: answer_cues,
    Intent.CONCLUSION: answer_cues,
}


def answer_one(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray, notice: str) -> Answer:
    if qa.unresolved_followup:
        return clarify(ctx, qa, notice)
    if qa.advice:
        return advise(ctx, qa, retrieve(ctx, qa, vector).answerable, notice)
    if qa.intent not in (Intent.LOOKUP, Intent.YESNO):
        terms = question_terms(
            qa.text, ctx.tokenizer, ctx.glossary, ctx.directory, ctx.retriever.known, ctx.lexicon, ctx.names
        )
        if unknown_names(ctx, terms):
            return decline(ctx, qa, [], terms, notice)
    return ANSWERERS[Intent(qa.intent)](ctx, qa, vector, notice)
