"""Which files of `corpus/articles` are articles, and reading one into text.

Deciding needs no byte of a file (names, links, sizes: see files.py); reading checks it again, then
decodes it as UTF-8 or says why not with `SkipFile`, so one bad file never stops a build.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..text import without_control
from .files import bad_name, file_problem, is_inside, real_root, shown
from .translation import TRANSLATION_TAG

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
META_SUFFIX = ".meta.yaml"  # NAME.meta.yaml: the metadata of NAME.txt
# An article is text a person wrote: the longest in the built-in corpus is 16 KB, a long report a few
# hundred KB. 20 MB is over a thousand times that; a bigger file is an export or a mistake, and
# reading it would hold the whole file (and its passages) in memory.
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass
class ArticleScan:
    """The article files that may be read, in a stable order (ids and fingerprints depend on it), and
    a warning for each one that may not (see files.py)."""

    paths: list[str] = field(default_factory=list)  # strings: a Path each took a second per 100,000 files
    warnings: list[str] = field(default_factory=list)
    # The files that belong to articles, seen on the way (NAME.meta.yaml, NAME.en.txt; not yet
    # checked like articles): the fingerprint hashes them instead of looking for each article's
    # (seconds for 100,000 articles).
    companions: list[str] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return [Path(s) for s in self.paths]


def _is_article_name(name: str) -> bool:
    stem, suffix = os.path.splitext(name)
    # NAME.en.txt is the English of NAME.txt (translation.py), not an article of its own.
    return suffix.lower() in ARTICLE_SUFFIXES and not stem.lower().endswith(TRANSLATION_TAG)


def _is_companion_name(name: str) -> bool:
    """An article's metadata or translation file."""
    stem, suffix = os.path.splitext(name)
    return name.endswith(META_SUFFIX) or (
        suffix.lower() in ARTICLE_SUFFIXES and stem.lower().endswith(TRANSLATION_TAG)
    )


def scan_articles(corpus_dir: Path) -> ArticleScan:
    """Walk `corpus/articles` and decide, before reading anything, which files are articles.

    Only regular files with an article suffix whose real path lies inside the corpus folder, whose
    name is UTF-8 and whose size is within MAX_FILE_BYTES; links are followed only when they stay
    inside the corpus (a linked folder once, so a link loop ends). Anything else with an article
    suffix, and any linked folder leading out, gets a warning naming it. This runs at every start
    over every file (the fingerprint), so a file that is not a link costs no more than its stat:
    only links are resolved.
    """
    scan = ArticleScan()
    root = os.path.join(os.fspath(corpus_dir), "articles")
    if not os.path.isdir(root):
        return scan
    corpus_real = real_root(corpus_dir)
    root_real = os.path.realpath(root)
    if not is_inside(root_real, corpus_real):
        scan.warnings.append(
            f"skipped {shown(root)}: its real path is {shown(root_real)}, outside the corpus folder"
        )
        return scan
    found: list[str] = []
    visited = {root_real}
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            scan.warnings.append(
                f"skipped {shown(folder)}: the folder cannot be read ({exc.strerror or exc})"
            )
            continue
        for e in entries:
            is_article = _is_article_name(e.name)
            if not is_article and _is_companion_name(e.name):
                scan.companions.append(e.path)
            try:
                if e.is_symlink():
                    real = os.path.realpath(e.path)
                    if os.path.isdir(real):
                        if not is_inside(real, corpus_real):
                            scan.warnings.append(
                                f"skipped {shown(e.path)}: a link to the folder {shown(real)}, "
                                "outside the corpus folder (links out of it are not followed)"
                            )
                        elif real not in visited and not is_inside(real, root_real):  # else: walked already
                            visited.add(real)
                            folders.append(e.path)
                        continue
                    problem = file_problem(e.path, corpus_real, MAX_FILE_BYTES) if is_article else None
                elif e.is_dir(follow_symlinks=False):
                    folders.append(e.path)
                    continue
                elif not is_article:
                    continue
                elif bad_name(e.path):
                    problem = file_problem(e.path, corpus_real)
                elif not e.is_file(follow_symlinks=False):
                    problem = "it is not a regular file"
                else:
                    size = e.stat(follow_symlinks=False).st_size
                    problem = (
                        file_problem(e.path, corpus_real, MAX_FILE_BYTES) if size > MAX_FILE_BYTES else None
                    )
            except OSError as exc:
                problem = f"it cannot be read ({exc.strerror or exc})"
            if not is_article:
                continue
            if problem:
                scan.warnings.append(f"skipped {shown(e.path)}: {problem}")
            else:
                found.append(e.path)
    # Component order: the order Path comparison gives, without making a Path of every file.
    found.sort(key=lambda s: s.split(os.sep))
    scan.paths = found
    return scan


class SkipFile(Exception):
    """A file the build leaves out, with the reason shown to the user."""


def read_text(path: Path, corpus_real: str) -> tuple[bytes, str]:
    """An article file's bytes and its text (line ends unified, control characters as spaces)."""
    # Checked before reading (again: the scan may be a while ago): inside the corpus, a regular file,
    # not over the size limit — a huge file is never loaded into memory.
    problem = file_problem(path, corpus_real, MAX_FILE_BYTES)
    if problem:
        raise SkipFile(problem)
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SkipFile(f"it cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise SkipFile(f"the file is over the {MAX_FILE_BYTES // 2**20} MB limit")
    if not raw.strip():
        raise SkipFile("the file is empty")
    if b"\x00" in raw[:8192]:
        raise SkipFile("it looks like a binary file, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SkipFile(f"it is not valid UTF-8 (byte {exc.start})") from None
    # Control characters (a stray NUL deep in the file) become spaces, so the text keeps its length:
    # the same rule as for questions (text.CONTROL).
    text = without_control(text.replace("\r\n", "\n").replace("\r", "\n"))
    return raw, text
