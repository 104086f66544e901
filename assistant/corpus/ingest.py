"""Read the article files of a corpus folder into cleaned, sectioned documents.

A file that cannot be used is skipped with a warning naming it and the reason, so one bad
file never stops a build. Metadata comes from a sidecar `<name>.meta.yaml`, YAML front matter,
HTML meta tags, or lines of the article itself, in that order of preference (article_meta.py);
this module turns an article's text into paragraphs, headings and sections.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..schema import Document, Paragraph
from .article_files import SkipFile, read_text, scan_articles
from .article_meta import (
    DATE_STAMP,
    dateline_at,
    header_block,
    meta_from_lines,
    sidecar_meta,
    split_front_matter,
)
from .files import real_root
from .html_blocks import html_blocks

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
_SENTENCE_PUNCT = "。！？!?；;：:，,"
MAX_HEADING_CHARS = 32
# One article's size in paragraphs and sentences, both embedded at each build. The built-in article
# has 43 paragraphs and 95 sentences; a 1 MB article of ordinary prose (the upload limit) about 3,300
# and 7,300. Past these an article is a dump, not an article, and costs minutes of embedding.
# Seconds one file may take to read: a 1 MB article reads in under half a second.
FILE_SECONDS = 10.0
MAX_ARTICLE_PARAGRAPHS = 5_000
MAX_ARTICLE_SENTENCES = 10_000
_SENTENCE_END = re.compile(r"[。！？!?；;]+|[.](?=\s)")


@dataclass
class IngestResult:
    documents: list[Document] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def ingest_corpus(corpus_dir: Path, budget: float | None = None) -> IngestResult:
    """Every article under corpus_dir/articles as a Document; each file skipped says why in `warnings`.
    `budget`: seconds one file may take to read (default FILE_SECONDS)."""
    budget = FILE_SECONDS if budget is None else budget
    result = IngestResult()
    root = Path(corpus_dir) / "articles"
    seen: dict[str, Path] = {}
    scan = scan_articles(corpus_dir)
    result.warnings.extend(scan.warnings)
    for path in scan.files:
        started = time.monotonic()
        try:
            doc = read_article(path, root)
            _check_time(time.monotonic() - started, budget)
        except SkipFile as exc:
            result.warnings.append(f"skipped {path}: {exc}")
            continue
        if doc.doc_id in seen:  # a.txt next to a.md: the later one (in file order) keeps its suffix
            first = seen[doc.doc_id]
            doc = replace(doc, doc_id=path.relative_to(root).as_posix())
            result.warnings.append(
                f"{path} has the same name as {first}; its passages are cited as {doc.doc_id}#p…"
            )
        seen[doc.doc_id] = path
        result.documents.append(doc)
    return result


def read_article(path: Path, root: Path) -> Document:
    """One article file of the folder `root` (corpus/articles) as a Document; SkipFile says why not."""
    corpus_real = real_root(Path(root).parent)
    raw, text = read_text(path, corpus_real)
    meta = sidecar_meta(path, corpus_real)
    if path.suffix.lower() in (".html", ".htm"):
        html_meta, blocks = html_blocks(text)
        meta = {**html_meta, **meta}
        body = ""
        spans = []
        for block_text, is_heading in blocks:
            if body:
                body += "\n\n"
            spans.append((len(body), len(body) + len(block_text), is_heading))
            body += block_text
    else:
        body, front = split_front_matter(text, path)
        header, end = header_block(body)
        body = _blanked(body, 0, end)  # blanked, not cut: offsets stay file offsets
        meta = {**header, **front, **meta}
        spans = _line_spans(body, markdown=path.suffix.lower() == ".md")

    meta = {**meta_from_lines(body), **meta}
    if (dateline := dateline_at(body)) is not None:  # its source and date are read: no paragraph
        body = _blanked(body, *dateline)
    doc_id = path.relative_to(root).with_suffix("").as_posix()
    title = str(meta.get("title") or "").strip()
    paragraphs = _paragraphs(body, spans, title)
    if not title and paragraphs:
        title = paragraphs[0].text
        if any(p.kind == "body" for p in paragraphs[1:]):  # a headline: the title, not a paragraph
            paragraphs[0] = replace(paragraphs[0], kind="heading")
    title = title or doc_id
    if not any(p.kind == "body" for p in paragraphs):
        raise SkipFile("no article text left after removing boilerplate")
    _check_size(body, paragraphs)
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


def _blanked(body: str, start: int, end: int) -> str:
    """`body` with [start, end) turned to spaces: read as metadata, no paragraph, offsets kept."""
    return body[:start] + " " * (end - start) + body[end:]


def _check_time(seconds: float, budget: float) -> None:
    """SkipFile for an article that took longer than `budget` to read: whatever made it slow (the
    known cases are linear now, issue 20), its passages would cost far more to embed."""
    if seconds > budget:
        raise SkipFile(
            f"it took {seconds:.1f} s to read, over the {budget:g} s one article may take "
            "(is it an article? split or simplify it)"
        )


def _check_size(body: str, paragraphs) -> None:
    """SkipFile for an article with more paragraphs or sentences than one article has: every one is
    embedded at each build, and 1 MB of one-sentence lines (~100,000) took hours (issue 20)."""
    if len(paragraphs) > MAX_ARTICLE_PARAGRAPHS:
        raise SkipFile(
            f"{len(paragraphs):,} paragraphs, over the limit of {MAX_ARTICLE_PARAGRAPHS:,} for one "
            "article (split it into several articles)"
        )
    sentences = len(_SENTENCE_END.findall(body))
    if sentences > MAX_ARTICLE_SENTENCES:
        raise SkipFile(
            f"about {sentences:,} sentences, over the limit of {MAX_ARTICLE_SENTENCES:,} for one "
            "article (split it into several articles)"
        )


def _line_spans(body: str, markdown: bool) -> list[tuple[int, int, bool]]:
    """Paragraph spans: a line each in .txt; blank-line separated blocks in .md, '#' lines as headings."""
    spans = []
    if markdown:
        for m in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", body):
            block_start = m.start()
            for line in re.finditer(r"[^\n]+", m.group(0)):
                if line.group(0).lstrip().startswith("#"):
                    spans.append((block_start + line.start(), block_start + line.end(), True))
            non_heading = [
                ln for ln in re.finditer(r"[^\n]+", m.group(0)) if not ln.group(0).lstrip().startswith("#")
            ]
            if non_heading:
                spans.append(
                    (block_start + non_heading[0].start(), block_start + non_heading[-1].end(), False)
                )
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
        and not DATE_STAMP.search(line)
    )


def _same(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)
