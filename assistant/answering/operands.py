"""What arithmetic works on: a value an article states, cited by its sentence, and when two values
may be subtracted or divided at all."""

from __future__ import annotations

from dataclasses import dataclass

from ..values.rendering import Value

# An attribute's word stands this close to the value stated for it, before or after (总市值为…,
# …亿元的投后估值).
BESIDE = 8
# Operands further apart than this are two different things (a share price and a market value).
MAX_OPERAND_RATIO = 1000


@dataclass(frozen=True)
class Operand:
    value: Value
    sentence: int  # index of the sentence that states it
    label: str = ""  # the year it is for, if any


def alike(a: Value, b: Value) -> bool:
    """Two values one can subtract or divide: same kind and currency, within a factor of 1,000."""
    if a.kind != b.kind or a.currency != b.currency or not a.low or not b.low:
        return False
    return max(a.low, b.low) / min(a.low, b.low) <= MAX_OPERAND_RATIO


def cued(norm: str, v: Value, cues: list[str] | set[str], before: int = BESIDE) -> bool:
    """One of the attribute's words stands right before the value (存货账面价值达58.60亿元)."""
    return any(cue in norm[max(0, v.span[0] - before) : v.span[0]] for cue in cues)
