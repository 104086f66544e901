"""What a quoted clause states that can be carried into English without a translator: its values
(amounts, dates, percentages, technical quantities), the names the tables know and codes, and a change
stated after a value ("同比增长72.36%"). Shared by the claim that answers (claims.py), the values lined
up with their years (year_values.py), arithmetic and the citations' English (compose.py), so that every
figure is read and said one way.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from ..language.glossary import Glossary
from ..language.names import NameTable
from ..language.word_tables import common_english_words
from ..text import funding_round_spans, normalize, to_simplified
from ..values.parsing import find_values
from ..values.rendering import LOCAL_YUAN, Value

# Where a sentence's claims part: commas, semicolons, colons and the list comma (第一年为0.30%、第二年为…);
# never inside a figure (1,200万元; 10:30).
_CLAUSE_END = re.compile(r"[，；;：、]|(?<!\d),|,(?!\d{3}(?!\d))|(?<!\d):|:(?!\d)")
# Quantities with a technical unit (96GB, 450W, 640 TFLOPS, 7nm): read and written the same in both
# languages.
_MEASURE = re.compile(
    r"(?<![0-9A-Za-z.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(GB|TB|MB|W|瓦|nm|纳米|TFLOPS|PFLOPS|TOPS"
    r"|GHz|MHz|Gbps|GB/s|TB/s"
    r"|个交易日|个工作日|个月|天|周|倍|港仙|仙)(?![A-Za-z])"
)
# Units said in English ("用时45天": 45 days, "450瓦": 450 W); the others read the same in both languages.
UNIT_EN = {
    "天": "days",
    "个交易日": "trading days",
    "个工作日": "working days",
    "个月": "months",
    "周": "weeks",
    "倍": "times",
    "港仙": "HK cents",  # Hong Kong reporting gives earnings and dividends per share in cents (每股5仙)
    "仙": "cents",
    "年": "years",
    "瓦": "W",
    "纳米": "nm",
}
DURATIONS = ("天", "个交易日", "个工作日", "个月", "周", "年")
# A number of years that is a term, not a year ("期限为6年", "禁入期限改为10年", "10年市场禁入"): told by
# the words around it — "24年" alone is 2024 in reporting's shorthand.
_TERM_YEARS = re.compile(
    r"(?:期限(?:为|改为|调整为|延长至)?|为期|长达)\s*(\d{1,2})\s*年(?![度\d])"
    r"|(?<![0-9])(\d{1,2})\s*年(?=市场禁入|期限|以内|以上)"
)
# Stock codes and model numbers read the same in both languages.
CODE = re.compile(
    r"(?<![A-Za-z0-9])(?:\d{6}\.(?:SH|SZ|BJ)|\d{4,5}\.HK|[A-Z]{1,6}[- ]?\d{2,}[A-Za-z]*)(?![A-Za-z0-9])"
)
# A renminbi amount said so, in either script.
_RENMINBI = re.compile(r"人民[币幣]|RMB|CNY|[¥￥]")
# Credit ratings (AA-, AAA, BBB+): read the same in both languages; one letter only with its sign, and
# never a share class or a round (A股, B+轮).
RATING = re.compile(r"(?<![A-Za-z0-9])(?:AAA|AA|BBB|BB|CCC|CC|[ABC][+-])[+-]?(?![A-Za-z0-9+轮股类])")
# Rounds other than the lettered ones (C轮 is "Series C").
ROUND_EN = {"ANGEL": "angel round", "PRE-IPO": "pre-IPO round"}
# A glossary word this short that no English dictionary has is an acronym (csrc, hbm, ipo).
ACRONYM_LETTERS = 5
# A change stated right after a value (…21.58亿元，同比增长72.36%): the period's and the direction's
# English. Reporting words, not question words: they describe how articles state a change.
CHANGE_PERIODS = {
    "同比": "year on year",
    "环比": "quarter on quarter",
    "较上年同期": "year on year",
    "较去年同期": "year on year",
    "较上年": "year on year",
    "较去年": "year on year",
    "较上季度": "quarter on quarter",
    "较上一季度": "quarter on quarter",
}
CHANGE_DIRECTIONS = {
    "增长": "up",
    "增加": "up",
    "上升": "up",
    "提升": "up",
    "上涨": "up",
    "下降": "down",
    "减少": "down",
    "下滑": "down",
    "下跌": "down",
    "降低": "down",
    "回落": "down",
}
# "…元/股，较发行价上涨160.00%", "…亿元，同比增长72.36%": the base (较…) or period, then the direction.
CHANGE = re.compile(
    r"(?:/股|每股)?[，,]?\s*(?P<base>较[^，,；;。\d%]{0,8}?|比[^，,；;。\d%]{0,6}?)?"
    r"(?P<period>同比|环比)?\s*(?P<dir>" + "|".join(CHANGE_DIRECTIONS) + r")了?约?\s*(?=[\d.]+\s*%)"
)
# At most this many characters between a value and the change stated for it ("21.58亿元，同比增长").
CHANGE_GAP = 2
# A figure is labelled with the glossary term at most this many characters before it, in its clause
# ("营业收入486.32亿元": 0; "毛利率方面，第三季度公司综合毛利率为34.7%": 1).
_PER_SHARE = re.compile(r"/股|每股")  # right after an amount: it is per share


def clauses(sentence: str) -> list[str]:
    """The sentence's clauses, each with the punctuation that ends it."""
    out, pos = [], 0
    for m in _CLAUSE_END.finditer(sentence):
        out.append(sentence[pos : m.end()])
        pos = m.end()
    if pos < len(sentence):
        out.append(sentence[pos:])
    return [c for c in out if any(ch.isalnum() for ch in c)]


