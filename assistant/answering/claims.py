"""The claim that answers: the clause of a quoted sentence that holds what was asked, and the value
it asks for, pulled out so that the answer can say it first ("33.18 亿元 [1]", "CITIC Securities [1]").

A sentence of financial reporting lists several claims ("营收 7.43 亿元，净亏损 2.1 亿元，毛利率 …");
the question's words and the kind of value it wants pick the clause, and within it the value nearest
after the asked attribute's word. The value is the article's own text (Chinese) or its rendering by
`values.py` and the name tables (English) — never text we cannot point to: the clause stays quoted
under it and the whole sentence is in the source card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..language.glossary import Glossary
from ..language.names import NameTable
from ..text import normalize, squash, to_simplified
from ..values.parsing import find_values
from ..values.rendering import Value

# Where a sentence's claims part: commas, semicolons, colons and the list comma (第一年为0.30%、第二年为…).
_CLAUSE_END = re.compile(r"[，,；;：:、]")
# Value kinds each answer type accepts, best first.
_KINDS = {
    "amount": ("amount", "number", "percent", "measure"),
    "count": ("number", "amount", "percent", "duration"),
    "date": ("date", "year"),
}
# Quantities with a technical unit (96GB, 450W, 640 TFLOPS, 7nm): read and written the same in both languages.
_MEASURE = re.compile(
    r"(?<![0-9A-Za-z.])(\d+(?:\.\d+)?)\s*(GB|TB|MB|W|瓦|nm|纳米|TFLOPS|PFLOPS|TOPS|GHz|MHz|Gbps|GB/s|TB/s"
    r"|个交易日|个工作日|个月|天|周)(?![A-Za-z])"
)
# Units said in English ("用时45天": 45 days, "450瓦": 450 W); the others read the same in both languages.
UNIT_EN = {
    "天": "days",
    "个交易日": "trading days",
    "个工作日": "working days",
    "个月": "months",
    "周": "weeks",
    "瓦": "W",
    "纳米": "nm",
}
DURATIONS = ("天", "个交易日", "个工作日", "个月", "周")
# Words that ask for a rate or a share rather than an amount (中签率, 毛利率, 涨幅, percentage).
_RATE = re.compile(
    r"率|幅|比例|占比|百分|%|增长|增速|涨|percent|rate|share of|margin|ratio|grow|growth|rise|fall"
)
_ORG_KINDS = {"brokerage", "regulator", "investor", "exchange", "company", "board"}
# Stock codes and model numbers read the same in both languages.
_CODE = re.compile(
    r"(?<![A-Za-z0-9])(?:\d{6}\.(?:SH|SZ|BJ)|\d{4,5}\.HK|[A-Z]{1,6}[- ]?\d{2,}[A-Za-z]*)(?![A-Za-z0-9])"
)


# A character pair the question shares with a clause counts a third of a cue word: enough to choose
# between clauses that hold the same cue (第一年为… / 第四年为…), not to outweigh the attribute.
SHARED_BIGRAM_WEIGHT = 0.34
# The same, for the whole sentence: the question's words in another clause of it (截至收盘，…总市值609亿元).
SENTENCE_BIGRAM_WEIGHT = 0.1
# A value right after a cue word (发行价为58.60元) counts NEAR_WEIGHT times the cue's weight, halved at
# ADJACENT_CHARS characters away: "X为Y", "X达Y", "X报Y" put 1–4 characters between them, while a
# value two clauses on sits 15 or more away.
NEAR_WEIGHT = 3.0
# A clause's cue words count up to this much: a clause that repeats the question's topic (上市辅导备案)
# must not outweigh the one that states the asked value right after its word (券商为国泰君安证券).
OWN_CAP = 1.0
ADJACENT_CHARS = 8


# A cue word as the object of 占 (占营业收入的3.79%) names what a share is of, not whose value follows,
# unless the question asks a share itself.
_SHARE_OF = re.compile(r"占[^，,；;。、]{0,3}$")  # 占营业收入, 占总营收, and 收入 inside 占营业收入
_SHARE_ASKED = re.compile(r"占|比例|比重|share|proportion|percentage of")
# A figure of one business line (训练芯片业务…毛利率为28.0%) is not the company's (综合毛利率41.2%) unless
# the question names a line: its cue word counts this much.
_SEGMENT_OF = re.compile(r"(?<!主营)(?:业务|板块|产品线|分部)")  # anywhere before the cue in its sentence
_SEGMENT_ASKED = re.compile(r"业务|板块|产品|分部|segment|business|division|product")
SEGMENT_WEIGHT = 0.5
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
_CHANGE = re.compile(
    r"(?:/股|每股)?[，,]?\s*(?P<base>较[^，,；;。\d%]{0,8}?|比[^，,；;。\d%]{0,6}?)?"
    r"(?P<period>同比|环比)?\s*(?P<dir>" + "|".join(CHANGE_DIRECTIONS) + r")了?约?\s*(?=[\d.]+\s*%)"
)
# A value a revision replaced: right after 由 in "由A下调至B", or after 原…为 ("原方案为14.5亿元").
_SUPERSEDED = re.compile(r"(?:由|原[^，,；;。、]{0,5}?[为是])$")
# At most this many characters between a value and the change stated for it ("21.58亿元，同比增长").
CHANGE_GAP = 2


def bigrams(text: str) -> set[str]:
    """The Chinese character pairs of a text (its words, without segmenting it)."""
    t = squash(text, punctuation=True)
    return {t[i : i + 2] for i in range(len(t) - 1) if not t[i : i + 2].isascii()}


@dataclass(frozen=True)
class Claim:
    clause: str  # the clause that answers, as the article writes it
    value: str  # the short answer as written ("33.18亿元", "中信证券"); "" when nothing was asked for
    value_en: str  # its English rendering ("RMB 3.318 billion", "CITIC Securities")
    rendered_en: tuple[str, ...]  # every value and name of the clause in English, in order
    score: float = 0.0  # how well the clause holds what was asked: cue words, shared words, a value


def clauses(sentence: str) -> list[str]:
    """The sentence's clauses, each with the punctuation that ends it."""
    out, pos = [], 0
    for m in _CLAUSE_END.finditer(sentence):
        out.append(sentence[pos : m.end()])
        pos = m.end()
    if pos < len(sentence):
        out.append(sentence[pos:])
    return [c for c in out if any(ch.isalnum() for ch in c)]


