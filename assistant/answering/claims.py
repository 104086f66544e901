"""The claim that answers: the clause of a quoted sentence that holds what was asked, and the value
it asks for, pulled out so that the answer can say it first ("33.18 亿元 [1]", "CITIC Securities [1]").

A sentence of financial reporting lists several claims ("营收 7.43 亿元，净亏损 2.1 亿元，毛利率 …");
the question's words and the kind of value it wants pick the clause, and within it the value nearest
after the asked attribute's word. The value is the article's own text (Chinese) or its rendering by
`values.py` and the name tables (English, clause_values.py) — never text we cannot point to: the
clause stays quoted under it and the whole sentence is in the source card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..language.names import ORGANISATION_KINDS, NameTable
from ..text import normalize, squash
from .clause_values import (
    CHANGE,
    CHANGE_GAP,
    CODE,
    change_en,
    clause_at,
    clauses,
    english,
    names_at,
    rendered,
    values_in,
)
from .span_ends import SPAN_END_WEIGHT, asked_end, marked_end, the_asked_end
from .year_values import YEAR_ALIGNED, values_by_year

# Value kinds each answer type accepts, best first.
_KINDS = {
    "amount": ("amount", "number", "percent", "measure"),
    "count": ("number", "amount", "percent", "duration"),
    "date": ("date", "year"),
}
# Words that ask for a rate or a share rather than an amount (中签率, 毛利率, 涨幅, percentage).
_RATE = re.compile(
    r"率|幅|比例|占比|百分|%|增长|增速|涨|溢价|折价"
    r"|percent|rate|share of|margin|ratio|grow|growth|rise|fall|premium|discount"
)
_ORG_KINDS = ORGANISATION_KINDS


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
# A cue right after the value in its own clause counts this share of one right before it: Chinese
# states an event's day and a fine's amount before their noun (于6月18日召开股东临时会, 处以1,200万元
# 罚款), but in a list (毛利率41.2%、净利率12%) the next item's word follows a value too.
AFTER_WEIGHT = 0.5


# A cue word as the object of 占 (占营业收入的3.79%) names what a share is of, not whose value follows,
# unless the question asks a share itself.
_SHARE_OF = re.compile(r"占[^，,；;。、]{0,3}$")  # 占营业收入, 占总营收, and 收入 inside 占营业收入
_SHARE_ASKED = re.compile(r"占|比例|比重|share|proportion|percentage of")
# A figure of one business line (训练芯片业务…毛利率为28.0%) is not the company's (综合毛利率41.2%) unless
# the question names a line: its cue word counts this much.
_SEGMENT_OF = re.compile(r"(?<!主营)(?:业务|板块|产品线|分部)")  # anywhere before the cue in its sentence
_SEGMENT_ASKED = re.compile(r"业务|板块|产品|分部|segment|business|division|product")
SEGMENT_WEIGHT = 0.5
# "多少张", "几家", "多少万股": a count asked in a measure word, which the figure that answers is given in.
_MEASURE_ASKED = re.compile(r"(?:多少|几)(?:万|亿)?([张股家个台片颗人名次笔项款份手])")
# A multiple asked ("多少倍", "what P/E multiple", "how many times"): the figure given in 倍 answers.
_MULTIPLE_ASKED = re.compile(r"倍|\bmultiple\b|\btimes\b")
# A value a revision replaced: right after 由 in "由A下调至B", or after 原…为 ("原方案为14.5亿元").
_SUPERSEDED = re.compile(r"(?:由|原[^，,；;。、]{0,5}?[为是])$")
# A value stated as a difference from another's: 较XL-2000高出25%, 显存容量多出32GB, 功耗则低100W.
_DIFFERENCE = re.compile(
    r"(?:[多高低少超]出|[较比][^，,；;。]{1,20}?[高低多少][出了]?|则[高低多少][出了]?)[约近逾]?$"
)


_YEAR = re.compile(r"(?:19|20)\d\d年")
# "按发行价计算", "以首日收盘价计算": the basis a figure after it is reckoned on.
_BASIS = re.compile(r"[按以]([^，,；;。]{1,10}?)(?:计算|测算|计)")
# What a clause loses when its value is reckoned on a basis the question does not ask (about one value of
# the asked kind): a market value at the issue price is no answer to the market value at the close.
BASIS_PENALTY = 2.0


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
    labels: tuple[tuple[str, bool], ...] = (),
    level: bool = True,
) -> Claim:
    """The clause of `sentence` that best holds what was asked, its value, and everything it states
    in English. `cues`: the question's words, each weighed by how rare it is in the corpus (发行价
    counts more than IPO). Reporting states a fact as attribute then value (发行价为58.60元/股,
    董事长周立明), so a value counts most right after a cue word; the clause's share of cue words
    and of the question's own character pairs decide the rest. `exclude`: the asked entity's own
    names (never the answer to "who … of X"); `former`: the question asks a revised figure's earlier
    value (由A下调至B: A), else the one in force (B); `others`: names of other companies in the
    sentence — a figure in a clause that names one (启衡半导体三季度毛利率仅为29.1%) is theirs, not
    the asked one's; `labels`: the figure words of the sentence (营业收入, 归母净利润), each with whether
    the question asks it — a value whose nearest one before it in the sentence is another figure's is
    that figure; `level`: the question asks a figure itself, not how far it is from another — a value
    stated as a difference (显存容量多出32GB, 功耗则低100W) is not its level."""
    kind = answer_types[0] if answer_types else ""
    hits = _cue_hits(normalize(sentence), cues, question)
    pairs = bigrams(question)
    best: tuple[float, int, str, tuple[str, str]] | None = None
    valued: list[tuple[int, str, tuple[str, str]]] = []  # (qualifier overlap, clause, value) of each
    # 第四年, 收盘: the question's words but its cues — and but its year when the sentence names one
    # year only ("聯晟2025年合併營收…，每股純益14.85元": 2025 is every clause's year, not the revenue's)
    qualifiers = pairs - {p for c in cues for p in bigrams(c)}
    if len(set(_YEAR.findall(sentence))) < 2:
        qualifiers -= {p for y in _YEAR.findall(question) for p in bigrams(y)}
    at = 0
    end = asked_end(question) if kind == "date" else ""  # the start or the end of a span of days
    for i, part in enumerate(clauses(sentence) or [sentence]):
        at = sentence.find(part, at)
        ends = [b - at for a, b, w in hits if at <= b <= at + len(part)]  # cue words' ends, in the clause
        value, value_en, vpos = _value(part, kind, question, names, year, exclude, ends, former, level)
        if value and kind in _KINDS and any(normalize(o) in normalize(part) for o in others):
            value, value_en, vpos = "", "", 0
        if value and kind in _KINDS and _labelled_otherwise(sentence[: at + vpos], labels):
            value, value_en, vpos = "", "", 0  # "营业收入37.80亿元" is no net profit
        score = _clause_score(part, at, hits, pairs, value, vpos)
        if value and kind == "date" and end:  # 自7月起 for "when does it start", not 6月30日前
            score -= SPAN_END_WEIGHT if marked_end(part, vpos, vpos + len(value)) not in ("", end) else 0.0
        if best is None or score > best[0]:
            best = (score, i, part, (value, value_en))
        if value:
            valued.append((len(qualifiers & bigrams(part)), part, (value, value_en)))
    score, _, clause, (value, value_en) = best
    if not value and valued and kind not in _KINDS:  # "经鹏睿资信评估评定，…信用等级为AA": the name is
        _, _, (value, value_en) = valued[0]  # in the clause before the one the question's words pick
    chosen = len(qualifiers & bigrams(clause))
    sibling = max(valued, key=lambda v: v[0], default=None)
    if sibling is not None and sibling[0] > chosen and kind in _KINDS:
        _, clause, (value, value_en) = sibling  # "票面利率第一年为0.30%、…第四年为1.50%": the fourth year's
    score += SENTENCE_BIGRAM_WEIGHT * len(pairs & bigrams(sentence))  # 收盘 two clauses before 总市值…
    at = sentence.find(value, max(sentence.find(clause), 0)) if value else -1
    if at > 0 and _on_other_basis(
        sentence[:at], labels
    ):  # "按发行价计算，…总市值234.4亿元", asked at the close
        score -= BASIS_PENALTY
    if asked_years and kind in _KINDS:  # "2022 年、2023 年、2024 年营收分别为 A、B、C": the asked year's
        aligned = _year_claim(sentence, before, kind, cues, names, year, asked_years, score)
        if aligned is not None:
            return aligned
    return Claim(clause.strip(), value, value_en, rendered(clause, names, year), score)


def _labelled_otherwise(head: str, labels: tuple[tuple[str, bool], ...]) -> bool:
    """The figure word nearest before a value is one the question does not ask: "营业收入37.80亿元，同比
    增长41.5%" — both values are the revenue's, however near a question's 同比增长 stands."""
    norm = normalize(head)
    found = [(norm.rfind(f) + len(f), asked) for f, asked in labels if f in norm]
    return bool(found) and not max(found)[1]


