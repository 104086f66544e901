"""What a question's own words ask, read with the lexicon's word lists: its intents, the kinds of
answer it expects (多少, 谁, when …), a superlative, "which company", a word that refers back to an
earlier turn. Question analysis (analysis.py) puts these together with the conversation and the
company names; the router asks only whether a part of a question asks anything (question_words).
"""

from __future__ import annotations

import re

from ..corpus.name_forms import entity_words
from ..language.glossary import Glossary
from ..language.lexicon import Lexicon, find_words, has_word
from ..text import longest_first, normalize, word_search
from .clause_values import states_figure

# "同比", "year-on-year": a change of a reported figure over a period, not a market move
YEAR_ON_YEAR = re.compile(r"同比|环比|较上年|较去年|year[- ]on[- ]year|\byoy\b|quarter[- ]on[- ]quarter")


def matches(norm: str, pair: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    """The text says a word of a (Chinese, English) pair of word lists."""
    zh, en = pair
    return any(has_word(norm, w) for w in zh + en)


def asks_company(norm: str, lexicon: Lexicon) -> bool:
    """ "Which company …", also with words between ("which domestic GPU company", "哪一家国产厂商")."""
    if matches(norm, lexicon.asks_company):
        return True
    zh, en = lexicon.asks_company
    for phrase in en:
        head, _, noun = phrase.partition(" ")
        if noun and re.search(rf"\b{re.escape(head)}\b(?:\s+[\w-]+){{1,3}}?\s+{re.escape(noun)}\b", norm):
            return True
    return any(len(w) >= 3 and re.search(re.escape(w[:2]) + r".{1,6}" + re.escape(w[2:]), norm) for w in zh)


def refers_back(norm: str, lexicon: Lexicon, bare_it: bool = True) -> bool:
    """Whether a word refers back to a company named before; `bare_it=False`: English "it" alone does
    not, as in a conversation's first question, where it is the sentence's own subject ("Is it true
    that …", "… than it planned")."""
    zh, en = lexicon.followup
    en = en if bare_it else tuple(w for w in en if w != "it")
    if any(w in norm for w in zh if len(w) >= 2) or any(has_word(norm, w) for w in en):
        return True
    # one-character pronouns only where they stand for a company: "它的", "其营收", sentence-initial "它"
    return bool(re.search(r"(^|[，,。？?\s])(它|其)|它的|它们", norm))


def intents_asked(norm: str, language: str, lexicon: Lexicon) -> list[str]:
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


def superlative_asked(norm: str, lexicon: Lexicon) -> str | None:
    for kind in ("stated", "min", "max"):
        if any(has_word(norm, w) for w in lexicon.superlative.get(kind, ())):
            return kind
    return None


def question_words(norm: str, lexicon: Lexicon) -> list[str]:
    """The kinds of answer a text asks for by its question words alone (多少, 谁, when …)."""
    return answer_types_asked(norm, lexicon)


def answer_types_asked(norm: str, lexicon: Lexicon) -> list[str]:
    """The kinds of answer asked, in the order the question asks them. Of two question words that
    overlap, the one ending later asks: a Chinese phrase ends in its head (在哪天 asks a day, not a place)."""
    found = [
        (pos, pos + len(w), name)
        for name, (zh, en) in lexicon.answer_types.items()
        for pos, w in find_words(norm, zh + en)
        if _asks_here(norm, pos, w)
    ]
    kept = [h for h in found if not any(o[0] < h[1] and h[0] < o[1] and o[1] > h[1] for o in found)]
    hits = sorted({name: (pos, name) for pos, _, name in sorted(kept, reverse=True)}.values())
    out: list[str] = []
    for _, name in hits:
        if name not in out:
            out.append(name)
    # "how many" is a count, not an amount, when both matched on the same words
    if "count" in out and "amount" in out and not lexicon.says(norm, "money"):
        out.remove("amount")
    return out


def answer_types_read(
    question: str, norm: str, intent: str, fields: list[str], glossary: Glossary, lexicon: Lexicon
) -> list[str]:
    """The kinds of answer asked (answer_types_asked), read with the rest of the question: a reported
    figure named asks its value ("What was X's issue price?"), in a yes/no question only when it
    states one to check ("发行价是58.6元吗"; "还是这个上市计划吗" asks whether a plan stands); a role's
    name is a person's ("董秘叫什么名字"); where shares list is a market (科创板, 港交所), not a city."""
    types = answer_types_asked(norm, lexicon)
    figure = intent == "lookup" or (intent == "yesno" and states_figure(question))
    if not types and figure and glossary.concepts(question, metrics_only=True):
        types = ["amount"]
    if "product" in types and role_in(question, glossary):
        types = ["person" if t == "product" else t for t in types]
    if "place" in types and "listing" in fields and "headquarters" not in fields:
        types = ["market" if t == "place" else t for t in types]
    return types


def _asks_here(norm: str, pos: int, word: str) -> bool:
    """An English one-word question word asks only where a question or clause starts: "where" in
    "the tests where the S90 won" is a relative pronoun, not a question about a place."""
    if " " in word or not re.fullmatch(r"[a-z]+", word):
        return True
    before = norm[:pos].rstrip()
    return (
        not before
        or before.endswith(
            (
                ",",
                ";",
                "?",
                ".",
                "—",
                "–",
                " -",
                "(",
                "and",
                "or",
                "but",
                "and at",
                ":",
                "who is",
                "who was",
                "who's",
            )
        )
        or re.search(r"(^|[,;?.—–(]\s*)(and|or|but|at|in|on|by|from|since|until)$", before) is not None
    )


def person_replaced(question: str, history: list[str], glossary: Glossary, lexicon: Lexicon) -> str:
    """ "他被罚了多少？" after "芯衡微的董秘是谁？": the person is whoever holds the role the turn before
    asked about, so the role stands in for the pronoun ("董秘被罚了多少？", "… the chief executive's
    job …") — the words a sentence about that person holds. The question as asked otherwise."""
    role = role_in(history[-1], glossary) if history else ""
    if not role:
        return question
    zh, en = lexicon.person_followup
    for w in sorted(zh, key=len, reverse=True):
        m = re.search(re.escape(w) + ("(?!们)" if len(w) == 1 else ""), question)
        if m:
            return question[: m.start()] + role + question[m.end() :]
    for w in en:
        m = re.search(rf"(?<![\w']){re.escape(w)}(?![\w'])", question, re.I)
        if m:
            said = f"the {role}'s" if w.lower() in ("his", "her") else f"the {role}"
            return question[: m.start()] + said + question[m.end() :]
    return question


def role_in(turn: str, glossary: Glossary) -> str:
    """The role a turn asks about or names (董秘, "chief executive"), as it says it, or ""."""
    roles = entity_words().roles
    norm = normalize(turn)
    found = [r for r in roles if r in turn]
    if found:
        return max(found, key=len)
    for a, b, zhs in glossary.spans(norm):
        if set(zhs) & roles.keys():
            return norm[a:b]
    return next((en for en in roles.values() if has_word(norm, en.lower())), "")


def roles_asked(text: str, glossary: Glossary) -> set[str]:
    """The Chinese words of the roles a question names (董事长; "chairman" → 董事长), for finding the
    sentence that names whoever holds one."""
    roles = entity_words().roles
    norm = normalize(text)
    found = {r for r in roles if r in text}
    found |= {z for _, _, zhs in glossary.spans(norm) for z in zhs if z in roles}
    return found | {zh for zh, en in roles.items() if has_word(norm, en.lower())}


def without_ratio_base(text: str, lexicon: Lexicon) -> str:
    """The question without the base of a share it asks for: "研发投入占营收的比例" → "研发投入的比例",
    "R&D as a share of revenue?" → "R&D?" — the figure asked is the share's own, not its base's."""
    zh, en = lexicon.ratio_base
    for w in zh:
        text = re.sub(re.escape(w) + r"[^，,。？?；;]{1,12}?(?=的?(?:比例|比重|百分比|之比|几成))", "", text)
    for w in en:
        text = re.sub(rf"(?i)\b{re.escape(w)}\s+[^,?.;]*", "", text)
    return text


def without_point_verbs(text: str, intents: list[str], lexicon: Lexicon) -> str:
    """The question without a verb that brings a point up, when it asks risks, strengths or a
    conclusion: in "what risks does the coverage raise", raise names no figure (fundraising's verb)."""
    if not set(intents) & {"risks", "strengths", "conclusion"}:
        return text
    for w in longest_first((*lexicon.brings_up[0], *lexicon.brings_up[1])):
        text = re.sub(rf"(?i)(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])", " ", text)
    return text


def group_asked(norm: str, lexicon: Lexicon) -> int | None:
    """How many companies a question names as a set ("这三家公司" 3, "both firms" 2, "these companies"
    0: not said), or None when it names no set: a count or a demonstrative right before a company
    noun, in English with up to two words between ("the three chip start-ups")."""
    zh_nouns, en_nouns = lexicon.group_nouns
    nouns = "|".join(re.escape(x) for x in en_nouns)
    found = None
    for n, words in lexicon.group_counts.items():
        for w in words:
            if re.search(r"[\u4e00-\u9fff]", w):
                said = any(w + noun in norm for noun in zh_nouns)
            else:
                between = r"\s+(?:[a-z-]+\s+){0,2}"  # "the three chip start-ups"
                said = bool(nouns) and bool(
                    re.search(rf"(?<![a-z0-9]){re.escape(w)}{between}(?:{nouns})(?![a-z0-9])", norm)
                )
            if said:
                found = max(found or 0, n)
    return found


def periods_named(text: str, lexicon: Lexicon) -> set[str]:
    """The parts of a year a text names (Q1, H1, 9M: lexicon `periods`)."""
    return {period for period, _ in period_words(text, lexicon)}


def period_words(text: str, lexicon: Lexicon) -> list[tuple[str, str]]:
    """(part of the year, its words as the normalised text has them), longest form first: 前三季度 is
    the first nine months, not the third quarter."""
    norm = normalize(text)
    found = []
    for period, w in lexicon.period_forms:
        m = word_search(normalize(w), norm)
        if m:
            found.append((period, m.group()))
            norm = norm[: m.start()] + " " * (m.end() - m.start()) + norm[m.end() :]
    return found
