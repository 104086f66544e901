"""Beside the chat: an answer's sources panel, a passage in its document, the header, the counter.

Presentation only: what to answer and which passages back it is decided by `Assistant`. Links to
sources are link-styled controls carrying `data-passage` (and `data-quote`, the words to highlight) or
`data-company`; the app turns a click on them into "show this passage in its document" or "show this
company" (static/app.js, `CLICK_JS`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..corpus.companies import CompanyProfile
from ..schema import Answer, Passage
from .page_text import t
from .templating import render_template


def sources_panel(
    answer: Answer | None,
    documents: Mapping[str, dict],
    lang: str,
    companies: Sequence[CompanyProfile] = (),
    *,
    turn: int | None = None,
    question: str = "",
    position: tuple[int, int] = (0, 0),
    focus: int = 0,
    kind: str = "cite",
) -> str:
    """The evidence of one answer: the question it answered (`position`: it is answer k of m), one
    card per [n], or the closest material when it abstained. `turn` is the answer's number in the
    session (the chat's [n] links name it); `focus` the [n] a link asked for ("near": closest material)."""
    if answer is not None and not answer.citations and not answer.abstained:
        answer = None
    return render_template(
        "sources.html",
        answer=answer,
        documents=documents,
        lang=lang,
        companies=companies,
        turn=turn,
        question=question,
        position=position,
        focus=focus,
        kind=kind,
    )


def context_view(
    passage_id: str,
    passages: Sequence[Passage],
    document: dict | None,
    quote: str,
    lang: str,
    quote_en: str = "",
) -> str:
    """The cited passage between its neighbours, under the document's title, source and date; on an
    English page the translation (`quote_en` highlighted), marked as one, with the original."""
    return render_template(
        "context.html",
        passage_id=passage_id,
        passages=passages,
        doc=document or {},
        quote=quote,
        lang=lang,
        quote_en=quote_en,
    )


def viewer_empty(lang: str) -> str:
    return render_template("viewer_empty.html", lang=lang)


# ---- page header and the question box's counter ----------------------------------------------
def header(lang: str, documents: Mapping[str, dict], companies: int) -> str:
    """The line under the title: how many articles from which outlets, and how many profiles; the
    outlets as the source cards name them (PingWest on the English page, 硅星人 on the Chinese)."""
    en = lang == "en"
    names = {(d.get("source_en") if en else "") or d.get("source", "") for d in documents.values()}
    sources = (", " if en else "、").join(sorted(n for n in names if n))
    corpus = t(
        "corpus",
        lang,
        docs=len(documents),
        articles="article" if len(documents) == 1 else "articles",
        sources=sources or "—",
        companies=companies,
        profiles="profile" if companies == 1 else "profiles",
    )
    return render_template("header.html", lang=lang, corpus=corpus)


def counter(lang: str, limit: int) -> str:
    """The counter under the question box (static/counter.js fills it in near the limit)."""
    return render_template("counter.html", lang=lang, limit=limit)
