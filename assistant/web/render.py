"""Answers, citations and company profiles as the web page shows them: escaped HTML and markdown.

Presentation only: what to answer and which passages back it is decided by `Assistant`; this module
decides how it looks. Everything that comes from the corpus or from a user is text, never markup, so
every string is escaped here, at the one place where text becomes HTML. Gradio's own sanitiser is no
substitute: it deletes a `<script>` a user typed instead of showing it, and it does not look at
`gr.HTML` at all.

Links to sources are link-styled controls carrying `data-passage` (and `data-quote`, the words to highlight) or
`data-company`; the app turns a click on them into "show this passage in its document" or "show this
company" (see `CLICK_JS`).
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..corpus.companies import FIELD_LABELS, CompanyMatch, CompanyProfile, Fact
from ..schema import Answer, Citation, Passage

ZH, EN = "zh", "en"

# Interface text, (Chinese, English). The page follows the language of the latest question.
TEXT: dict[str, tuple[str, str]] = {
    "title": ("国产 GPU 问答", "GPU-industry assistant"),
    "tagline": ("每句回答都摘自原文并标注来源 [n]；资料里没有的，直说没有。",
                "Every sentence of an answer is quoted from a source and cited [n]; "
                "when the sources do not say, neither does the assistant."),
    "corpus": ("资料：{docs} 篇文章（{sources}），{companies} 家公司档案。",
               "Sources: {docs} article(s) ({sources}), {companies} company profiles."),
    "language": ("界面语言", "Language"),
    "tab_chat": ("对话", "Chat"),
    "tab_companies": ("公司", "Companies"),
    "tab_compare": ("对比", "Compare"),
    "chat": ("对话", "Conversation"),
    "placeholder": ("用中文或英文提问，例如：沐曦计划募资多少？", "Ask in English or Chinese, e.g. Who backs Enflame?"),
    "ask": ("提问", "Ask"),
    "clear": ("清空对话", "Clear"),
    "examples": ("示例问题（点击即问）", "Example questions (click to ask)"),
    "chat_empty": ("问一个关于国产 GPU 公司的问题：募资、估值、营收、上市、产品……",
                   "Ask about China's GPU makers: fundraising, valuation, revenue, listing, products…"),
    "sources": ("来源", "Sources"),
    "sources_empty": ("提问后，这里列出回答引用的每一段原文，被引用的句子会高亮。",
                      "Ask a question: every passage the answer quotes appears here, the quoted sentence highlighted."),
    "closest": ("最接近的材料（不是答案）", "Closest material (not an answer)"),
    "closest_none": ("资料中没有相关的段落。", "Nothing in the sources is close to this question."),
    "read_context": ("在原文中阅读", "Read in context"),
    "about": ("相关公司", "Companies"),
    "note": ("注意", "Note"),
    "error": ("出错了", "Something went wrong"),
    "viewer": ("原文", "Source passage"),
    "viewer_empty": ("点击任何来源，在这里阅读它所在的原文段落。",
                     "Click any source to read it here, with the paragraphs around it."),
    "viewer_missing": ("找不到这个段落：{id}", "No passage with the id {id}"),
    "cited_passage": ("被引用的段落", "cited passage"),
    "search": ("搜索公司（中文名、英文名或别名）", "Find a company (Chinese, English or any alias)"),
    "search_placeholder": ("例如：摩尔线程、Moore Threads、MTT", "e.g. Moore Threads, 摩尔线程, MTT"),
    "company_empty": ("选择或输入一个公司名，查看它的档案和提到它的所有段落。",
                      "Choose or type a company name to see its profile and every passage that mentions it."),
    "no_company": ("没有与“{q}”匹配的公司。已知的公司：", "No company matches “{q}”. Known companies:"),
    "also_known": ("又名", "Also known as"),
    "full_names": ("全称", "Full names"),
    "profile": ("档案（每条事实都注明出处）", "Profile (every fact cited)"),
    "mentions": ("提到它的段落（{n}）", "Passages that mention it ({n})"),
    "mentions_none": ("文章中没有提到它的段落。", "No article passage mentions it."),
    "other_matches": ("其他匹配", "Other matches"),
    "compare_intro": ("{n} 家公司并排对比：每个单元格都摘自原文，点 ↗ 阅读出处；点公司名查看完整档案。",
                      "{n} companies side by side: every cell is taken from a source passage (↗ opens it); "
                      "click a name for the full profile."),
    "more": ("另有 {n} 条", "{n} more"),
    "field": ("项目", "Field"),
    "not_in_profile": ("档案中没有", "not in the profile"),
    "source_of": ("出处", "source"),
}

# Rows of the comparison table, in reading order; a field no profile has is left out.
COMPARE_FIELDS = ("founded", "headquarters", "focus", "products", "listing", "fundraising", "valuation",
                  "revenue", "losses", "shareholders", "analogy")
# Facts per cell: descriptive fields are long, so one; a listing is a status plus its dates.
CELL_LIMITS = {"focus": 1, "products": 1, "analogy": 1, "listing": 3}
CELL_LIMIT = 2

# A click on an element with data-passage / data-company inside a gr.HTML becomes the component's
# "click" event carrying those values; everything else on the panel is plain text.
CLICK_JS = """
element.addEventListener('click', (event) => {
  const el = event.target.closest('[data-passage], [data-company]');
  if (!el || !element.contains(el)) return;
  event.preventDefault();
  trigger('click', {passage: el.dataset.passage || '', quote: el.dataset.quote || '',
                    company: el.dataset.company || ''});
});
"""


def t(key: str, lang: str, **fmt) -> str:
    """Interface text in the page's language (not escaped: callers escape what they put into HTML)."""
    zh, en = TEXT[key]
    s = en if lang == EN else zh
    return s.format(**fmt) if fmt else s


