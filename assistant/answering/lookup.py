"""Look-ups and yes/no questions: the sentences that hold the asked attribute of the asked company.

Retrieval finds passages; from their sentences only those that can answer are kept — about the
asked company (named, or carried over from the conversation), not a section heading, holding what
was asked (a date for "when", an amount for "how much", the attribute's own word for a valuation
or a revenue) — and the best of them is quoted first. A multi-part question ("哪年成立?总部在哪?",
"When … and who …?") gets one sentence per part. When no sentence can answer, the answer says
precisely what the corpus does not say (decline.py) instead of quoting something near it.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..language.lexicon import has_word
from ..messages import Msg
from ..schema import Answer
from ..text import article_year, funding_rounds, model_numbers, normalize, squash, years_in
from ..values.english import english_values
from .analysis import QuestionAnalysis
from .asked_claim import claim_cues, claim_of
from .calibration import (
    CLAIM_WEIGHT,
    DESCRIPTION_LINES,
    DESCRIPTIVE_FIELDS,
    MIN_COVERAGE,
    MIN_SENTENCE_SIMILARITY,
    NEWEST_BONUS,
    TYPE_WINDOW,
)
from .candidates import Retrieved, retrieve, retrieved_order
from .clause_values import days_named, states_figure
from .compose import AnswerBuilder
from .context import AnswerContext
from .coverage import NAME, Term
from .decline import decline
from .needs import Need, holds_all, needs_of
from .question_forms import period_words, periods_named, roles_asked, without_ratio_base
from .quoted_parts import chosen_groups, figure_parts, in_force, states_any
from .sentences import Candidate, lexical_score, term_weights, with_subject
from .yesno import confirms, contradicts, superseded


def answer_lookup(ctx: AnswerContext, qa: QuestionAnalysis, vector: np.ndarray, notice: str) -> Answer:
    r = retrieve(ctx, qa, vector)
    if _descriptive(qa) and r.coverage >= MIN_COVERAGE:
        described = _profile_description(ctx, qa, r)
        if described is not None:
            return described
    best = r.answerable[0] if r.answerable else None
    if best is None or r.coverage < MIN_COVERAGE or best.dense < MIN_SENTENCE_SIMILARITY:
        return decline(ctx, qa, r.candidates, r.support_terms, notice)
    # 股东 asks the field the articles call 持股
    absent = () if qa.fields else _absent_attribute(r.support_terms)
    if qa.companies and absent:
        return decline(ctx, qa, r.candidates, r.support_terms, notice, absent=absent)
    unstated = _absent_for_company(ctx, qa)
    # a field's label when the figure is one ("does not give Glenfly's valuation"), else its words
    if unstated:  # (the words themselves when a share's base is what the field's label would name)
        label = qa.fields and without_ratio_base(qa.text, ctx.lexicon) == qa.text
        return decline(ctx, qa, r.candidates, r.support_terms, notice, absent=() if label else unstated)
    window = _window(ctx, qa, r)
    needs = needs_of(ctx, qa)
    missing = needs[0] if needs else None  # what a decline says no sentence holds
    holding = [c for c in window if not needs or holds_all(ctx, c, needs[:1])]
    # the figures asked for by their words; "哪天收盘前" asks a day, and no figure need be stated with it
    figures = ctx.glossary.asked_figures(qa.text) if _asks_figure(qa) else []
    if not holding and needs and needs[0].words and figures:  # "what P/E multiple is it valued at": the
        # figure named (市盈率), though the field's word (估值, from "valued") is in no sentence
        holding = [
            c for c in window if holds_all(ctx, c, [Need(kind=needs[0].kind)]) and states_any(ctx, c, figures)
        ]
    if qa.years and qa.companies and qa.answer_types and holding:
        fitting = [c for c in holding if _fits_years(ctx, c, qa.years)]
        if not fitting:  # "摩尔线程2023年营收": the sentences give 2022 and 2024, not the year asked
            return decline(ctx, qa, r.candidates, r.support_terms, notice, missing=missing, year=qa.years[0])
        holding = fitting
    elif qa.year_shift is not None and holding:  # 去年: the year before each article's own date
        holding = [c for c in holding if _fits_years(ctx, c, _shifted(ctx, c, qa.year_shift))] or holding
    fitting = _fitting(ctx, qa, holding, figures) if holding else holding
    if holding and not fitting:  # the day, the round or the part of the year asked is no sentence's
        period = next((w for _, w in period_words(qa.text, ctx.lexicon)), "")
        return decline(ctx, qa, r.candidates, r.support_terms, notice, missing=missing, period=period)
    holding = fitting
    models = model_numbers(qa.text)
    if models:  # "their S90 card": a sentence that names the model the question names (or, after a
        # semicolon, the sentence it goes on from does: with_subject), where one does;
        # never one that names only another model (XL-2000's 550W is not the QH-960's power)
        subject = {c.sentence: with_subject(c.sentence, ctx.sentences, ctx.by_passage) for c in holding}
        holding = [c for c in holding if not _other_model(subject[c.sentence], models)]
        holding = [c for c in holding if models & model_numbers(subject[c.sentence])] or holding
    kinds = (
        ctx.lexicon.organisation_kinds_asked(normalize(qa.text)) if "organisation" in qa.answer_types else ()
    )
    if kinds and holding:  # "哪家会计师事务所": a sentence naming one of that kind, not a chip company
        holding = [c for c in holding if _names_kind(ctx, c, kinds)]
        if not holding:
            return decline(ctx, qa, r.candidates, r.support_terms, notice, missing=missing)
    if figures and holding:  # "发行费用合计多少": a sentence without the figure's word gives another figure
        stating = [c for c in holding if states_any(ctx, c, figures)]
        if not stating:
            absent = tuple(w for w, _ in figures)
            return decline(ctx, qa, r.candidates, r.support_terms, notice, absent=absent)
        holding = stating
    if ctx.lexicon.says(normalize(qa.text), "former"):  # "一开始开价多少": the proposal later replaced
        holding = [c for c in holding if superseded(ctx, [c.sentence])] or holding
    first = _best_claim(ctx, qa, r, holding) if holding else None
    if first is None:
        return decline(ctx, qa, r.candidates, r.support_terms, notice, missing=needs[0])
    first = in_force(ctx, qa, needs, first)
    chosen = chosen_groups(ctx, qa, window, needs, first)
    if len(figures) > 1:  # "显存多大、功耗多少": a sentence for each figure asked that no quote states
        chosen += figure_parts(ctx, qa, r, holding, figures, chosen)
    return _composed(ctx, qa, r, chosen, first.score, notice)


def _composed(
    ctx: AnswerContext,
    qa: QuestionAnalysis,
    r: Retrieved,
    chosen: list[list[int]],
    first_score: float,
    notice: str,
) -> Answer:
    """The answer: "Yes." or the claim's value first (with its date and year note), then the chosen
    sentences, a curated English fact before a quote that has no English."""
    b = AnswerBuilder(ctx, qa.language)
    yes = qa.intent == "yesno" and confirms(ctx, qa, r.support_terms, chosen[0])
    figure = qa.intent == "yesno" and not qa.answer_types and states_figure(qa.text)
    asked = replace(qa, answer_types=("amount",)) if figure else qa  # "开价每股92元吗": the figure stated
    claim = claim_of(ctx, asked, r.support_terms, chosen[0])
    no = qa.intent == "yesno" and not yes and contradicts(qa.text, claim.value)
    if yes:
        b.line(Msg.YES.say(qa.language), "direct")
    if no:
        b.line(Msg.NO.say(qa.language), "direct")
    if (qa.intent != "yesno" or no) and claim.value:
        pi = ctx.sentences[chosen[0][0]].passage_index
        untranslated = qa.language == "en" and not ctx.sentences[chosen[0][0]].text_en
        b.value(
            pi,
            claim.value,
            claim.value_en,
            qa.companies[0] if len(qa.companies) == 1 else "",
            as_of=_as_of(ctx, qa, pi),
            note=_relative_year(ctx, qa, pi),
            label_en=ctx.glossary.english_label(qa.text, claim.clause) if untranslated else "",
        )
    for i, group in enumerate(chosen):
        role = "direct" if i == 0 and not b.parts else "support"  # (after the value or "Yes.", the sentence)
        if qa.language == "en" and not ctx.sentences[group[0]].text_en:
            _english_fact(ctx, qa, b, group[0])  # a curated English fact leads when there is no translation
        b.sentences(group, role, score=first_score if i == 0 else 0.0)
    return b.answer(qa.text, qa.intent, qa.companies, notice, retrieved=retrieved_order(ctx, r.candidates))


def _names_kind(ctx: AnswerContext, c: Candidate, kinds: set[str]) -> bool:
    """The sentence names an organisation of an asked kind, or says the kind (保荐机构为…)."""
    text = ctx.sentences[c.sentence].text
    words = (w for k in kinds for w in ctx.lexicon.organisation_kinds[k])
    return bool(ctx.names.kinds_in(text) & kinds) or any(w in text for w in words if not w.isascii())


def _absent_for_company(ctx: AnswerContext, qa: QuestionAnalysis) -> tuple[str, ...]:
    """The question's domain terms (glossary: gross margin / 毛利率, 发行费用) that no passage about the
    asked company uses in any of their forms: the corpus knows the term, not for this company, so
    its nearest sentence (the revenue, the issue size) would be a confident wrong answer."""
    if len(qa.companies) != 1 or not _asks_figure(qa):
        return ()
    about = [ctx.passages[i] for i in ctx.maps.by_company.get(qa.companies[0], ())]
    text = squash(" ".join(f"{p.text} {p.text_en}" for p in about if p.is_article))
    if not text:
        return ()
    asked = ctx.glossary.concepts(without_ratio_base(qa.text, ctx.lexicon), metrics_only=True) or (
        ctx.glossary.concepts(qa.text, metrics_only=True)
    )  # "研发投入占营收的比例": R&D is asked; revenue, stated or not, is the base
    missing = [word for word, forms in asked if not any(squash(f) in text for f in forms)]
    # several figures asked (valued at, raised) in synonyms of one another: only when none is there
    return tuple(missing) if len(missing) == len(asked) else ()


def _absent_attribute(terms: list[Term]) -> tuple[str, ...]:
    """The words of what a question asks about a company when no article uses any of them
    ("沐曦有多少员工": 员工). The company's name alone carries coverage past its threshold, so the
    most similar sentence about the company would otherwise stand as the answer."""
    # (one Chinese character alone, 头 of 头一单, is a morpheme of a colloquial word, no attribute)
    asked = [
        t for t in terms if t.weight < NAME and not t.text.isdigit() and (len(t.text) > 1 or t.text.isascii())
    ]
    if not asked or any(t.known for t in asked):
        return ()
    return tuple(dict.fromkeys(t.text for t in asked))


def _fits_years(ctx: AnswerContext, c: Candidate, years: tuple[int, ...]) -> bool:
    """The sentence speaks of an asked year: it names it (2024, 24年), or names no year at all in a
    paragraph or article title that does ("报告期内…" under "2025年年度报告"), or, where neither names
    one, in an article of that year ("第三季度…" in a quarterly report published that October)."""
    text = ctx.sentences[c.sentence].text
    named = set(years_in(text))
    if named:
        return bool(named & set(years))
    p = ctx.passages[c.passage]
    around = set(years_in(f"{p.text} {p.title}")) or {article_year(p.published)}
    return bool(around & set(years))


def _fitting(ctx: AnswerContext, qa: QuestionAnalysis, holding: list[Candidate], figures) -> list[Candidate]:
    """The sentences that fit what the question names of its figure: the day ("3月19日的收盘价" — unless
    two figures are asked, "grant price vs the Mar 17 close", the day naming one of them), the round
    ("Series A": the B round's figure is another's), the part of the year ("一季度营收" is not the
    year's); [] when one of them fits no sentence."""
    checks = []
    days = _asked_days(qa)
    if days and _asks_figure(qa) and len(figures) < 2:
        checks.append(lambda c: _fits_days(ctx, c, days))
    rounds = funding_rounds(qa.text)
    if rounds:
        checks.append(lambda c: bool(rounds & funding_rounds(ctx.sentences[c.sentence].text)))
    periods = periods_named(qa.text, ctx.lexicon) if qa.answer_types[:1] != ("date",) else set()
    if periods:
        checks.append(lambda c: _fits_period(ctx, c, periods))
    for check in checks:
        holding = [c for c in holding if check(c)]
    return holding


def _fits_period(ctx: AnswerContext, c: Candidate, periods: set[str]) -> bool:
    """The sentence speaks of an asked part of the year: it names it, or names none in an article whose
    title does ("报告期内…" in a first-quarter report)."""
    named = periods_named(ctx.sentences[c.sentence].text, ctx.lexicon)
    if named:
        return bool(named & periods)
    return bool(periods_named(ctx.passages[c.passage].title, ctx.lexicon) & periods)


def _asks_figure(qa: QuestionAnalysis) -> bool:
    """The question asks for a value and not a day first ("哪天收盘前…" asks a day: no figure's word
    need be stated with it)."""
    return qa.answer_types[:1] not in ((), ("date",))


def _asked_days(qa: QuestionAnalysis) -> set[tuple[int, int]]:
    """The days (month, day) a question names: "3月19日", "March 19, 2026"."""
    said = english_values(qa.text) if qa.language == "en" else []
    english = [v for v in said if v.kind == "date" and v.month and v.day]
    return {(v.month, v.day) for v in [*days_named(qa.text), *english]}


def _fits_days(ctx: AnswerContext, c: Candidate, days: set[tuple[int, int]]) -> bool:
    """The sentence speaks of an asked day: it names it, or names no day in an article of that day
    ("今日收盘…" in a report of 19 March). A figure of the listing day is not the next day's."""
    p = ctx.passages[c.passage]
    named = {(v.month, v.day) for v in days_named(ctx.sentences[c.sentence].text, article_year(p.published))}
    if named:
        return bool(named & days)
    published = p.published[:10]
    return any(published.endswith(f"-{m:02d}-{d:02d}") for m, d in days)


def _other_model(text: str, asked: set[str]) -> bool:
    """The sentence names model numbers, none of them one the question asks about."""
    named = model_numbers(text)
    return bool(named) and not named & asked  # QH-960S is another product than QH-960


def _shifted(ctx: AnswerContext, c: Candidate, shift: int) -> tuple[int, ...]:
    year = article_year(ctx.passages[c.passage].published)
    return (year + shift,) if year else ()


def _relative_year(ctx: AnswerContext, qa: QuestionAnalysis, pi: int) -> str:
    """ "去年" read against the date of the article that states the value, said so."""
    published = ctx.passages[pi].published
    year = article_year(published)
    if qa.year_shift is None or year is None:
        return ""
    norm = normalize(qa.text)
    word = next((w for w in ctx.lexicon.article_years.get(qa.year_shift, ()) if has_word(norm, w)), "")
    return (
        Msg.RELATIVE_YEAR.say(qa.language, word=word, year=str(year + qa.year_shift), date=published[:10])
        if word
        else ""
    )


def _as_of(ctx: AnswerContext, qa: QuestionAnalysis, pi: int) -> str:
    """The date of the article a value is from, when several articles speak of the asked company
    (a plan in one, the outcome in a later one): the reader sees which statement this is."""
    if len(qa.companies) != 1:
        return ""
    docs = {ctx.passages[i].doc_id for i in ctx.maps.of_companies(qa.companies) if ctx.passages[i].is_article}
    return ctx.passages[pi].published[:10] if len(docs) > 1 else ""


def _window(ctx: AnswerContext, qa: QuestionAnalysis, r: Retrieved) -> list[Candidate]:
    """The candidates a look-up chooses from: the first TYPE_WINDOW, and for "曜算科技董事长是谁" the
    sentence that names the role, however far down it ranks ("公司董事长兼总经理严立群…" names no company)."""
    window = r.answerable[:TYPE_WINDOW]
    roles = roles_asked(qa.text, ctx.glossary) if "person" in qa.answer_types else set()
    later = r.answerable[TYPE_WINDOW:] if roles else []
    return window + [c for c in later if any(w in ctx.sentences[c.sentence].text for w in roles)]


def _best_claim(
    ctx: AnswerContext, qa: QuestionAnalysis, r: Retrieved, holding: list[Candidate]
) -> Candidate:
    """Of the sentences that hold what was asked, the one whose best clause holds most of it: the
    asked attribute's words and a value of the asked kind ("发行价" and 58.60 元/股, not the market
    value two sentences on), weighed with the sentence's own retrieval score."""
    newest = max((ctx.passages[c.passage].published[:10] for c in holding), default="")
    cues = claim_cues(ctx, qa, r.support_terms)  # the question's words: the same for every sentence

    def total(c: Candidate) -> float:
        recent = NEWEST_BONUS if ctx.passages[c.passage].published[:10] == newest else 0.0
        return c.score + CLAIM_WEIGHT * claim_of(ctx, qa, r.support_terms, [c.sentence], cues).score + recent

    return max(holding[:TYPE_WINDOW], key=total)


def _english_fact(ctx: AnswerContext, qa: QuestionAnalysis, b: AnswerBuilder, si: int) -> None:
    """For a quote with no English: the curated profile fact it contains, in English, first."""
    sent = ctx.sentences[si]
    p = ctx.passages[sent.passage_index]
    for prof in ctx.profiles:
        if qa.companies and prof.id not in qa.companies:
            continue
        for fact in prof.facts:
            if (
                fact.source == p.passage_id
                and squash(fact.zh) in squash(sent.text)
                and (not qa.fields or fact.field in qa.fields)
                and (not qa.years or fact.year is None or fact.year in qa.years)
            ):
                b.fact(prof, fact, "direct", with_sentence=False)
                return


def _descriptive(qa: QuestionAnalysis) -> bool:
    """ "What does X focus on / what kind of products": no value asked, only what the company is."""
    return (
        len(qa.companies) == 1
        and not qa.answer_types
        and bool({"focus", "analogy"} & set(qa.fields))
        and all(f in DESCRIPTIVE_FIELDS for f in qa.fields)
    )


def _profile_description(ctx: AnswerContext, qa: QuestionAnalysis, r: Retrieved) -> Answer | None:
    """The curated profile's statements of the asked descriptive fields, quoted from their sentences."""
    prof = ctx.directory.by_id[qa.companies[0]]
    b = AnswerBuilder(ctx, qa.language)
    weights = term_weights(r.terms, ctx.retriever.idf)
    facts = [f for field in qa.fields for f in prof.facts_for(field)]
    # the facts nearest to what was asked first ("走旗舰路线吗" → 刻意避开旗舰路线), by the words they
    # share with the question, then the order the curator gave
    facts.sort(key=lambda f: -lexical_score(f.zh, weights))
    for fact in facts:
        if len(b.parts) >= DESCRIPTION_LINES:
            break
        i = ctx.by_id.get(fact.source)
        if i is not None and ctx.passages[i].kind != "heading":
            b.fact(prof, fact, "direct" if not b.parts else "support")
    if not b.parts:
        return None
    return b.answer(qa.text, qa.intent, qa.companies, "", retrieved=retrieved_order(ctx, r.candidates))
