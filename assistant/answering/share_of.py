"""A share of a whole that no sentence states ("研发投入占营收的比例", "what share of 2025 revenue came
from overseas customers", "the payout relative to net profit"): the part and the whole, each the value
stated right after its own words, divided (arithmetic.py shows part ÷ whole as a percentage).

The question is split at the words that name the whole (lexicon `ratio_base`: 占, as a share of,
relative to). In English the whole may come first and a verb start the part ("what % of revenue does
the contract equal"). A share an article states itself (…占营业收入的38.71%) is a look-up's, not this.
"""

from __future__ import annotations

import re

from ..text import normalize
from ..values.rendering import Value
from .analysis import QuestionAnalysis
from .calibration import TYPE_WINDOW
from .clause_values import values_in
from .context import AnswerContext
from .operands import Operand, alike, cued

# A part's own words may stand further before its value than one attribute word does (其中来自境外
# 客户的收入为4.69亿元: 境外 is ten characters before it), within its clause.
PART_REACH = 16
_KINDS = ("amount", "number", "measure")
# "what share of revenue came from X", "what % of revenue does X equal": the verb that ends the whole
_VERB = re.compile(r"(?i)\b(?:came|comes|come|does|do|did|is|was|are|were|went|goes|go|equals?)\b")
_CLAUSE_END = re.compile(r"[，,。；;：:]")


def share_parts(text: str, zh_bases: tuple[str, ...], en_bases: tuple[str, ...]) -> tuple[str, str]:
    """(the part's words, the whole's words) of a question that asks a share, or ("", "")."""
    for w in zh_bases:
        at = text.find(w)
        if at > 0:
            return text[:at], re.split(r"的?(?:比例|比重|百分比|之比|几成|多少|比)", text[at + len(w) :])[0]
    for w in sorted(en_bases, key=len, reverse=True):
        m = re.search(rf"(?i)(?<![a-z]){re.escape(w)}(?![a-z])", text)
        if m:
            before, after = text[: m.start()], text[m.end() :]
            verb = _VERB.search(after)
            if verb:
                return f"{before} {after[verb.end() :]}", after[: verb.start()]
            return before, after
    return "", ""


def share_operands(ctx: AnswerContext, qa: QuestionAnalysis, window) -> list[Operand]:
    """[the part, the whole] from the window's sentences: a part is a value with a part's word before it
    in its clause (其中来自境外客户的收入为4.69亿元), a whole one with a whole's word right before it
    (营业收入31.27亿元); the first pair alike with the part the smaller. [] when the question has no
    two parts, when a sentence states the share itself, or when either value is missing."""
    part_text, whole_text = share_parts(qa.text, *ctx.lexicon.ratio_base)
    if not part_text.strip() or not whole_text.strip():
        return []
    part_words, whole_words = _words(ctx, qa, part_text), _words(ctx, qa, whole_text)
    part_words, whole_words = part_words - whole_words, whole_words - part_words
    if not part_words or not whole_words or _stated(ctx, window, part_words, whole_words):
        return []
    parts, wholes = [], []
    for c in window:
        text = ctx.sentences[c.sentence].text
        norm = normalize(text)
        for v in values_in(text):
            if v.kind not in _KINDS:
                continue
            if _in_clause(norm, v, part_words):
                parts.append(Operand(v, c.sentence))
            elif cued(norm, v, whole_words):
                wholes.append(Operand(v, c.sentence))
    for part in parts:
        for whole in wholes:
            if alike(part.value, whole.value) and part.value.low < whole.value.low:
                return [part, whole]
    return []


def _words(ctx: AnswerContext, qa: QuestionAnalysis, text: str) -> set[str]:
    """A part's words in the articles' words: the reported figure it names (净利润, 研发投入), else its
    own words, the glossary's and the dictionary bridge's — not the company's names, years, a period
    both parts share (一季度) or words no article uses."""
    names = {normalize(n) for c in qa.companies for n in ctx.directory.by_id[c].names}
    figures = [f for _, forms in ctx.glossary.asked_figures(text) for f in forms]
    found = figures or [*ctx.tokenizer.tokens(text), *ctx.glossary.expand(text), *ctx.bridge(text)]
    return {
        normalize(w)
        for w in found
        if len(w) >= 2
        and not w.isdigit()
        and not any(normalize(w) in n for n in names)  # 科技 of 芯澜科技 is no part's word
        and ctx.retriever.known(normalize(w))
    }


def _in_clause(norm: str, v: Value, words: set[str]) -> bool:
    """One of the words stands before the value within PART_REACH characters of its clause."""
    before = norm[max(0, v.span[0] - PART_REACH) : v.span[0]]
    return any(w in _CLAUSE_END.split(before)[-1] for w in words)


def _stated(ctx: AnswerContext, window, part_words: set[str], whole_words: set[str]) -> bool:
    """A sentence of the look-up's window states the share: the part's words, then 占 and the whole's
    words before a percentage ("合同金额占公司营业收入24.18亿元的38.71%"; not "研发人员…占员工总数的
    58.6%", another share)."""
    for c in window[:TYPE_WINDOW]:
        text = ctx.sentences[c.sentence].text
        norm = normalize(text)
        if not any(w in norm for w in part_words):
            continue
        for v in values_in(text):
            of = norm.rfind("占", 0, v.span[0])
            if v.kind == "percent" and of >= 0 and any(w in norm[of : v.span[0]] for w in whole_words):
                return True
    return False
