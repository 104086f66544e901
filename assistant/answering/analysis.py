"""Question analysis: one step that turns a question (and the conversation) into a typed record.

Every later stage — retrieval's expansions, which answerer runs, what a sentence must hold to
count as an answer, how a decline is worded — reads this record instead of looking for its own
trigger words. The words themselves are curated data (corpus/lexicon.yaml, corpus/glossary.yaml,
the company profiles), not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import Enum

from ..corpus.company_directory import CompanyDirectory
from ..language.glossary import Glossary
from ..language.lexicon import Lexicon, has_word
from ..text import MODEL_NUMBER, detect_language, model_numbers, normalize, word_pattern, years_in
from .question_forms import (
    YEAR_ON_YEAR,
    answer_types_asked,
    answer_types_read,
    asks_company,
    group_asked,
    intents_asked,
    matches,
    person_replaced,
    refers_back,
    superlative_asked,
    without_point_verbs,
)


class Intent(str, Enum):
    """What a question asks for: one answerer each (router.ANSWERERS); its value is the lexicon's name."""

    LOOKUP = "lookup"
    YESNO = "yesno"
    COMPARISON = "comparison"
    RANKING = "ranking"
    LIST = "list"
    SUMMARY = "summary"
    RISKS = "risks"
    STRENGTHS = "strengths"
    CONCLUSION = "conclusion"
    EXPLAIN = "explain"

    def __str__(self) -> str:  # "lookup", not "Intent.LOOKUP", in text and JSON alike
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


LOOKUP = Intent.LOOKUP
# What a sentence must speak of to answer a question about after the article ("after_article" words).
AFTER_ARTICLE = "after_article"
# Intents whose answer is about the whole article rather than one sentence.
ARTICLE_WIDE = ("summary", "conclusion")


@dataclass(frozen=True)
class QuestionAnalysis:
    """What a question asks, as every answering stage needs to know it."""

    text: str  # the question in normal form (text.prepare_question)
    language: str  # "zh" or "en": the language of the answer
    named: tuple[str, ...]  # company ids the question names, in order of appearance
    companies: tuple[str, ...]  # named, or carried over from the conversation for a follow-up
    carried: bool  # the companies come from an earlier turn ("它", "its")
    unresolved_followup: bool  # refers back ("它的估值") with no earlier company to refer to
    intent: Intent
    also: tuple[Intent, ...]  # further intents asked at once ("优势和风险": strengths as well as risks)
    fields: tuple[str, ...]  # profile fields asked about, most specific first
    answer_types: tuple[str, ...]  # expected kinds of answer, in the order the question asks them
    expansions: tuple[str, ...]  # the words articles use for the question's everyday words and jargon
    superlative: str | None  # "min", "max", "stated" (an order the article states), or None
    after_article: bool  # asks about something that could only be known after the article's date
    years: tuple[int, ...] = field(default=())  # years the question names
    # 去年 / last year: years after the date of the article that states the value (-1), or None
    year_shift: int | None = None
    operation: str = ""  # arithmetic asked of the values ("difference", "ratio", "sum"), or ""
    advice: bool = False  # asks for advice or an opinion ("值得买吗"): the articles give facts only
    about_article: bool = False  # asks about the article itself (its title, author, date)
    # refers back to a turn that asked which company ("哪家公司在成都建厂？" → "它何时投产？"): the
    # company meant is the one that turn's answer named, not one its words named (鹤鸣证券 of
    # "谁的保荐机构是鹤鸣证券")
    refers_to_answer: bool = False
    # names a set of companies ("这三家公司", "the three start-ups"): how many (0: not said), or None
    group: int | None = None

    @property
    def scope(self) -> str:
        if self.intent in ARTICLE_WIDE and not self.companies:
            return "article"
        return "companies" if len(self.companies) != 1 else "company"


