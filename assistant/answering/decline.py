"""Saying precisely what the corpus does not say, with the closest material marked as not an answer.

Three cases, most specific first: the question is about something the corpus never mentions
(海光, Ascend 910B) — say that it is not covered; it asks about what could only be known after the
article was written (a share price, a first trading day) — say the article's date; the company is
known but the attribute is not stated (格兰菲的估值) — say exactly that. A confident, cited, wrong
answer is the worst thing this product can do; a precise "not stated" is the next best thing to
an answer.
"""
from __future__ import annotations

from ..schema import Answer, Citation
from .calibration import CLOSEST_SHOWN
from .analysis import AFTER_ARTICLE, QuestionAnalysis
from .compose import AnswerBuilder, company_name, field_label
from .context import AnswerContext
from .coverage import NAME, Term
from .sentences import Candidate, make_citation

ZH_ABSTAIN = "语料库中没有能回答这个问题的内容。"
EN_ABSTAIN = "The corpus does not answer this question."
ZH_CLOSEST = "下面是最接近的材料，仅供参考，并非答案。"
EN_CLOSEST = "The closest material is listed below — it is not an answer."
# What a "who/when/how much" question wanted, when no attribute of a profile names it.
TYPE_LABELS = {
    "date": ("日期", "date"), "amount": ("具体数字", "figure"), "organisation": ("机构", "organisation"),
    "person": ("人物", "person"), "place": ("地点", "place"), "count": ("数量", "number"),
    "product": ("产品名称", "product name"),
}


def decline(ctx: AnswerContext, qa: QuestionAnalysis, candidates: list[Candidate], terms: list[Term], notice: str,
            missing=None, absent: tuple[str, ...] = ()) -> Answer:
    """`missing`: the need no sentence met (an amount, the valuation); `absent`: the question's words
    for what it asks that no article uses (员工)."""
    zh = qa.language == "zh"
    b = AnswerBuilder(ctx, qa.language)
    unknown = unknown_names(ctx, terms)
    names = "、".join(qa.companies and [company_name(ctx, c, qa.language) for c in qa.companies] or [])
    names_en = " and ".join(company_name(ctx, c, "en") for c in qa.companies)
    label, of_field = _label(qa, missing)
    if unknown:
        shown = "、".join(unknown) if zh else ", ".join(unknown)
        b.line(f"语料库没有涉及「{shown}」，无法回答。" if zh else f"The corpus does not cover {shown}.", "not_stated")
    elif qa.after_article:
        date = _article_date(ctx, qa)  # what is asked happened later: no attribute label would be accurate
        b.line(f"文章发布于 {date}，只报道到那时为止的进展；文中没有{names}在那之后的信息。" if zh else
               f"The article was published on {date} and reports nothing after that date, so it cannot say this"
               f"{' for ' + names_en if names_en else ''}.", "not_stated")
    elif qa.companies and absent:
        shown = "、".join(absent) if zh else ", ".join(absent)
        b.line(f"文中没有提到{names}的「{shown}」。" if zh else f"The article says nothing about {shown} for {names_en}.",
               "not_stated")
    elif qa.companies and _asks_who(qa, missing):
        b.line(f"文中没有提到{names}的相关{label}。" if zh else
               f"The article names no {label} in that role for {names_en}.", "not_stated")
    elif qa.companies and label and of_field:
        b.line(f"文中没有提到{names}的{label}。" if zh else f"The article does not give {names_en}'s {label}.", "not_stated")
    elif qa.companies and label:  # only the kind of value is known ("how many …"): not "MetaX's number"
        b.line(f"文中没有给出{names}的这一{label}。" if zh else f"The article gives no such {label} for {names_en}.",
               "not_stated")
    else:
        b.line(ZH_ABSTAIN if zh else EN_ABSTAIN, "not_stated")
    closest = closest_material(ctx, candidates)
    if closest:
        b.line(ZH_CLOSEST if zh else EN_CLOSEST, "closest")
    return b.answer(qa.text, qa.intent, qa.companies, notice, abstained=True, closest=closest)


def clarify(ctx: AnswerContext, qa: QuestionAnalysis, notice: str) -> Answer:
    """A follow-up ("它的估值是多少？") with nobody to refer back to: ask which company is meant."""
    b = AnswerBuilder(ctx, qa.language)
    names = [p.display(qa.language) for p in ctx.profiles]
    if qa.language == "zh":
        b.line(f"请问您指的是哪家公司？语料库中的公司有：{'、'.join(names)}。", "clarify")
    else:
        b.line(f"Which company do you mean? The corpus covers: {', '.join(names)}.", "clarify")
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


def unknown_names(ctx: AnswerContext, terms: list[Term]) -> list[str]:
    """Names and model numbers of the question that no article uses (海光信息, Ascend, 910B)."""
    out = []
    for t in terms:
        if t.weight >= NAME and not t.known and not ctx.directory.mentions(t.text) and t.text not in out:
            out.append(t.text)
    return out


def _article_date(ctx: AnswerContext, qa: QuestionAnalysis) -> str:
    """The newest publication date among the articles about the asked companies (or all articles)."""
    dates = []
    for doc in ctx.index.documents.values():
        d = str(doc.get("published") or "")[:10]
        if d:
            dates.append(d)
    return max(dates) if dates else "?"
