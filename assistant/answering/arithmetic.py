"""Arithmetic a question asks of values the articles give: a difference, a ratio, a sum.

"沐曦24年比23年多亏了多少" has no sentence that answers it; two values do. Each operand is found the
way a look-up finds its value — the value lined up with an asked year (year_values.values_by_year), or
the value right after the words of one part of the question ("AI服务器业务营收" / "通用服务器") — and the
answer shows the operation with every operand cited ("14.09 亿元 − 8.71 亿元 = 5.38 亿元 [1]"), then
quotes the sentences. When fewer than two operands are found, the caller answers as a look-up.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import numpy as np

from ..language.lexicon import has_word
from ..schema import Answer
from ..text import article_year, model_numbers, normalize
from ..values.rendering import Value, render_amount_en
from .analysis import QuestionAnalysis
from .asked_claim import claim_cues
from .calibration import TYPE_WINDOW
from .candidates import retrieve, retrieved_order
from .claims import asks_rate, bigrams
from .clause_values import CHANGE, CHANGE_DIRECTIONS, days_named, values_in
from .compose import AnswerBuilder
from .context import AnswerContext
from .operands import BESIDE, Operand, alike, cued
from .share_of import share_operands
from .year_values import values_by_year

_KINDS = ("amount", "number", "percent", "measure")
DAYS = ("天", "个交易日", "个工作日")  # the units of clause_values.DURATIONS that count days
# Where a question's two operands part: "A比B", "A和B", "between A and B", "A than B", "A vs B".
_SPLIT = re.compile(
    r"比|和|与|跟|相比|对比|超出|超过|\bthan\b|\band\b|\bexceed(?:ed|s)?\b|\bversus\b|\bvs\.?\b"
)
# "22到24年", "from 2022 to 2024": a sum over every year between.
_RANGE = re.compile(r"到|至|~|-|–|\bto\b|\bthrough\b")
# Where the two ends of a span of days part: "从A到B", "A之后，距离B", "between A and B", "A until B".
_SPAN = re.compile(r"到|至|距离|~|–|\bto\b|\bthrough\b|\buntil\b|\band\b")
# What stands between a figure and the one it grew from, in one clause: "…，较年初的", "，比上年末".
_BASE = re.compile(r"^[^。；;\d]{0,3}(?:较|比|相比|相较|由|从)(?:[^。；;\d]|\d{4}年){0,8}$")  # 较2025年的
_SAME_DAY = ("同日", "当日", "当天", "同一天")
_UNITS_ZH = ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))
_CURRENCY_ZH = {"RMB": "元", "USD": "美元", "HKD": "港元", None: ""}


def answer_arithmetic(
    ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray, notice: str
) -> Answer | None:
    if len(model_numbers(qa.text)) >= 2:  # QH-960 against XL-2000: two products, maybe two makers
        qa = replace(qa, companies=())
    r = retrieve(ctx, qa, vector)
    # operands sit in two sentences, often two paragraphs: twice the look-up's window, article body only
    window = [c for c in r.answerable if ctx.passages[c.passage].kind == "body"][: 2 * TYPE_WINDOW]
    both = qa.operation == "difference" and _asks(ctx, qa, "growth")  # "多出多少钱？增幅多少？"
    if both:
        qa = replace(qa, operation="growth")  # operands as growth orders them: [the base, the figure]
    operands = _operands(ctx, qa, r, window)
    mixed = len({o.value.kind == "percent" for o in operands}) > 1  # (a figure and its change: prior)
    if len(operands) < 2 or (mixed and qa.operation != "prior"):
        return None
    b = AnswerBuilder(ctx, qa.language)
    marks = [b.cite(ctx.sentences[o.sentence].passage_index, "") for o in operands]
    b.line(
        _expression("change" if both else qa.operation, operands, marks, qa.language),
        "direct",
        company=qa.companies[0] if len(qa.companies) == 1 else "",
        citations=tuple(dict.fromkeys(marks)),
    )
    for si in dict.fromkeys(o.sentence for o in operands):
        b.sentences([si], "support")
    return b.answer(qa.text, qa.intent, qa.companies, notice, retrieved=retrieved_order(ctx, r.candidates))


def _operands(ctx: AnswerContext, qa: QuestionAnalysis, r, window) -> list[Operand]:
    """The values the asked operation works on, in the order its expression takes them."""
    if qa.operation == "days":  # "从受理到注册用了多少天": stated (用时45天) is a look-up; else two dates
        words = _span_words(ctx, qa)
        stated = any(
            v.kind == "duration" and v.currency in DAYS
            for c in window[:TYPE_WINDOW]
            if all(any(w in ctx.sentences[c.sentence].text for w in own) for own in words)
            for v in values_in(ctx.sentences[c.sentence].text)
        )  # (in a sentence that speaks of both ends: a pricing rule's 20个交易日 is no span asked)
        return [] if stated else _by_dates(ctx, qa, window, words)
    if qa.operation == "share":  # "研发投入占营收的比例", stated by no sentence: part ÷ whole
        return share_operands(ctx, qa, window)
    if qa.operation == "prior":  # "按增速倒推去年营收": the figure and the change stated after it
        return _with_change(ctx, qa, r, window)
    if qa.operation == "midpoint":  # "按区间中值算": the two ends of the range stated for the figure
        return _range_ends(ctx, qa, r, window)
    return _by_years(ctx, qa, r, window) or _from_base(ctx, qa, r, window) or _by_parts(ctx, qa, r, window)


def _asks(ctx: AnswerContext, qa: QuestionAnalysis, operation: str) -> bool:
    """Whether the question also has a word of another operation (增幅 beside 多出多少)."""
    norm = normalize(qa.text)
    return any(has_word(norm, w) for w in ctx.lexicon.operations.get(operation, ()))


def _by_years(ctx: AnswerContext, qa: QuestionAnalysis, r, window) -> list[Operand]:
    years = list(qa.years)
    if len(years) == 1 and qa.operation == "growth":  # "2024 年同比增长多少": 2024 against 2023
        years = [years[0] - 1, years[0]]
    if len(years) == 2 and qa.operation == "sum" and _RANGE.search(normalize(qa.text)):
        years = list(range(min(years), max(years) + 1))
    if len(years) < 2:
        return []
    for c in window:
        sent = ctx.sentences[c.sentence]
        p = ctx.passages[sent.passage_index]
        cues = [w for w in claim_cues(ctx, qa, r.support_terms) if not w.isdigit()]
        found = values_by_year(p.text[: sent.start], sent.text, _KINDS, None, cues)
        if all(y in found for y in years):
            return [Operand(found[y][0], c.sentence, str(y)) for y in years]
    return []


def _by_parts(ctx: AnswerContext, qa: QuestionAnalysis, r, window) -> list[Operand]:
    """One operand per part of "A比B多多少": two values stated for the same attribute (a cue word of
    the question right beside each: 总市值为234.4亿元 / 总市值609.44亿元), each in a sentence that holds
    the words only its part has (发行价 / 收盘). None unless both are found, alike."""
    parts = [p for p in _SPLIT.split(qa.text) if any(ch.isalnum() for ch in p)]
    if len(parts) < 2:
        return []
    cues = _attribute_cues(ctx, qa, r)
    own = [_marks(parts[0]) - _marks(parts[1]), _marks(parts[1]) - _marks(parts[0])]
    # "多多少亿" subtracts amounts; "高了多少个百分点" rates; "比年初涨了百分之几" grows from amounts
    rate = asks_rate(qa.text) and qa.operation != "growth"
    found = []  # (value, sentence, attribute cues beside it, sentence bigrams)
    for c in window:
        text = ctx.sentences[c.sentence].text
        norm = normalize(text)
        pairs = _marks(text)
        for v in values_in(text):
            if v.kind not in _KINDS or (v.kind == "percent") != rate:
                continue
            near = norm[max(0, v.span[0] - BESIDE) : v.span[0]] + " " + norm[v.span[1] : v.span[1] + BESIDE]
            beside = {cue for cue in cues if cue in near}
            if beside:
                found.append((v, c.sentence, beside, pairs))
    best = None
    for a in found:
        for b in found:
            if a[0].low == b[0].low or not (a[2] & b[2]) or not alike(a[0], b[0]):
                continue
            score = len(a[3] & own[0]) + len(b[3] & own[1])
            if len(a[3] & own[0]) and len(b[3] & own[1]) and (best is None or score > best[0]):
                best = (score, Operand(a[0], a[1]), Operand(b[0], b[1]))
    if best and qa.operation == "growth":  # "A比B涨了百分之几": B is the base, A what it grew to
        return [best[2], best[1]]
    return [best[1], best[2]] if best else []


def _from_base(ctx: AnswerContext, qa: QuestionAnalysis, r, window) -> list[Operand]:
    """For growth asked of one figure: a sentence that states it and, after 较/比/由/从, the figure it
    grew from ("存货账面价值达58.60亿元，较年初的46.20亿元增加12.40亿元"): [the base, the figure]."""
    if qa.operation not in ("growth", "difference"):
        return []
    cues = _attribute_cues(ctx, qa, r)
    for c in window[:TYPE_WINDOW]:
        text = ctx.sentences[c.sentence].text
        norm = normalize(text)
        values = [v for v in values_in(text) if v.kind in ("amount", "number", "measure")]
        for v in values:
            if not cued(norm, v, cues):
                continue
            base = next(
                (
                    u
                    for u in values
                    if u.span[0] > v.span[1] and alike(u, v) and _BASE.search(text[v.span[1] : u.span[0]])
                ),
                None,
            )
            if base is not None:
                return [Operand(base, c.sentence), Operand(v, c.sentence)]
    return []


def _with_change(ctx: AnswerContext, qa: QuestionAnalysis, r, window) -> list[Operand]:
    """For the figure a stated change grew from ("营业收入18.64亿元，同比增长27.3%" → 2024's): [the
    figure, the change], the change negative when the figure fell (下降)."""
    cues = _attribute_cues(ctx, qa, r)
    for c in window[:TYPE_WINDOW]:
        text = ctx.sentences[c.sentence].text
        norm = normalize(text)
        values = values_in(text)
        for v in values:
            change = CHANGE.match(text, v.span[1]) if v.kind == "amount" and cued(norm, v, cues) else None
            pct = next(
                (x for x in values if change and x.kind == "percent" and x.span[0] == change.end()), None
            )
            if pct is not None:
                sign = -1 if CHANGE_DIRECTIONS[change["dir"]] == "down" else 1
                pct = replace(pct, low=sign * pct.low, high=sign * (pct.high or pct.low))
                return [Operand(v, c.sentence), Operand(pct, c.sentence)]
    return []


def _range_ends(ctx: AnswerContext, qa: QuestionAnalysis, r, window) -> list[Operand]:
    """The low and high end of the range stated for the asked figure ("净利润18.56亿元至21.20亿元"): the
    first range in the window with one of the question's attribute words right before it."""
    cues = _attribute_cues(ctx, qa, r)
    for c in window[:TYPE_WINDOW]:
        text = ctx.sentences[c.sentence].text
        norm = normalize(text)
        for v in values_in(text):
            if v.kind in _KINDS and v.is_range and cued(norm, v, cues):
                return [
                    Operand(replace(v, high=v.low), c.sentence),
                    Operand(replace(v, low=v.high), c.sentence),
                ]
    return []


