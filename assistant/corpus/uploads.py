"""The uploads folder, corpus/articles/uploads/: articles added from the web page, written, listed, removed.

What an article may be and be called is checked first (corpus/new_articles.py); this module writes
it. Nothing is written outside the uploads folder, and that folder's real path must lie inside the
corpus (a link that leads out refuses every addition).

Each file is written whole or not at all (a temporary `.part` file in the same folder, then
`os.replace`), so a build that runs at the same moment sees the article complete or not yet: the
temporary name has no article suffix and is never read as an article. The metadata typed on the page
goes into the article's sidecar `NAME.meta.yaml` (yaml.safe_dump), an optional English translation
into `NAME.en.txt` (README, "Adding articles and companies"). Removing deletes only such files, and
only those whose real path lies inside the uploads folder.
"""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..messages import Msg
from ..text import without_control
from .article_files import META_SUFFIX
from .files import is_inside, real_root
from .new_articles import (
    ARTICLE_TYPES,
    MAX_NAME_CHARS,
    TRANSLATION_TYPES,
    NewArticle,
    UploadError,
    is_translation_name,
    safe_name,
)
from .translation import TRANSLATION_TAG
from .yamlfile import read_yaml

UPLOADS_FOLDER = ("articles", "uploads")  # under the corpus folder; documents are cited as uploads/NAME#pN
# Articles the uploads folder may hold: each addition re-indexes the corpus, and a page anyone with
# the login can use should not be able to fill the disk. Remove one to add another.
MAX_UPLOADED_ARTICLES = 200


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


# ---- the folder -----------------------------------------------------------------------------------
def uploads_folder(corpus_dir: str | Path, create: bool = False) -> Path:
    """corpus/articles/uploads, made when `create`; UploadError when its real path is outside the corpus."""
    folder = Path(corpus_dir, *UPLOADS_FOLDER)
    if create:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UploadError(Msg.UPLOAD_WRITE, folder=str(folder), why=exc.strerror or str(exc)) from None
    real = os.path.realpath(folder)
    if os.path.lexists(folder) and not is_inside(real, real_root(corpus_dir)):
        raise UploadError(Msg.UPLOAD_OUTSIDE, folder=str(folder))
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
        raise UploadError(Msg.UPLOAD_FULL, n=MAX_UPLOADED_ARTICLES)
    meta_bytes = yaml.safe_dump(article.meta.sidecar(), allow_unicode=True, sort_keys=False).encode("utf-8")
    temps: list[str] = []
    written: list[Path] = []
    try:
        meta_tmp = _write_temp(folder, meta_bytes)
        temps.append(meta_tmp)
        name = ""
        for i in range(1, 10_000):
            candidate = article.name if i == 1 else f"{article.name[: MAX_NAME_CHARS - 6]}-{i}"
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
            raise UploadError(Msg.UPLOAD_FULL, n=MAX_UPLOADED_ARTICLES)
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
        raise UploadError(Msg.UPLOAD_WRITE, folder=str(folder), why=exc.strerror or str(exc)) from None
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
            if (
                entry.name.startswith(".")
                or suffix.lower() not in ARTICLE_TYPES
                or is_translation_name(entry.name)
                or not entry.is_file(follow_symlinks=False)
            ):
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
            translation = next(
                (
                    name + TRANSLATION_TAG + s
                    for s in TRANSLATION_TYPES
                    if (folder / (name + TRANSLATION_TAG + s)).is_file()
                ),
                "",
            )
            out.append(
                UploadedArticle(
                    name, entry.name, without_control(title), info.st_size, info.st_mtime, translation
                )
            )
    out.sort(key=lambda a: (-a.modified, a.name))
    return out


def remove_upload(corpus_dir: str | Path, name: str) -> list[str]:
    """Delete an uploaded article's files (article, translation, sidecar); the names removed.

    Only a name `safe_name` would make is looked up, only in the uploads folder, and only regular
    files whose real path lies inside that folder are deleted: nothing else can be named this way."""
    if not isinstance(name, str) or not name or safe_name(name) != name:
        raise UploadError(Msg.UPLOAD_NOT_FOUND, name=str(name)[:80])
    folder = uploads_folder(corpus_dir)
    if not folder.is_dir():
        raise UploadError(Msg.UPLOAD_NOT_FOUND, name=name)
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
    if not any(
        p.suffix.lower() in ARTICLE_TYPES
        and not is_translation_name(p.name)
        and not p.name.endswith(META_SUFFIX)
        for p in found
    ):
        raise UploadError(Msg.UPLOAD_NOT_FOUND, name=name)
    for path in found:
        _unlink(path)
    _sync_folder(folder)
    return [p.name for p in found]