def analyze(
    question: str, history: list[str], directory: CompanyDirectory, glossary: Glossary, lexicon: Lexicon
) -> QuestionAnalysis:
    """`question` is in normal form already; `history` holds earlier user turns, oldest first."""
    history = _resolved(history, directory, lexicon)
    again = _asked_again(question, history, directory, lexicon)
    if again is not None:  # "那沐曦呢？": the previous question, of the company named now
        return replace(analyze(again, [], directory, glossary, lexicon), language=detect_language(question))
    again = _qualified_again(question, history, directory, glossary, lexicon) or _of_previous_figure(
        question, history, directory, glossary, lexicon
    )
    if again is not None:  # "最开始那版呢？", "比去年同期增长多少？": the previous question, with this turn
        return replace(analyze(again, [], directory, glossary, lexicon), language=detect_language(question))
    question = person_replaced(question, history, glossary, lexicon)  # "他" → the role asked before
    norm = normalize(question)
    language = detect_language(question)
    named = tuple(directory.mentions(question))
    followup, carried = _followup(question, norm, named, history, directory, lexicon)
    companies = named or carried

    intents = [Intent(i) for i in intents_asked(norm, language, lexicon)]
    asked = without_point_verbs(question, intents, lexicon)  # "what risks does it raise": no fundraising
    expansions, fields = _expansions_and_fields(asked, normalize(asked), glossary, lexicon)

    superlative = superlative_asked(norm, lexicon)
    group = group_asked(norm, lexicon)
    intent = _intent(intents, norm, named, carried, superlative, lexicon, group)
    answer_types = answer_types_read(question, norm, intent, fields, glossary, lexicon)
    # "同比涨了多少": a reported figure's change over a year, not the shares' move after the article
    after = matches(norm, lexicon.after_article) and not YEAR_ON_YEAR.search(norm)
    years = years_in(norm) or _years_from_history(norm, history, lexicon)
    shift = next((k for k, ws in lexicon.article_years.items() if any(has_word(norm, w) for w in ws)), None)
    operation = next((k for k, ws in lexicon.operations.items() if any(has_word(norm, w) for w in ws)), "")
    if operation == "growth" and re.search(r"(?:去年|上年|前年)同期", norm):
        shift = None  # "比去年同期增长多少": last year's same period is the base, not the year asked
    return QuestionAnalysis(
        text=question,
        language=language,
        named=named,
        companies=tuple(companies),
        carried=bool(carried),
        unresolved_followup=followup and not carried and not _article_wide(intents),
        intent=intent,
        also=tuple(i for i in intents[1:] if i != intent),
        fields=tuple(fields),
        answer_types=tuple(answer_types),
        expansions=tuple(expansions),
        superlative=superlative,
        after_article=after,
        years=years,
        year_shift=None if years else shift,
        operation=operation,
        advice=lexicon.says(norm, "advice"),
        about_article=matches(norm, lexicon.article),
        group=group,
        refers_to_answer=bool(history)
        and (followup or bool(carried))
        and (not carried or asks_company(normalize(history[-1]), lexicon))
        and not _article_wide(intents),
    )


def _followup(
    question: str,
    norm: str,
    named: tuple[str, ...],
    history: list[str],
    directory: CompanyDirectory,
    lexicon: Lexicon,
) -> tuple[bool, tuple[str, ...]]:
    """Whether the question refers back to a company ("its", "它") and the companies carried over
    from the conversation, for a follow-up or an elliptic turn that names nobody."""
    # "who wrote it" about "this piece" refers to the article; "its market approach" still to a company
    # and "which company wants its GPU …" asks for a company rather than referring back to one
    # "its FP16 compute" after naming the QH-960 in the same question refers to the product
    followup = (
        not named
        and not asks_company(norm, lexicon)
        and not MODEL_NUMBER.search(question)
        and (
            lexicon.says(norm, "possessive")
            or (refers_back(norm, lexicon, bare_it=bool(history)) and not matches(norm, lexicon.article))
        )
    )
    # a turn in a conversation that names nobody ("比去年同期增长多少？", "Who leads it?") is about whom
    # the conversation is about, unless it asks which company, about the article, or for a list
    elliptic = (
        not named
        and bool(history)
        and not asks_company(norm, lexicon)
        and not matches(norm, lexicon.article)
        and not matches(norm, lexicon.which_companies)
        and not superlative_asked(norm, lexicon)
    )
    carried: tuple[str, ...] = ()
    if followup or elliptic:
        carried = tuple(_companies_from_history(history, directory))
    return followup, carried


