"""Values read from Chinese text (find_values), and the scanning the English reader shares.

Own code, not cn2an: cn2an reads 两三 ("two or three") as 23 in its smart mode, and its strict mode
refuses 两千五百 and 〇 (checked); here two digits side by side are an estimate and no number.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

from .rendering import Value

# Full-width ASCII (０-９, ．, ％, ～ …) and the ideographic space folded one character for one, so
# spans found in the folded text are spans in the original.
FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
CJK = r"[\u3400-\u9fff]"  # compiled where used (text.compiled): English values only

_UNITS = {
    "万亿": Decimal(10) ** 12,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
}
_ZH_CURRENCY = {
    "元人民币": "RMB",
    "人民币": "RMB",
    "元": "RMB",
    "美元": "USD",
    "港元": "HKD",
    "新台币": "TWD",
    "台币": "TWD",
    "NT$": "TWD",
    "港币": "HKD",
    "RMB": "RMB",
    "CNY": "RMB",
    "¥": "RMB",
    "￥": "RMB",
    "US$": "USD",
    "USD": "USD",
    "$": "USD",
    "HK$": "HKD",
    "HKD": "HKD",
}
_ZH_QUALIFIER = {
    "不超过": "up to",
    "不高于": "up to",
    "不多于": "up to",
    "最多": "up to",
    "不低于": "at least",
    "不少于": "at least",
    "至少": "at least",
    "超过": "more than",
    "多于": "more than",
    "高于": "more than",
    "大于": "more than",
    "逾": "more than",
    "超": "more than",
    "以上": "more than",
    "多": "more than",
    "余": "more than",
    "将近": "nearly",
    "接近": "nearly",
    "近": "nearly",
    "约为": "about",
    "大约": "about",
    "约合": "about",
    "约": "about",
    "左右": "about",
    "上下": "about",
}
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}

_SEP = r"(?:~|-|–|—|至|到)"
_NUM = r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![.,]?\d)"
_CN_NUM = (
    r"(?<![零〇一二两三四五六七八九十百千几数])[零〇一二两三四五六七八九十百千]+"
    r"(?:点[零〇一二两三四五六七八九]+)?"
)
_UNIT = r"(?:万亿|千万|百万|亿|万)"
_CUR = r"(?:元人民币|人民币|美元|港元|港币|元)"
_QUAL = (
    r"(?:不超过|不高于|不多于|不低于|不少于|至少|最多|超过|多于|高于|大于|逾|超|将近|接近|"
    r"(?<!最)近|约为|大约|约合|(?<![合签节预条契])约)"
)
_PRE = r"(?:人民币|新台币|台币|RMB|CNY|NT\$|US\$|USD|HK\$|HKD|[¥￥$])"
_POST = r"(?:左右|以上|上下)"
# A minus written right before a figure (现金流量净额为-8.93亿元), not a range's dash (2022-2024,
# 650-700亿元).
_SIGN = r"(?<![\dA-Za-z%.])[-−－]"

_ZH_AMOUNT = re.compile(
    rf"""
    (?:(?P<qual>{_QUAL})\s*)?
    (?:(?P<pre>{_PRE})\s*)?
    (?:
        (?<![\d十百千万亿])(?P<vague>[数几])(?P<vmult>[十百千])?(?P<vunit>{_UNIT})?(?P<vcur>{_CUR})
      | (?:(?P<low>{_NUM})\s*(?P<lunit>{_UNIT})?\s*(?:{_CUR}\s*)?{_SEP}\s*(?:{_PRE}\s*)?)?
        (?P<sign>{_SIGN})?(?P<num>{_NUM}|{_CN_NUM})\s*(?P<plus>多|余)?\s*(?P<unit>{_UNIT})?\s*(?P<plus2>多|余)?\s*(?P<cur>{_CUR})?
    )
    (?:\s*(?P<post>{_POST}))?
    """,
    re.X,
)
_ZH_PERCENT = re.compile(
    rf"""
    (?:(?P<qual>{_QUAL})\s*)?
    (?:
        (?:(?P<low>{_NUM})\s*%?\s*{_SEP}\s*)?(?P<sign>{_SIGN})?(?P<num>{_NUM})\s*%
      | 百分之\s*(?P<cn>{_NUM}|{_CN_NUM})
    )
    (?:\s*(?P<post>{_POST}))?
    """,
    re.X,
)
_ZH_DATE = re.compile(
    r"""
      (?<!\d)(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?
    | (?<![\d.])(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*[日号]
    | (?<!\d)(?P<year>\d{4})\s*年(?:\s*(?:第\s*)?(?P<q>[一二三四1-4])\s*季度?|\s*(?P<h>[上下])半年)?
    """,
    re.X,
)
# 2026年第四季度, 2026年四季度, 2026年第4季; 2025年上半年: the part of the year the year value names
_QUARTERS = {"一": "Q1", "二": "Q2", "三": "Q3", "四": "Q4", "1": "Q1", "2": "Q2", "3": "Q3", "4": "Q4"}
_HALVES = {"上": "H1", "下": "H2"}
_ISO_DATE = re.compile(r"(?<![\d.\-/])(?P<y>\d{4})(?P<s>[-/])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?![\d\-/])")


def scan(pattern: re.Pattern[str], text: str, build: Callable[[re.Match[str]], Value | None]) -> list[Value]:
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


def match_span(m: re.Match[str], original: str) -> tuple[tuple[int, int], str]:
    """The match without the trailing spaces its optional tails may have eaten."""
    start = m.start()
    end = start + len(m.group().rstrip())
    return (start, end), original[start:end]


def parse_decimal(s: str) -> Decimal | None:
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None


def _cn_number(s: str) -> Decimal | None:
    """二十 → 20, 两千五百 → 2500, 三点五 → 3.5 (the Chinese numerals before 万/亿 or after 百分之).

    Two digits side by side are an estimate, not a number: 两三亿 is 2–3 亿, 三四十 is 30–40.
    """
    whole, _, frac = s.partition("点")
    if not whole or any(
        a in _CN_DIGITS and b in _CN_DIGITS and "零" not in a + b and "〇" not in a + b
        for a, b in zip(whole, whole[1:])
    ):
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
    return parse_decimal(s) if s[0].isdigit() else _cn_number(s)


def _qualifier(*words: str | None) -> str | None:
    return next((_ZH_QUALIFIER[w] for w in words if w), None)


def valid_date(year: int | None, month: int, day: int | None) -> bool:
    if not 1 <= month <= 12:
        return False
    if day is None:
        return True
    # Without a year, 29 February is allowed (a leap year could be meant).
    return 1 <= day <= calendar.monthrange(year if year and 1 <= year <= 9999 else 2000, month)[1]


def without_overlaps(values: Iterable[Value]) -> list[Value]:
    """Non-overlapping values in text order; where two overlap, the earlier, then longer, wins."""
    out: list[Value] = []
    for v in sorted(values, key=lambda v: (v.span[0], v.span[0] - v.span[1])):
        if not out or v.span[0] >= out[-1].span[1]:
            out.append(v)
    return out


# ---------------------------------------------------------------- Chinese


def _zh_amount(m: re.Match[str], original: str) -> Value | None:
    span, text = match_span(m, original)
    qual = _qualifier(m["qual"], m["plus"], m["plus2"], m["post"])
    if m["vague"]:
        if not (m["vmult"] or m["vunit"]):
            return None
        magnitude = len(str(_CN_MULTIPLIERS.get(m["vmult"], 1))) - 1
        magnitude += len(str(_UNITS[m["vunit"]])) - 1 if m["vunit"] else 0
        return Value(
            kind="amount",
            span=span,
            text=text,
            currency=_ZH_CURRENCY[m["vcur"]],
            qualifier=qual,
            vague=True,
            magnitude=magnitude,
        )
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
        low = parse_decimal(m["low"]) * (_UNITS[m["lunit"]] if m["lunit"] else unit)
    return Value(
        kind="amount" if currency_word else "number",
        span=span,
        text=text,
        low=low,
        high=high,
        currency=_ZH_CURRENCY.get(currency_word) if currency_word else None,
        qualifier=qual,
    )


def _zh_percent(m: re.Match[str], original: str) -> Value | None:
    span, text = match_span(m, original)
    high = _number(m["cn"]) if m["cn"] else parse_decimal(m["num"])
    if high is None:
        return None
    if m["sign"] and not m["low"]:
        high = -high
    low = parse_decimal(m["low"]) if m["low"] else high
    return Value(
        kind="percent", span=span, text=text, low=low, high=high, qualifier=_qualifier(m["qual"], m["post"])
    )


def _zh_date(m: re.Match[str], original: str, year: int | None) -> Value | None:
    span, text = match_span(m, original)
    if m["year"]:
        y = int(m["year"])
        if not 1800 <= y <= 2199:  # 5000 年 is a span of time, not a year
            return None
        part = _QUARTERS.get(m["q"] or "") or _HALVES.get(m["h"] or "")
        return Value(kind="year", span=span, text=text, year=y, part=part)
    if m["y"]:
        y, month, day = int(m["y"]), int(m["m"]), int(m["d"]) if m["d"] else None
    else:
        y, month, day = year, int(m["m2"]), int(m["d2"])
    if not valid_date(y, month, day):
        if not m["y"]:
            return None
        # 2025 年 2 月 30 日 is a typo in the day, yet still says 2025.
        end = original.index("年", m.end("y")) + 1
        return Value(kind="year", span=(m.start(), end), text=original[m.start() : end], year=y)
    return Value(kind="date", span=span, text=text, year=y, month=month, day=day)


def _iso_date(m: re.Match[str], original: str) -> Value | None:
    span, text = match_span(m, original)
    y, month, day = int(m["y"]), int(m["m"]), int(m["d"])
    if not valid_date(y, month, day):
        return None
    return Value(kind="date", span=span, text=text, year=y, month=month, day=day)


def chinese_candidates(text: str, year: int | None) -> list[Value]:
    folded = text.translate(FOLD)
    return [
        *scan(_ZH_AMOUNT, folded, lambda m: _zh_amount(m, text)),
        *scan(_ZH_PERCENT, folded, lambda m: _zh_percent(m, text)),
        *scan(_ZH_DATE, folded, lambda m: _zh_date(m, text, year)),
        *scan(_ISO_DATE, folded, lambda m: _iso_date(m, text)),
    ]


def find_values(text: str, year: int | None = None) -> list[Value]:
    """Every amount, percentage, date and year in a Chinese (or mixed) sentence, in text order.

    `year` is the year of the article, given to dates that name only month and day (10 月 30 日).
    Numbers that carry no convertible unit (64GB, 4K, 4.0.1) are not values: they are copied, not
    translated, so there is nothing to check.
    """
    return without_overlaps(chinese_candidates(text or "", year))