# ---- escaping -------------------------------------------------------------------------------------
def escape_html(text: object) -> str:
    """Text as HTML text or attribute value: nothing in it can open a tag or leave an attribute."""
    return html.escape("" if text is None else str(text), quote=True)


# Characters markdown (with GitHub extensions, tables, autolinks, LaTeX) gives a meaning to. As numeric
# character references they are shown as themselves but never parsed as syntax or tags.
_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()<>#+-.!|~$:&\"'=^@")


def escape_markdown(text: object) -> str:
    """Text for a markdown field (the chat): shown exactly as typed, nothing rendered as markup or link."""
    return "\n".join(_markdown_chars(line.strip())  # leading spaces would make a code block
                     for line in ("" if text is None else str(text)).splitlines() or [""])


def _markdown_chars(text: str) -> str:
    return "".join(f"&#{ord(ch)};" if ch in _MARKDOWN_SPECIAL else ch for ch in text)


# ---- highlighting ---------------------------------------------------------------------------------
def quote_spans(text: str, quote: str, min_len: int = 4) -> list[tuple[int, int]]:
    """Where the quoted words sit in a passage.

    A citation's quote is one sentence of the passage or several joined by spaces, or a fact's words;
    it is matched piece by piece (the longest prefix of what is left that the passage contains), so a
    joined quote still lights up each of its sentences.
    """
    spans: list[tuple[int, int]] = []
    rest = (quote or "").strip()
    while rest:
        lo, hi = 0, len(rest)
        while lo < hi:  # longest prefix of `rest` found in text: "found" is monotone in the length
            mid = (lo + hi + 1) // 2
            if rest[:mid] in text:
                lo = mid
            else:
                hi = mid - 1
        if lo >= min(min_len, len(rest)) and lo > 0:
            start = text.find(rest[:lo])
            spans.append((start, start + lo))
            rest = rest[lo:].lstrip()
        else:
            rest = rest[1:].lstrip()
    return _merge(spans)