def _expansions_and_fields(
    question: str, norm: str, glossary: Glossary, lexicon: Lexicon
) -> tuple[list[str], list[str]]:
    """The words articles use for the question's words (the lexicon's terms), and the profile fields
    asked about, most specific first: a term's own field, then any field a word of it or of the
    glossary's and lexicon's expansions names."""
    expanded = norm + " " + " ".join(normalize(z) for z in glossary.expand(question))
    expansions: list[str] = []
    fields: list[str] = []
    for t in lexicon.terms:
        if any(has_word(norm, w) for w in t.say):
            expansions.extend(m for m in t.means if m not in expansions)
            if t.field and t.field not in fields:
                fields.append(t.field)
    expanded += " " + " ".join(expansions)
    for name, words in lexicon.fields.items():
        if name not in fields and any(has_word(expanded, w) for w in words):
            fields.append(name)
    return expansions, fields


def _intent(
    intents: list[Intent],
    norm: str,
    named: tuple[str, ...],
    carried: tuple[str, ...],
    superlative: str | None,
    lexicon: Lexicon,
    group: int | None = None,
) -> Intent:
    """The intent that answers: the first found, unless a comparison has fewer than two companies,
    or a look-up asks for the most of several companies (a ranking), which companies (a list) or
    the same of each named company (a comparison)."""
    which = matches(norm, lexicon.which_companies)
    intent = intents[0] if intents else LOOKUP
    products = len(model_numbers(norm)) >= 2  # "对比QY-80和QX-70": two products, each with its figures
    if (
        intent == "comparison"
        and len(named or carried) < 2
        and not matches(norm, lexicon.others)
        and not products
        and (group is None or len(named or carried) == 1)  # "compare the three start-ups": a set
    ):
        # "compare the S90 with the RTX 4060": one company's fact
        intent = intents[1] if len(intents) > 1 else LOOKUP
    if intent == LOOKUP or intent == "yesno":
        if superlative and len(named or carried) != 1:  # "它最大的客户": within the company asked about
            intent = Intent.RANKING
        elif which:
            intent = Intent.LIST
        elif len(named) >= 2 and intent == LOOKUP and lexicon.says(norm, "each"):
            intent = Intent.COMPARISON
    return intent


def _resolved(history: list[str], directory: CompanyDirectory, lexicon: Lexicon) -> list[str]:
    """Each earlier turn as the question it stood for ("And in 2023?" after a question about 2024 is
    that question about 2023), so that a chain of ellipses resolves step by step."""
    out: list[str] = []
    for turn in history or []:
        out.append(_asked_again(turn, out, directory, lexicon) or turn)
    return out


def _years_from_history(norm: str, history: list[str], lexicon: Lexicon) -> tuple[int, ...]:
    """ "That year", "同一年": the year of the latest earlier turn that names one (shifted, for "the
    year before")."""
    shift = _turn_shift(norm, lexicon)
    if shift is None and _elliptic(norm, lexicon):
        shift = 0  # "那净亏损呢？" after "沐曦2024年营收多少？": the same year
    if shift is None:
        return ()
    for turn in reversed(history or []):
        years = years_in(normalize(turn))
        if years:
            return (years[0] + shift,)
    return ()


def _turn_shift(norm: str, lexicon: Lexicon) -> int | None:
    """Years a turn shifts the previous question's year by ("the year before": -1), or None."""
    return next((k for k, ws in lexicon.turn_years.items() if any(has_word(norm, w) for w in ws)), None)


def _elliptic(norm: str, lexicon: Lexicon) -> bool:
    """A turn that names only what changed: ends in 呢, or starts "what about", "and"."""
    zh, en = lexicon.ellipsis
    text = norm.strip().rstrip("?？。.!！ ")
    return any(text.endswith(w) for w in zh) or any(re.match(rf"{re.escape(w)}\b", text) for w in en)


def _article_wide(intents: list[str]) -> bool:
    return any(i in ARTICLE_WIDE for i in intents)


def _companies_from_history(history: list[str], directory: CompanyDirectory) -> list[str]:
    for turn in reversed(history or []):
        found = directory.mentions(turn)
        if found:
            return found
    return []


def _only_names(norm: str, directory: CompanyDirectory, lexicon: Lexicon) -> list[tuple[int, int, str]]:
    """The company names of a turn that says nothing else ("那沐曦呢？", "And Glenfly?"), else []."""
    spans = directory.mention_spans(norm)
    if not spans:
        return []
    return spans if not _rest(norm, spans, lexicon) else []


