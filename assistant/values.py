"""Values found in Chinese text (amounts, dates, percentages), rendered in English and checked.

The corpus is Chinese and the answers are bilingual, so every number an English answer states was
converted from a Chinese unit (万 = 1e4, 亿 = 1e8). That conversion is where translations go wrong
(7.43 亿元 is RMB 743 million, not 7.43 billion), so the conversion lives in one place, does its
arithmetic in `Decimal` (0.46 × 1e8 must be 46 million exactly, never 45999999.99…), and comes
with a parser for the English side so a build can check that a translation kept its numbers.

`same_values` is that check. It errs towards silence: a false alarm stops a correct build, a miss
only lets through a rendering a reviewer can still catch, so the English side is parsed liberally
(overlapping readings, range endpoints as single values, Chinese values left in the English text).
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Callable, Iterable

__all__ = [
    "MONTHS_EN",
    "Value",
    "english_values",
    "find_values",
    "render_amount_en",
    "render_en",
    "same_values",
]

MONTHS_EN: dict[int, str] = {
    1: "January", 2: "February", 3: "March", 4: "April", 5: "May", 6: "June",
    7: "July", 8: "August", 9: "September", 10: "October", 11: "November", 12: "December",
}

# Full-width ASCII (０-９, ．, ％, ～ …) and the ideographic space folded one character for one, so
# spans found in the folded text are spans in the original.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_CJK = re.compile(r"[\u3400-\u9fff]")

# ---------------------------------------------------------------- constant tables

_UNITS = {"万亿": Decimal(10) ** 12, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6,
          "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4}
_ZH_CURRENCY = {"元人民币": "RMB", "人民币": "RMB", "元": "RMB", "美元": "USD", "港元": "HKD", "新台币": "TWD",
                "台币": "TWD", "NT$": "TWD",
                "港币": "HKD", "RMB": "RMB", "CNY": "RMB", "¥": "RMB", "￥": "RMB",
                "US$": "USD", "USD": "USD", "$": "USD", "HK$": "HKD", "HKD": "HKD"}
_ZH_QUALIFIER = {"不超过": "up to", "不高于": "up to", "不多于": "up to", "最多": "up to", "不低于": "at least",
                 "不少于": "at least", "至少": "at least", "超过": "more than", "多于": "more than", "高于": "more than", "大于": "more than",
                 "逾": "more than", "超": "more than", "以上": "more than", "多": "more than",
                 "余": "more than", "将近": "nearly", "接近": "nearly", "近": "nearly",
                 "约为": "about", "大约": "about", "约合": "about", "约": "about",
                 "左右": "about", "上下": "about"}
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}
# A vague amount (数十亿元) names only a power of ten; English says it in words.
_VAGUE_EN = {1: "tens of", 2: "hundreds of", 3: "several thousand", 4: "tens of thousands of",
             5: "hundreds of thousands of", 6: "several million", 7: "tens of millions of",
             8: "hundreds of millions of", 9: "several billion", 10: "tens of billions of",
             11: "hundreds of billions of", 12: "several trillion", 13: "tens of trillions of",
             14: "hundreds of trillions of"}
_CURRENCY_WORDS = {"RMB": "yuan", "USD": "US dollars", "HKD": "Hong Kong dollars", "TWD": "New Taiwan dollars"}
_CURRENCY_PREFIX = {"RMB": "RMB ", "USD": "US$", "HKD": "HK$", "TWD": "NT$"}
# English scale words and where each begins; below a million a number is written out in full.
_SCALES = ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))
_EN_SCALE = {"thousand": Decimal(10) ** 3, "million": Decimal(10) ** 6, "billion": Decimal(10) ** 9,
             "trillion": Decimal(10) ** 12, "bn": Decimal(10) ** 9, "mn": Decimal(10) ** 6,
             "m": Decimal(10) ** 6, "b": Decimal(10) ** 9, "k": Decimal(10) ** 3}
_EN_QUALIFIER = {"more than": "more than", "in excess of": "more than", "upwards of": "more than",
                 "over": "more than", "above": "more than", "exceeding": "more than",
                 "nearly": "nearly", "almost": "nearly", "close to": "nearly",
                 "about": "about", "around": "about", "approximately": "about", "approx": "about",
                 "approx.": "about", "roughly": "about", "some": "about"}
_EN_CURRENCY = {"rmb": "RMB", "cny": "RMB", "yuan": "RMB", "renminbi": "RMB", "¥": "RMB", "￥": "RMB",
                "us$": "USD", "usd": "USD", "$": "USD", "us dollars": "USD", "dollars": "USD",
                "hk$": "HKD", "hkd": "HKD", "hong kong dollars": "HKD"}
_EN_MONTHS = {name[:3].lower(): n for n, name in MONTHS_EN.items()}
_EN_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())} | {
    w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)} | {
    "a": 1, "an": 1}

# ---------------------------------------------------------------- patterns

_SEP = r"(?:~|-|–|—|至|到)"
_NUM = r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![.,]?\d)"
_CN_NUM = r"(?<![零〇一二两三四五六七八九十百千几数])[零〇一二两三四五六七八九十百千]+(?:点[零〇一二两三四五六七八九]+)?"
_UNIT = r"(?:万亿|千万|百万|亿|万)"
_CUR = r"(?:元人民币|人民币|美元|港元|港币|元)"
_QUAL = r"(?:不超过|不高于|不多于|不低于|不少于|至少|最多|超过|多于|高于|大于|逾|超|将近|接近|(?<!最)近|约为|大约|约合|(?<![合签节预条契])约)"
_PRE = r"(?:人民币|新台币|台币|RMB|CNY|NT\$|US\$|USD|HK\$|HKD|[¥￥$])"
_POST = r"(?:左右|以上|上下)"
# A minus written right before a figure (现金流量净额为-8.93亿元), not a range's dash (2022-2024, 650-700亿元).
_SIGN = r"(?<![\dA-Za-z%.])[-−－]"

_ZH_AMOUNT = re.compile(rf"""
    (?:(?P<qual>{_QUAL})\s*)?
    (?:(?P<pre>{_PRE})\s*)?
    (?:
        (?<![\d十百千万亿])(?P<vague>[数几])(?P<vmult>[十百千])?(?P<vunit>{_UNIT})?(?P<vcur>{_CUR})
      | (?:(?P<low>{_NUM})\s*(?P<lunit>{_UNIT})?\s*(?:{_CUR}\s*)?{_SEP}\s*(?:{_PRE}\s*)?)?
        (?P<sign>{_SIGN})?(?P<num>{_NUM}|{_CN_NUM})\s*(?P<plus>多|余)?\s*(?P<unit>{_UNIT})?\s*(?P<plus2>多|余)?\s*(?P<cur>{_CUR})?
    )
    (?:\s*(?P<post>{_POST}))?
    """, re.X)
_ZH_PERCENT = re.compile(rf"""
    (?:(?P<qual>{_QUAL})\s*)?
    (?:
        (?:(?P<low>{_NUM})\s*%?\s*{_SEP}\s*)?(?P<sign>{_SIGN})?(?P<num>{_NUM})\s*%
      | 百分之\s*(?P<cn>{_NUM}|{_CN_NUM})
    )
    (?:\s*(?P<post>{_POST}))?
    """, re.X)
_ZH_DATE = re.compile(r"""
      (?<!\d)(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?
    | (?<![\d.])(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*[日号]
    | (?<!\d)(?P<year>\d{4})\s*年
    """, re.X)
_ISO_DATE = re.compile(r"(?<![\d.\-/])(?P<y>\d{4})(?P<s>[-/])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?![\d\-/])")

_EN_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![.,]?\d)"
_EN_WORD_NUM = (r"\b(?i:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|"
                r"five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
                r"seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine|ten|an?)\b")
_EN_SCALE_RE = r"(?:[\s-]*(?i:thousand|million|billion|trillion)|\s?(?:bn|mn)|[mbkMBK])\b"
_EN_QUAL = (r"(?i:more\s+than|in\s+excess\s+of|upwards\s+of|over|above|exceeding|nearly|almost|"
            r"close\s+to|about|around|approximately|approx\.?|roughly|some)")
_EN_PRE = r"(?:US\$|HK\$|RMB|CNY|USD|HKD|[$¥￥])"
_EN_POST = r"(?i:yuan|renminbi|RMB|CNY|US\s+dollars|Hong\s+Kong\s+dollars|HKD|USD|dollars)\b"
_EN_SEP = r"(?:\s*(?:–|—|-|~)\s*|\s+to\s+)"

_EN_AMOUNT = re.compile(rf"""
    (?:(?P<qual>{_EN_QUAL})\s+)?
    (?:(?P<pre>{_EN_PRE})\s*)?
    (?<![\d.,])(?P<low>{_EN_NUM}|{_EN_WORD_NUM})(?P<ls>{_EN_SCALE_RE})?
    (?:{_EN_SEP}(?:{_EN_PRE}\s*)?(?<![\d.,])(?P<high>{_EN_NUM})(?P<hs>{_EN_SCALE_RE})?)?
    (?:\s+(?P<post>{_EN_POST}))?
    """, re.X)
_EN_PERCENT = re.compile(rf"""
    (?:(?P<qual>{_EN_QUAL})\s+)?
    (?:(?<![\d.,])(?P<low>{_EN_NUM})\s*(?:%|(?i:percent|per\s+cent)\b)?{_EN_SEP})?
    (?<![\d.,])(?P<num>{_EN_NUM})\s*(?:%|(?i:percent|per\s+cent)\b)
    """, re.X)
_MONTH = (r"(?P<{0}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?")
_EN_DATE = re.compile(rf"""
      (?<![\d.,])(?:the\s+)?(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH.format("m1")}
        (?:(?:,\s*|\s+)(?P<y1>\d{{4}})(?!\d))?
    | {_MONTH.format("m2")}\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:(?:,\s*|\s+)(?P<y2>\d{{4}})(?!\d))?
    | {_MONTH.format("m3")},?\s+(?:of\s+)?(?P<y3>\d{{4}})(?!\d)
    """, re.X)
_EN_YEAR = re.compile(r"(?<![\d.,$¥￥])(?P<y>1[89]\d\d|2[01]\d\d)(?!\d|%|[.,]\d)")


# ---------------------------------------------------------------- the record


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


# ---------------------------------------------------------------- rendering


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
        return str(value.year)
    parts = [str(value.day) if value.day else "", MONTHS_EN[value.month], str(value.year or "")]
    return " ".join(p for p in parts if p)


# ---------------------------------------------------------------- shared parsing helpers


def _scan(pattern: re.Pattern[str], text: str, build: Callable[[re.Match[str]], Value | None]) -> list[Value]:
    """Every match `build` accepts; a rejected match is retried one character later so that it
    cannot hide a value inside it (2022 年约 0.46 亿元: `2022` alone is no amount)."""
    out, pos = [], 0
    while (m := pattern.search(text, pos)) is not None:
        value = build(m)
        if value is None:
            pos = m.start() + 1
        else:
            out.append(value)
            pos = max(m.end(), m.start() + 1)
    return out


def _span(m: re.Match[str], original: str) -> tuple[tuple[int, int], str]:
    """The match without the trailing spaces its optional tails may have eaten."""
    start = m.start()
    end = start + len(m.group().rstrip())
    return (start, end), original[start:end]


def _decimal(s: str) -> Decimal | None:
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None


def _cn_number(s: str) -> Decimal | None:
    """二十 → 20, 两千五百 → 2500, 三点五 → 3.5 (the Chinese numerals before 万/亿 or after 百分之).

    Two digits side by side are an estimate, not a number: 两三亿 is 2–3 亿, 三四十 is 30–40.
    """
    whole, _, frac = s.partition("点")
    if not whole or any(a in _CN_DIGITS and b in _CN_DIGITS and "零" not in a + b and "〇" not in a + b
                        for a, b in zip(whole, whole[1:])):
        return None
    if not any(ch in _CN_MULTIPLIERS for ch in whole):
        digits = "".join(str(_CN_DIGITS[ch]) for ch in whole)
    else:
        total, current = 0, 0
        for ch in whole:
            if ch in _CN_DIGITS:
                current = _CN_DIGITS[ch]
            else:
                total += (current or 1) * _CN_MULTIPLIERS[ch]
                current = 0
        digits = str(total + current)
    frac_digits = "".join(str(_CN_DIGITS[ch]) for ch in frac)
    return Decimal(f"{digits}.{frac_digits}" if frac_digits else digits)


def _number(s: str) -> Decimal | None:
    return _decimal(s) if s[0].isdigit() else _cn_number(s)


def _qualifier(*words: str | None) -> str | None:
    return next((_ZH_QUALIFIER[w] for w in words if w), None)


def _valid_date(year: int | None, month: int, day: int | None) -> bool:
    if not 1 <= month <= 12:
        return False
    if day is None:
        return True
    # Without a year, 29 February is allowed (a leap year could be meant).
    return 1 <= day <= calendar.monthrange(year if year and 1 <= year <= 9999 else 2000, month)[1]


def _resolve(values: Iterable[Value]) -> list[Value]:
    """Non-overlapping values in text order; where two overlap, the earlier, then longer, wins."""
    out: list[Value] = []
    for v in sorted(values, key=lambda v: (v.span[0], v.span[0] - v.span[1])):
        if not out or v.span[0] >= out[-1].span[1]:
            out.append(v)
    return out


# ---------------------------------------------------------------- Chinese


def _zh_amount(m: re.Match[str], original: str) -> Value | None:
    span, text = _span(m, original)
    qual = _qualifier(m["qual"], m["plus"], m["plus2"], m["post"])
    if m["vague"]:
        if not (m["vmult"] or m["vunit"]):
            return None
        magnitude = len(str(_CN_MULTIPLIERS.get(m["vmult"], 1))) - 1
        magnitude += len(str(_UNITS[m["vunit"]])) - 1 if m["vunit"] else 0
        return Value(kind="amount", span=span, text=text, currency=_ZH_CURRENCY[m["vcur"]],
                     qualifier=qual, vague=True, magnitude=magnitude)
    # a currency named before the number is the more specific (新台币128.6亿元: Taiwan dollars, not yuan)
    currency_word = m["pre"] or m["cur"]
    is_arabic = m["num"][0].isdigit()
    # Chinese numerals only count before 万/亿 and a currency: 单一元件 holds 一元, 千万 is an adverb.
    if is_arabic and not (currency_word or m["unit"]):
        return None
    if not is_arabic and not (m["unit"] and currency_word):
        return None
    unit = _UNITS[m["unit"]] if m["unit"] else Decimal(1)
    high = _number(m["num"])
    if high is None:
        return None
    high *= unit * (-1 if m["sign"] and not m["low"] else 1)
    low = high
    if m["low"]:
        low = _decimal(m["low"]) * (_UNITS[m["lunit"]] if m["lunit"] else unit)
    return Value(kind="amount" if currency_word else "number", span=span, text=text,
                 low=low, high=high, currency=_ZH_CURRENCY.get(currency_word) if currency_word else None,
                 qualifier=qual)


def _zh_percent(m: re.Match[str], original: str) -> Value | None:
    span, text = _span(m, original)
    high = _number(m["cn"]) if m["cn"] else _decimal(m["num"])
    if high is None:
        return None
    if m["sign"] and not m["low"]:
        high = -high
    low = _decimal(m["low"]) if m["low"] else high
    return Value(kind="percent", span=span, text=text, low=low, high=high,
                 qualifier=_qualifier(m["qual"], m["post"]))


def _zh_date(m: re.Match[str], original: str, year: int | None) -> Value | None:
    span, text = _span(m, original)
    if m["year"]:
        y = int(m["year"])
        if not 1800 <= y <= 2199:  # 5000 年 is a span of time, not a year
            return None
        return Value(kind="year", span=span, text=text, year=y)
    if m["y"]:
        y, month, day = int(m["y"]), int(m["m"]), int(m["d"]) if m["d"] else None
    else:
        y, month, day = year, int(m["m2"]), int(m["d2"])
    if not _valid_date(y, month, day):
        if not m["y"]:
            return None
        # 2025 年 2 月 30 日 is a typo in the day, yet still says 2025.
        end = original.index("年", m.end("y")) + 1
        return Value(kind="year", span=(m.start(), end), text=original[m.start():end], year=y)
    return Value(kind="date", span=span, text=text, year=y, month=month, day=day)


def _iso_date(m: re.Match[str], original: str) -> Value | None:
    span, text = _span(m, original)
    y, month, day = int(m["y"]), int(m["m"]), int(m["d"])
    if not _valid_date(y, month, day):
        return None
    return Value(kind="date", span=span, text=text, year=y, month=month, day=day)


def _zh_candidates(text: str, year: int | None) -> list[Value]:
    folded = text.translate(_FOLD)
    return [
        *_scan(_ZH_AMOUNT, folded, lambda m: _zh_amount(m, text)),
        *_scan(_ZH_PERCENT, folded, lambda m: _zh_percent(m, text)),
        *_scan(_ZH_DATE, folded, lambda m: _zh_date(m, text, year)),
        *_scan(_ISO_DATE, folded, lambda m: _iso_date(m, text)),
    ]


def find_values(text: str, year: int | None = None) -> list[Value]:
    """Every amount, percentage, date and year in a Chinese (or mixed) sentence, in text order.

    `year` is the year of the article, given to dates that name only month and day (10 月 30 日).
    Numbers that carry no convertible unit (64GB, 4K, 4.0.1) are not values: they are copied, not
    translated, so there is nothing to check.
    """
    return _resolve(_zh_candidates(text or "", year))


# ---------------------------------------------------------------- English


def _en_number(s: str) -> Decimal | None:
    return _decimal(s) if s[0].isdigit() else _en_word_number(s)


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
    span, text = _span(m, original)
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
        high = _decimal(m["high"]) * (hs or ls or 1)
        low = low * (ls or hs or 1)
    else:
        low = high = low * (ls or 1)
    qual = _EN_QUALIFIER.get(" ".join(m["qual"].lower().split())) if m["qual"] else None
    return Value(kind="amount" if currency else "number", span=span, text=text, low=low, high=high,
                 currency=currency, qualifier=qual)


def _en_percent(m: re.Match[str], original: str) -> Value | None:
    span, text = _span(m, original)
    high = _decimal(m["num"])
    low = _decimal(m["low"]) if m["low"] else high
    qual = _EN_QUALIFIER.get(" ".join(m["qual"].lower().split())) if m["qual"] else None
    return Value(kind="percent", span=span, text=text, low=low, high=high, qualifier=qual)


def _en_date(m: re.Match[str], original: str) -> Value | None:
    span, text = _span(m, original)
    name = m["m1"] or m["m2"] or m["m3"]
    month = _EN_MONTHS[name[:3].lower()]
    day_text, year_text = m["d1"] or m["d2"], m["y1"] or m["y2"] or m["y3"]
    day = int(day_text) if day_text else None
    y = int(year_text) if year_text else None
    if not _valid_date(y, month, day):
        return None
    return Value(kind="date", span=span, text=text, year=y, month=month, day=day)


def _en_year(m: re.Match[str], original: str) -> Value | None:
    span, text = _span(m, original)
    return Value(kind="year", span=span, text=text, year=int(m["y"]))


def _en_candidates(text: str) -> list[Value]:
    """Every reading of an English sentence, overlaps included, plus any Chinese values left in it
    (`RMB 5 billion (50 亿元)`)."""
    text = text or ""
    folded = text.translate(_FOLD)
    return [
        *_scan(_EN_AMOUNT, folded, lambda m: _en_amount(m, text)),
        *_scan(_EN_PERCENT, folded, lambda m: _en_percent(m, text)),
        *_scan(_EN_DATE, folded, lambda m: _en_date(m, text)),
        *_scan(_EN_YEAR, folded, lambda m: _en_year(m, text)),
        # Only readings that hold Chinese: `RMB 5` is the English parser's to read, not ours.
        *(v for v in _zh_candidates(text, None) if _CJK.search(v.text)),
    ]


def english_values(text: str) -> list[Value]:
    """The values of an English sentence (RMB 3.904 billion, $1.2 billion, 30 June 2025, 200%),
    as `Value`s comparable with those of `find_values`, in text order without overlaps."""
    return _resolve(_en_candidates(text))


# ---------------------------------------------------------------- checking a translation


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
                (zh.magnitude or 0) // 3 * 3)
            return word is None or word in en_text.lower()
        kinds = ("percent",) if zh.kind == "percent" else ("amount", "number")
        atoms = _atoms(en, kinds)

        def has(low: Decimal, high: Decimal) -> bool:
            # a negative figure may be written as its size with "negative", "outflow" or "-RMB …"
            return any(abs(a_low) == abs(low) and abs(a_high) == abs(high)
                       and (zh.currency is None or cur is None or cur == zh.currency)
                       for a_low, a_high, cur in atoms)

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
    en = _en_candidates(en_sentence)
    problems: list[str] = []
    for zh in find_values(zh_sentence):
        if _present(zh, en, en_sentence or "", year):
            continue
        shown = replace(zh, year=year) if zh.kind == "date" and zh.year is None and year else zh
        problem = f'"{zh.text}" should appear as {render_en(shown)}'
        if problem not in problems:
            problems.append(problem)
    return problems