def _attribute_cues(ctx: AnswerContext, qa: QuestionAnalysis, r) -> list[str]:
    """The question's words for the attribute its operands are of (总市值, 存货), normalised: a value
    with one beside it is an operand."""
    return [normalize(c) for c in claim_cues(ctx, qa, r.support_terms) if len(c) >= 2]


def _span_words(ctx: AnswerContext, qa: QuestionAnalysis) -> list[list[str]]:
    """The words of each end of a span of days asked ("从网上申购到上市": [网上, 申购], [上市]), in the
    articles' words, without the asked company's names; [] unless the question has two ends."""
    parts = [p for p in _SPAN.split(qa.text) if any(ch.isalnum() for ch in p)][:2]
    names = {t for c in qa.companies for n in ctx.directory.by_id[c].names for t in ctx.tokenizer.tokens(n)}
    words = [
        [
            w
            for w in [*ctx.tokenizer.tokens(p), *ctx.glossary.expand(p), *ctx.bridge(p)]
            if len(w) >= 2 and w not in names and ctx.retriever.known(w)
        ]
        for p in parts
    ]
    if len(words) != 2:
        return []
    # the words both ends share (减持 of "从披露减持计划到终止减持") tell neither apart
    own = [[w for w in ws if w not in other] for ws, other in ((words[0], words[1]), (words[1], words[0]))]
    return [o or ws for o, ws in zip(own, words)]


