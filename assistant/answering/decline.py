"""Saying precisely what the corpus does not say, with the closest material marked as not an answer.

Three cases, most specific first: the question is about something the corpus never mentions
(海光, Ascend 910B) — say that it is not covered; it asks about what could only be known after the
article was written (a share price, a first trading day) — say the article's date; the company is
known but the attribute is not stated (格兰菲的估值) — say exactly that. A confident, cited, wrong
answer is the worst thing this product can do; a precise "not stated" is the next best thing to
an answer.
"""

from __future__ import annotations

from dataclasses import replace

from ..messages import Msg
from ..schema import Answer, Citation
from .analysis import AFTER_ARTICLE, QuestionAnalysis
from .calibration import CLARIFY_NAMES, CLOSEST_SHOWN
from .compose import AnswerBuilder, company_name, field_label
from .context import AnswerContext
from .coverage import NAME, Term
from .sentences import Candidate, make_citation

# What a "who/when/how much" question wanted, when no attribute of a profile names it.
TYPE_LABELS = {
    "date": ("日期", "date"),
    "amount": ("具体数字", "figure"),
    "organisation": ("机构", "organisation"),
    "person": ("人物", "person"),
    "place": ("地点", "place"),
    "count": ("数量", "number"),
    "product": ("产品名称", "product name"),
    "market": ("上市地", "listing venue"),
}


def decline(
    ctx: AnswerContext,
    qa: QuestionAnalysis,
    candidates: list[Candidate],
    terms: list[Term],
    notice: str,
    missing=None,
    absent: tuple[str, ...] = (),
    year: int | None = None,
    period: str = "",
) -> Answer:
    """`missing`: the need no sentence met (an amount, the valuation); `absent`: the question's words
    for what it asks that no article uses (员工); `year`: the asked year no sentence gives it for;
    `period`: the part of the year so (一季度, first quarter), in the question's words."""
    lang = qa.language
    b = AnswerBuilder(ctx, lang)
    b.line(_why(ctx, qa, terms, missing, absent, year, period), "not_stated")
    if qa.after_article and len(qa.companies) == 1:
        _latest_status(ctx, qa, b)  # the premise (listed, trading) corrected by where the articles leave it
    closest = closest_material(ctx, candidates)
    if closest:
        b.line(Msg.CLOSEST.say(lang), "closest")
    return b.answer(qa.text, qa.intent, qa.companies, notice, abstained=True, closest=closest)


def _why(
    ctx: AnswerContext, qa: QuestionAnalysis, terms: list[Term], missing, absent, year, period=""
) -> str:
    """The most precise thing that can be said about what the corpus does not say."""
    lang, zh = qa.language, qa.language == "zh"
    unknown = unknown_names(ctx, terms)
    company = ("、" if zh else " and ").join(company_name(ctx, c, lang) for c in qa.companies)
    label, of_field = _label(qa, missing)
    if unknown:
        return Msg.NOT_COVERED.say(lang, names=("、" if zh else ", ").join(_as_name(n) for n in unknown))
    date = _article_date(ctx, qa) if qa.after_article else "?"
    if date != "?":  # what is asked happened later than the articles: no attribute label would be accurate
        return Msg.AFTER_DATE.say(
            lang,
            date=date,
            company=company,
            for_company=f" for {company}" if company else "",
        )
    if qa.companies and year is not None:
        return Msg.NO_YEAR.say(
            lang, company=company, year=str(year), label=label or ("数据" if zh else "figure")
        )
    if qa.companies and period:
        return Msg.NO_PERIOD.say(
            lang, company=company, period=period, label=label or ("数据" if zh else "figure")
        )
    if qa.companies and absent:
        return Msg.ABSENT_WORDS.say(lang, company=company, words=("、" if zh else ", ").join(absent))
    if qa.companies and _asks_who(qa, missing):
        return Msg.NO_ROLE.say(lang, company=company, label=label)
    if qa.companies and label:
        return (Msg.NO_FIELD if of_field else Msg.NO_KIND).say(lang, company=company, label=label)
    return Msg.NOT_ANSWERED.say(lang)


def _latest_status(ctx: AnswerContext, qa: QuestionAnalysis, b: AnswerBuilder) -> None:
    """Where the newest article about the company leaves the event the question presupposes: its last
    sentence that speaks of the listing ("证监会同意其科创板首发注册"), quoted with its date."""
    words = ctx.lexicon.fields.get("listing", ())
    best = None
    for i in ctx.maps.of_companies(qa.companies):
        p = ctx.passages[i]
        if p.kind != "body":
            continue
        for si in ctx.by_passage.get(i, []):
            text = ctx.sentences[si].text
            if any(w in text for w in words) and (best is None or p.published >= best[0]):
                best = (p.published, si)
    if best is not None and b.sentences([best[1]], "support"):
        last = b.parts[-1]  # one line, so that it never stands without its heading
        b.parts[-1] = replace(
            last, text=f"{Msg.LATEST_STATUS.say(qa.language, date=best[0][:10])} {last.text}"
        )


