"""Articles added from the web page: checked, named safely and written under corpus/articles/uploads/.

The web app's "Add material" tab is the one place where a user who is not at the machine puts a file
into the corpus, so everything about the file is decided here, on the server, before a byte of it is
written: the type (an article suffix), the size (MAX_ARTICLE_BYTES), the encoding (UTF-8, which is
what the build reads), and the name — never the one the browser sent, but one made from it or from
the title (letters, digits, `-` and `_` only: no path separator, no dot, no dot-file, at most
MAX_NAME_CHARS, a new one when it is taken). Nothing is written outside the uploads folder, and that
folder's real path must lie inside the corpus (a link that leads out refuses every addition).

Each file is written whole or not at all (a temporary `.part` file in the same folder, then
`os.replace`), so a build that runs at the same moment sees the article complete or not yet: the
temporary name has no article suffix and is never read as an article. The metadata typed on the page
goes into the article's sidecar `NAME.meta.yaml` (yaml.safe_dump), an optional English translation
into `NAME.en.txt` (README, "Adding articles and companies"). Removing deletes only such files, and
only those whose real path lies inside the uploads folder.

Messages are in both of the page's languages (`UploadError.text`); `str()` of one is the English.
"""
from __future__ import annotations

import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import AssistantError
from ..text import without_control
from .article_files import ARTICLE_SUFFIXES, META_SUFFIX
from .files import is_inside, real_root
from .translation import TRANSLATION_TAG
from .yamlfile import read_yaml