def _by_dates(ctx: AnswerContext, qa: QuestionAnalysis, window, words: list[list[str]]) -> list[Operand]:
    """For "从A到B用了多少天": the date stated beside each end's own words (受理, 注册), in the order the
    question names them; the year, when a date has none, is its article's. Both from one article, the
    first in the window's order that states both: two dates of two articles are two stories."""
    if not words:
        return []
    by_doc: dict[str, list] = {}  # document → (the date, its sentence, the words around it) of each date
    for c in window:
        text = ctx.sentences[c.sentence].text
        named = days_named(text, article_year(ctx.passages[c.passage].published))
        by_doc.setdefault(ctx.passages[c.passage].doc_id, []).extend(
            (v, c.sentence, normalize(text[max(0, v.span[0] - BESIDE) : v.span[1] + BESIDE]))
            for v in named
            if v.year
        )
        if not named:  # "同日，…决定提前终止…": the day before it, for what the whole sentence says
            by_doc[ctx.passages[c.passage].doc_id].extend(
                (v, c.sentence, normalize(text)) for v in _same_day(ctx, c)
            )
    for dated in by_doc.values():
        ops = [_best_dated(dated, own) for own in words]
        if None not in ops and (ops[0].value.span, ops[0].sentence) != (ops[1].value.span, ops[1].sentence):
            return ops
    return []


