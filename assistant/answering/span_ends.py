"""Which end of a span of days a question asks, and which end a clause's day is.

"设备什么时候开始交付" and "最后一批最晚什么时候交付" ask two ends of one span ("相关设备将自2026年7月起分批
交付，最后一批设备须于2027年6月30日前完成交付"); reporting marks each: 自/从…起 a start, …前/止, 至… an end.
"""

from __future__ import annotations

import re

from ..text import normalize

# The start or the end of a span of days asked, and how a clause marks each.
_START_ASKED = re.compile(r"开始|首批|起始|\bstart|\bbegin|\bcommence|\bfrom when")
_END_ASKED = re.compile(
    r"截止|最后|最晚|完成|结束|到期|\bend\b|\bfinish|\bcomplete|\bdeadline|\buntil|\bby when"
)
_STARTS = re.compile(r"(?:自|从)$")
_STARTED = re.compile(r"(?:起|开始)")
_ENDS = re.compile(r"(?:至|到|截至)$")
_ENDED = re.compile(r"(?:前|止|之前|截止)")
# A clause whose day is marked as the other end than the one asked (…前 when the start is asked) counts
# this much less: as much as the value itself counts (_clause_score). No bonus for the end asked: a
# day marked 起 in another sentence is no better an answer for it.
SPAN_END_WEIGHT = 1.0


def the_asked_end(values: list, clause: str, question: str) -> list:
    """Of a span's two days in one clause (自7月1日至9月30日), the end the question asks for."""
    asked = asked_end(question)
    fitting = [v for v in values if asked and marked_end(clause, *v.span) == asked]
    return fitting or values


def asked_end(question: str) -> str:
    """ "start" when the question asks when something starts, "end" when by when it must be done."""
    norm = normalize(question)
    start, end = bool(_START_ASKED.search(norm)), bool(_END_ASKED.search(norm))
    return "start" if start and not end else "end" if end and not start else ""


def marked_end(clause: str, a: int, b: int) -> str:
    """How the clause marks the day at a:b: as a start (自…起), an end (…前, 至…), or not at all."""
    if _ENDS.search(clause[:a]) or _ENDED.match(clause, b):
        return "end"
    if _STARTS.search(clause[:a]) or _STARTED.match(clause, b):
        return "start"
    return ""
