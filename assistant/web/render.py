"""Answers, citations and company profiles as the web page shows them: HTML from templates, markdown.

Presentation only: what to answer and which passages back it is decided by `Assistant`; this module
decides how it looks. Everything that comes from the corpus or from a user is text, never markup:
the HTML views are Jinja2 templates (templates/*.html) with autoescape on, so every value put into
a page is escaped unless it is already `Markup` (the highlighted passages, built here by `marked`).
Gradio's own sanitiser is no substitute: it deletes a `<script>` a user typed instead of showing it,
and it does not look at `gr.HTML` at all. The chat's messages are HTML from templates too (chat.py);
only the chat's placeholder is markdown, escaped by `escape_markdown`.

Links to sources are link-styled controls carrying `data-passage` (and `data-quote`, the words to highlight) or
`data-company`; the app turns a click on them into "show this passage in its document" or "show this
company" (static/app.js, `CLICK_JS`). The page's styles are static/app.css (`CSS`).
"""
from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ..corpus.companies import FIELD_LABELS, CompanyMatch, CompanyProfile, Fact
from ..corpus.uploads import ARTICLE_TYPES, MAX_ARTICLE_BYTES, MAX_FIELD_CHARS, UploadedArticle
from ..schema import Answer, Passage

HERE = Path(__file__).resolve().parent
ZH, EN = "zh", "en"

# Interface text, (Chinese, English). The page is in the language the user chose with the switch, and
# until they choose, in the language of the latest question.
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
    "placeholder": ("用中文或英文提问，例如：{example}", "Ask in English or Chinese, e.g. {example}"),
    "ex_valuation": ("{a}的估值是多少？", "What is {a}'s valuation?"),
    "ex_raise": ("{a}计划募资多少？", "How much does {a} plan to raise?"),
    "ex_rank": ("哪家公司成立得最早？", "Which company was founded first?"),
    "ex_compare": ("{a}和{b}有什么区别？", "Compare {a} and {b}"),
    "ex_unstated": ("{a}有多少员工？", "How many employees does {a} have?"),
    "ex_founded": ("{a}是哪一年成立的？", "When was {a} founded?"),
    "ex_followup": ("它的营收是多少？", "What is its revenue?"),
    "ex_traditional": ("{a}的營收", "{a}'s revenue"),
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
    "search_placeholder": ("例如：{names}", "e.g. {names}"),
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
    "tab_add": ("添加资料", "Add material"),
    "original": ("原文", "original"),
    "not_answer": ("不是答案", "not an answer"),
    "cut": ("问题超过 {n} 个字符，只回答了前 {n} 个字符。",
            "The question was longer than {n} characters: only its first {n} were answered."),
    "count_near": ("{n} / {limit} 字", "{n} / {limit} characters"),
    "count_over": ("{n} / {limit} 字：只会回答前 {limit} 个字", "{n} / {limit}: only the first {limit} characters will be answered"),
    "sources_for": ("来源 · 问题：", "Sources of:"),
    "answer_of": ("第 {k} / {m} 个回答", "answer {k} of {m}"),
    "translation_note": ("英文译文 · 原文见下", "English translation · original below"),
    "translation_by": ("英文译文（{who}）· 原文在每段之下", "English translation by {who} · the original below each paragraph"),
    "add_login": ("本应用对外开放且未设置登录，因此不能从网页添加资料（设置 ASSISTANT_AUTH 或 --auth-file 后即可）。",
                  "This app is open beyond this machine without a login, so material cannot be added from the page "
                  "(set ASSISTANT_AUTH or --auth-file to allow it)."),
    "add_intro": ("上传一篇文章（.txt、.md 或 .html，UTF-8，最大 1 MB），可附英文译文 NAME.en.txt；或直接粘贴正文。"
                  "文章存入 corpus/articles/uploads/，加入索引后即可提问。",
                  "Upload an article (.txt, .md or .html, UTF-8, at most 1 MB), optionally with its English "
                  "translation NAME.en.txt, or paste its text. It is saved under corpus/articles/uploads/ and can be "
                  "asked about as soon as it is indexed."),
    "add_file": ("文件", "File"),
    "add_file_hint": ("可同时选两个文件：文章和它的英文译文（NAME.en.txt，逐行对应原文）。",
                      "You may pick two files at once: the article and its English translation (NAME.en.txt, line "
                      "by line with the original)."),
    "add_paste": ("或粘贴正文（每行一段）", "Or paste the text (a paragraph a line)"),
    "add_title": ("标题", "Title"),
    "add_source": ("来源", "Source"),
    "add_date": ("日期（2025-11-04）", "Date (2025-11-04)"),
    "add_author": ("作者", "Author"),
    "add_submit": ("添加并建立索引", "Add and index"),
    "add_too_big_js": ("“{name}” 超过 1 MB，不能上传。", "“{name}” is over 1 MB and cannot be uploaded."),
    "add_unreadable": ("无法读取所选文件。", "The chosen file could not be read."),
    "add_saving": ("保存文章…", "Saving the article…"),
    "add_indexing": ("更新索引…", "Updating the index…"),
    "add_skipped": ("这篇文章没有被加入索引，已删除：", "The article was not indexed and has been removed again:"),
    "added": ("已添加《{title}》（{id}，{n} 段），现在就可以提问。",
              "Added “{title}” ({id}, {n} passages): ask about it now."),
    "removed": ("已删除 {name}，索引已更新。", "Removed {name}; the index is updated."),
    "uploads": ("从网页添加的文章（{n}）", "Articles added from the page ({n})"),
    "uploads_none": ("还没有从网页添加的文章。", "No article has been added from the page yet."),
    "remove": ("删除", "Remove"),
    "remove_confirm": ("确定删除？再点一次", "Sure? Click again"),
}