def _same_day(ctx: AnswerContext, c) -> list[Value]:
    """同日/当日/当天 in a sentence that names no day: the last day named before it in its paragraph
    ("3月17日晚间，…披露…。同日，…决定提前终止…" — the termination is of 17 March)."""
    text = ctx.sentences[c.sentence].text
    at = next((text.find(w) for w in _SAME_DAY if w in text), -1)
    if at < 0:
        return []
    p = ctx.passages[c.passage]
    before = days_named(p.text[: ctx.sentences[c.sentence].start], article_year(p.published))
    return [replace(before[-1], span=(at, at + 2))] if before else []


def _best_dated(dated: list, words: list[str]) -> Operand | None:
    """The date with the most of a part's words beside it (the first of equals), or None."""
    scored = [(sum(w in near for w in words), i) for i, (_, _, near) in enumerate(dated)]
    # of equals, a day the sentence names before one it refers to (同日), then the first
    best = max(
        scored,
        key=lambda x: (x[0], dated[x[1]][0].span[1] - dated[x[1]][0].span[0] > 2, -x[1]),
        default=(0, -1),
    )
    return Operand(dated[best[1]][0], dated[best[1]][1]) if best[0] else None


def _marks(text: str) -> set[str]:
    """What tells a part of the question apart: its character pairs and its model numbers (QH-960)."""
    return bigrams(text) | model_numbers(text)


