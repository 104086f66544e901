"""Values read back from an English rendering (english_values), comparable with Chinese ones.

The English side is parsed liberally (overlapping readings, range endpoints as single values,
Chinese values left in the English text), since it only serves the check in `comparison`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..text import compiled
from .parsing import (
    CJK,
    FOLD,
    chinese_candidates,
    match_span,
    parse_decimal,
    scan,
    valid_date,
    without_overlaps,
)
from .rendering import MONTHS_EN, Value

_EN_SCALE = {
    "thousand": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
    "bn": Decimal(10) ** 9,
    "mn": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "b": Decimal(10) ** 9,
    "k": Decimal(10) ** 3,
}
_EN_QUALIFIER = {
    "more than": "more than",
    "in excess of": "more than",
    "upwards of": "more than",
    "over": "more than",
    "above": "more than",
    "exceeding": "more than",
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "approx": "about",
    "approx.": "about",
    "roughly": "about",
    "some": "about",
}
_EN_CURRENCY = {
    "rmb": "RMB",
    "cny": "RMB",
    "yuan": "RMB",
    "renminbi": "RMB",
    "¥": "RMB",
    "￥": "RMB",
    "us$": "USD",
    "usd": "USD",
    "$": "USD",
    "us dollars": "USD",
    "dollars": "USD",
    "hk$": "HKD",
    "hkd": "HKD",
    "hong kong dollars": "HKD",
}
_EN_MONTHS = {name[:3].lower(): n for n, name in MONTHS_EN.items()}
_EN_WORDS = (
    {
        w: i
        for i, w in enumerate(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
            "fifteen sixteen seventeen eighteen nineteen".split()
        )
    }
    | {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
    | {"a": 1, "an": 1}
)

_EN_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![.,]?\d)"
_EN_WORD_NUM = (
    r"\b(?i:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine|ten|an?)\b"
)
_EN_SCALE_RE = r"(?:[\s-]*(?i:thousand|million|billion|trillion)|\s?(?:bn|mn)|[mbkMBK])\b"
_EN_QUAL = (
    r"(?i:more\s+than|in\s+excess\s+of|upwards\s+of|over|above|exceeding|nearly|almost|"
    r"close\s+to|about|around|approximately|approx\.?|roughly|some)"
)
_EN_PRE = r"(?:US\$|HK\$|RMB|CNY|USD|HKD|[$¥￥])"
_EN_POST = r"(?i:yuan|renminbi|RMB|CNY|US\s+dollars|Hong\s+Kong\s+dollars|HKD|USD|dollars)\b"
_EN_SEP = r"(?:\s*(?:–|—|-|~)\s*|\s+to\s+)"

_EN_AMOUNT = rf"""(?x)
    (?:(?P<qual>{_EN_QUAL})\s+)?
    (?:(?P<pre>{_EN_PRE})\s*)?
    (?<![\d.,])(?P<low>{_EN_NUM}|{_EN_WORD_NUM})(?P<ls>{_EN_SCALE_RE})?
    (?:{_EN_SEP}(?:{_EN_PRE}\s*)?(?<![\d.,])(?P<high>{_EN_NUM})(?P<hs>{_EN_SCALE_RE})?)?
    (?:\s+(?P<post>{_EN_POST}))?
    """
_EN_PERCENT = rf"""(?x)
    (?:(?P<qual>{_EN_QUAL})\s+)?
    (?:(?<![\d.,])(?P<low>{_EN_NUM})\s*(?:%|(?i:percent|per\s+cent)\b)?{_EN_SEP})?
    (?<![\d.,])(?P<num>{_EN_NUM})\s*(?:%|(?i:percent|per\s+cent)\b)
    """
_MONTH = (
    r"(?P<{0}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?"
)
_EN_DATE = rf"""(?x)
      (?<![\d.,])(?:the\s+)?(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH.format("m1")}
        (?:(?:,\s*|\s+)(?P<y1>\d{{4}})(?!\d))?
    | {_MONTH.format("m2")}\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:(?:,\s*|\s+)(?P<y2>\d{{4}})(?!\d))?
    | {_MONTH.format("m3")},?\s+(?:of\s+)?(?P<y3>\d{{4}})(?!\d)
    """
_EN_YEAR = r"(?<![\d.,$¥￥])(?P<y>1[89]\d\d|2[01]\d\d)(?!\d|%|[.,]\d)"


def _en_number(s: str) -> Decimal | None:
    return parse_decimal(s) if s[0].isdigit() else _en_word_number(s)


def _en_word_number(s: str) -> Decimal | None:
    total = 0
    for part in s.lower().split("-"):
        if part not in _EN_WORDS:
            return None
        total += _EN_WORDS[part]
    return Decimal(total)


def _en_scale(s: str | None) -> Decimal | None:
    return _EN_SCALE[s.strip(" -\t\n").lower()] if s else None


def _en_amount(m: re.Match[str], original: str) -> Value | None:
    span, text = match_span(m, original)
    currency_word = m["pre"] or m["post"]
    currency = _EN_CURRENCY[" ".join(currency_word.lower().split())] if currency_word else None
    scales = [s for s in (m["ls"], m["hs"]) if s]
    letter_scale = any(len(s.strip()) == 1 for s in scales)
    word_scale = bool(scales) and not letter_scale
    is_word = not m["low"][0].isdigit()
    if letter_scale and currency is None:  # 4K is a resolution, 5m a distance
        return None
    if is_word and not scales:  # "a" or "one" on its own is no amount
        return None
    if currency is None and not word_scale and "," not in m["low"]:
        return None
    low = _en_number(m["low"])
    if low is None:
        return None
    ls, hs = _en_scale(m["ls"]), _en_scale(m["hs"])
    high = low
    if m["high"]:
        # RMB 14–15.5 billion: the low end has no scale of its own and takes the high end's.
        high = parse_decimal(m["high"]) * (hs or ls or 1)
        low = low * (ls or hs or 1)
    else:
        low = high = low * (ls or 1)
    qual = _EN_QUALIFIER.get(" ".join(m["qual"].lower().split())) if m["qual"] else None
    return Value(
        kind="amount" if currency else "number",
        span=span,
        text=text,
        low=low,
        high=high,
        currency=currency,
        qualifier=qual,
    )


def _en_percent(m: re.Match[str], original: str) -> Value | None:
    span, text = match_span(m, original)
    high = parse_decimal(m["num"])
    low = parse_decimal(m["low"]) if m["low"] else high
    qual = _EN_QUALIFIER.get(" ".join(m["qual"].lower().split())) if m["qual"] else None
    return Value(kind="percent", span=span, text=text, low=low, high=high, qualifier=qual)


def _en_date(m: re.Match[str], original: str) -> Value | None:
    span, text = match_span(m, original)
    name = m["m1"] or m["m2"] or m["m3"]
    month = _EN_MONTHS[name[:3].lower()]
    day_text, year_text = m["d1"] or m["d2"], m["y1"] or m["y2"] or m["y3"]
    day = int(day_text) if day_text else None
    y = int(year_text) if year_text else None
    if not valid_date(y, month, day):
        return None
    return Value(kind="date", span=span, text=text, year=y, month=month, day=day)


def _en_year(m: re.Match[str], original: str) -> Value | None:
    span, text = match_span(m, original)
    return Value(kind="year", span=span, text=text, year=int(m["y"]))


def english_candidates(text: str) -> list[Value]:
    """Every reading of an English sentence, overlaps included, plus any Chinese values left in it
    (`RMB 5 billion (50 亿元)`)."""
    text = text or ""
    folded = text.translate(FOLD)
    return [
        *scan(compiled(_EN_AMOUNT), folded, lambda m: _en_amount(m, text)),
        *scan(compiled(_EN_PERCENT), folded, lambda m: _en_percent(m, text)),
        *scan(compiled(_EN_DATE), folded, lambda m: _en_date(m, text)),
        *scan(compiled(_EN_YEAR), folded, lambda m: _en_year(m, text)),
        # Only readings that hold Chinese: `RMB 5` is the English parser's to read, not ours.
        *(v for v in chinese_candidates(text, None) if compiled(CJK).search(v.text)),
    ]


def english_values(text: str) -> list[Value]:
    """The values of an English sentence (RMB 3.904 billion, $1.2 billion, 30 June 2025, 200%),
    as `Value`s comparable with those of `find_values`, in text order without overlaps."""
    return without_overlaps(english_candidates(text))