def name_spans(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """Every occurrence of any of the names (Latin names case-insensitively)."""
    spans = []
    for name in names:
        if len(name.strip()) < 2:
            continue
        for m in re.finditer(re.escape(name.strip()), text, re.I):
            spans.append((m.start(), m.end()))
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def marked(text: str, spans: Sequence[tuple[int, int]], tag: str = "mark") -> str:
    """Escaped text with the spans wrapped in <mark> (or another tag)."""
    out, pos = [], 0
    for s, e in spans:
        out.append(escape_html(text[pos:s]))
        out.append(f"<{tag}>{escape_html(text[s:e])}</{tag}>")
        pos = e
    out.append(escape_html(text[pos:]))
    return "".join(out)


# ---- chat messages (markdown) ---------------------------------------------------------------------
_MARKER = re.compile(r"\[(\d{1,3})\]")


def user_message(question: str) -> str:
    return escape_markdown(question)


def answer_message(answer: Answer) -> str:
    """The answer as the chat shows it: each quoted line its own paragraph, the [n] markers in bold.

    Inline HTML, not `**`: emphasis next to a Chinese character or a bracket does not parse in markdown."""
    paragraphs = []
    for line in answer.text.splitlines():
        line = line.strip()
        if not line:
            continue
        parts, pos = [], 0
        for m in _MARKER.finditer(line):
            parts.append(_markdown_chars(line[pos:m.start()]))
            parts.append(f'<strong class="cite-n">&#91;{m.group(1)}&#93;</strong>')
            pos = m.end()
        parts.append(_markdown_chars(line[pos:]))
        paragraphs.append("".join(parts))
    if answer.abstained and answer.closest:
        paragraphs.append("<em>" + escape_markdown("→ " + t("closest", answer.language)) + "</em>")
    if answer.notice:
        paragraphs.append("<em>" + escape_markdown(f"{t('note', answer.language)}: {answer.notice}") + "</em>")
    return "\n\n".join(paragraphs)


def error_message(message: str, lang: str) -> str:
    return "<strong>" + escape_markdown(t("error", lang)) + "</strong>: " + escape_markdown(message)


# ---- sources panel (HTML) -------------------------------------------------------------------------
def _date(published: str) -> str:
    return (published or "")[:10]


def _source_button(passage_id: str, quote: str, label: str, cls: str = "open-ctx") -> str:
    """A link-styled control that opens the passage (a link, not a button: Gradio restyles buttons)."""
    return (f'<a href="#" role="button" class="{cls}" data-passage="{escape_html(passage_id)}" '
            f'data-quote="{escape_html(quote[:600])}" title="{escape_html(passage_id)}">{escape_html(label)}</a>')


def _citation_card(c: Citation, documents: Mapping[str, dict], lang: str, closest: bool) -> str:
    doc = documents.get(c.doc_id) or {}
    meta = " · ".join(escape_html(x) for x in (doc.get("source", ""), _date(c.published or doc.get("published", "")))
                      if x)
    section = f'<div class="src-section">§ {escape_html(c.section)}</div>' if c.section else ""
    cls = "src closest" if closest else "src"
    return (
        f'<article class="{cls}" data-n="{c.n}">'
        f'<header><span class="src-n">[{c.n}]</span> <span class="src-title">{escape_html(c.title or c.doc_id)}</span></header>'
        f'<div class="src-meta">{meta}</div>{section}'
        f'<p class="src-text">{marked(c.text, quote_spans(c.text, c.quote))}</p>'
        f'<footer>{_source_button(c.passage_id, c.quote, t("read_context", lang) + " ›")}'
        f'<span class="src-id">{escape_html(c.passage_id)}</span></footer>'
        "</article>"
    )


def sources_panel(answer: Answer | None, documents: Mapping[str, dict], lang: str,
                  companies: Sequence[CompanyProfile] = ()) -> str:
    """The evidence of the latest answer: one card per [n], or the closest material when it abstained."""
    if answer is None:
        return f'<div class="src-panel empty" lang="{lang}"><p>{escape_html(t("sources_empty", lang))}</p></div>'
    if answer.citations:
        head = f'{escape_html(t("sources", lang))} <span class="count">{len(answer.citations)}</span>'
        cards = "".join(_citation_card(c, documents, lang, False) for c in answer.citations)
    elif answer.abstained:
        head = escape_html(t("closest", lang))
        cards = ("".join(_citation_card(c, documents, lang, True) for c in answer.closest)
                 or f'<p class="muted">{escape_html(t("closest_none", lang))}</p>')
    else:
        return sources_panel(None, documents, lang)
    chips = ""
    if companies:
        chips = (f'<div class="about">{escape_html(t("about", lang))}: '
                 + " ".join(_company_chip(p, lang) for p in companies) + "</div>")
    kind = "abstained" if answer.abstained else "answered"
    return f'<div class="src-panel {kind}" lang="{lang}"><h3>{head}</h3>{cards}{chips}</div>'


def _company_chip(p: CompanyProfile, lang: str) -> str:
    return (f'<a href="#" role="button" class="chip" data-company="{escape_html(p.name_zh)}">'
            f'{escape_html(p.display(lang))}</a>')


# ---- a passage in its document --------------------------------------------------------------------
def context_view(passage_id: str, passages: Sequence[Passage], document: dict | None, quote: str,
                 lang: str) -> str:
    """The cited passage between its neighbours, under the document's title, source and date."""
    if not passages:
        return f'<div class="ctx"><p class="muted">{escape_html(t("viewer_missing", lang, id=passage_id))}</p></div>'
    doc = document or {}
    first = passages[0]
    meta = " · ".join(escape_html(x) for x in (doc.get("source"), doc.get("author"),
                                               _date(doc.get("published") or first.published)) if x)
    url = f'<div class="ctx-url">{escape_html(doc["url"])}</div>' if doc.get("url") else ""
    body, section = [], None
    for p in passages:
        if p.section and p.section != section and p.kind != "heading":
            body.append(f'<div class="ctx-section">§ {escape_html(p.section)}</div>')
        section = p.section
        if p.passage_id == passage_id:
            body.append(f'<p class="ctx-p cited" title="{escape_html(t("cited_passage", lang))}">'
                        f'{marked(p.text, quote_spans(p.text, quote))}</p>')
        elif p.kind == "heading":
            body.append(f'<div class="ctx-section">§ {escape_html(p.text)}</div>')
            section = p.text
        else:
            body.append(f'<p class="ctx-p">{escape_html(p.text)}</p>')
    return (f'<div class="ctx" lang="{lang}" data-passage-shown="{escape_html(passage_id)}">'
            f'<div class="ctx-title">{escape_html(first.title or first.doc_id)}</div>'
            f'<div class="ctx-meta">{meta}</div>{url}{"".join(body)}'
            f'<div class="src-id">{escape_html(passage_id)}</div></div>')


def viewer_empty(lang: str) -> str:
    return f'<div class="ctx empty"><p class="muted">{escape_html(t("viewer_empty", lang))}</p></div>'


# ---- companies ------------------------------------------------------------------------------------
def name_choices(profiles: Sequence[CompanyProfile]) -> list[tuple[str, str]]:
    """(label, value) for the search box: every name and alias, each saying which company it is."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for p in profiles:
        for name in p.names:
            if name in seen:
                continue
            seen.add(name)
            label = f"{p.name_zh} · {p.name_en}" if name == p.name_zh else f"{name} → {p.name_zh} · {p.name_en}"
            out.append((label, name))
    return out


def _fact_line(fact: Fact, lang: str) -> str:
    first, second = (fact.en, fact.zh) if lang == EN else (fact.zh, fact.en)
    year = f'<span class="year">{fact.year}</span> ' if fact.year is not None and str(fact.year) not in first else ""
    return (f'<li class="fact">{year}<span class="fact-main">{escape_html(first)}</span> '
            f'{_source_button(fact.source, fact.zh, "↗", "cite")}'
            f'<span class="fact-other">{escape_html(second)}</span></li>')


def company_card(match: CompanyMatch, lang: str, others: Sequence[CompanyMatch] = ()) -> str:
    """Both names, every alias, and each profile fact in both languages with its source passage."""
    p = match.profile
    main, second = (p.name_en, p.name_zh) if lang == EN else (p.name_zh, p.name_en)
    rows = []
    for field_name, (zh_label, en_label) in FIELD_LABELS.items():
        facts = p.facts_for(field_name)
        if not facts:
            continue
        label = f"{en_label} · {zh_label}" if lang == EN else f"{zh_label} · {en_label}"
        rows.append(f'<div class="facts-k">{escape_html(label)}</div>'
                    f'<ul class="facts-v">{"".join(_fact_line(f, lang) for f in facts)}</ul>')
    aliases = [a for a in p.aliases if a not in (p.name_zh, p.name_en)]
    names = ""
    if p.full_names:
        names += f'<div><span class="k">{escape_html(t("full_names", lang))}</span> {escape_html("、".join(p.full_names))}</div>'
    if aliases:
        names += f'<div><span class="k">{escape_html(t("also_known", lang))}</span> {escape_html(", ".join(aliases))}</div>'
    other = ""
    if others:
        other = (f'<div class="others">{escape_html(t("other_matches", lang))}: '
                 + " ".join(_company_chip(o.profile, lang) for o in others) + "</div>")
    return (f'<div class="card" lang="{lang}" data-company-shown="{escape_html(p.id)}">'
            f'<h2>{escape_html(main)} <span class="second">{escape_html(second)}</span></h2>'
            f'<div class="names">{names}</div>{other}'
            f'<h4>{escape_html(t("profile", lang))}</h4>'
            f'<div class="facts">{"".join(rows)}</div></div>')


def company_mentions(match: CompanyMatch, lang: str) -> str:
    """The article passages that name the company, in document order, its names highlighted."""
    head = escape_html(t("mentions", lang, n=len(match.passages)))
    if not match.passages:
        return f'<div class="mentions"><h4>{head}</h4><p class="muted">{escape_html(t("mentions_none", lang))}</p></div>'
    items = []
    for c in match.passages:
        section = f'<div class="src-section">§ {escape_html(c.section)}</div>' if c.section else ""
        items.append(f'<article class="src">{section}'
                     f'<p class="src-text">{marked(c.text, name_spans(c.text, match.profile.names), "b")}</p>'
                     f'<footer>{_source_button(c.passage_id, "", t("read_context", lang) + " ›")}'
                     f'<span class="src-id">{escape_html(c.passage_id)}</span></footer></article>')
    return f'<div class="mentions"><h4>{head}</h4>{"".join(items)}</div>'


def company_empty(lang: str) -> str:
    return f'<div class="card empty"><p class="muted">{escape_html(t("company_empty", lang))}</p></div>'


def no_company(query: str, profiles: Sequence[CompanyProfile], lang: str) -> str:
    chips = " ".join(_company_chip(p, lang) for p in profiles)
    return f'<div class="card empty"><p>{escape_html(t("no_company", lang, q=query))}</p><p>{chips}</p></div>'


# ---- the comparison table -------------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    """What one table cell shows: a few of the company's facts for a field, and how many it left out."""

    facts: tuple[Fact, ...]
    hidden: int


def fact_date(fact: Fact) -> str | None:
    """A fact's value as a sortable date ("2024", "2024-09", "2025-06-30") when it is one."""
    v = fact.value
    if isinstance(v, int) and not isinstance(v, bool) and 1900 <= v <= 2100:
        return str(v)
    if isinstance(v, str) and re.match(r"(19|20)\d\d(-\d\d){0,2}$", v):
        return v
    return None


def cell(profile: CompanyProfile, field_name: str, limit: int | None = None) -> Cell:
    """The facts that summarise a field: the latest year's for yearly figures; for events such as a
    listing the status plus the most recent dated steps, in date order; otherwise the first ones."""
    limit = limit or CELL_LIMITS.get(field_name, CELL_LIMIT)
    facts = profile.facts_for(field_name)
    yearly = [f for f in facts if f.year is not None]
    dated = sorted((f for f in facts if fact_date(f)), key=fact_date)
    if yearly:
        latest = max(f.year for f in yearly)
        chosen = [f for f in yearly if f.year == latest][:limit]
    elif dated:
        head = [f for f in facts if f not in dated][:1]
        chosen = head + (dated[-(limit - len(head)):] if limit > len(head) else [])
    else:
        chosen = facts[:limit]
    return Cell(tuple(chosen), len(facts) - len(chosen))


def comparison_table(profiles: Sequence[CompanyProfile], lang: str) -> str:
    """Fields down, companies across; every fact in a cell links to the passage it was taken from."""
    if not profiles:
        return ""
    fields = [f for f in COMPARE_FIELDS if any(p.facts_for(f) for p in profiles)]
    head = "".join(
        f'<th scope="col"><a href="#" role="button" class="co" data-company="{escape_html(p.name_zh)}">'
        f'{escape_html(p.display(lang))}</a><span class="second">'
        f'{escape_html(p.name_en if lang != EN else p.name_zh)}</span></th>'
        for p in profiles)
    rows = []
    for field_name in fields:
        zh_label, en_label = FIELD_LABELS[field_name]
        cells = []
        for p in profiles:
            c = cell(p, field_name)
            if not c.facts:
                cells.append(f'<td class="none" title="{escape_html(t("not_in_profile", lang))}">—</td>')
                continue
            items = []
            for f in c.facts:
                text = f.en if lang == EN else f.zh
                year = f'<span class="year">{f.year}</span> ' if f.year is not None and str(f.year) not in text else ""
                items.append(f'<li>{year}{escape_html(text)} '
                             f'{_source_button(f.source, f.zh, "↗", "cite")}</li>')
            more = ""
            if c.hidden:
                more = (f'<a href="#" role="button" class="more" data-company="{escape_html(p.name_zh)}">'
                        f'{escape_html(t("more", lang, n=c.hidden))} ›</a>')
            cells.append(f'<td><ul>{"".join(items)}</ul>{more}</td>')
        label = en_label if lang == EN else zh_label
        rows.append(f'<tr data-field="{field_name}"><th scope="row">{escape_html(label)}</th>{"".join(cells)}</tr>')
    return (f'<div class="compare" lang="{lang}"><p class="muted">{escape_html(t("compare_intro", lang, n=len(profiles)))}</p>'
            f'<div class="scroll"><table class="cmp"><thead><tr><th>{escape_html(t("field", lang))}</th>{head}</tr>'
            f'</thead><tbody>{"".join(rows)}</tbody></table></div></div>')


# ---- page header ----------------------------------------------------------------------------------
def header(lang: str, documents: Mapping[str, dict], companies: int) -> str:
    sources = "、".join(sorted({d.get("source", "") for d in documents.values() if d.get("source")}))
    corpus = t("corpus", lang, docs=len(documents), sources=sources or "—", companies=companies)
    return (f'<div class="app-head" lang="{lang}"><h1>{escape_html(t("title", lang))}</h1>'
            f'<p>{escape_html(t("tagline", lang))}</p><p class="muted">{escape_html(corpus)}</p></div>')


CSS = """
.app-head h1 { margin: 0 0 .2em; font-size: 1.6em; }
.app-head p { margin: .1em 0; }
.muted { color: var(--body-text-color-subdued); }
.src-panel h3 { margin: 0 0 .5em; font-size: 1.05em; }
.src-panel .count { background: var(--color-accent-soft); border-radius: 9px; padding: 0 .5em; font-size: .85em; }
.src { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .6em .75em;
       margin-bottom: .6em; background: var(--background-fill-primary); }
.src.closest { border-style: dashed; }
.src header { font-weight: 600; line-height: 1.4; }
.src-n { color: var(--color-accent); }
.src-meta, .src-id, .src-section, .ctx-meta, .ctx-url { font-size: .82em; color: var(--body-text-color-subdued); }
.src-text { margin: .4em 0; line-height: 1.65; }
.src footer { display: flex; justify-content: space-between; align-items: baseline; gap: .5em; flex-wrap: wrap; }
.gradio-container mark { background: #fde68a; color: #1f2937; padding: 0 .1em; border-radius: 2px; }
.gradio-container a.open-ctx, .gradio-container a.chip, .gradio-container a.more, .gradio-container a.co,
.gradio-container a.cite { cursor: pointer; text-decoration: none; color: var(--color-accent); }
.gradio-container a.open-ctx:hover, .gradio-container a.more:hover, .gradio-container a.co:hover,
.gradio-container a.cite:hover { text-decoration: underline; }
.gradio-container a.chip { border: 1px solid var(--border-color-accent, var(--border-color-primary));
  border-radius: 12px; padding: 0 .6em; margin: .15em; display: inline-block; }
.gradio-container a.cite { font-size: .85em; padding: 0 .15em; white-space: nowrap; }
.gradio-container a.more { font-size: .82em; display: inline-block; margin-top: .2em; }
.about, .others { margin-top: .4em; font-size: .9em; }
.ctx-title { font-weight: 700; font-size: 1.05em; line-height: 1.4; }
.ctx-section { font-weight: 600; margin: .8em 0 .2em; }
.ctx-p { line-height: 1.7; margin: .4em 0; }
.ctx-p.cited { border-left: 3px solid var(--color-accent); padding: .2em .6em; background: var(--background-fill-secondary); }
.card h2 { margin: 0; }
.card h2 .second, .cmp .second { font-weight: 400; color: var(--body-text-color-subdued); font-size: .8em; margin-left: .3em; }
.card .names { font-size: .9em; margin: .3em 0 .6em; }
.card .k { color: var(--body-text-color-subdued); margin-right: .4em; }
.card h4, .mentions h4 { margin: .6em 0 .4em; }
.facts { display: grid; grid-template-columns: max-content 1fr; column-gap: 1em; }
.facts-k { font-weight: 600; padding: .45em 0; border-top: 1px solid var(--border-color-primary); white-space: nowrap; }
.gradio-container ul.facts-v { margin: 0; padding: .45em 0 .45em 1.1em; border-top: 1px solid var(--border-color-primary); }
.facts-v li { margin: 0 0 .35em; }
.fact-other { display: block; font-size: .85em; color: var(--body-text-color-subdued); }
.year { font-variant-numeric: tabular-nums; font-weight: 600; }
.mentions .src-text b { background: var(--color-accent-soft); font-weight: 600; }
.compare .scroll { overflow-x: auto; }
.gradio-container table.cmp { border-collapse: collapse; width: 100%; min-width: 880px; font-size: .88em;
  table-layout: fixed; }
.gradio-container table.cmp th, .gradio-container table.cmp td { border: 1px solid var(--border-color-primary);
  padding: .4em .5em; vertical-align: top; line-height: 1.45; }
.gradio-container table.cmp thead th { background: var(--background-fill-secondary); text-align: left; }
.gradio-container table.cmp thead th:first-child, .gradio-container table.cmp tbody th { width: 8.8em; }
.gradio-container table.cmp tbody th { background: var(--background-fill-secondary); text-align: left;
  position: sticky; left: 0; z-index: 1; }
.gradio-container table.cmp ul { margin: 0; padding-left: 1em; }
.gradio-container table.cmp li { margin: 0 0 .25em; }
table.cmp a.co { font-weight: 700; font-size: 1.05em; }
table.cmp .second { display: block; margin-left: 0; }
table.cmp td.none { color: var(--body-text-color-subdued); text-align: center; }
#lang .wrap { flex-wrap: nowrap; }
"""
