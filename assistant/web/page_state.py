"""What every tab of the page reads: the live assistant, the page's limits and examples, shared views.

Made once per `build_app`; the tabs hold it, never a copy of the assistant, so an addition that
swaps in a re-indexed assistant (`LiveAssistant`) is seen by every later request of every tab.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .adding import LiveAssistant
from .examples import examples as example_questions
from .page_text import t
from .sources_view import context_view, header


@dataclass(frozen=True)
class PageState:
    """The live assistant, the question limit, the corpus folder, whether articles may be added from
    the page, and the page's own example questions (anything else sent as an example is not one)."""

    live: LiveAssistant
    limit: int
    corpus_dir: Path
    adding: bool
    shown: dict[str, tuple[str, ...]]
    all_examples: frozenset[str]

    @classmethod
    def of(cls, bot, adding: bool) -> PageState:
        # the page's own examples, made from its corpus: anything else sent as an example is not one
        shown = example_questions(bot)
        return cls(
            LiveAssistant(bot),
            bot.settings.max_question_chars,
            bot.settings.corpus_dir,
            adding,
            shown,
            frozenset(shown["zh"] + shown["en"]),
        )


def names(bot, lang: str) -> dict[str, str]:
    return {p.id: p.display(lang) for p in bot.companies()}


def header_html(bot, lang: str) -> str:
    return header(lang, dict(bot.index.documents), len(bot.companies()))


def not_headings(bot, citations: list) -> list:
    """The citations of passages that say something: a section heading says nothing on its own."""
    return [c for c in citations if (p := bot.passage(c.passage_id)) is None or p.kind != "heading"]


def passage_in_context(bot, passage_id: str, quote: str, quote_en: str, lang: str) -> str:
    """The side panel's view of a passage: between its neighbours, the quoted words highlighted."""
    p = bot.passage(passage_id)
    return context_view(
        passage_id, bot.context(passage_id), bot.document(p.doc_id) if p else None, quote, lang, quote_en
    )


def indexing(progress, lang: str):
    """The progress bar of a re-index, told (texts embedded, texts in all) by the build."""
    return lambda done, total: progress(0.05 + 0.9 * done / max(total, 1), desc=t("add_indexing", lang))