def clause_at(sentence: str, pos: int) -> str:
    at = 0
    for c in clauses(sentence):
        at = sentence.find(c, at)
        if at <= pos < at + len(c):
            return c
        at += len(c)
    return sentence


def measures(text: str) -> list[Value]:
    """The quantities with a technical unit in a text, as values (kind "measure", or "duration" for days
    and months, which answer "how long" and never "how much": 前20个交易日 is no issue price), the unit
    as currency."""
    return [
        Value(
            kind="duration" if m.group(2) in DURATIONS else "measure",
            span=m.span(),
            text=m.group(0),
            low=Decimal(m.group(1).replace(",", "")),
            high=Decimal(m.group(1).replace(",", "")),
            currency=m.group(2),
        )
        for m in _MEASURE.finditer(text)
    ] + [
        Value(
            kind="duration",
            span=(m.start(g), m.end(0)),
            text=m.group(0)[m.start(g) - m.start(0) :],
            low=Decimal(m.group(g)),
            high=Decimal(m.group(g)),
            currency="年",
        )
        for m in _TERM_YEARS.finditer(text)
        for g in (1 if m.group(1) else 2,)
    ]


def values_in(text: str, year: int | None = None) -> list[Value]:
    """Amounts, percentages, dates (values.py) and technical quantities of a text, in text order. In
    traditional script a bare 元 is the place's dollar (新台幣 in Taiwan), never assumed renminbi."""
    simple = to_simplified(text)
    found = find_values(simple, year)  # 億 is 亿; one character for one, so spans hold
    if simple != text:
        found = [
            replace(v, currency=LOCAL_YUAN)
            if v.currency == "RMB" and not _RENMINBI.search(text[v.span[0] : v.span[1] + 3])
            else v
            for v in found
        ]
    taken = [v.span for v in found]
    found += [m for m in measures(text) if not any(a < m.span[1] and m.span[0] < b for a, b in taken)]
    return sorted(found, key=lambda v: v.span[0])


def days_named(text: str, year: int | None = None) -> list[Value]:
    """The dates of a text that name a day (3月19日, 2026年4月8日), not only a month or a year."""
    return [v for v in values_in(text, year) if v.kind == "date" and v.month and v.day]


FIGURES = ("amount", "number", "percent")  # the kinds of value a yes/no question may state to check


def states_figure(question: str) -> bool:
    """The question states a figure of its own ("开价每股92元吗")."""
    return any(v.kind in FIGURES for v in values_in(question))


def english(v: Value, clause: str) -> str:
    """A value of the clause in English ("RMB 3.318 billion", "45 days", "RMB 58.60 per share")."""
    if v.kind in ("measure", "duration"):
        unit = UNIT_EN.get(v.currency or "", v.currency or "")
        return f"{format(v.low.normalize(), ',f')} {unit}" if unit != v.currency else v.text
    text = v.render_en()
    if v.kind in ("amount", "number") and _PER_SHARE.match(clause, v.span[1]):
        text += " per share"
    return text


