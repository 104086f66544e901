"""Suggested follow-ups under an answer: questions the corpus can answer, made from what the answer
was about — its companies and the profile fields it answered.

Two kinds, at most MAX_SUGGESTIONS in all: the same field for another company (one the cited
passages also name first, as the most related; any other company whose profile holds the field
after), and another field of the same company that its profile holds. A field no profile of that
company holds is never suggested: the profile is the cheap check of what the corpus can answer. The
questions are the message catalog's templates (`Msg.FOLLOW_<FIELD>`, both languages), filled with
the company's name in the page's language; there is no fixed list of questions.
"""

from __future__ import annotations

from ..corpus.companies import FIELD_LABELS, CompanyProfile
from ..messages import Msg
from ..schema import Answer
from ..text import squash

# Three links fit on one line under an answer on a phone (390 px) in either language.
MAX_SUGGESTIONS = 3
# The fields a follow-up may ask about, in the order they are offered (each has a Msg template;
# "analogy" and "profit" have none: the first is no question, the second no profile holds).
FOLLOW_FIELDS = (
    "valuation",
    "revenue",
    "fundraising",
    "founded",
    "listing",
    "losses",
    "shareholders",
    "headquarters",
    "products",
    "focus",
)


def _fields(p: CompanyProfile) -> set[str]:
    return {f.field for f in p.facts}


def answered_fields(answer: Answer, about: list[CompanyProfile]) -> list[str]:
    """The profile fields the answer is about: those whose fact's words are in a sentence it quotes,
    and those whose label its question names (a decline cites nothing of the field it was asked)."""
    quoted = [(c.passage_id, squash(c.quote)) for c in answer.citations]
    question = answer.question.lower()
    out: list[str] = []
    for field in FOLLOW_FIELDS:
        zh, en = FIELD_LABELS[field]
        from_cites = any(
            f.field == field and f.source == pid and squash(f.zh) in quote
            for p in about
            for f in p.facts
            for pid, quote in quoted
        )
        if from_cites or zh in answer.question or en.lower() in question:
            out.append(field)
    return out


def _question(field: str, company: CompanyProfile, lang: str) -> str:
    return Msg[f"FOLLOW_{field.upper()}"].say(lang, company=company.display(lang))


def suggestions(bot, answer: Answer, lang: str) -> list[str]:
    """Up to MAX_SUGGESTIONS follow-up questions in `lang` (none when the answer is about no company)."""
    profiles = {p.id: p for p in bot.companies() if not p.discovered}
    about = [profiles[c] for c in answer.companies if c in profiles]
    if not about:
        return []
    asked = answered_fields(answer, about)
    named = []  # companies the cited passages name, first the most related
    for c in answer.citations:
        passage = bot.passage(c.passage_id)
        named += [x for x in (passage.companies if passage else ()) if x in profiles and x not in named]
    others = [profiles[x] for x in named] + list(profiles.values())
    others = [p for i, p in enumerate(others) if p not in about and p not in others[:i]]
    out: list[str] = []
    for field in asked[:1]:
        out += [_question(field, p, lang) for p in others if field in _fields(p)][:1]
    for p in about[:1]:
        held = [f for f in FOLLOW_FIELDS if f in _fields(p) and f not in asked]
        out += [_question(f, p, lang) for f in held]
    return list(dict.fromkeys(out))[:MAX_SUGGESTIONS]
