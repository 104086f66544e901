"""The template environment every view renders with, the page's static files, and highlighting.

Everything that comes from the corpus or from a user is text, never markup: the HTML views are
Jinja2 templates (templates/*.html) with autoescape on, so every value put into a page is escaped
unless it is already `Markup` (the highlighted passages, built here by `marked`). Gradio's own
sanitiser is no substitute: it deletes a `<script>` a user typed instead of showing it, and it does
not look at `gr.HTML` at all. Only the chat's placeholder is markdown, escaped by `escape_markdown`.

The views themselves: sources_view.py (sources, passages in context, the header), companies_view.py
(profiles, the comparison table), adding_view.py (Add material), chat.py (the chat's messages).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ..corpus.companies import FIELD_LABELS
from .page_text import t

HERE = Path(__file__).resolve().parent


def _static(name: str) -> str:
    return (HERE / "static" / name).read_text(encoding="utf-8")


# Read once, at import: the page's styles (Gradio's `css=` takes a string) and the click handler every
# panel runs on load (`js_on_load=`): a click on an element with data-passage / data-company becomes
# the component's "click" event carrying those values.
CSS = _static("app.css") + "\n" + _static("look.css")  # look.css: both colour schemes (look.py)
CLICK_JS = _static("app.js")
# What the page does beyond the panels' clicks (each a `js_on_load`, see the files): the chat's [n]
# links and earlier answers (page.js, on the sources panel), the question box's counter, the
# Add-material form, the list of added articles, and the passage viewer (scrolled to the cited paragraph).
PAGE_JS = _static("page.js")
COUNTER_JS = _static("counter.js")
ADD_JS = _static("add.js")
UPLOADS_JS = _static("uploads.js")
VIEWER_JS = _static("viewer.js")
# The chat's actions (copy, feedback, export, regenerate, edit, follow-ups) and the citations' hover
# preview: the `js_on_load` of the actions panel under the question box (chat_actions.py).
ACTIONS_JS = _static("actions.js")
LOOK_JS = _static("look.js")  # the colour scheme, <html lang>, the side panel's label (look.py)


# ---- templates ------------------------------------------------------------------------------------
class _JoinedLines(FileSystemLoader):
    """Templates are written one element a line; the lines are joined without their line breaks and
    indentation, so the HTML has no whitespace the layout did not ask for (a space between two inline
    elements is written inside one line)."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return "".join(line.strip() for line in source.splitlines()), filename, uptodate


TEMPLATES = Environment(
    loader=_JoinedLines(HERE / "templates"), autoescape=True, undefined=StrictUndefined, auto_reload=False
)


def render_template(name: str, **values) -> str:
    """The HTML of a template (templates/NAME), its values escaped unless they are Markup."""
    return TEMPLATES.get_template(name).render(**values)


# Characters markdown (with GitHub extensions, tables, autolinks, LaTeX) gives a meaning to. As numeric
# character references they are shown as themselves but never parsed as syntax or tags.
_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()<>#+-.!|~$:&\"'=^@")


def escape_markdown(text: object) -> str:
    """Text for a markdown field (the chat): shown exactly as typed, nothing rendered as markup or link."""
    return "\n".join(
        _markdown_chars(line.strip())  # leading spaces would make a code block
        for line in ("" if text is None else str(text)).splitlines() or [""]
    )


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


# ---- filters --------------------------------------------------------------------------------------
def _day(published: str | None) -> str:
    return (published or "")[:10]


def _filesize(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 2**10:.1f} KB" if n >= 2**10 else f"{n} B"


def _when(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))


TEMPLATES.globals.update(
    t=t, marked=marked, quote_spans=quote_spans, name_spans=name_spans, field_labels=FIELD_LABELS
)
TEMPLATES.filters.update(day=_day, filesize=_filesize, when=_when)