def _expression(operation: str, ops: list[Operand], marks: list[int], language: str) -> str:
    zh = language == "zh"
    nums = [o.value.low for o in ops]
    shown = [f"{_render(o.value, zh)}{'' if zh else ' '}[{m}]" for o, m in zip(ops, marks)]
    percent = ops[0].value.kind == "percent"
    if operation == "ratio":
        hi, lo = max(nums), min(nums)
        if lo == 0:
            return " / ".join(shown)
        ratio = (hi / lo).quantize(Decimal("0.01"))
        order = shown if nums[0] >= nums[1] else shown[::-1]
        return f"{order[0]} ÷ {order[1]} ≈ {_plain(ratio)} {'倍' if zh else 'times'}"
    if operation == "share" and nums[1]:
        share = (nums[0] / nums[1] * 100).quantize(Decimal("0.01"))
        return f"{shown[0]} ÷ {shown[1]} ≈ {_plain(share)}%"
    if operation == "change" and nums[0]:  # how much more, and by what percentage: [base, figure]
        change = ((nums[1] - nums[0]) / nums[0] * 100).quantize(Decimal("0.01"))
        diff = _render_number(nums[1] - nums[0], ops[0].value, zh)
        return f"{shown[1]} − {shown[0]} = {diff} ({'+' if change >= 0 else ''}{_plain(change)}%)"
    if operation == "prior" and nums[1] > -100:
        before = _render_number(_significant(nums[0] / (1 + nums[1] / 100)), ops[0].value, zh)
        return f"{shown[0]} ÷ (1 {'+' if nums[1] >= 0 else '−'} {_plain(abs(nums[1]))}%) ≈ {before}"
    if operation == "growth" and nums[0]:
        change = ((nums[1] - nums[0]) / nums[0] * 100).quantize(Decimal("0.1"))
        times = (nums[1] / nums[0]).quantize(Decimal("0.01"))
        sign = "+" if change >= 0 else ""
        return (
            f"{shown[1]} ÷ {shown[0]} ≈ {_plain(times)} {'倍' if zh else 'times'} ({sign}{_plain(change)}%)"
        )
    if operation == "days":
        days = abs(
            (
                date(ops[1].value.year, ops[1].value.month, ops[1].value.day)
                - date(ops[0].value.year, ops[0].value.month, ops[0].value.day)
            ).days
        )
        return f"{shown[0]} → {shown[1]}：{days} 天" if zh else f"{shown[0]} → {shown[1]}: {days} days"
    if operation == "midpoint":
        middle = (nums[0] + nums[1]) / 2
        return f"({shown[0]} + {shown[1]}) ÷ 2 = {_render_number(middle, ops[0].value, zh)}"
    if operation == "sum":
        total = sum(nums, Decimal(0))
        return " + ".join(shown) + f" = {_render_number(total, ops[0].value, zh)}"
    diff = abs(nums[0] - nums[1])
    first, second = (shown[0], shown[1]) if nums[0] >= nums[1] else (shown[1], shown[0])
    unit = ("个百分点" if zh else " percentage points") if percent else ""
    result = f"{_plain(diff)}{unit}" if percent else _render_number(diff, ops[0].value, zh)
    return f"{first} − {second} = {result}"


def _significant(x: Decimal, digits: int = 4) -> Decimal:
    """`x` to `digits` significant figures (a quotient's 28 digits say nothing the operands do)."""
    if not x:
        return x
    return x.quantize(Decimal(1).scaleb(x.adjusted() - digits + 1))


def _render(v: Value, zh: bool) -> str:
    return _render_number(v.low, v, zh)


def _render_number(amount: Decimal, like: Value, zh: bool) -> str:
    """An amount in the units Chinese reporting uses (亿元, 万元) or rendered in English."""
    if like.kind == "date":
        return like.text if zh else like.render_en()
    if like.kind == "percent":
        return f"{_plain(amount)}%"
    if like.kind == "measure":
        return f"{_plain(amount)} {like.currency}"
    if not zh:
        return render_amount_en(amount, like.currency)
    for size, unit in _UNITS_ZH:
        if abs(amount) >= size:
            scaled = _plain((amount / size).quantize(Decimal("0.0001")))
            return f"{scaled}{unit}{_CURRENCY_ZH.get(like.currency, '')}"
    return f"{_plain(amount)}{_CURRENCY_ZH.get(like.currency, '')}"


def _plain(d: Decimal) -> str:
    return format(d.normalize(), "f")
