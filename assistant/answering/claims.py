"""The claim that answers: the clause of a quoted sentence that holds what was asked, and the value
it asks for, pulled out so that the answer can say it first ("33.18 亿元 [1]", "CITIC Securities [1]").

A sentence of financial reporting lists several claims ("营收 7.43 亿元，净亏损 2.1 亿元，毛利率 …");
the question's words and the kind of value it wants pick the clause, and within it the value nearest
after the asked attribute's word. The value is the article's own text (Chinese) or its rendering by
`values.py` and the name tables (English) — never text we cannot point to: the clause stays quoted
under it and the whole sentence is in the source card.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..corpus.names import NameTable
from ..text import normalize, squash
from ..values import Value, find_values

# Where a sentence's claims part: commas, semicolons, colons and the list comma (第一年为0.30%、第二年为…).
_CLAUSE_END = re.compile(r"[，,；;：:、]")
# Value kinds each answer type accepts, best first.
_KINDS = {"amount": ("amount", "number", "percent"), "count": ("number", "amount", "percent"),
          "date": ("date", "year")}
# Words that ask for a rate or a share rather than an amount (中签率, 毛利率, 涨幅, percentage).
_RATE = re.compile(r"率|幅|比例|占比|百分|%|percent|rate|share of|margin|ratio")
_ORG_KINDS = {"brokerage", "regulator", "investor", "exchange", "company", "board"}
# Stock codes and model numbers read the same in both languages.
_CODE = re.compile(r"(?<![A-Za-z0-9])(?:\d{6}\.(?:SH|SZ|BJ)|\d{4,5}\.HK|[A-Z]{1,6}[- ]?\d{2,}[A-Za-z]*)(?![A-Za-z0-9])")


# A character pair the question shares with a clause counts a third of a cue word: enough to choose
# between clauses that hold the same cue (第一年为… / 第四年为…), not to outweigh the attribute.
SHARED_BIGRAM_WEIGHT = 0.34


def _bigrams(text: str) -> set[str]:
    t = squash(text, punctuation=True)
    return {t[i: i + 2] for i in range(len(t) - 1) if not t[i: i + 2].isascii()}


@dataclass(frozen=True)
class Claim:
    clause: str  # the clause that answers, as the article writes it
    value: str  # the short answer as written ("33.18亿元", "中信证券"); "" when nothing was asked for
    value_en: str  # its English rendering ("RMB 3.318 billion", "CITIC Securities")
    rendered_en: tuple[str, ...]  # every value and name of the clause in English, in order


def clauses(sentence: str) -> list[str]:
    """The sentence's clauses, each with the punctuation that ends it."""
    out, pos = [], 0
    for m in _CLAUSE_END.finditer(sentence):
        out.append(sentence[pos: m.end()])
        pos = m.end()
    if pos < len(sentence):
        out.append(sentence[pos:])
    return [c for c in out if any(ch.isalnum() for ch in c)]


def find_claim(sentence: str, cues: list[str], answer_types: tuple[str, ...], question: str,
               names: NameTable, year: int | None = None, exclude: tuple[str, ...] = ()) -> Claim:
    """The clause of `sentence` that best holds the question's `cues` (attribute words, names) and a
    value of its first answer type; that value, and everything the clause states, in English.
    `exclude`: names that are the asked entity itself (never the answer to "who … of X")."""
    kind = answer_types[0] if answer_types else ""
    parts = clauses(sentence) or [sentence]
    scored = []
    pairs = _bigrams(question)
    for i, part in enumerate(parts):
        hits = [c for c in cues if c and squash(c) in squash(part)]
        value = _value(part, kind, question, names, hits, year, exclude)
        shared = len(pairs & _bigrams(part))  # the question's own words (第四年, 收盘) in the clause
        scored.append((len(hits) + SHARED_BIGRAM_WEIGHT * shared + (2 if value[0] else 0), -i, part, value))
    _, _, clause, (value, value_en) = max(scored)
    if not value and kind:  # the asked kind sits in another clause than the cue words (a list)
        for part in parts:
            value, value_en = _value(part, kind, question, names, [], year, exclude)
            if value:
                clause = part
                break
    return Claim(clause.strip(), value, value_en, rendered(clause, names, year))