def find_claim(
    sentence: str,
    cues: dict[str, float],
    answer_types: tuple[str, ...],
    question: str,
    names: NameTable,
    year: int | None = None,
    exclude: tuple[str, ...] = (),
    asked_years: tuple[int, ...] = (),
    before: str = "",
    others: tuple[str, ...] = (),
    former: bool = False,
) -> Claim:
    """The clause of `sentence` that best holds what was asked, its value, and everything it states
    in English. `cues`: the question's words, each weighed by how rare it is in the corpus (发行价
    counts more than IPO). Reporting states a fact as attribute then value (发行价为58.60元/股,
    董事长周立明), so a value counts most right after a cue word; the clause's share of cue words
    and of the question's own character pairs decide the rest. `exclude`: the asked entity's own
    names (never the answer to "who … of X"); `former`: the question asks a revised figure's earlier
    value (由A下调至B: A), else the one in force (B); `others`: names of other companies in the sentence — a
    figure in a clause that names one (启衡半导体三季度毛利率仅为29.1%) is theirs, not the asked one's."""
    kind = answer_types[0] if answer_types else ""
    top = max(cues.values(), default=0.0) or 1.0
    norm = normalize(sentence)
    share_asked = bool(_SHARE_ASKED.search(normalize(question)))
    segment_asked = bool(_SEGMENT_ASKED.search(normalize(question)))
    hits = [
        (
            m.start(),
            m.end(),
            w / top * (1.0 if segment_asked or not _SEGMENT_OF.search(norm[: m.start()]) else SEGMENT_WEIGHT),
        )
        for c, w in cues.items()
        if c
        for m in re.finditer(re.escape(normalize(c)), norm)
        if share_asked or not _SHARE_OF.search(norm[max(0, m.start() - 4) : m.start()])
    ]
    pairs = bigrams(question)
    best: tuple[float, int, str, tuple[str, str]] | None = None
    valued: list[
        tuple[int, str, tuple[str, str]]
    ] = []  # (qualifier overlap, clause, value) of each valued clause
    qualifiers = pairs - {
        p for c in cues for p in bigrams(c)
    }  # 第四年, 收盘: the question's words but its cues
    at = 0
    for i, part in enumerate(clauses(sentence) or [sentence]):
        at = sentence.find(part, at)
        ends = [b - at for a, b, w in hits if at <= b <= at + len(part)]  # cue words' ends, in the clause
        value, value_en, vpos = _value(part, kind, question, names, year, exclude, ends, former)
        if value and kind in _KINDS and any(normalize(o) in normalize(part) for o in others):
            value, value_en, vpos = "", "", 0
        own = min(OWN_CAP, sum(w for a, b, w in hits if at <= a < at + len(part)))
        near = max(
            (w / (1 + (at + vpos - b) / ADJACENT_CHARS) for a, b, w in hits if value and b <= at + vpos),
            default=0.0,
        )
        score = (
            own
            + NEAR_WEIGHT * near
            + SHARED_BIGRAM_WEIGHT * len(pairs & bigrams(part))
            + (1.0 if value else 0.0)
        )
        if best is None or score > best[0]:
            best = (score, i, part, (value, value_en))
        if value:
            valued.append((len(qualifiers & bigrams(part)), part, (value, value_en)))
    score, _, clause, (value, value_en) = best
    chosen = len(qualifiers & bigrams(clause))
    sibling = max(valued, key=lambda v: v[0], default=None)
    if sibling is not None and sibling[0] > chosen and kind in _KINDS:
        _, clause, (value, value_en) = sibling  # "票面利率第一年为0.30%、…第四年为1.50%": the fourth year's
    score += SENTENCE_BIGRAM_WEIGHT * len(pairs & bigrams(sentence))  # 收盘 two clauses before 总市值…
    if asked_years and kind in _KINDS:  # "2022 年、2023 年、2024 年营收分别为 A、B、C": the asked year's
        by_year = values_by_year(
            before, sentence, _KINDS[kind], year, [c for c in cues if c not in {str(y) for y in asked_years}]
        )
        hit = next((by_year[y] for y in asked_years if y in by_year), None)
        if hit is not None:
            v, part = hit
            return Claim(
                part.strip(),
                sentence[v.span[0] : v.span[1]].strip(),
                _english(v, sentence),
                rendered(part, names, year),
                score + YEAR_ALIGNED,
            )
    return Claim(clause.strip(), value, value_en, rendered(clause, names, year), score)


