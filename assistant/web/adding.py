"""The server side of the "Add material" tab: a form's event → an article in the corpus → a new index.

The page sends the picked files as base64 text with the typed fields (static/add.js); nothing here
trusts that: the event's fields are checked for type and size before anything is decoded, and the
article itself is checked by `assistant.corpus.new_articles` and written by
`assistant.corpus.uploads`, which alone writes files (under corpus/articles/uploads/, with names it
makes). Then the corpus is indexed again
(`Assistant.reload`: only the new article's texts are embedded, the index switches atomically) and
the app's `LiveAssistant` points at the new assistant, so every later request sees the article;
requests already running finish with the assistant they started with.

Adding is allowed when the app listens on this machine only, or when it asks for a login (the app
decides, `build_app(adding=…)`); the event refuses otherwise, whatever the page shows.
"""

from __future__ import annotations

import base64
import binascii
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..corpus.new_articles import (
    FIELD_NAMES,
    MAX_ARTICLE_BYTES,
    SHOWN_NAME_CHARS,
    ArticleMeta,
    UploadedFile,
    UploadError,
    article_from_file,
    article_from_text,
    pair_files,
)
from ..corpus.uploads import SavedArticle, save_article
from ..messages import Msg
from ..text import clip

# Files one addition may carry: an article and its translation.
MAX_FILES = 2
# A file name as the browser sends it (only a hint for the name the file is saved under).
MAX_FILE_NAME_CHARS = 255
# Base64 is 4 characters for every 3 bytes.
MAX_BASE64_CHARS = (MAX_ARTICLE_BYTES + 2) // 3 * 4
# A pasted article may be as long as a file (UTF-8 has at most 4 bytes a character; the byte limit
# is checked again on the encoded text).
MAX_PASTE_CHARS = MAX_ARTICLE_BYTES
MAX_META_CHARS = 400  # any typed field; new_articles.MAX_FIELD_CHARS is the real limit, with its message


@dataclass
class LiveAssistant:
    """The assistant the app answers with, replaced when the corpus changes from the page.

    Handlers read `bot` once, at their start: a request keeps the assistant it began with even when
    an addition swaps in a new one half-way. Changes run one at a time (`lock`): two additions at
    once would otherwise both build and the first swap could undo the second."""

    bot: Any
    lock: threading.Lock = field(default_factory=threading.Lock)

    def change(self, write: Callable[[], Any], progress: Callable[[int, int], None] | None = None) -> Change:
        """Run `write` (it changes the corpus), then index again and swap; what was logged on the way."""
        with self.lock:
            result = write()
            said: list[str] = []
            new = self.bot.reload(progress=progress, log=said.append)
            self.bot = new
            return Change(result, new, said)


@dataclass(frozen=True)
class Change:
    result: Any
    bot: Any
    log: list[str]


@dataclass(frozen=True)
class Form:
    """What an "Add material" event carried, checked for type and size (not yet for content)."""

    files: tuple[UploadedFile, ...]
    text: str
    meta: ArticleMeta


def read_form(values: dict) -> Form:
    """The event's fields, or UploadError when they are not what the page sends."""
    if not isinstance(values, dict):
        raise UploadError(Msg.UPLOAD_NO_CONTENT)
    raw_files = values.get("files") or []
    if not isinstance(raw_files, list) or len(raw_files) > MAX_FILES:
        raise UploadError(Msg.UPLOAD_FILES)
    files = []
    for item in raw_files:
        if not isinstance(item, dict):
            raise UploadError(Msg.UPLOAD_FILES)
        files.append(_uploaded_file(item))
    text = values.get("text") or ""
    if not isinstance(text, str):
        raise UploadError(Msg.UPLOAD_NO_CONTENT)
    if len(text) > MAX_PASTE_CHARS:
        raise UploadError(
            Msg.UPLOAD_TOO_BIG,
            name="text",
            size=f"{len(text):,} characters",
            limit=f"{MAX_ARTICLE_BYTES / 2**20:.0f} MB",
        )
    meta = {}
    for key in ("title", "source", "published", "author"):
        value = values.get(key) or ""
        if not isinstance(value, str):
            zh, en = FIELD_NAMES[key]
            raise UploadError(Msg.UPLOAD_FIELD_TYPE, field_zh=zh, field_en=en)
        meta[key] = value[: MAX_META_CHARS + 1]  # over the limit still, so that uploads says so
    return Form(tuple(files), text, ArticleMeta(**meta))


def _uploaded_file(item) -> UploadedFile:
    """One file of the form: a name and its bytes as base64 (line breaks and spaces, which some
    clients add to base64, are not data and are dropped)."""
    if not isinstance(item, dict):
        raise UploadError(Msg.UPLOAD_FILES)
    name, data = item.get("name"), item.get("data")
    if not isinstance(name, str) or not isinstance(data, str):
        raise UploadError(Msg.UPLOAD_FILES)
    shown = clip(name, SHOWN_NAME_CHARS)
    if len(name) > MAX_FILE_NAME_CHARS:
        raise UploadError(Msg.UPLOAD_NAME_LONG, name=shown, limit=MAX_FILE_NAME_CHARS)
    if len(data) > MAX_BASE64_CHARS + MAX_BASE64_CHARS // 64:  # room for a line break every 64
        raise UploadError(
            Msg.UPLOAD_TOO_BIG,
            name=shown,
            size=f"{len(data) * 3 // 4 / 2**20:.1f} MB",
            limit=f"{MAX_ARTICLE_BYTES / 2**20:.0f} MB",
        )
    try:
        return UploadedFile(name, base64.b64decode("".join(data.split()), validate=True))
    except (binascii.Error, ValueError):
        raise UploadError(Msg.UPLOAD_NOT_BASE64, name=shown) from None


def save_form(corpus_dir, form: Form) -> SavedArticle:
    """The form's article (a file and its translation, or pasted text) written into the corpus."""
    if form.files and form.text.strip():
        raise UploadError(Msg.UPLOAD_BOTH)
    if form.files:
        article, translation = pair_files(form.files)
        return save_article(corpus_dir, article_from_file(article, form.meta, translation))
    if not form.text.strip():
        raise UploadError(Msg.UPLOAD_NO_CONTENT)
    return save_article(corpus_dir, article_from_text(form.text, form.meta))


def warnings_about(log: list[str], saved: SavedArticle) -> list[str]:
    """What the build said about these files (skipped, translation not used), without the prefix."""
    paths = [str(p) for p in (saved.article, saved.translation) if p is not None]
    out = []
    for line in log:
        if line.startswith("warning:") and any(p in line for p in paths):
            out.append(line.removeprefix("warning:").strip())
    return out
