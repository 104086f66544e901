"""The "Add material" tab as the page shows it: the form, what came of an addition, the added articles.

The limits shown in the form only let the page answer at once; the server checks them again
(web/adding.py, corpus/new_articles.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..corpus.new_articles import ARTICLE_TYPES, MAX_ARTICLE_BYTES, MAX_FIELD_CHARS
from ..corpus.uploads import UploadedArticle
from .templating import render_template


def add_form(allowed: bool) -> str:
    """The Add-material form, labelled in both languages (the style shows the page's), or why adding
    is closed. The limits in it only let the page answer at once; the server checks them again."""
    return render_template(
        "add_form.html",
        allowed=allowed,
        max_bytes=MAX_ARTICLE_BYTES,
        accept=",".join(ARTICLE_TYPES),
        title_chars=MAX_FIELD_CHARS["title"],
        source_chars=MAX_FIELD_CHARS["source"],
        author_chars=MAX_FIELD_CHARS["author"],
    )


def add_status(message: str, kind: str, lang: str, warnings: Sequence[str] = ()) -> str:
    """What came of an addition or a removal ("done" or "error"), and what the build said about it."""
    return render_template("add_status.html", message=message, kind=kind, lang=lang, warnings=list(warnings))


def uploads_list(
    items: Sequence[UploadedArticle], lang: str, allowed: bool, titles: Mapping[str, str] | None = None
) -> str:
    """The articles added from the page, each removable when adding is allowed, under its title: the
    one typed in the form, else the one the index read from the article (`titles`, by document id:
    its own header or first line), and only when neither is known, its file name."""
    titles = titles or {}
    shown = [(a, a.title or titles.get(a.doc_id, "")) for a in items]
    return render_template("uploads.html", items=shown, lang=lang, allowed=allowed)


def indexed_titles(bot) -> dict[str, str]:
    """The title of each article in the index, by document id."""
    return {doc_id: str((doc or {}).get("title") or "") for doc_id, doc in bot.index.documents.items()}
