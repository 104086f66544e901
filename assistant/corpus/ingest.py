"""Read the article files of a corpus folder into cleaned, sectioned documents.

A file that cannot be used is skipped with a warning naming it and the reason, so one bad
file never stops a build. Metadata comes from a sidecar `<name>.meta.yaml`, YAML front matter,
HTML meta tags, or lines of the article itself, in that order of preference.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from ..schema import Document, Paragraph
from ..text import without_control
from .files import bad_name, file_problem, is_inside, real_root, shown
from .translation import TRANSLATION_TAG
from .yamlfile import load_yaml, read_yaml

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
META_SUFFIX = ".meta.yaml"  # NAME.meta.yaml: the metadata of NAME.txt
# An article is text a person wrote: the longest in the built-in corpus is 16 KB, a long report a few
# hundred KB. 20 MB is over a thousand times that; a bigger file is an export or a mistake, and
# reading it would hold the whole file (and its passages) in memory.
MAX_FILE_BYTES = 20 * 1024 * 1024
META_FIELDS = ("title", "source", "author", "published", "language", "url")

# Site furniture that is not content. Each pattern is matched against a whole stripped line.
BOILERPLATE = [
    re.compile(r"^当前位置\s*[:：].*"),  # breadcrumb
    re.compile(r".*点个爱心.*"),
    re.compile(r"^免责声明\s*[:：].*"),
    re.compile(r"^(本文|文章)?(来源|作者|邮箱|编辑|责编|责任编辑|出品|撰文|图源)\s*[|｜:：].*"),
    re.compile(r"^IP属地.*"),
    re.compile(r"^(分享到|扫码|关注我们|阅读原文|返回搜狐|推荐阅读).*"),
]
COUNTER = re.compile(r"^(\d{1,2}|[一二三四五六七八九十]{1,3}|[①-⑳]|0\d)\s*[.、]?$")
_DATE = re.compile(r"(\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?)")
_AUTHOR = re.compile(r"^(?:作者|撰文)\s*[|｜:：]\s*(.+)$")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_SENTENCE_PUNCT = "。！？!?；;：:，,"
MAX_HEADING_CHARS = 32


@dataclass
class IngestResult:
    documents: list[Document] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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
    return name.endswith(META_SUFFIX) or (suffix.lower() in ARTICLE_SUFFIXES and stem.lower().endswith(TRANSLATION_TAG))


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
        scan.warnings.append(f"skipped {shown(root)}: its real path is {shown(root_real)}, outside the corpus folder")
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
            scan.warnings.append(f"skipped {shown(folder)}: the folder cannot be read ({exc.strerror or exc})")
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
                            scan.warnings.append(f"skipped {shown(e.path)}: a link to the folder {shown(real)}, "
                                                 "outside the corpus folder (links out of it are not followed)")
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
                    problem = file_problem(e.path, corpus_real, MAX_FILE_BYTES) if size > MAX_FILE_BYTES else None
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


def ingest_corpus(corpus_dir: Path) -> IngestResult:
    result = IngestResult()
    root = Path(corpus_dir) / "articles"
    seen: dict[str, Path] = {}
    scan = scan_articles(corpus_dir)
    result.warnings.extend(scan.warnings)
    for path in scan.files:
        try:
            doc = read_article(path, root)
        except SkipFile as exc:
            result.warnings.append(f"skipped {path}: {exc}")
            continue
        if doc.doc_id in seen:  # a.txt next to a.md: the later one (in file order) keeps its suffix
            from dataclasses import replace

            first = seen[doc.doc_id]
            doc = replace(doc, doc_id=path.relative_to(root).as_posix())
            result.warnings.append(f"{path} has the same name as {first}; its passages are cited as {doc.doc_id}#p…")
        seen[doc.doc_id] = path
        result.documents.append(doc)
    return result


class SkipFile(Exception):
    """A file the build leaves out, with the reason shown to the user."""


def read_article(path: Path, root: Path) -> Document:
    """One article file of the folder `root` (corpus/articles) as a Document; SkipFile says why not."""
    corpus_real = real_root(Path(root).parent)
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

    meta = _sidecar_meta(path, corpus_real)
    if path.suffix.lower() in (".html", ".htm"):
        html_meta, blocks = _html_blocks(text)
        meta = {**html_meta, **meta}
        body = ""
        spans = []
        for block_text, is_heading in blocks:
            if body:
                body += "\n\n"
            spans.append((len(body), len(body) + len(block_text), is_heading))
            body += block_text
    else:
        body, front = _split_front_matter(text, path)
        meta = {**front, **meta}
        spans = _line_spans(body, markdown=path.suffix.lower() == ".md")

    meta = {**_meta_from_lines(body), **meta}
    doc_id = path.relative_to(root).with_suffix("").as_posix()
    title = str(meta.get("title") or "").strip()
    paragraphs = _paragraphs(body, spans, title)
    if not title:
        title = paragraphs[0].text if paragraphs else doc_id
    if not any(p.kind == "body" for p in paragraphs):
        raise SkipFile("no article text left after removing boilerplate")
    return Document(
        doc_id=doc_id,
        path=str(path),
        title=title,
        source=str(meta.get("source") or ""),
        author=str(meta.get("author") or ""),
        published=str(meta.get("published") or ""),
        language=str(meta.get("language") or ""),
        url=str(meta.get("url") or ""),
        text=body,
        paragraphs=tuple(paragraphs),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _sidecar_meta(path: Path, corpus_real: str) -> dict:
    side = path.with_name(path.stem + META_SUFFIX)
    if not os.path.lexists(side):
        return {}
    where = f"its metadata file {side.name}"
    try:
        data = read_yaml(side, corpus_real)
    except OSError as exc:
        raise SkipFile(f"{where} cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise SkipFile(f"{where} is not valid UTF-8 (byte {exc.start})") from None
    except yaml.YAMLError as exc:
        raise SkipFile(f"{where} is not valid YAML: {_one_line(exc)}") from None
    return _meta_fields(data, where)


def _split_front_matter(text: str, path: Path) -> tuple[str, dict]:
    m = _FRONT_MATTER.match(text)
    if not m:
        return text, {}
    try:
        data = load_yaml(m.group(1))
    except yaml.YAMLError as exc:
        raise SkipFile(f"its front matter is not valid YAML: {_one_line(exc)}") from None
    meta = _meta_fields(data, "its front matter")
    # Blank out the front matter instead of cutting it, so offsets stay file offsets.
    body = " " * m.end() + text[m.end():]
    return body, meta


def _meta_fields(data, where: str) -> dict[str, str]:
    """The metadata fields of a parsed sidecar or front matter, each checked to be a scalar before it
    is turned into text (a list or mapping as a title is a mistake the user should hear about)."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SkipFile(f"{where} is not a mapping of field: value")
    out: dict[str, str] = {}
    for key in META_FIELDS:
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int, float, date)):
            raise SkipFile(f"{where}: field '{key}' should be text, not a {type(value).__name__}")
        out[key] = without_control(str(value))
    return out


