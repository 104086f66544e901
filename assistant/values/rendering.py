"""The `Value` record and the English an answer states for it (7.43 亿元 → RMB 743 million).

Own code, not Babel: Babel's compact form writes 426,400 as "426.4 thousand" and 1.5e15 as
"1500 trillion" (checked), where answers say "426,400" and "1,500 trillion"; its plain form only
repeats the one-line `format(d, ",f")` used here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

MONTHS_EN: dict[int, str] = {
    1: "January",
    2: "February",
    3: "March",
    4: "April",
    5: "May",
    6: "June",
    7: "July",
    8: "August",
    9: "September",
    10: "October",
    11: "November",
    12: "December",
}

# A vague amount (数十亿元) names only a power of ten; English says it in words.
_VAGUE_EN = {
    1: "tens of",
    2: "hundreds of",
    3: "several thousand",
    4: "tens of thousands of",
    5: "hundreds of thousands of",
    6: "several million",
    7: "tens of millions of",
    8: "hundreds of millions of",
    9: "several billion",
    10: "tens of billions of",
    11: "hundreds of billions of",
    12: "several trillion",
    13: "tens of trillions of",
    14: "hundreds of trillions of",
}
_CURRENCY_WORDS = {
    "RMB": "yuan",
    "USD": "US dollars",
    "HKD": "Hong Kong dollars",
    "TWD": "New Taiwan dollars",
}
_CURRENCY_PREFIX = {"RMB": "RMB ", "USD": "US$", "HKD": "HK$", "TWD": "NT$"}
# A bare 元 in traditional-script reporting (Taiwan, Hong Kong) is the place's own dollar, not the
# renminbi: said as "yuan" after the figure, no currency claimed.
LOCAL_YUAN = "yuan"
# English scale words and where each begins; below a million a number is written out in full.
_SCALES = ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))


@dataclass(frozen=True)
class Value:
    """One value found in a sentence, with what a translation must keep of it.

    Numbers are `Decimal` so that comparing a Chinese amount with its English rendering is exact.
    `low`/`high` are in currency units (yuan, dollars) for amounts, in percent for percentages;
    a single value has low == high. Kinds: "amount" (with a currency), "number" (万/亿 with no
    currency, e.g. 2 亿 users), "percent", "date" (day or month known) and "year".
    """

    kind: str
    span: tuple[int, int]
    text: str
    low: Decimal | None = None
    high: Decimal | None = None
    currency: str | None = None  # "RMB", "USD", "HKD"
    qualifier: str | None = None  # "more than", "nearly", "about"
    vague: bool = False  # 数十亿元: a magnitude, no number
    magnitude: int | None = None  # power of ten a vague amount names (数十亿 → 9)
    year: int | None = None
    month: int | None = None
    day: int | None = None
    part: str | None = None  # the part of the year a "year" names: Q1–Q4, H1, H2 (2026年第四季度)

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None and self.low != self.high

    @property
    def number(self) -> Decimal | None:
        """The single number of a value that is not a range (callers that want one figure)."""
        return None if self.is_range else self.low

    @property
    def ymd(self) -> tuple[int | None, int | None, int | None]:
        return (self.year, self.month, self.day)

    def render_en(self) -> str:
        return render_en(self)


def _plain(d: Decimal) -> str:
    """Every significant digit, no exponent, no trailing zeros, thousands separated."""
    return format(d.normalize(), ",f")


def _scaled(amount: Decimal, scale: tuple[Decimal, str] | None) -> str:
    if scale is None:
        return _plain(amount)
    return f"{_plain(amount / scale[0])} {scale[1]}"


def _scale_for(amount: Decimal) -> tuple[Decimal, str] | None:
    """Trillions, billions, millions; below a million the figure is written out (RMB 426,400)."""
    return next((s for s in _SCALES if abs(amount) >= s[0]), None)


def _to_decimal(x: Decimal | float | int | str) -> Decimal:
    # repr of a float is its shortest round-trip form: 0.46 stays 0.46, not 0.4600000000000000199…
    return x if isinstance(x, Decimal) else Decimal(repr(x) if isinstance(x, float) else str(x))


def _render_number(low: Decimal, high: Decimal | None, currency: str | None) -> str:
    if currency == LOCAL_YUAN:
        return f"{_render_number(low, high, None)} yuan"
    prefix = "" if currency is None else _CURRENCY_PREFIX.get(currency, f"{currency} ")
    if high is None or high == low:
        sign = "-" if low < 0 else ""  # -RMB 893 million, not RMB -893 million
        return sign + prefix + _scaled(abs(low), _scale_for(abs(low)))
    # One scale for both ends, the high end's, so the low end inherits it when read back.
    scale = _scale_for(max(low, high))
    figures = f"{_plain(low / scale[0]) if scale else _plain(low)}–{_scaled(high, scale)}"
    return prefix + figures


def render_amount_en(amount_yuan: Decimal | float, currency: str | None = "RMB") -> str:
    """`RMB 743 million` for 743000000: the English form of an amount already in currency units."""
    return _render_number(_to_decimal(amount_yuan), None, currency)


def render_en(value: Value) -> str:
    """The English a translation should use for `value` (e.g. `more than RMB 5 billion`)."""
    qual = f"{value.qualifier} " if value.qualifier else ""
    if value.kind in ("amount", "number"):
        if value.vague:
            words = _VAGUE_EN.get(value.magnitude or 0, "some")
            return f"{qual}{words} {_CURRENCY_WORDS.get(value.currency or '', 'yuan')}".strip()
        return qual + _render_number(value.low, value.high, value.currency)
    if value.kind == "percent":
        if value.is_range:
            return f"{qual}{_plain(value.low)}–{_plain(value.high)}%"
        return f"{qual}{_plain(value.low)}%"
    if value.kind == "year":
        return f"{value.part} {value.year}" if value.part else str(value.year)
    parts = [str(value.day) if value.day else "", MONTHS_EN[value.month], str(value.year or "")]
    return " ".join(p for p in parts if p)
