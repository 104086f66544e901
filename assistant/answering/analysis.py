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
from ..language.lexicon import Lexicon, find_words, has_word
from ..text import MODEL_NUMBER, detect_language, normalize, word_pattern, years_in


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
    again = _qualified_again(question, history, directory, glossary, lexicon)
    if again is not None:  # "最开始那版呢？": the previous question, with this qualifier
        return replace(analyze(again, [], directory, glossary, lexicon), language=detect_language(question))
    norm = normalize(question)
    language = detect_language(question)
    named = tuple(directory.mentions(question))
    # "who wrote it" about "this piece" refers to the article; "its market approach" still to a company
    # and "which company wants its GPU …" asks for a company rather than referring back to one
    # "its FP16 compute" after naming the QH-960 in the same question refers to the product
    followup = (
        not named
        and not _asks_company(norm, lexicon)
        and not MODEL_NUMBER.search(question)
        and (
            lexicon.says(norm, "possessive")
            or (_refers_back(norm, lexicon) and not _matches(norm, lexicon.article))
        )
    )
    # a turn in a conversation that names nobody ("比去年同期增长多少？", "Who leads it?") is about whom
    # the conversation is about, unless it asks which company, about the article, or for a list
    elliptic = (
        not named
        and bool(history)
        and not _asks_company(norm, lexicon)
        and not _matches(norm, lexicon.article)
        and not _matches(norm, lexicon.which_companies)
        and not _superlative(norm, lexicon)
    )
    carried: tuple[str, ...] = ()
    if followup or elliptic:
        carried = tuple(_companies_from_history(history, directory))
    companies = named or carried

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

    intents = _intents(norm, language, lexicon)
    superlative = _superlative(norm, lexicon)
    which = _matches(norm, lexicon.which_companies)
    intents = [Intent(i) for i in intents]
    intent = intents[0] if intents else LOOKUP
    if intent == "comparison" and len(named or carried) < 2 and not _matches(norm, lexicon.others):
        intent = (
            intents[1] if len(intents) > 1 else LOOKUP
        )  # "compare the S90 with the RTX 4060": one company's fact
    if intent == LOOKUP or intent == "yesno":
        if superlative and len(named or carried) != 1:  # "它最大的客户": within the company asked about
            intent = Intent.RANKING
        elif which:
            intent = Intent.LIST
        elif len(named) >= 2 and intent == LOOKUP and lexicon.says(norm, "each"):
            intent = Intent.COMPARISON
    answer_types = _answer_types(norm, lexicon)
    if not answer_types and glossary.concepts(question, metrics_only=True) and intent in (LOOKUP, "yesno"):
        answer_types = ["amount"]  # "What was X's issue price?": a reported figure is asked for
    after = _matches(norm, lexicon.after_article)
    years = years_in(norm) or _years_from_history(norm, history, lexicon)
    shift = next((k for k, ws in lexicon.article_years.items() if any(has_word(norm, w) for w in ws)), None)
    operation = next((k for k, ws in lexicon.operations.items() if any(has_word(norm, w) for w in ws)), "")
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
        about_article=_matches(norm, lexicon.article),
    )


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


def _matches(norm: str, pair: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    zh, en = pair
    return any(has_word(norm, w) for w in zh + en)


def _asks_company(norm: str, lexicon: Lexicon) -> bool:
    """ "Which company …", also with words between ("which domestic GPU company", "哪一家国产厂商")."""
    if _matches(norm, lexicon.asks_company):
        return True
    zh, en = lexicon.asks_company
    for phrase in en:
        head, _, noun = phrase.partition(" ")
        if noun and re.search(rf"\b{re.escape(head)}\b(?:\s+[\w-]+){{1,3}}?\s+{re.escape(noun)}\b", norm):
            return True
    return any(len(w) >= 3 and re.search(re.escape(w[:2]) + r".{1,6}" + re.escape(w[2:]), norm) for w in zh)


def _refers_back(norm: str, lexicon: Lexicon) -> bool:
    zh, en = lexicon.followup
    if any(w in norm for w in zh if len(w) >= 2) or any(has_word(norm, w) for w in en):
        return True
    # one-character pronouns only where they stand for a company: "它的", "其营收", sentence-initial "它"
    return bool(re.search(r"(^|[，,。？?\s])(它|其)|它的|它们", norm))


def _intents(norm: str, language: str, lexicon: Lexicon) -> list[str]:
    """Intents found, in the lexicon's order of precedence; yes/no only from the question's form."""
    found = []
    for name, (zh, en) in lexicon.intents.items():
        if name == "yesno":
            first = re.match(r"\W*([a-z']+)", norm)
            if (
                (first and first.group(1) in en)
                or any(w in norm for w in zh if len(w) >= 2)
                or re.search(r"吗[?？。!！\s]*$", norm)
            ):
                found.append(name)
            continue
        if any(has_word(norm, w) for w in zh + en):
            found.append(name)
    return found


def _superlative(norm: str, lexicon: Lexicon) -> str | None:
    for kind in ("stated", "min", "max"):
        if any(has_word(norm, w) for w in lexicon.superlative.get(kind, ())):
            return kind
    return None


def question_words(norm: str, lexicon: Lexicon) -> list[str]:
    """The kinds of answer a text asks for by its question words alone (多少, 谁, when …)."""
    return _answer_types(norm, lexicon)


def _answer_types(norm: str, lexicon: Lexicon) -> list[str]:
    hits: list[tuple[int, str]] = []
    for name, (zh, en) in lexicon.answer_types.items():
        found = [(pos, w) for pos, w in find_words(norm, zh + en) if _asks_here(norm, pos, w)]
        if found:
            hits.append((found[0][0], name))
    hits.sort()
    out: list[str] = []
    for _, name in hits:
        if name not in out:
            out.append(name)
    # "how many" is a count, not an amount, when both matched on the same words
    if "count" in out and "amount" in out and not lexicon.says(norm, "money"):
        out.remove("amount")
    return out


def _asks_here(norm: str, pos: int, word: str) -> bool:
    """An English one-word question word asks only where a question or clause starts: "where" in
    "the tests where the S90 won" is a relative pronoun, not a question about a place."""
    if " " in word or not re.fullmatch(r"[a-z]+", word):
        return True
    before = norm[:pos].rstrip()
    return (
        not before
        or before.endswith(
            (",", ";", "?", ".", "and", "or", "but", "and at", ":", "who is", "who was", "who's")
        )
        or re.search(r"(^|[,;?.]\s*)(and|or|but|at|in|on|by|from|since|until)$", before) is not None
    )


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
        or _answer_types(norm, lexicon)
        or _intents(norm, detect_language(question), lexicon)
    ):
        return None
    if any(has_word(norm, w) for ws in lexicon.fields.values() for w in ws):
        return None
    return f"{history[-1]} {question}"


def _with_years(question: str, years: tuple[int, ...], shift: int | None) -> str:
    """The earlier question with its year replaced by the one asked now (or shifted by `shift`)."""
    had = years_in(question)
    if not had or (not years and shift is None):
        return question if not years else f"{years[0]}年 {question}"
    new = years[0] if years else had[0] + (shift or 0)
    return re.sub(rf"(?<!\d)(?:{had[0]}|{had[0] % 100:02d}(?=\s*年))(?!\d)", str(new), question, count=1)