def advise(ctx: AnswerContext, qa: QuestionAnalysis, candidates: list[Candidate], notice: str) -> Answer:
    """ "值得买吗", "should I buy": the articles give facts, not advice — said plainly, with the facts."""
    b = AnswerBuilder(ctx, qa.language)
    company = ("、" if qa.language == "zh" else " and ").join(
        company_name(ctx, c, qa.language) for c in qa.companies
    )
    b.line(
        Msg.ADVICE.say(qa.language, company=company or ("所问公司" if qa.language == "zh" else "it")),
        "not_stated",
    )
    return b.answer(
        qa.text, qa.intent, qa.companies, notice, abstained=True, closest=closest_material(ctx, candidates)
    )


def clarify(ctx: AnswerContext, qa: QuestionAnalysis, notice: str) -> Answer:
    """A follow-up ("它的估值是多少？") with nobody to refer back to: ask which company is meant."""
    b = AnswerBuilder(ctx, qa.language)
    # the curated companies first, then those found in the articles (at most CLARIFY_NAMES in all)
    names = [p.display(qa.language) for p in ctx.directory.profiles][:CLARIFY_NAMES]
    b.line(
        Msg.WHICH_COMPANY.say(qa.language, names=("、" if qa.language == "zh" else ", ").join(names)),
        "clarify",
    )
    return b.answer(qa.text, qa.intent, (), notice or "which company is meant", abstained=True)


def closest_material(ctx: AnswerContext, candidates: list[Candidate]) -> list[Citation]:
    """The best few sentences from different passages — never a bare section heading."""
    out: list[Citation] = []
    for c in candidates:
        p = ctx.passages[c.passage]
        if p.kind == "heading" or not p.is_article or any(x.passage_id == p.passage_id for x in out):
            continue
        s = ctx.sentences[c.sentence]
        out.append(make_citation(len(out) + 1, p, s.text, c.score, s.text_en))
        if len(out) == CLOSEST_SHOWN:
            break
    return out


def _asks_who(qa: QuestionAnalysis, missing) -> bool:
    kind = getattr(missing, "kind", "") or next(iter(qa.answer_types), "")
    return kind in ("person", "organisation")


def _label(qa: QuestionAnalysis, missing) -> tuple[str, bool]:
    """What was asked for, and whether that is an attribute (a field) rather than only a kind of value."""
    zh = qa.language == "zh"
    field = getattr(missing, "field", "") or next(iter(qa.fields), "")
    if field == AFTER_ARTICLE:  # the check that the sentence speaks of a later event, not an attribute
        field = next(iter(qa.fields), "")
    kind = getattr(missing, "kind", "") or next(iter(qa.answer_types), "")
    if kind in ("person", "organisation") or not field:
        pair = TYPE_LABELS.get(kind)
        return ((pair[0] if zh else pair[1]) if pair else ""), False
    return field_label(field, qa.language), True


def _as_name(term: str) -> str:
    """A question's term, written as a name again: terms are in normal form (lower case), and "does
    not cover cambricon" reads as a typo. Latin words capitalised; a model number in capitals (910B)."""
    if not term.isascii():
        return term
    if any(ch.isdigit() for ch in term):
        return term.upper()
    return " ".join(w[:1].upper() + w[1:] for w in term.split(" "))


def unknown_names(ctx: AnswerContext, terms: list[Term]) -> list[str]:
    """Names and model numbers of the question that no article uses (海光信息, Ascend, 910B)."""
    out = []
    for t in terms:
        if t.weight >= NAME and not t.known and not ctx.directory.mentions(t.text) and t.text not in out:
            out.append(t.text)
    return out


def _article_date(ctx: AnswerContext, qa: QuestionAnalysis) -> str:
    """The latest publication date (first 10 characters, compared as text) of the articles with a passage
    annotated with an asked company (it names the company, sits under a heading or in an article titled
    with it); of every article when no company is asked. "?" when none of those articles has a date,
    also when the asked companies have no article: never a date from articles about other companies."""
    docs = {ctx.passages[i].doc_id for i in ctx.maps.of_companies(qa.companies)} if qa.companies else None
    dates = [
        str(doc.get("published") or "")[:10]
        for d, doc in ctx.index.documents.items()
        if docs is None or d in docs
    ]
    dates = [d for d in dates if d]
    return max(dates) if dates else "?"