def _rest(norm: str, spans, lexicon: Lexicon, years: bool = False) -> bool:
    """Whether the turn says more than the names at `spans` (and, with `years`, years, absolute or
    relative to the previous question) and the words of ellipsis."""
    rest = list(norm)
    for start, end, _ in spans:
        rest[start:end] = " " * (end - start)
    rest = "".join(rest)
    zh, en = lexicon.elided
    words = [*zh, *en, *(w for ws in lexicon.turn_years.values() for w in ws)] if years else [*zh, *en]
    for w in sorted(words, key=len, reverse=True):
        if w in rest:
            rest = word_pattern(w).sub(" ", rest)
    if years:
        rest = re.sub(r"(?:19|20)?\d\d\s*年?|年", " ", rest)
    return any(ch.isalnum() for ch in rest)


def _asked_again(
    question: str, history: list[str], directory: CompanyDirectory, lexicon: Lexicon
) -> str | None:
    """A follow-up that names only another company or another year asks the latest real question
    of the conversation again, with only that replaced ("摩尔线程2024年营收多少？", then "那沐曦呢？":
    "沐曦2024年营收多少？"; "And the year before?": "…2023年…"). None when the question says more, or
    the earlier question is not about exactly one company (when a company is named now)."""
    norm = normalize(question)
    spans = directory.mention_spans(norm)
    years = years_in(norm) or _years_from_history(norm, history, lexicon)
    shift = _turn_shift(norm, lexicon)
    if not history or len({cid for _, _, cid in spans}) > 1 or (not spans and not years and shift is None):
        return None
    if _rest(norm, spans, lexicon, years=True):
        return None
    for turn in reversed(history):  # resolved already: an earlier "那壁仞呢？" stands for its question
        before = normalize(turn)
        named = directory.mention_spans(before)
        out = before
        if spans:
            if len({cid for _, _, cid in named}) != 1:
                return None
            name = norm[spans[0][0] : spans[0][1]]  # as the user wrote it
            for start, end, _ in reversed(named):
                out = out[:start] + name + out[end:]
        return _with_years(out, years, shift)
    return None


def _qualified_again(
    question: str, history: list[str], directory: CompanyDirectory, glossary: Glossary, lexicon: Lexicon
) -> str | None:
    """An elliptic turn that asks nothing of its own — no company, attribute, kind of answer or intent,
    only a qualifier ("最开始那版方案呢？", "And before the revision?") — asks the previous question
    again with that qualifier: the previous question and this turn, as one."""
    norm = normalize(question)
    if (
        not history
        or not _elliptic(norm, lexicon)
        or directory.mention_spans(norm)
        or MODEL_NUMBER.search(question)
    ):
        return None
    if (
        glossary.concepts(question)
        or answer_types_asked(norm, lexicon)
        or intents_asked(norm, detect_language(question), lexicon)
    ):
        return None
    if any(has_word(norm, w) for ws in lexicon.fields.values() for w in ws):
        return None
    return f"{history[-1]} {question}"


def _of_previous_figure(
    question: str, history: list[str], directory: CompanyDirectory, glossary: Glossary, lexicon: Lexicon
) -> str | None:
    """A turn that asks arithmetic of no figure of its own ("比去年同期增长多少？" after "鈺晟科技1月營收
    多少？") asks it of the previous question's: the two as one question of two parts."""
    norm = normalize(question)
    if not history or directory.mention_spans(norm) or glossary.concepts(question, metrics_only=True):
        return None
    if not any(has_word(norm, w) for w in lexicon.operation_words):
        return None
    return f"{history[-1]} {question}"


def _with_years(question: str, years: tuple[int, ...], shift: int | None) -> str:
    """The earlier question with its year replaced by the one asked now (or shifted by `shift`)."""
    had = years_in(question)
    if not had or (not years and shift is None):
        return question if not years else f"{years[0]}年 {question}"
    new = years[0] if years else had[0] + (shift or 0)
    return re.sub(rf"(?<!\d)(?:{had[0]}|{had[0] % 100:02d}(?=\s*年))(?!\d)", str(new), question, count=1)