# Rows of the comparison table, in reading order; a field no profile has is left out.
COMPARE_FIELDS = ("founded", "headquarters", "focus", "products", "listing", "fundraising", "valuation",
                  "revenue", "losses", "shareholders", "analogy")
# Facts per cell: descriptive fields are long, so one; a listing is a status plus its dates.
CELL_LIMITS = {"focus": 1, "products": 1, "analogy": 1, "listing": 3}
CELL_LIMIT = 2



def _static(name: str) -> str:
    return (HERE / "static" / name).read_text(encoding="utf-8")


# Read once, at import: the page's styles (Gradio's `css=` takes a string) and the click handler every
# panel runs on load (`js_on_load=`): a click on an element with data-passage / data-company becomes
# the component's "click" event carrying those values.
CSS = _static("app.css")
CLICK_JS = _static("app.js")
# What the page does beyond the panels' clicks (each a `js_on_load`, see the files): the chat's [n]
# links and earlier answers (page.js, on the sources panel), the question box's counter, the
# Add-material form, the list of added articles, and the passage viewer (scrolled to the cited paragraph).
PAGE_JS = _static("page.js")
COUNTER_JS = _static("counter.js")
ADD_JS = _static("add.js")
UPLOADS_JS = _static("uploads.js")
VIEWER_JS = _static("viewer.js")


def t(key: str, lang: str, **fmt) -> str:
    """Interface text in the page's language (plain text: the templates escape it)."""
    zh, en = TEXT[key]
    s = en if lang == EN else zh
    return s.format(**fmt) if fmt else s


