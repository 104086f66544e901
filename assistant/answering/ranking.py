"""Rankings and "which companies …" from the profiles' facts (answering/across.py says the answers).

Which words ask for the lowest or highest, and which field, is question analysis's job
(corpus/lexicon.yaml); this module orders facts and matches them to a question's concepts.

Retrieval cannot answer these: no single passage ranks the companies. The profiles can, for
the fields that carry a comparable `value` (years, dates, amounts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..corpus.companies import CompanyProfile, Fact
from ..text import normalize


@dataclass
class Ranking:
    field: str
    direction: str  # "min" or "max"
    ranked: list[tuple[CompanyProfile, Fact]]  # best first

    @property
    def winners(self) -> int:
        """How many share first place (a tie when values are equal)."""
        first = sort_key(self.ranked[0][1].value)
        return sum(1 for _, f in self.ranked if sort_key(f.value) == first)


def rank(
    profiles: list[CompanyProfile], fields: list[str], direction: str, years: set[int] = frozenset()
) -> Ranking | None:
    """Companies ordered by the first asked field that at least two of them have a comparable value for."""
    for field in fields:
        rows = []
        for p in profiles:
            facts = [
                f
                for f in p.facts_for(field)
                if sort_key(f.value) is not None and (not years or f.year is None or f.year in years)
            ]
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


def companies_with(
    profiles: list[CompanyProfile], groups: list[list[str]], idf
) -> list[tuple[CompanyProfile, Fact]]:
    """For "which companies …" questions: the companies with a fact that holds what the question asks.

    `groups` are the question's concepts, each a list of interchangeable terms (a glossary entry's
    Chinese terms, or one word). A fact is ranked by how many concepts it holds, then by their idf,
    so "filed a prospectus" wants both filing and 招股书, not just any filing. A company is listed
    when its best fact holds as many concepts as the best fact overall and half its idf; nobody is
    listed when no fact holds most of the question's concepts (then retrieval answers instead).
    """
    best: dict[str, tuple[tuple[int, float], CompanyProfile, Fact]] = {}
    for p in profiles:
        for f in p.facts:
            text = normalize(f.zh).replace(" ", "")
            hits = [
                max(idf(t) for t in g if t in text)
                for g in groups
                if any(len(t) >= 2 and t in text for t in g)
            ]
            score = (len(hits), sum(hits))
            if hits and score > best.get(p.id, ((0, 0.0),))[0]:
                best[p.id] = (score, p, f)
    if not best:
        return []
    top = max(v[0] for v in best.values())
    if top[0] < 0.6 * len(groups):
        return []
    rows = sorted(
        (v for v in best.values() if v[0][0] == top[0] and v[0][1] >= 0.5 * top[1]),
        key=lambda v: v[0],
        reverse=True,
    )
    return [(p, f) for _, p, f in rows]
