"""Whether an English sentence kept the values of the Chinese one it renders (same_values).

It errs towards silence: a false alarm stops a correct build, a miss only lets through a rendering
a reviewer can still catch, so the English side is read with every overlapping reading.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from .english import english_candidates
from .parsing import find_values
from .rendering import Value, render_en


def _atoms(values: Iterable[Value], kinds: tuple[str, ...]) -> list[tuple[Decimal, Decimal, str | None]]:
    """(low, high, currency) of every numeric English value, and each range end on its own too:
    `from RMB 5 billion to RMB 8 billion` reads as a range, yet holds two single amounts."""
    out = []
    for v in values:
        if v.kind in kinds and v.low is not None:
            out.append((v.low, v.high, v.currency))
            if v.is_range:
                out += [(v.low, v.low, v.currency), (v.high, v.high, v.currency)]
    return out


def _present(zh: Value, en: list[Value], en_text: str, year: int | None) -> bool:
    if zh.kind in ("amount", "number", "percent"):
        if zh.vague:  # no number to compare: the magnitude word is all a rendering must keep
            word = {3: "thousand", 6: "million", 9: "billion", 12: "trillion"}.get(
                (zh.magnitude or 0) // 3 * 3
            )
            return word is None or word in en_text.lower()
        kinds = ("percent",) if zh.kind == "percent" else ("amount", "number")
        atoms = _atoms(en, kinds)

        def has(low: Decimal, high: Decimal) -> bool:
            # a negative figure may be written as its size with "negative", "outflow" or "-RMB …"
            return any(
                abs(a_low) == abs(low)
                and abs(a_high) == abs(high)
                and (zh.currency is None or cur is None or cur == zh.currency)
                for a_low, a_high, cur in atoms
            )

        return has(zh.low, zh.high) or (zh.is_range and has(zh.low, zh.low) and has(zh.high, zh.high))
    en_years = {v.year for v in en if v.year is not None and v.kind in ("year", "date")}
    if zh.kind == "year":
        return zh.year in en_years
    for v in en:
        if v.kind != "date" or (v.month, v.day) != (zh.month, zh.day):
            continue
        if zh.year is None:
            if v.year is None or year is None or v.year == year:
                return True
        elif v.year == zh.year or (v.year is None and zh.year in en_years):
            return True
    return False


def same_values(zh_sentence: str, en_sentence: str, year: int | None = None) -> list[str]:
    """What the English rendering of a Chinese sentence gets wrong about its values; [] when fine.

    Amounts, ranges and percentages must be equal numbers (qualifiers and wording are free);
    dates equal (year, month, day); a bare year must appear. `year` is the article's year, which
    the English may add to a Chinese date that names only month and day.
    """
    en = english_candidates(en_sentence)
    problems: list[str] = []
    for zh in find_values(zh_sentence):
        if _present(zh, en, en_sentence or "", year):
            continue
        shown = replace(zh, year=year) if zh.kind == "date" and zh.year is None and year else zh
        problem = f'"{zh.text}" should appear as {render_en(shown)}'
        if problem not in problems:
            problems.append(problem)
    return problems