def _value(clause: str, kind: str, question: str, names: NameTable, cues: list[str], year: int | None,
           exclude: tuple[str, ...]) -> tuple[str, str]:
    if kind in _KINDS:
        return _number(clause, kind, question, cues, year)
    wanted = {"person": {"person"}, "organisation": _ORG_KINDS, "place": {"place"},
              "product": {"product", "architecture", "game"}}.get(kind)
    if not wanted:
        return "", ""
    skip = {normalize(x) for x in exclude}
    for pos, form, n in _names_at(clause, names):
        if n.kind in wanted and normalize(n.zh) not in skip and not skip & {normalize(f) for f in n.zh_forms}:
            return form, n.en
    if kind == "product":
        m = _CODE.search(clause)
        if m:
            return m.group(0), m.group(0)
    return "", ""


def _number(clause: str, kind: str, question: str, cues: list[str], year: int | None) -> tuple[str, str]:
    values = [v for v in find_values(clause, year) if v.kind in _KINDS[kind]]
    if not values:
        return "", ""
    if kind != "date":
        rate = bool(_RATE.search(normalize(question)))
        preferred = [v for v in values if (v.kind == "percent") == rate]
        values = preferred or values
    at = max((squash(clause).find(squash(c)) for c in cues), default=-1)
    after = [v for v in values if at < 0 or v.span[0] >= _unsquashed(clause, at)]
    v = (after or values)[0]
    return clause[v.span[0]: v.span[1]].strip(), _english(v, clause)


def _unsquashed(text: str, squashed_at: int) -> int:
    """The position in `text` of the character at `squashed_at` in its squashed form (spaces removed)."""
    seen = 0
    for i, ch in enumerate(text):
        if not ch.isspace():
            if seen == squashed_at:
                return i
            seen += 1
    return len(text)


def _english(v: Value, clause: str) -> str:
    text = v.render_en()
    tail = clause[v.span[1]: v.span[1] + 3]
    if v.kind in ("amount", "number") and (tail.startswith("/股") or tail.startswith("每股")):
        text += " per share"
    return text


def _names_at(clause: str, names: NameTable):
    """(position, form as written, name) for every name of the table in the clause, in text order."""
    norm = normalize(clause)
    found = []
    for n in names.in_text(clause):
        for form in sorted(n.zh_forms + n.en_forms, key=len, reverse=True):
            at = norm.find(normalize(form))
            if at >= 0:
                found.append((at, at + len(form), clause[at: at + len(form)], n))
                break
    # a name inside a longer one (上海 in 上海证监局) is part of it, not a name of its own
    inner = [f for f in found if any(o is not f and o[0] <= f[0] and f[1] <= o[1] and o[1] - o[0] > f[1] - f[0]
                                     for o in found)]
    return [(a, form, n) for a, b, form, n in sorted(found, key=lambda x: x[0]) if (a, b, form, n) not in inner]


def rendered(clause: str, names: NameTable, year: int | None = None) -> tuple[str, ...]:
    """Everything a clause states that can be carried into English without a translator: its values
    (rendered), the names the tables know (their English) and codes (as written), in text order."""
    items = [(v.span[0], _english(v, clause)) for v in find_values(clause, year)]
    taken = [v.span for v in find_values(clause, year)]
    for pos, form, n in _names_at(clause, names):
        if n.en and not any(a <= pos < b for a, b in taken):
            items.append((pos, n.en))
    for m in _CODE.finditer(clause):
        if not any(a <= m.start() < b for a, b in taken):
            items.append((m.start(), m.group(0)))
    seen: dict[str, None] = {}
    for _, text in sorted(items):
        seen.setdefault(text, None)
    return tuple(seen)