def _one_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def _meta_from_lines(body: str) -> dict:
    """Author and date from the article's own header lines (作者 | …, 时间:2025-11-04 …)."""
    meta: dict[str, str] = {}
    for line in body.splitlines()[:30]:
        line = line.strip()
        if "author" not in meta and (m := _AUTHOR.match(line)):
            meta["author"] = m.group(1).strip()
        if "published" not in meta and re.search(r"时间|日期|发布|published", line, re.I):
            if d := _DATE.search(line):
                meta["published"] = d.group(1)
    return meta


def _line_spans(body: str, markdown: bool) -> list[tuple[int, int, bool]]:
    """Paragraph spans: a line each in .txt; blank-line separated blocks in .md, '#' lines as headings."""
    spans = []
    if markdown:
        for m in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", body):
            block_start = m.start()
            for line in re.finditer(r"[^\n]+", m.group(0)):
                if line.group(0).lstrip().startswith("#"):
                    spans.append((block_start + line.start(), block_start + line.end(), True))
            non_heading = [l for l in re.finditer(r"[^\n]+", m.group(0)) if not l.group(0).lstrip().startswith("#")]
            if non_heading:
                spans.append((block_start + non_heading[0].start(), block_start + non_heading[-1].end(), False))
        spans.sort()
        return spans
    for m in re.finditer(r"[^\n]+", body):
        if m.group(0).strip():
            spans.append((m.start(), m.end(), False))
    return spans


def _paragraphs(body: str, spans: list[tuple[int, int, bool]], title: str) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    section = ""
    after_counter = False
    for start, end, marked_heading in spans:
        raw = body[start:end]
        # trim to the visible text, keeping offsets exact
        lead = len(raw) - len(raw.lstrip())
        start, end = start + lead, start + len(raw.rstrip())
        line = body[start:end]
        if marked_heading:
            hashes = len(line) - len(line.lstrip("#"))
            start += hashes + (len(line[hashes:]) - len(line[hashes:].lstrip()))
            line = body[start:end]
        if not line or any(p.match(line) for p in BOILERPLATE):
            after_counter = False
            continue
        if COUNTER.match(line):
            after_counter = True
            continue
        if title and _same(line, title):
            continue
        is_heading = marked_heading or after_counter or _looks_like_heading(line)
        after_counter = False
        if is_heading:
            section = line
        paragraphs.append(Paragraph(line, start, end, section, "heading" if is_heading else "body"))
    return paragraphs


def _looks_like_heading(line: str) -> bool:
    return (
        len(line) <= MAX_HEADING_CHARS
        and line[-1] not in _SENTENCE_PUNCT
        and "。" not in line
        and not line.replace(" ", "").isdigit()
        and not _DATE.search(line)
    )


def _same(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


def _html_blocks(html: str) -> tuple[dict, list[tuple[str, bool]]]:
    """Text blocks of an HTML page with a real parser; scripts, styles and navigation dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    meta: dict[str, str] = {}
    if soup.title and soup.title.string:
        meta["title"] = soup.title.string.strip()
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or "").lower()
        value = (tag.get("content") or "").strip()
        if not value:
            continue
        if key in ("og:title",):
            meta["title"] = value
        elif key in ("author", "article:author"):
            meta["author"] = value
        elif key in ("article:published_time", "pubdate", "publishdate", "date"):
            meta["published"] = value
        elif key in ("og:site_name",):
            meta["source"] = value
    lang = soup.html.get("lang") if soup.html else None
    if lang:
        meta["language"] = lang.split("-")[0]
    for tag in soup(["script", "style", "nav", "header", "footer", "aside", "noscript", "form"]):
        tag.decompose()
    blocks: list[tuple[str, bool]] = []
    for el in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre"]):
        if el.find(["p", "li", "blockquote"]):  # a container; its children are visited
            continue
        text = re.sub(r"\s+", " ", el.get_text(" ", strip=True)).strip()
        if text:
            blocks.append((text, el.name.startswith("h") and el.name != "h1"))
        if el.name == "h1" and text and "title" not in meta:
            meta["title"] = text
    return meta, blocks
