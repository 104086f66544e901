"""A chat as a reader takes it away: one answer as Markdown with its citations (the Copy link), and
the whole conversation as Markdown or JSON (the Export buttons).

Built from the typed `Answer` records the session keeps, never from the page's HTML: the answer's
text with its [n] markers, then its source list — each source's number, title, section, date, passage
id and the quoted sentence (in English, the English rendering first and the original under it). A
decline lists its closest material under its own heading, marked as not an answer. The JSON carries
every source's passage id, title, date and quote, in both languages where there is a translation.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from ..schema import Answer, Citation
from .page_text import t

# The format name and version written into every JSON export, so that a reader can tell what it holds.
EXPORT_FORMAT = "assistant-conversation/1"


@dataclass(frozen=True)
class ExportTurn:
    """One turn as exported: the question, and its answer or the error shown instead."""

    question: str
    answer: Answer | None = None
    error: str = ""


def _title(c: Citation, lang: str) -> str:
    return (c.title_en if lang == "en" and c.title_en else c.title) or c.doc_id


def _source_lines(c: Citation, lang: str) -> list[str]:
    """One source: `[n] title · section · date (passage id)`, then its quote as a block quote."""
    section = c.section_en if lang == "en" and c.section_en else c.section
    head = " · ".join(x for x in (_title(c, lang), section, c.published) if x)
    lines = [f"[{c.n}] {head} ({c.passage_id})"]
    if lang == "en" and c.quote_en:
        lines.append(f"    > {c.quote_en}")
        lines.append(f"    > {t('original', lang)}: {c.quote}")
    elif c.quote:
        lines.append(f"    > {c.quote}")
    return lines


def answer_markdown(answer: Answer, lang: str) -> str:
    """An answer as Markdown: its text with the [n] markers, then the sources they point at (a
    decline: its closest material, marked as not an answer), then its notice."""
    lines = [answer.text.strip()]
    if answer.citations:
        lines += ["", f"{t('sources', lang)}:"]
        for c in answer.citations:
            lines += _source_lines(c, lang)
    if answer.closest:
        lines += ["", f"{t('closest', lang)}:"]
        for c in answer.closest:
            lines += _source_lines(c, lang)
    if answer.notice:
        lines += ["", f"{t('note', lang)}: {answer.notice}"]
    return "\n".join(lines)


def conversation_markdown(turns: Sequence[ExportTurn], lang: str) -> str:
    """The conversation as Markdown: a heading per question, its answer and sources under it."""
    out = [f"# {t('chat', lang)}"]
    for i, turn in enumerate(turns, 1):
        out += ["", f"## {i}. {turn.question}", ""]
        out.append(answer_markdown(turn.answer, lang) if turn.answer is not None else turn.error)
    return "\n".join(out) + "\n"


def _source_json(c: Citation) -> dict:
    return {
        "n": c.n,
        "passage_id": c.passage_id,
        "doc_id": c.doc_id,
        "title": c.title,
        "title_en": c.title_en,
        "section": c.section,
        "published": c.published,
        "quote": c.quote,
        "quote_en": c.quote_en,
    }


def turn_json(turn: ExportTurn) -> dict:
    """One turn as the JSON export holds it (an error turn: the question and the error)."""
    a = turn.answer
    if a is None:
        return {"question": turn.question, "error": turn.error}
    return {
        "question": turn.question,
        "answer": a.text,
        "abstained": a.abstained,
        "language": a.language,
        "intent": a.intent,
        "notice": a.notice,
        "companies": list(a.companies),
        "sources": [_source_json(c) for c in a.citations],
        "closest": [_source_json(c) for c in a.closest],
    }


def conversation_json(turns: Sequence[ExportTurn], exported_at: str) -> str:
    """The conversation as JSON (UTF-8 text, not ASCII escapes): the format, when, every turn."""
    body = {"format": EXPORT_FORMAT, "exported_at": exported_at, "turns": [turn_json(x) for x in turns]}
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
