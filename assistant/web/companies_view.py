"""Companies as the page shows them: the search box's names, a profile, its mentions, the comparison table.

Presentation only: which company a name means and which facts it has is decided by `Assistant`
and the profiles (corpus/companies.py); every fact links to the passage it was taken from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..corpus.companies import CompanyMatch, CompanyProfile, Fact
from .templating import render_template

# Rows of the comparison table, in reading order; a field no profile has is left out.
COMPARE_FIELDS = (
    "founded",
    "headquarters",
    "focus",
    "products",
    "listing",
    "fundraising",
    "valuation",
    "revenue",
    "losses",
    "shareholders",
    "analogy",
)
# Facts per cell: descriptive fields are long, so one; a listing is a status plus its dates.
CELL_LIMITS = {"focus": 1, "products": 1, "analogy": 1, "listing": 3}
CELL_LIMIT = 2


# ---- companies ------------------------------------------------------------------------------------
def name_choices(profiles: Sequence[CompanyProfile]) -> list[tuple[str, str]]:
    """(label, value) for the search box: every name and alias, each saying which company it is."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for p in profiles:
        for name in p.names:
            if name in seen:
                continue
            seen.add(name)
            label = (
                f"{p.name_zh} · {p.name_en}" if name == p.name_zh else f"{name} → {p.name_zh} · {p.name_en}"
            )
            out.append((label, name))
    return out


def near_choice(typed: str, profile: CompanyProfile) -> tuple[str, str]:
    """A suggestion for a name typed with a slip ("Moor Threads"): the search box only offers options
    whose label contains what was typed, so the label starts with it; the value is the company's name."""
    return f"{typed} → {profile.name_zh} · {profile.name_en}", profile.name_zh


def company_card(match: CompanyMatch, lang: str, others: Sequence[CompanyMatch] = ()) -> str:
    """Both names, every alias, and each profile fact in both languages with its source passage."""
    return render_template("company_card.html", match=match, lang=lang, others=others)


def company_mentions(match: CompanyMatch, lang: str) -> str:
    """The article passages that name the company, in document order, its names highlighted."""
    return render_template("company_mentions.html", match=match, lang=lang)


def company_empty(lang: str) -> str:
    return render_template("company_empty.html", lang=lang)


def no_company(query: str, profiles: Sequence[CompanyProfile], lang: str) -> str:
    return render_template("no_company.html", query=query, profiles=profiles, lang=lang)


# ---- the comparison table -------------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    """What one table cell shows: a few of the company's facts for a field, and how many it left out."""

    facts: tuple[Fact, ...]
    hidden: int


def fact_date(fact: Fact) -> str | None:
    """A fact's value as a sortable date ("2024", "2024-09", "2025-06-30") when it is one."""
    v = fact.value
    if isinstance(v, int) and not isinstance(v, bool) and 1900 <= v <= 2100:
        return str(v)
    if isinstance(v, str) and re.match(r"(19|20)\d\d(-\d\d){0,2}$", v):
        return v
    return None


def cell(profile: CompanyProfile, field_name: str, limit: int | None = None) -> Cell:
    """The facts that summarise a field: the latest year's for yearly figures; for events such as a
    listing the status plus the most recent dated steps, in date order; otherwise the first ones."""
    limit = limit or CELL_LIMITS.get(field_name, CELL_LIMIT)
    facts = profile.facts_for(field_name)
    yearly = [f for f in facts if f.year is not None]
    dated = sorted((f for f in facts if fact_date(f)), key=fact_date)
    if yearly:
        latest = max(f.year for f in yearly)
        chosen = [f for f in yearly if f.year == latest][:limit]
    elif dated:
        head = [f for f in facts if f not in dated][:1]
        chosen = head + (dated[-(limit - len(head)) :] if limit > len(head) else [])
    else:
        chosen = facts[:limit]
    return Cell(tuple(chosen), len(facts) - len(chosen))


def comparison_table(profiles: Sequence[CompanyProfile], lang: str) -> str:
    """Fields down, companies across; every fact in a cell links to the passage it was taken from."""
    if not profiles:
        return ""
    fields = [f for f in COMPARE_FIELDS if any(p.facts_for(f) for p in profiles)]
    return render_template("compare.html", profiles=profiles, fields=fields, lang=lang, cell=cell)