# ---- templates ------------------------------------------------------------------------------------
class _JoinedLines(FileSystemLoader):
    """Templates are written one element a line; the lines are joined without their line breaks and
    indentation, so the HTML has no whitespace the layout did not ask for (a space between two inline
    elements is written inside one line)."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return "".join(line.strip() for line in source.splitlines()), filename, uptodate


TEMPLATES = Environment(loader=_JoinedLines(HERE / "templates"), autoescape=True, undefined=StrictUndefined,
                        auto_reload=False)


def _render(name: str, **values) -> str:
    return TEMPLATES.get_template(name).render(**values)


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


def marked(text: str, spans: Sequence[tuple[int, int]], tag: str = "mark") -> Markup:
    """Escaped text with the spans wrapped in <mark> (or another tag): Markup, put into a page as is."""
    out, pos = [], 0
    for s, e in spans:
        out.append(escape(text[pos:s]))
        out.append(Markup(f"<{tag}>{escape(text[s:e])}</{tag}>"))
        pos = e
    out.append(escape(text[pos:]))
    return Markup("").join(out)


# ---- sources panel and the passage viewer (HTML) ---------------------------------------------------
def _day(published: str | None) -> str:
    return (published or "")[:10]


def sources_panel(answer: Answer | None, documents: Mapping[str, dict], lang: str,
                  companies: Sequence[CompanyProfile] = (), *, turn: int | None = None, question: str = "",
                  position: tuple[int, int] = (0, 0), focus: int = 0, kind: str = "cite") -> str:
    """The evidence of one answer: the question it answered (`position`: it is answer k of m), one
    card per [n], or the closest material when it abstained. `turn` is the answer's number in the
    session (the chat's [n] links name it); `focus` the [n] a link asked for ("near": closest material)."""
    if answer is not None and not answer.citations and not answer.abstained:
        answer = None
    return _render("sources.html", answer=answer, documents=documents, lang=lang, companies=companies, turn=turn,
                   question=question, position=position, focus=focus, kind=kind)


def context_view(passage_id: str, passages: Sequence[Passage], document: dict | None, quote: str,
                 lang: str, quote_en: str = "") -> str:
    """The cited passage between its neighbours, under the document's title, source and date; on an
    English page the translation (`quote_en` highlighted), marked as one, with the original."""
    return _render("context.html", passage_id=passage_id, passages=passages, doc=document or {}, quote=quote,
                   lang=lang, quote_en=quote_en)


def viewer_empty(lang: str) -> str:
    return _render("viewer_empty.html", lang=lang)


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


def near_choice(typed: str, profile: CompanyProfile) -> tuple[str, str]:
    """A suggestion for a name typed with a slip ("Moor Threads"): the search box only offers options
    whose label contains what was typed, so the label starts with it; the value is the company's name."""
    return f"{typed} → {profile.name_zh} · {profile.name_en}", profile.name_zh


def company_card(match: CompanyMatch, lang: str, others: Sequence[CompanyMatch] = ()) -> str:
    """Both names, every alias, and each profile fact in both languages with its source passage."""
    return _render("company_card.html", match=match, lang=lang, others=others)


def company_mentions(match: CompanyMatch, lang: str) -> str:
    """The article passages that name the company, in document order, its names highlighted."""
    return _render("company_mentions.html", match=match, lang=lang)


def company_empty(lang: str) -> str:
    return _render("company_empty.html", lang=lang)


def no_company(query: str, profiles: Sequence[CompanyProfile], lang: str) -> str:
    return _render("no_company.html", query=query, profiles=profiles, lang=lang)


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
    return _render("compare.html", profiles=profiles, fields=fields, lang=lang)


# ---- the question box's counter, Add material ---------------------------------------------------------
def counter(lang: str, limit: int) -> str:
    """The counter under the question box (static/counter.js fills it in near the limit)."""
    return _render("counter.html", lang=lang, limit=limit)


def add_form(allowed: bool) -> str:
    """The Add-material form, labelled in both languages (the style shows the page's), or why adding
    is closed. The limits in it only let the page answer at once; the server checks them again."""
    return _render("add_form.html", allowed=allowed, max_bytes=MAX_ARTICLE_BYTES,
                   accept=",".join(ARTICLE_TYPES), title_chars=MAX_FIELD_CHARS["title"],
                   source_chars=MAX_FIELD_CHARS["source"], author_chars=MAX_FIELD_CHARS["author"])


def add_status(message: str, kind: str, lang: str, warnings: Sequence[str] = ()) -> str:
    """What came of an addition or a removal ("done" or "error"), and what the build said about it."""
    return _render("add_status.html", message=message, kind=kind, lang=lang, warnings=list(warnings))


def uploads_list(items: Sequence[UploadedArticle], lang: str, allowed: bool) -> str:
    """The articles added from the page, each removable when adding is allowed."""
    return _render("uploads.html", items=list(items), lang=lang, allowed=allowed)


def _filesize(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 2**10:.1f} KB" if n >= 2**10 else f"{n} B"


def _when(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))


# ---- page header ----------------------------------------------------------------------------------
def header(lang: str, documents: Mapping[str, dict], companies: int) -> str:
    sources = "、".join(sorted({d.get("source", "") for d in documents.values() if d.get("source")}))
    corpus = t("corpus", lang, docs=len(documents), sources=sources or "—", companies=companies)
    return _render("header.html", lang=lang, corpus=corpus)


TEMPLATES.globals.update(t=t, marked=marked, quote_spans=quote_spans, name_spans=name_spans, cell=cell,
                         field_labels=FIELD_LABELS)
TEMPLATES.filters.update(day=_day, filesize=_filesize, when=_when)
