"""Questions across companies ("哪家公司成立得最早？", "Which company has the highest valuation?"),
answered from the profiles' facts, each fact cited to the article passage it was taken from.

Retrieval cannot answer these: no single passage ranks the companies. The profiles can, for
the fields that carry a comparable `value` (years, dates, amounts).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .companies import FIELD_TERMS, CompanyProfile, Fact
from .text import normalize

LOWEST = ("最早", "最先", "最老", "最低", "最少", "最小", "earliest", "oldest", "first founded", "lowest",
          "least", "smallest", "fewest")
HIGHEST = ("最晚", "最新", "最近", "最高", "最多", "最大", "latest", "newest", "youngest", "most recent",
           "highest", "most", "largest", "biggest")


@dataclass
class Ranking:
    field: str
    direction: str  # "min" or "max"
    ranked: list[tuple[CompanyProfile, Fact]]  # best first


def asked_fields(terms: list[str]) -> list[str]:
    """Profile fields a question's terms point at, most specific first (in FIELD_TERMS order)."""
    return [f for f, words in FIELD_TERMS.items() if any(w == t or (len(t) >= 2 and w in t) for t in terms for w in words)]


def superlative(question: str) -> str | None:
    q = normalize(question)
    for word in LOWEST:
        if _has(q, word):
            return "min"
    for word in HIGHEST:
        if _has(q, word):
            return "max"
    return None


def _has(text: str, word: str) -> bool:
    if re.match(r"^[a-z ]+$", word):
        return re.search(rf"\b{re.escape(word)}\b", text) is not None
    return word in text


def rank(profiles: list[CompanyProfile], fields: list[str], direction: str) -> Ranking | None:
    """Companies ordered by the first asked field that at least two of them have a comparable value for."""
    for field in fields:
        rows = []
        for p in profiles:
            facts = [f for f in p.facts_for(field) if sort_key(f.value) is not None]
            if facts:
                pick = min if direction == "min" else max
                rows.append((p, pick(facts, key=lambda f: sort_key(f.value))))
        if len(rows) >= 2:
            rows.sort(key=lambda r: sort_key(r[1].value), reverse=direction == "max")
            return Ranking(field, direction, rows)
    return None


def sort_key(value) -> tuple | None:
    """Years, amounts and dates as comparable tuples: 2018 → (2018, 0, 0), '2025-06-30' → (2025, 6, 30)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return (float(value), 0.0, 0.0)
    m = re.match(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$", str(value))
    if m:
        return (float(m.group(1)), float(m.group(2) or 0), float(m.group(3) or 0))
    try:
        return (float(value), 0.0, 0.0)
    except ValueError:
        return None