def with_change(claim: Claim, sentence: str, year: int | None = None) -> Claim:
    """An amount with the change the sentence states right after it ("21.58亿元，同比增长72.36%"), or a
    stated change with the amount before it: what "多少？增长了多少" and "how fast did it grow" ask.
    The pair is quoted as the article writes it; its English is rendered, never composed."""
    at = sentence.find(claim.clause)
    pos = sentence.find(claim.value, max(at, 0)) if claim.value else -1
    values = values_in(sentence, year)
    v = next((x for x in values if x.span[0] == pos), None)
    if v is None:
        return claim
    if v.kind == "percent":
        change = next((m for m in _CHANGE.finditer(sentence) if m.end() == pos), None)
        amount = (
            None
            if change is None
            else next(
                (x for x in values if x.kind == "amount" and 0 <= change.start() - x.span[1] <= CHANGE_GAP),
                None,
            )
        )
        if amount is None:
            return claim
        v, pct = amount, v
    else:
        change = _CHANGE.match(sentence, v.span[1])
        pct = (
            None
            if change is None
            else next((x for x in values if x.kind == "percent" and x.span[0] == change.end()), None)
        )
        if pct is None:
            return claim
    first, last = _clause_at(sentence, v.span[0]), _clause_at(sentence, pct.span[0])
    return Claim(
        first if first == last else first + last,
        sentence[v.span[0] : pct.span[1]],
        f"{_english(v, sentence)}, {_change_en(change, _english(pct, sentence))}",
        claim.rendered_en,
        claim.score,
    )


