"""The chat as the page shows it: each question, and each answer laid out from its typed parts.

An `Answer` says what each of its lines is (`AnswerPart.role`: the direct answer, a supporting quote,
one company's line, the closest material of a decline …) and what its question asked for
(`Answer.intent`), so the chat lays it out from that, never by reading the text apart: the direct
line first and marked, the supporting quotes under it, a comparison as a small table (a company, its
cited lines), a list as a list, a decline's closest material inline, collapsed and marked as not an
answer. An English line that renders a Chinese sentence shows the English first and the original
below it, labelled (`AnswerPart.original`).

Every [n] is a link to `#cite-<turn>-<n>` (`#near-<turn>-<n>` for closest material): keyboard-reachable,
its accessible name the source's title. The chat's sanitiser keeps `href`, `class`, `title` and
`lang` and drops `data-*` and `aria-*`, so that is how a click says which answer and which source;
static/page.js turns it into the sources panel's "show" event. The turn number counts every turn of
the session, so it stays the same while older turns drop out of the transcript.

The messages are HTML (the chat renders no markdown): every value is escaped by the templates
(templates/chat_*.html, autoescape on), so a `<script>` or `**bold**` in a question or a passage is
shown exactly as typed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import escape

from ..schema import Answer, AnswerPart, Citation
from ..text import split_sentences
from .chat_extras import AnswerExtras
from .templating import TEMPLATES, render_template

# Intents whose company lines read as a list (one item per line) rather than as paragraphs.
LIST_INTENTS = frozenset({"list", "ranking", "summary", "risks", "strengths", "conclusion", "explain"})
_MARKER = re.compile(r"\[(\d{1,3})\]")
# A closest passage is shown in the chat as a snippet; the whole passage is one click away.
SNIPPET_CHARS = 160
# ---- issue 21, points 6 and 8: the short answer bold, a quote not; a company label apart ----
# A line quotes its source when it holds a whole sentence of a passage it cites. Sentences shorter
# than this do not count: a value such as "2020 年" may be all a heading or a list item says.
MIN_QUOTED_SENTENCE_CHARS = 8
# The label composing puts before a quote that does not name its company (answering/compose.py):
# "【燧原】…" in Chinese, "Enflame — …" in English.
_ZH_LABEL = re.compile(r"^【([^【】\s，。,.:：；;！？!?]{1,24})】")
_EN_LABEL_SEP = " — "


@dataclass(frozen=True)
class Piece:
    """A run of a line's text, or one of its [n] markers (with the citation it points at)."""

    text: str
    n: int = 0
    citation: Citation | None = None


@dataclass(frozen=True)
class Line:
    """One line of an answer as shown: its text cut at its [n] markers, the original it renders (an
    English line of a translated article) and the company it is about."""

    role: str
    pieces: tuple[Piece, ...]
    original: str = ""
    company: str = ""
    label: str = ""  # the company named before a quote that does not name it, shown apart from it
    quoted: bool = False  # the line is a quoted sentence (not a short answer: a value, a name, "Yes.")


@dataclass(frozen=True)
class Block:
    """A unit of the laid-out answer: one line ("line"), consecutive company lines as a table
    ("table", rows of (company name, lines)) or a list ("list"), or the closest material ("closest")."""

    kind: str
    lines: tuple[Line, ...] = ()
    rows: tuple[tuple[str, tuple[Line, ...]], ...] = ()
    heading: Line | None = None


def pieces(text: str, citations: Mapping[int, Citation]) -> tuple[Piece, ...]:
    """The text cut at its [n] markers: only numbers the answer cites become links, any other
    bracketed number (a quoted "[3]") stays text."""
    out: list[Piece] = []
    pos = 0
    for m in _MARKER.finditer(text):
        n = int(m.group(1))
        if n not in citations:
            continue
        if m.start() > pos:
            out.append(Piece(text[pos : m.start()]))
        out.append(Piece(m.group(0), n, citations[n]))
        pos = m.end()
    if pos < len(text):
        out.append(Piece(text[pos:]))
    return tuple(out)