def change_en(change: re.Match[str], percent_en: str) -> str:
    """A stated change in English: "up 72.36% year on year" (a base such as 较发行价 is not said)."""
    period = CHANGE_PERIODS.get(change["period"] or change["base"] or "", "")
    return " ".join(w for w in (CHANGE_DIRECTIONS[change["dir"]], percent_en, period) if w)


def names_at(clause: str, names: NameTable):
    """(position, form as written, name) for every name of the table in the clause, in text order."""
    norm = normalize(clause)
    found = []
    for n in names.in_text(clause):
        for form in sorted(n.zh_forms + n.en_forms, key=len, reverse=True):
            at = norm.find(normalize(form))
            if at >= 0:
                found.append((at, at + len(form), clause[at : at + len(form)], n))
                break
    # a name inside a longer one (上海 in 上海证监局) is part of it, not a name of its own
    inner = [
        f
        for f in found
        if any(o is not f and o[0] <= f[0] and f[1] <= o[1] and o[1] - o[0] > f[1] - f[0] for o in found)
    ]
    return [
        (a, form, n) for a, b, form, n in sorted(found, key=lambda x: x[0]) if (a, b, form, n) not in inner
    ]


def gloss_spans(
    quote: str, names: NameTable, glossary: Glossary, year: int | None = None
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """(start, end, English) of what in `quote` is rendered without a dictionary: each value (a
    change with the words that say it: 同比增长58.71% → "up 58.71% year on year"; 58.60元/股 → "RMB
    58.60 per share"), the names the tables know, codes and ratings; then, apart, the glossary's terms
    (a gloss takes those only where they are whole words): the fixed points of a word-by-word gloss
    (language/gloss.py)."""
    simple = to_simplified(quote)
    spans: list[tuple[int, int, str]] = []
    for v in values_in(quote, year):
        text, (a, b) = english(v, quote), v.span
        change = (
            next((m for m in CHANGE.finditer(quote) if m.end() == a), None) if v.kind == "percent" else None
        )
        if change is not None:
            text, a = change_en(change, text), change.start()
        tail = _PER_SHARE.match(quote, b) if text.endswith(" per share") else None
        spans.append((a, tail.end() if tail else b, text))
    spans += [(pos, pos + len(form), n.en) for pos, form, n in names_at(quote, names) if n.en]
    spans += [(m.start(), m.end(), m.group(0)) for pattern in (CODE, RATING) for m in pattern.finditer(quote)]
    spans += [  # C轮 → Series C
        (at, quote.find("轮", at) + 1, ROUND_EN.get(key, f"Series {key}"))
        for at, key in funding_round_spans(quote)
        if quote.find("轮", at) > at
    ]
    terms = glossary.chinese_spans(simple) if len(simple) == len(quote) else []
    # a short term only as its entry's first (性能 is "performance" to a reader, not the entry's "compute")
    return spans, [(a, b, _display(en)) for a, b, en in terms if glossary.glosses(simple[a:b])]


def _display(english_term: str) -> str:
    """A glossary term as written in English prose: its acronyms in capitals (csrc → CSRC, hbm → HBM),
    told by not being words of the general English dictionary."""
    common = common_english_words()
    known = "the" in common  # an empty table (the word list not installed) tells no acronym apart
    return " ".join(
        w.upper() if w.isalpha() and len(w) <= ACRONYM_LETTERS and known and w not in common else w
        for w in english_term.split(" ")
    )


def _names_and_codes(text: str, names: NameTable, taken: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """(position, English) of the names the tables know and the codes and credit ratings (as written)
    outside `taken`."""
    out = [
        (pos, n.en) for pos, _, n in names_at(text, names) if n.en and not any(a <= pos < b for a, b in taken)
    ]
    return out + [
        (m.start(), m.group(0))
        for pattern in (CODE, RATING)
        for m in pattern.finditer(text)
        if not any(a <= m.start() < b for a, b in taken)
    ]


def rendered(clause: str, names: NameTable, year: int | None = None) -> tuple[str, ...]:
    """Everything a clause states that can be carried into English without a translator: its values
    (rendered), the names the tables know (their English) and codes (as written), in text order."""
    values = values_in(clause, year)
    items = [(v.span[0], english(v, clause)) for v in values] + _names_and_codes(
        clause, names, [v.span for v in values]
    )
    return tuple(dict.fromkeys(text for _, text in sorted(items, key=lambda x: x[0])))