def _change_en(change: re.Match[str], percent_en: str) -> str:
    """A stated change in English: "up 72.36% year on year" (a base such as 较发行价 is not said)."""
    period = CHANGE_PERIODS.get(change["period"] or change["base"] or "", "")
    return " ".join(w for w in (CHANGE_DIRECTIONS[change["dir"]], percent_en, period) if w)


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
    for y in years:  # "2022 年约 0.46 亿元 … 2024 年约 4.38 亿元": a value right after its year
        at = y.span[1] - len(before)
        nxt = next((v for v in values if 0 <= v.span[0] - at <= YEAR_GAP), None)
        if (
            nxt is not None
            and y.kind == "year"
            and (not cues or any(squash(c) in squash(sentence) for c in cues))
        ):
            out.setdefault(int(y.year), (nxt, _clause_at(sentence, nxt.span[0])))
    for run in _runs(values, masked):
        start = len(before) + run[0].span[0]
        year_runs = [r for r in _runs([y for y in years if y.span[1] <= start], text) if len(r) == len(run)]
        head = _clause_at(sentence, run[0].span[0])
        if len(run) >= 2 and year_runs and (not cues or any(squash(c) in squash(head) for c in cues)):
            for y, v in zip(year_runs[-1], run):
                out.setdefault(int(y.year), (v, _clause_at(sentence, v.span[0])))
    return out


def _clause_at(sentence: str, pos: int) -> str:
    at = 0
    for c in clauses(sentence):
        at = sentence.find(c, at)
        if at <= pos < at + len(c):
            return c
        at += len(c)
    return sentence


def _runs(values: list[Value], text: str) -> list[list[Value]]:
    """Values that follow one another with only list glue (、, 和, 至) between them."""
    runs: list[list[Value]] = []
    for v in values:
        if runs and _LIST_GLUE.match(text[runs[-1][-1].span[1] : v.span[0]]):
            runs[-1].append(v)
        else:
            runs.append([v])
    return runs


def _value(
    clause: str,
    kind: str,
    question: str,
    names: NameTable,
    year: int | None,
    exclude: tuple[str, ...],
    cue_ends: list[int] = (),
    former: bool = False,
) -> tuple[str, str, int]:
    """The clause's value of the asked kind: as written, in English, and where it starts; of several
    names, the one right after a cue word (券商为国泰君安证券, not the regulator named before it)."""
    if kind in _KINDS:
        return _number(clause, kind, question, year, former)
    wanted = {
        "person": {"person"},
        "organisation": _ORG_KINDS,
        "place": {"place"},
        "product": {"product", "architecture", "game"},
    }.get(kind)
    if not wanted:
        return "", "", 0
    skip = {normalize(x) for x in exclude}
    found = [
        (pos, form, n)
        for pos, form, n in _names_at(clause, names)
        if n.kind in wanted and normalize(n.zh) not in skip and not skip & {normalize(f) for f in n.zh_forms}
    ]
    if found:

        def gap(item) -> int:
            before = [e for e in cue_ends if e <= item[0]]
            return item[0] - max(before) if before else len(clause) + item[0]

        pos, form, n = min(found, key=gap)
        return form, n.en, pos
    if kind == "product":
        m = _CODE.search(clause)
        if m:
            return m.group(0), m.group(0), m.start()
    return "", "", 0


def measures(text: str) -> list[Value]:
    """The quantities with a technical unit in a text, as values (kind "measure", or "duration" for days
    and months, which answer "how long" and never "how much": 前20个交易日 is no issue price), the unit
    as currency."""
    return [
        Value(
            kind="duration" if m.group(2) in DURATIONS else "measure",
            span=m.span(),
            text=m.group(0),
            low=Decimal(m.group(1)),
            high=Decimal(m.group(1)),
            currency=m.group(2),
        )
        for m in _MEASURE.finditer(text)
    ]


def values_in(text: str, year: int | None = None) -> list[Value]:
    """Amounts, percentages, dates (values.py) and technical quantities of a text, in text order."""
    found = find_values(to_simplified(text), year)  # 億 is 亿; one character for one, so spans hold
    taken = [v.span for v in found]
    found += [m for m in measures(text) if not any(a < m.span[1] and m.span[0] < b for a, b in taken)]
    return sorted(found, key=lambda v: v.span[0])


def asks_rate(question: str) -> bool:
    """The question asks for a rate or a share (中签率, 毛利率, 涨幅, percentage points), not an amount."""
    return bool(_RATE.search(normalize(question)))