UPLOADS_FOLDER = ("articles", "uploads")  # under the corpus folder; documents are cited as uploads/NAME#pN
ARTICLE_TYPES = ARTICLE_SUFFIXES  # .txt .md .html .htm: what the build reads as an article
TRANSLATION_TYPES = (".txt", ".md")  # a translation keeps its original's lines: plain text or markdown
# The longest article in the built-in corpus is 16 KB and a long report a few hundred KB; 1 MB is
# room for any article a person pastes or picks, and keeps a request (base64, ~1.4 MB per file) and
# the build's work for one addition small. The build's own limit (article_files.MAX_FILE_BYTES) is 20 MB.
MAX_ARTICLE_BYTES = 2**20
# Articles the uploads folder may hold: each addition re-indexes the corpus, and a page anyone with
# the login can use should not be able to fill the disk. Remove one to add another.
MAX_UPLOADED_ARTICLES = 200
# A file name made from a title: long enough to recognise, short enough for any file system
# (60 CJK characters are 180 bytes of the 255 a name may have).
MAX_NAME_CHARS = 60
# What the metadata fields may hold (a headline, a publication, a byline).
MAX_FIELD_CHARS = {"title": 200, "source": 100, "author": 100}
_DATE = re.compile(r"(19|20)\d\d(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_NOT_IN_NAME = re.compile(r"[^\w-]+")  # \w: letters and digits of any script, and _

# Every message a user can get, (Chinese, English), with {placeholders}.
MESSAGES: dict[str, tuple[str, str]] = {
    "no_content": ("请选择一个文件或粘贴文章正文。", "Choose a file or paste the article's text."),
    "both": ("请二选一：上传文件，或粘贴正文。", "Either upload a file or paste text, not both."),
    "type": ("不支持 “{name}” 的类型：文章只能是 {types} 文件。",
             "“{name}” is not a type the corpus reads: an article is a {types} file."),
    "translation_type": ("译文 “{name}” 必须是 .txt 或 .md 文件（例如 NAME.en.txt）。",
                         "The translation “{name}” must be a .txt or .md file (e.g. NAME.en.txt)."),
    "too_big": ("“{name}” 有 {size}，超过了 {limit} 的上限。", "“{name}” is {size}, over the {limit} limit."),
    "empty": ("“{name}” 是空的。", "“{name}” is empty."),
    "binary": ("“{name}” 看起来是二进制文件，不是文本。", "“{name}” looks like a binary file, not text."),
    "encoding": ("“{name}” 不是 UTF-8 文本（第 {byte} 个字节）：请另存为 UTF-8 后再上传。",
                 "“{name}” is not UTF-8 text (byte {byte}): save it as UTF-8 and upload it again."),
    "files": ("一次只能添加一篇文章（可附一个 NAME.en.txt 英文译文）。",
              "Add one article at a time (with at most one NAME.en.txt English translation)."),
    "date": ("日期 “{value}” 的格式不对：请写成 2025-11-04（或 2025-11、2025）。",
             "The date “{value}” is not a date: write it as 2025-11-04 (or 2025-11, 2025)."),
    "field_long": ("{field_zh}太长：最多 {limit} 个字符。", "The {field_en} is too long: at most {limit} characters."),
    "full": ("已上传 {n} 篇文章，达到上限：请先删除一篇。",
             "The uploads folder holds {n} articles, the limit: remove one first."),
    "outside": ("上传目录 {folder} 指向语料库之外，已拒绝写入。",
                "The uploads folder {folder} leads outside the corpus folder: nothing was written."),
    "not_found": ("没有名为 “{name}” 的上传文章。", "There is no uploaded article called “{name}”."),
    "write": ("无法写入 {folder}：{why}", "Cannot write to {folder}: {why}"),
}
_FIELD_NAMES = {"title": ("标题", "title"), "source": ("来源", "source"), "author": ("作者", "author")}


class UploadError(AssistantError):
    """A file or a field that cannot be added, with the message in both languages."""

    def __init__(self, key: str, **values):
        self.key = key
        self.values = values
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        zh, en = MESSAGES[self.key]
        return (en if lang == "en" else zh).format(**self.values)


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

    def checked(self) -> "ArticleMeta":
        """The fields without control characters or surrounding spaces; UploadError for a field that is
        too long or a date that is not one."""
        values = {}
        for name in ("title", "source", "author"):
            value = " ".join(without_control(getattr(self, name) or "").split())
            limit = MAX_FIELD_CHARS[name]
            if len(value) > limit:
                zh, en = _FIELD_NAMES[name]
                raise UploadError("field_long", field_zh=zh, field_en=en, limit=limit)
            values[name] = value
        published = without_control(self.published or "").strip()
        if published and not _DATE.match(published):
            raise UploadError("date", value=published[:40])
        return ArticleMeta(values["title"], values["source"], published, values["author"])

    def sidecar(self) -> dict[str, str]:
        return {k: v for k, v in (("title", self.title), ("source", self.source), ("published", self.published),
                                  ("author", self.author)) if v}


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


@dataclass(frozen=True)
class SavedArticle:
    """Where an article was written, and the id its passages are cited under (uploads/NAME#pN)."""

    name: str
    article: Path
    meta: Path
    translation: Path | None

    @property
    def doc_id(self) -> str:
        return f"{UPLOADS_FOLDER[1]}/{self.name}"


@dataclass(frozen=True)
class UploadedArticle:
    """An article in the uploads folder, as the page lists it."""

    name: str
    file: str
    title: str
    size: int
    modified: float
    translation: str = ""

    @property
    def doc_id(self) -> str:
        return f"{UPLOADS_FOLDER[1]}/{self.name}"


# ---- checking -------------------------------------------------------------------------------------
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
        raise UploadError("too_big", name=name, size=_size(len(data)), limit=_size(MAX_ARTICLE_BYTES))
    if not data.strip():
        raise UploadError("empty", name=name)
    if b"\x00" in data[:8192]:
        raise UploadError("binary", name=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError("encoding", name=name, byte=exc.start) from None
    if not text.strip():
        raise UploadError("empty", name=name)


def _suffix(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _is_translation_name(name: str) -> bool:
    return os.path.splitext(name)[0].lower().endswith(TRANSLATION_TAG)


def pair_files(files: Sequence[UploadedFile]) -> tuple[UploadedFile, UploadedFile | None]:
    """The article and its optional translation (the file named NAME.en.txt or NAME.en.md) of what
    was picked at once; UploadError unless that is one article and at most one translation."""
    files = [f for f in files if f.data or f.name]
    if not files:
        raise UploadError("no_content")
    originals = [f for f in files if not _is_translation_name(f.name)]
    translations = [f for f in files if _is_translation_name(f.name)]
    if len(originals) != 1 or len(translations) > 1:
        raise UploadError("files")
    return originals[0], (translations[0] if translations else None)


def article_from_file(file: UploadedFile, meta: ArticleMeta, translation: UploadedFile | None = None) -> NewArticle:
    """A picked file (and its translation), checked: type, size, UTF-8, metadata."""
    shown = os.path.basename(without_control(file.name or ""))[:120] or "?"
    suffix = _suffix(shown)
    if suffix not in ARTICLE_TYPES:
        raise UploadError("type", name=shown, types=" / ".join(ARTICLE_TYPES))
    _check_text(shown, file.data)
    meta = meta.checked()
    stem = os.path.splitext(shown)[0]
    return NewArticle(safe_name(stem), suffix, file.data, meta, *_translation(translation))


def article_from_text(text: str, meta: ArticleMeta, translation: UploadedFile | None = None) -> NewArticle:
    """Pasted text, saved as a .txt article (every line a paragraph), named after its title or, with
    no title, after its first line."""
    meta = meta.checked()
    data = without_control(text or "").replace("\r\n", "\n").encode("utf-8")
    label = meta.title or "text"
    _check_text(label, data)
    first_line = next((line.strip() for line in data.decode("utf-8").splitlines() if line.strip()), "")
    return NewArticle(safe_name(meta.title or first_line[:MAX_NAME_CHARS]), ".txt", data, meta,
                      *_translation(translation))


def _translation(file: UploadedFile | None) -> tuple[bytes | None, str]:
    if file is None:
        return None, ".txt"
    shown = os.path.basename(without_control(file.name or ""))[:120] or "?"
    suffix = _suffix(shown)
    if suffix not in TRANSLATION_TYPES:
        raise UploadError("translation_type", name=shown)
    _check_text(shown, file.data)
    return file.data, suffix


# ---- the folder -----------------------------------------------------------------------------------
def uploads_folder(corpus_dir: str | Path, create: bool = False) -> Path:
    """corpus/articles/uploads, made when `create`; UploadError when its real path is outside the corpus."""
    folder = Path(corpus_dir, *UPLOADS_FOLDER)
    if create:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UploadError("write", folder=str(folder), why=exc.strerror or str(exc)) from None
    real = os.path.realpath(folder)
    if os.path.lexists(folder) and not is_inside(real, real_root(corpus_dir)):
        raise UploadError("outside", folder=str(folder))
    return folder


def _taken(folder: Path, name: str) -> bool:
    """True when any file of the article `name` (any type, its translation or sidecar) exists: the
    build would give two of them one id."""
    suffixes = ARTICLE_TYPES + tuple(TRANSLATION_TAG + s for s in TRANSLATION_TYPES) + (META_SUFFIX,)
    return any(os.path.lexists(folder / (name + s)) for s in suffixes)


def _write_temp(folder: Path, data: bytes) -> str:
    """`data` in a new temporary file of `folder`, synced: no article suffix, so no build reads it."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".adding-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def save_article(corpus_dir: str | Path, article: NewArticle) -> SavedArticle:
    """Write the article, its sidecar and its translation into the uploads folder under a name no
    other article there has (NAME, NAME-2, …), each file whole or not at all.

    The name is claimed by the sidecar, created with `os.link`, which fails rather than replace a file
    another addition made at the same moment; the translation and then the article follow by
    `os.replace`, the article last, so a build never sees it without its metadata."""
    folder = uploads_folder(corpus_dir, create=True)
    if len(list_uploads(corpus_dir)) >= MAX_UPLOADED_ARTICLES:
        raise UploadError("full", n=MAX_UPLOADED_ARTICLES)
    meta_bytes = yaml.safe_dump(article.meta.sidecar(), allow_unicode=True, sort_keys=False).encode("utf-8")
    temps: list[str] = []
    written: list[Path] = []
    try:
        meta_tmp = _write_temp(folder, meta_bytes)
        temps.append(meta_tmp)
        name = ""
        for i in range(1, 10_000):
            candidate = article.name if i == 1 else f"{article.name[:MAX_NAME_CHARS - 6]}-{i}"
            if _taken(folder, candidate):
                continue
            try:
                os.link(meta_tmp, folder / (candidate + META_SUFFIX))
            except FileExistsError:
                continue
            name = candidate
            written.append(folder / (candidate + META_SUFFIX))
            break
        if not name:  # 10,000 articles of one name: the count limit makes this unreachable
            raise UploadError("full", n=MAX_UPLOADED_ARTICLES)
        translation = None
        if article.translation is not None:
            translation = folder / (name + TRANSLATION_TAG + article.translation_suffix)
            tmp = _write_temp(folder, article.translation)
            temps.append(tmp)
            os.replace(tmp, translation)
            written.append(translation)
        target = folder / (name + article.suffix)
        tmp = _write_temp(folder, article.data)
        temps.append(tmp)
        os.replace(tmp, target)
        written.append(target)
        _sync_folder(folder)
    except OSError as exc:
        for path in written:
            _unlink(path)
        raise UploadError("write", folder=str(folder), why=exc.strerror or str(exc)) from None
    except BaseException:
        for path in written:
            _unlink(path)
        raise
    finally:
        for tmp in temps:
            _unlink(Path(tmp))
    return SavedArticle(name, target, folder / (name + META_SUFFIX), translation)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _sync_folder(folder: Path) -> None:
    """The new names on disk too (the files' contents were synced before they were renamed)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def list_uploads(corpus_dir: str | Path) -> list[UploadedArticle]:
    """The articles in the uploads folder, newest first, with the title from their sidecar."""
    folder = uploads_folder(corpus_dir)
    if not folder.is_dir():
        return []
    root = real_root(corpus_dir)
    out: list[UploadedArticle] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            name, suffix = os.path.splitext(entry.name)
            if (entry.name.startswith(".") or suffix.lower() not in ARTICLE_TYPES or _is_translation_name(entry.name)
                    or not entry.is_file(follow_symlinks=False)):
                continue
            info = entry.stat(follow_symlinks=False)
            title = ""
            side = folder / (name + META_SUFFIX)
            if side.is_file():
                try:
                    data = read_yaml(side, root)
                    title = str(data.get("title") or "") if isinstance(data, dict) else ""
                except (OSError, UnicodeDecodeError, yaml.YAMLError):
                    title = ""
            translation = next((name + TRANSLATION_TAG + s for s in TRANSLATION_TYPES
                                if (folder / (name + TRANSLATION_TAG + s)).is_file()), "")
            out.append(UploadedArticle(name, entry.name, without_control(title), info.st_size, info.st_mtime,
                                       translation))
    out.sort(key=lambda a: (-a.modified, a.name))
    return out


def remove_upload(corpus_dir: str | Path, name: str) -> list[str]:
    """Delete an uploaded article's files (article, translation, sidecar); the names removed.

    Only a name `safe_name` would make is looked up, only in the uploads folder, and only regular
    files whose real path lies inside that folder are deleted: nothing else can be named this way."""
    if not isinstance(name, str) or not name or safe_name(name) != name:
        raise UploadError("not_found", name=str(name)[:80])
    folder = uploads_folder(corpus_dir)
    if not folder.is_dir():
        raise UploadError("not_found", name=name)
    inside = os.path.realpath(folder)
    suffixes = ARTICLE_TYPES + tuple(TRANSLATION_TAG + s for s in TRANSLATION_TYPES) + (META_SUFFIX,)
    found = []
    for suffix in suffixes:
        path = folder / (name + suffix)
        if not os.path.lexists(path):
            continue
        real = os.path.realpath(path)
        try:
            regular = stat.S_ISREG(os.stat(path).st_mode)
        except OSError:
            regular = False
        if regular and is_inside(real, inside) and real != inside:
            found.append(path)
    if not any(p.suffix.lower() in ARTICLE_TYPES and not _is_translation_name(p.name) and
               not p.name.endswith(META_SUFFIX) for p in found):
        raise UploadError("not_found", name=name)
    for path in found:
        _unlink(path)
    _sync_folder(folder)
    return [p.name for p in found]