def _on_other_basis(head: str, labels: tuple[tuple[str, bool], ...]) -> bool:
    """The value is computed on a basis the sentence names (按发行价计算, 以收盘价计算) that is a figure the
    question does not ask: another reckoning of the asked figure than the one asked for."""
    for m in _BASIS.finditer(normalize(head)):
        said = [asked for f, asked in labels if f in m.group(1)]
        if said and not any(said):
            return True
    return False


def _cue_hits(norm: str, cues: dict[str, float], question: str) -> list[tuple[int, int, float]]:
    """(start, end, weight) of every cue word in the normalised sentence, weighed against the rarest
    cue; a cue naming what a share is of, or one business line's figure, counts less or not at all."""
    top = max(cues.values(), default=0.0) or 1.0
    share_asked = bool(_SHARE_ASKED.search(normalize(question)))
    segment_asked = bool(_SEGMENT_ASKED.search(normalize(question)))
    return [
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


def _clause_score(
    part: str, at: int, hits: list[tuple[int, int, float]], pairs: set[str], value: str, vpos: int
) -> float:
    """How well the clause at `at` holds what was asked: its cue words (capped), a value right after
    one, the question's character pairs it shares, and a value at all."""
    own = min(OWN_CAP, sum(w for a, b, w in hits if at <= a < at + len(part)))
    near = max(
        (w / (1 + (at + vpos - b) / ADJACENT_CHARS) for a, b, w in hits if value and b <= at + vpos),
        default=0.0,
    )
    after = max(
        (
            w / (1 + (a - at - vpos) / ADJACENT_CHARS)
            for a, b, w in hits
            if value and at + vpos < a < at + len(part)
        ),
        default=0.0,
    )
    near = max(near, AFTER_WEIGHT * after)
    return (
        own + NEAR_WEIGHT * near + SHARED_BIGRAM_WEIGHT * len(pairs & bigrams(part)) + (1.0 if value else 0.0)
    )


def _year_claim(
    sentence: str,
    before: str,
    kind: str,
    cues: dict[str, float],
    names: NameTable,
    year: int | None,
    asked_years: tuple[int, ...],
    score: float,
) -> Claim | None:
    """The claim of the value lined up with an asked year (year_values.py), or None."""
    by_year = values_by_year(
        before, sentence, _KINDS[kind], year, [c for c in cues if c not in {str(y) for y in asked_years}]
    )
    hit = next((by_year[y] for y in asked_years if y in by_year), None)
    if hit is None:
        return None
    v, part = hit
    return Claim(
        part.strip(),
        sentence[v.span[0] : v.span[1]].strip(),
        english(v, sentence),
        rendered(part, names, year),
        score + YEAR_ALIGNED,
    )


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
        change = next((m for m in CHANGE.finditer(sentence) if m.end() == pos), None)
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
        change = CHANGE.match(sentence, v.span[1])
        pct = (
            None
            if change is None
            else next((x for x in values if x.kind == "percent" and x.span[0] == change.end()), None)
        )
        if pct is None:
            return claim
    first, last = clause_at(sentence, v.span[0]), clause_at(sentence, pct.span[0])
    return Claim(
        first if first == last else first + last,
        sentence[v.span[0] : pct.span[1]],
        f"{english(v, sentence)}, {change_en(change, english(pct, sentence))}",
        claim.rendered_en,
        claim.score,
    )


def _value(
    clause: str,
    kind: str,
    question: str,
    names: NameTable,
    year: int | None,
    exclude: tuple[str, ...],
    cue_ends: list[int] = (),
    former: bool = False,
    level: bool = True,
) -> tuple[str, str, int]:
    """The clause's value of the asked kind: as written, in English, and where it starts; of several
    names, the one right after a cue word (券商为国泰君安证券, not the regulator named before it)."""
    if kind in _KINDS:
        return _number(clause, kind, question, year, former, level)
    wanted = {
        "person": {"person"},
        "organisation": _ORG_KINDS,
        "place": {"place"},
        "market": {"board", "exchange"},
        "product": {"product", "architecture", "game"},
    }.get(kind)
    if not wanted:
        return "", "", 0
    skip = {normalize(x) for x in exclude}
    found = [
        (pos, form, n)
        for pos, form, n in names_at(clause, names)
        if n.kind in wanted and normalize(n.zh) not in skip and not skip & {normalize(f) for f in n.zh_forms}
    ]
    if found:

        def gap(item) -> int:
            before = [e for e in cue_ends if e <= item[0]]
            return item[0] - max(before) if before else len(clause) + item[0]

        pos, form, n = min(found, key=gap)
        return form, n.en, pos
    if kind == "product":
        m = CODE.search(clause)
        if m:
            return m.group(0), m.group(0), m.start()
    return "", "", 0


def asks_rate(question: str) -> bool:
    """The question asks for a rate or a share (中签率, 毛利率, 涨幅, percentage points), not an amount."""
    return bool(_RATE.search(normalize(question)))


def _number(
    clause: str, kind: str, question: str, year: int | None, former: bool = False, level: bool = True
) -> tuple[str, str, int]:
    values = [v for v in values_in(clause, year) if v.kind in _KINDS[kind]]
    if level and kind != "date":  # "QH-960显存多大": 96GB, not the 32GB more than another card
        values = [v for v in values if not _DIFFERENCE.search(clause[: v.span[0]])]
    if not values:
        return "", "", 0
    if kind == "date":  # of 自7月1日至9月30日, the end asked
        values = the_asked_end(values, clause, question)
    else:
        rate = asks_rate(question)
        preferred = [v for v in values if (v.kind == "percent") == rate]
        values = preferred or (values if rate else [])  # a share (3.79%) is no amount of revenue
    if not values:
        return "", "", 0
    counted = _MEASURE_ASKED.search(normalize(question)) if kind != "date" else None
    if counted:  # "一共发行多少张": the figure given in 张 (860万张), not the 8.6亿元
        values = [v for v in values if clause[v.span[1] : v.span[1] + 1] == counted.group(1)]
        if not values:
            return "", "", 0
    if kind != "date":  # "市盈率多少倍": 73.52倍, not 38.60元; "涨了多少": 160%, not 估值的4.76倍
        asked = bool(_MULTIPLE_ASKED.search(normalize(question)))
        values = [v for v in values if (v.currency == "倍") == asked]
        if not values:
            return "", "", 0
    replaced = [v for v in values if _SUPERSEDED.search(clause[: v.span[0]])]
    # 由32.6亿元下调至24.8亿元: the one in force, or the one asked
    if replaced and len(replaced) < len(values):
        values = replaced if former else [v for v in values if v not in replaced]
    v = values[0]
    end = v.span[1] + (1 if counted else 0)  # 860万张, with the measure asked
    return clause[v.span[0] : end].strip(), english(v, clause), v.span[0]
