"""An article added from the web page, checked before anything is written: what it may be and be called.

The web app's "Add material" tab is the one place where a user who is not at the machine puts a file
into the corpus, so everything about the file is decided here, on the server, before a byte of it is
written: the type (an article suffix), the size (MAX_ARTICLE_BYTES), the encoding (UTF-8, which is
what the build reads), and the name — never the one the browser sent, but one made from it or from
the title (letters, digits, `-` and `_` only: no path separator, no dot, no dot-file, at most
MAX_NAME_CHARS; corpus/uploads.py picks a new one when it is taken). The metadata typed on the page
is checked here too. Writing, listing and removing are corpus/uploads.py.

Messages are in both of the page's languages (`UploadError.text`, entries of assistant/messages.py).
"""

from __future__ import annotations

import datetime
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import AssistantError
from ..messages import Msg
from ..text import clip, without_control
from .article_files import ARTICLE_SUFFIXES
from .translation import TRANSLATION_TAG

ARTICLE_TYPES = ARTICLE_SUFFIXES  # .txt .md .html .htm: what the build reads as an article
TRANSLATION_TYPES = (".txt", ".md")  # a translation keeps its original's lines: plain text or markdown
# The longest article in the built-in corpus is 16 KB and a long report a few hundred KB; 1 MB is
# room for any article a person pastes or picks, and keeps a request (base64, ~1.4 MB per file) and
# the build's work for one addition small. The build's own limit (article_files.MAX_FILE_BYTES) is 20 MB.
MAX_ARTICLE_BYTES = 2**20
# A file name made from a title: long enough to recognise, short enough for any file system
# (60 CJK characters are 180 bytes of the 255 a name may have).
MAX_NAME_CHARS = 60
# A file name quoted in a message is cut to this (its end, with the type, is kept: a 120-character
# name cut at its start lost ".txt" and was called "not a type the corpus reads").
SHOWN_NAME_CHARS = 120
# What the metadata fields may hold (a headline, a publication, a byline).
MAX_FIELD_CHARS = {"title": 200, "source": 100, "author": 100}
_DATE = re.compile(r"(19|20)\d\d(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_NOT_IN_NAME = re.compile(r"[^\w-]+")  # \w: letters and digits of any script, and _
FIELD_NAMES = {
    "title": ("标题", "title"),
    "source": ("来源", "source"),
    "author": ("作者", "author"),
    "published": ("日期", "date"),
}


class UploadError(AssistantError):
    """A file or a field that cannot be added, with the message (`Msg`) in both languages; `str()` of
    one is the English."""

    def __init__(self, msg: Msg, **values: object):
        self.msg = msg
        self.values = values
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        return self.msg.say(lang, **self.values)


@dataclass(frozen=True)
class UploadedFile:
    """A file as the browser sent it: its name (only a hint) and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class ArticleMeta:
    """What the page lets a user say about an article; empty fields are left to the file itself
    (front matter, HTML meta tags, its header lines)."""

    title: str = ""
    source: str = ""
    published: str = ""
    author: str = ""

    def checked(self) -> ArticleMeta:
        """The fields without control characters or surrounding spaces; UploadError for a field that is
        too long or a date that is not one."""
        values = {}
        for name in ("title", "source", "author"):
            value = " ".join(without_control(getattr(self, name) or "").split())
            limit = MAX_FIELD_CHARS[name]
            if len(value) > limit:
                zh, en = FIELD_NAMES[name]
                raise UploadError(Msg.UPLOAD_FIELD_LONG, field_zh=zh, field_en=en, limit=limit)
            values[name] = value
        published = without_control(self.published or "").strip()
        if published and not _is_date(published):
            raise UploadError(Msg.UPLOAD_DATE, value=clip(published, 40))
        return ArticleMeta(values["title"], values["source"], published, values["author"])

    def sidecar(self) -> dict[str, str]:
        return {
            k: v
            for k, v in (
                ("title", self.title),
                ("source", self.source),
                ("published", self.published),
                ("author", self.author),
            )
            if v
        }


@dataclass(frozen=True)
class NewArticle:
    """A checked article, ready to be written: its content, its type, the name it will be saved under
    (before collisions are resolved), its metadata and its English, if any."""

    name: str
    suffix: str
    data: bytes
    meta: ArticleMeta
    translation: bytes | None = None
    translation_suffix: str = ".txt"


# ---- checking -------------------------------------------------------------------------------------
def _is_date(text: str) -> bool:
    """2025, 2025-11 or a day of the calendar (2025-02-31 matched the pattern and was kept)."""
    if not _DATE.match(text):
        return False
    try:
        return len(text) < 10 or bool(datetime.date.fromisoformat(text))
    except ValueError:
        return False


def safe_name(hint: str) -> str:
    """A file name stem made from a title or a file name: letters and digits of any script, `-` and
    `_`; no separator, no dot (so no dot-file, no `.en` that would make it a translation, no suffix
    trick), at most MAX_NAME_CHARS. "../../etc/passwd" becomes "etc-passwd"; nothing usable, "article"."""
    text = unicodedata.normalize("NFKC", without_control(hint or ""))
    name = _NOT_IN_NAME.sub("-", text)
    name = re.sub(r"-{2,}", "-", name).strip("-_")[:MAX_NAME_CHARS].rstrip("-_")
    return name or "article"


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 2**10:.0f} KB" if n >= 2**10 else f"{n} bytes"


def _check_text(name: str, data: bytes) -> None:
    """UTF-8 text within the size limit, or UploadError saying what is wrong with it."""
    if len(data) > MAX_ARTICLE_BYTES:
        raise UploadError(
            Msg.UPLOAD_TOO_BIG, name=name, size=_size(len(data)), limit=_size(MAX_ARTICLE_BYTES)
        )
    if not data.strip():
        raise UploadError(Msg.UPLOAD_EMPTY, name=name)
    if b"\x00" in data[:8192]:
        raise UploadError(Msg.UPLOAD_BINARY, name=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError(Msg.UPLOAD_ENCODING, name=name, byte=exc.start) from None
    if not text.strip():
        raise UploadError(Msg.UPLOAD_EMPTY, name=name)


def suffix_of(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def is_translation_name(name: str) -> bool:
    return os.path.splitext(name)[0].lower().endswith(TRANSLATION_TAG)


def pair_files(files: Sequence[UploadedFile]) -> tuple[UploadedFile, UploadedFile | None]:
    """The article and its optional translation (the file named NAME.en.txt or NAME.en.md) of what
    was picked at once; UploadError unless that is one article and at most one translation."""
    files = [f for f in files if f.data or f.name]
    if not files:
        raise UploadError(Msg.UPLOAD_NO_CONTENT)
    originals = [f for f in files if not is_translation_name(f.name)]
    translations = [f for f in files if is_translation_name(f.name)]
    if len(originals) != 1 or len(translations) > 1:
        raise UploadError(Msg.UPLOAD_FILES)
    return originals[0], (translations[0] if translations else None)


def article_from_file(
    file: UploadedFile, meta: ArticleMeta, translation: UploadedFile | None = None
) -> NewArticle:
    """A picked file (and its translation), checked: type, size, UTF-8, metadata."""
    whole = os.path.basename(without_control(file.name or "")) or "?"
    shown, suffix = clip(whole, SHOWN_NAME_CHARS), suffix_of(whole)
    if suffix not in ARTICLE_TYPES:
        raise UploadError(Msg.UPLOAD_TYPE, name=shown, types=" / ".join(ARTICLE_TYPES))
    _check_text(shown, file.data)
    meta = meta.checked()
    stem = os.path.splitext(whole)[0]
    return NewArticle(safe_name(stem), suffix, file.data, meta, *_translation(translation))


def article_from_text(text: str, meta: ArticleMeta, translation: UploadedFile | None = None) -> NewArticle:
    """Pasted text, saved as a .txt article (every line a paragraph), named after its title or, with
    no title, after its first line."""
    meta = meta.checked()
    data = without_control(text or "").replace("\r\n", "\n").encode("utf-8")
    label = meta.title or "text"
    _check_text(label, data)
    first_line = next((line.strip() for line in data.decode("utf-8").splitlines() if line.strip()), "")
    return NewArticle(
        safe_name(meta.title or first_line[:MAX_NAME_CHARS]), ".txt", data, meta, *_translation(translation)
    )


def _translation(file: UploadedFile | None) -> tuple[bytes | None, str]:
    if file is None:
        return None, ".txt"
    whole = os.path.basename(without_control(file.name or "")) or "?"
    shown, suffix = clip(whole, SHOWN_NAME_CHARS), suffix_of(whole)
    if suffix not in TRANSLATION_TYPES:
        raise UploadError(Msg.UPLOAD_TRANSLATION_TYPE, name=shown)
    _check_text(shown, file.data)
    return file.data, suffix