def _number(
    clause: str, kind: str, question: str, year: int | None, former: bool = False
) -> tuple[str, str, int]:
    values = [v for v in values_in(clause, year) if v.kind in _KINDS[kind]]
    if not values:
        return "", "", 0
    if kind != "date":
        rate = asks_rate(question)
        preferred = [v for v in values if (v.kind == "percent") == rate]
        values = preferred or (values if rate else [])  # a share (3.79%) is no amount of revenue
    if not values:
        return "", "", 0
    replaced = [v for v in values if _SUPERSEDED.search(clause[: v.span[0]])]
    if replaced and len(replaced) < len(
        values
    ):  # 由32.6亿元下调至24.8亿元: the one in force, or the one asked
        values = replaced if former else [v for v in values if v not in replaced]
    v = values[0]
    return clause[v.span[0] : v.span[1]].strip(), _english(v, clause), v.span[0]


def _english(v: Value, clause: str) -> str:
    if v.kind in ("measure", "duration"):
        unit = UNIT_EN.get(v.currency or "", v.currency or "")
        return f"{format(v.low.normalize(), 'f')} {unit}" if unit != v.currency else v.text
    text = v.render_en()
    tail = clause[v.span[1] : v.span[1] + 3]
    if v.kind in ("amount", "number") and (tail.startswith("/股") or tail.startswith("每股")):
        text += " per share"
    return text


def _names_at(clause: str, names: NameTable):
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


# A figure is labelled with the glossary term at most this many characters before it, in its clause
# ("营业收入486.32亿元": 0; "毛利率方面，第三季度公司综合毛利率为34.7%": 1).
LABEL_GAP = 6
_CLAUSE_BREAK = re.compile(r"[，,；;。：:]")


def labelled(quote: str, names: NameTable, glossary: Glossary, year: int | None = None) -> tuple[str, ...]:
    """What `rendered` gives, each figure with what it is — the English of the glossary term right
    before it ("revenue: RMB 48.632 billion") — and a change stated after an amount joined to it
    (", up 58.71% year on year"): an English reader of an untranslated quote learns which figure is
    which, still without a word we cannot point to."""
    simple = to_simplified(quote)
    terms = glossary.chinese_spans(simple) if len(simple) == len(quote) else []
    items: list[tuple[int, str]] = []
    values = values_in(quote, year)
    for v in values:
        text = _english(v, quote)
        change = (
            next((m for m in _CHANGE.finditer(quote) if m.end() == v.span[0]), None)
            if v.kind == "percent"
            else None
        )
        if change is not None:
            text = _change_en(change, text)
            if items and 0 <= change.start() - items[-1][0] <= CHANGE_GAP + 12:
                items[-1] = (items[-1][0], f"{items[-1][1]}, {text}")
                continue
        elif v.kind in ("amount", "number", "percent", "measure", "duration"):
            label = next(
                (
                    en
                    for a, b, en in reversed(terms)
                    if b <= v.span[0]
                    and v.span[0] - b <= LABEL_GAP
                    and not _CLAUSE_BREAK.search(quote[b : v.span[0]])
                ),
                "",
            )
            text = f"{label}: {text}" if label else text
        items.append((v.span[1], text))
    items += _names_and_codes(quote, names, [v.span for v in values])
    return tuple(dict.fromkeys(text for _, text in sorted(items, key=lambda x: x[0])))


def _names_and_codes(text: str, names: NameTable, taken: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """(position, English) of the names the tables know and the codes (as written) outside `taken`."""
    out = [
        (pos, n.en)
        for pos, _, n in _names_at(text, names)
        if n.en and not any(a <= pos < b for a, b in taken)
    ]
    return out + [
        (m.start(), m.group(0)) for m in _CODE.finditer(text) if not any(a <= m.start() < b for a, b in taken)
    ]


def rendered(clause: str, names: NameTable, year: int | None = None) -> tuple[str, ...]:
    """Everything a clause states that can be carried into English without a translator: its values
    (rendered), the names the tables know (their English) and codes (as written), in text order."""
    values = values_in(clause, year)
    items = [(v.span[0], _english(v, clause)) for v in values] + _names_and_codes(
        clause, names, [v.span for v in values]
    )
    return tuple(dict.fromkeys(text for _, text in sorted(items, key=lambda x: x[0])))