def label_of(text: str, names: Collection[str]) -> tuple[str, str]:
    """(label, the rest) when the line starts with the company label composing puts before a quote
    ("【燧原】…"; in English "Enflame — …", when the name is one of `names`), else ("", text)."""
    m = _ZH_LABEL.match(text)
    if m:
        return m.group(1), text[m.end() :]
    head, sep, rest = text.partition(_EN_LABEL_SEP)
    if sep and head in names:
        return head, rest
    return "", text


def quotes(part: AnswerPart, citations: Mapping[int, Citation]) -> bool:
    """Whether a line is a quote: the English of a quoted sentence (it has its original), or a line
    holding a whole sentence of a passage it cites. A short answer (a value, a name, a date, "Yes.",
    a computed figure) holds none."""
    if part.original:
        return True
    for n in part.citations:
        c = citations.get(n)
        for start, end in split_sentences(c.text) if c else ():
            sentence = c.text[start:end].strip()
            if len(sentence) >= MIN_QUOTED_SENTENCE_CHARS and sentence in part.text:
                return True
    return False


def _line(part: AnswerPart, citations: Mapping[int, Citation], names: Collection[str] = ()) -> Line:
    label, text = label_of(part.rendering, names)
    return Line(
        part.role,
        pieces(text, citations),
        part.original,
        part.company,
        label=label,
        quoted=quotes(part, citations),
    )


def blocks(answer: Answer, names: Mapping[str, str]) -> list[Block]:
    """The answer's parts laid out: `names` maps a company id to its name in the page's language."""
    cited = {c.n: c for c in answer.citations}
    labels = frozenset(names.values())
    out: list[Block] = []
    parts = list(answer.parts) or [
        AnswerPart("direct", line) for line in answer.text.splitlines() if line.strip()
    ]
    i = 0
    while i < len(parts):
        part = parts[i]
        if part.role == "company":
            run = []
            while i < len(parts) and parts[i].role == "company":
                run.append(parts[i])
                i += 1
            if answer.intent == "comparison":
                rows: dict[str, list[Line]] = {}
                for p in run:
                    rows.setdefault(p.company, []).append(_line(p, cited, labels))
                out.append(Block("table", rows=tuple((names.get(c, c), tuple(ls)) for c, ls in rows.items())))
            elif answer.intent in LIST_INTENTS or len(run) > 1:
                out.append(Block("list", lines=tuple(_line(p, cited, labels) for p in run)))
            else:
                out.append(Block("line", lines=(_line(run[0], cited, labels),)))
            continue
        if part.role == "closest":
            out.append(Block("closest", heading=_line(part, cited, labels)))
        else:
            out.append(Block("line", lines=(_line(part, cited, labels),)))
        i += 1
    if answer.abstained and answer.closest and not any(b.kind == "closest" for b in out):
        out.append(Block("closest"))
    return out


def snippet(text: str, quote: str = "") -> str:
    """What the chat shows of a closest passage: the sentence it matched, else the passage's start."""
    shown = (quote or text).strip()
    return shown if len(shown) <= SNIPPET_CHARS else shown[:SNIPPET_CHARS].rstrip() + "…"


def answer_message(
    turn: int,
    answer: Answer,
    lang: str,
    names: Mapping[str, str],
    closest: Sequence[Citation] | None = None,
    cut: int = 0,
    extras: AnswerExtras | None = None,
) -> str:
    """One answer as the chat shows it (HTML). `closest` is the decline's material as the page may
    show it (no bare headings), `cut` the character limit when the question was cut to it, `extras`
    what goes under it (its Markdown to copy, follow-ups, whether it may be asked again)."""
    return render_template(
        "chat_answer.html",
        turn=turn,
        answer=answer,
        lang=lang,
        blocks=blocks(answer, names),
        closest=list(answer.closest if closest is None else closest),
        cut=cut,
        extras=extras,
    )


def user_message(question: str) -> str:
    """A question as the chat shows it: exactly as typed (escaped text, no markup of its own, so that
    the message is the question, at most its characters and their escapes)."""
    return str(escape(question))


def error_message(message: str, lang: str) -> str:
    return render_template("chat_error.html", message=message, lang=lang)


TEMPLATES.globals["snippet"] = snippet
