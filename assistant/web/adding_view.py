"""The "Add material" tab as the page shows it: the form, what came of an addition, the added articles.

The limits shown in the form only let the page answer at once; the server checks them again
(web/adding.py, corpus/new_articles.py).
"""

from __future__ import annotations

from collections.abc import Sequence

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


def uploads_list(items: Sequence[UploadedArticle], lang: str, allowed: bool) -> str:
    """The articles added from the page, each removable when adding is allowed."""
    return render_template("uploads.html", items=list(items), lang=lang, allowed=allowed)
