"""Values lined up with their years: "2022 年、2023 年、2024 年营收分别为 A、B、C" or "2022 年约 0.46
亿元 … 2024 年约 4.38 亿元" answer a question about 2023 with B. Used by the claim that answers
(claims.py) and by arithmetic, which takes its operands the way a look-up finds its value.
"""

from __future__ import annotations

import re

from ..text import normalize, squash, to_simplified
from ..values.parsing import find_values
from ..values.rendering import Value
from .clause_values import clause_at

# "分别为 / 依次为" lists: values a list of years lines up with, one for one.
_LIST_GLUE = re.compile(r"^[\s、,，和及与以及至到]*$")
_PARENS = re.compile(r"[（(][^）)]*[）)]")
# "2022 年约 0.46 亿元": at most this many characters between a year and the value stated for it.
YEAR_GAP = 2
# A value that lines up with the asked year counts as much as a value and two cue words.
YEAR_ALIGNED = 3.0


def values_by_year(
    before: str, sentence: str, kinds: tuple[str, ...], year: int | None, cues: list[str] = ()
) -> dict[int, tuple[Value, str]]:
    """Year → (value, the clause it is in) for a list of values that lines up with the nearest list
    of as many years before it, in this sentence or earlier in its paragraph ("2022 年、2023 年、2024
    年营收分别为 42.64 万元(0.0043 亿元)、0.5302 亿元、7.43 亿元；净利润亏损依次为 7.77 亿元、…").
    With `cues`, only a list whose clause holds one of them (营收 for revenue, 亏损 for losses)."""
    masked = _PARENS.sub(lambda m: " " * len(m.group(0)), sentence)  # (0.0043 亿元) restates the one before
    values = [v for v in find_values(to_simplified(masked), year) if v.kind in kinds]
    text = before + sentence
    years = [v for v in find_values(text, year) if v.kind == "year" or (v.kind == "date" and v.year)]
    out: dict[int, tuple[Value, str]] = {}
    norm = normalize(sentence)
    first_cue = min((norm.find(normalize(c)) for c in cues if normalize(c) in norm), default=-1)
    for y in years:  # "2022 年约 0.46 亿元 … 2024 年约 4.38 亿元": a value right after its year
        at = y.span[1] - len(before)
        nxt = next((v for v in values if 0 <= v.span[0] - at <= YEAR_GAP), None)
        if nxt is None or y.kind != "year" or (cues and first_cue < 0):
            continue
        clause = clause_at(sentence, nxt.span[0])
        # not when the asked attribute is first named after the value's clause: "華鎧2025年營收55.3億元，
        # …每股純益2.41元" states the year's revenue first, and the EPS asked later
        if cues and first_cue >= sentence.find(clause) + len(clause):
            continue
        out.setdefault(int(y.year), (nxt, clause))
    for run in _runs(values, masked):
        start = len(before) + run[0].span[0]
        year_runs = [r for r in _runs([y for y in years if y.span[1] <= start], text) if len(r) == len(run)]
        head = clause_at(sentence, run[0].span[0])
        if len(run) >= 2 and year_runs and (not cues or any(squash(c) in squash(head) for c in cues)):
            for y, v in zip(year_runs[-1], run):
                out.setdefault(int(y.year), (v, clause_at(sentence, v.span[0])))
    return out


def _runs(values: list[Value], text: str) -> list[list[Value]]:
    """Values that follow one another with only list glue (、, 和, 至) between them."""
    runs: list[list[Value]] = []
    for v in values:
        if runs and _LIST_GLUE.match(text[runs[-1][-1].span[1] : v.span[0]]):
            runs[-1].append(v)
        else:
            runs.append([v])
    return runs
