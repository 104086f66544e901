"""Aligned English renderings of articles: `NAME.en.txt` (or `.en.md`) beside `NAME.txt`.

No translation model installs here, so an English answer can only show English that someone
wrote and that we can point back to the Chinese it renders. A translation file is therefore
held to the shape of its original, sentence by sentence:

- optional YAML front matter with `title`, `source`, `author`, `translated_by`;
- then exactly the original's lines (after its own front matter): line i renders line i, a
  blank line stays blank;
- within a line, one English sentence per sentence of the original as `text.split_sentences`
  cuts it (an English sentence ends at . ? ! or ; followed by a space or the line's end);
- every number of an original sentence appears, converted, in its English sentence
  (`values.comparison.same_values`: 7.43 亿元 → RMB 743 million, 2025 年 6 月 30 日 → 30 June 2025).

A file that breaks any of these is reported by `assistant build` with the file and the line,
and that article is indexed from its original only: a half-aligned translation would put
English under the wrong citation, which is worse than no English at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from ..schema import Document, Passage
from ..text import split_english_sentences, split_sentences
from ..values.comparison import same_values
from .yamlfile import load_yaml

TRANSLATION_TAG = ".en"  # NAME.en.txt renders NAME.txt
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_META_KEYS = ("title", "source", "author", "translated_by")
_YEAR = re.compile(r"(19|20)\d\d")


def translation_file(article: Path) -> Path | None:
    """The translation beside an article, if there is one (same suffix first, then .md/.txt)."""
    article = Path(article)
    for suffix in dict.fromkeys((article.suffix, ".txt", ".md")):
        cand = article.with_name(article.stem + TRANSLATION_TAG + suffix)
        if cand.is_file():
            return cand
    return None


@dataclass(frozen=True)
class Translation:
    """An article's English, aligned: for each original sentence (by its offset in the document
    text), the English sentence that renders it."""

    path: str
    title: str = ""
    source: str = ""
    author: str = ""
    translated_by: str = ""
    sentences: dict[int, str] = field(default_factory=dict)  # start offset in Document.text → English
    headings: dict[int, str] = field(default_factory=dict)  # paragraph start offset → English heading


@dataclass
class TranslationResult:
    translation: Translation | None
    problems: list[str]


def read_translation(doc: Document, path: Path) -> TranslationResult:
    """Align `path` with `doc`; any problem means no translation for this article (and says where)."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return TranslationResult(None, [f"{path}: cannot be read ({exc})"])
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    meta, body = _front_matter(raw)
    if isinstance(meta, str):
        return TranslationResult(None, [f"{path}: {meta}"])
    if Path(doc.path).suffix.lower() not in (".txt", ".md"):
        return TranslationResult(None, [f"{path}: translations are read for .txt and .md articles only"])
    en_lines = body.split("\n")
    # Ingest blanks the original's front matter to spaces (offsets stay file offsets), so its lines
    # are the body's lines: line i of the translation renders line i of doc.text.
    zh_lines = doc.text.split("\n")
    problems: list[str] = []
    # a final newline is not a line of its own
    while len(en_lines) > len(zh_lines) and not en_lines[-1].strip():
        en_lines.pop()
    if len(en_lines) != len(zh_lines):
        problems.append(
            f"{path}: {len(en_lines)} lines, but the original has {len(zh_lines)} "
            "(the translation must keep the original's lines, blank ones included)"
        )
        return TranslationResult(None, problems)

    year = _article_year(doc)
    line_starts = _line_starts(doc.text)
    sentences: dict[int, str] = {}
    headings: dict[int, str] = {}
    for para in doc.paragraphs:
        first = _line_of(line_starts, para.start)
        last = _line_of(line_starts, max(para.start, para.end - 1))
        en_para = " ".join(ln.strip().lstrip("#").strip() for ln in en_lines[first : last + 1] if ln.strip())
        where = f"{path}:{first + 1 + _front_lines(raw)}"
        if not en_para:
            problems.append(f"{where}: the original has text here, the translation is blank")
            continue
        if para.kind == "heading":
            headings[para.start] = en_para
        zh_spans = split_sentences(para.text)
        en_spans = split_english_sentences(en_para)
        if len(zh_spans) != len(en_spans):
            problems.append(
                f"{where}: {len(zh_spans)} sentence(s) in the original, {len(en_spans)} in the translation"
            )
            continue
        for (a, b), (c, d) in zip(zh_spans, en_spans):
            zh, en = para.text[a:b], en_para[c:d]
            for problem in same_values(zh, en, year):
                problems.append(f"{where}: {problem}")
            sentences[para.start + a] = en
    if problems:
        return TranslationResult(None, problems)
    info = {k: str(meta.get(k) or "").strip() for k in _META_KEYS}
    return TranslationResult(Translation(path=str(path), sentences=sentences, headings=headings, **info), [])


def translate_passages(passages: list[Passage], doc: Document, tr: Translation) -> list[Passage]:
    """The document's passages with their English: text, section heading and title.

    A passage's English is its sentences' English joined by spaces, so the English splitter cuts
    it back into the same sentences (chunking.passage_sentences pairs them by position).
    """
    heading_by_text = {p.text: tr.headings.get(p.start, "") for p in doc.paragraphs if p.kind == "heading"}
    out = []
    for p in passages:
        if p.doc_id != doc.doc_id:
            out.append(p)
            continue
        section_en = heading_by_text.get(p.section, "")
        if p.kind == "meta":
            text_en = _meta_en(doc, tr)
        else:
            parts = [tr.sentences.get(p.start + a) for a, _ in split_sentences(p.text)]
            text_en = " ".join(parts) if parts and all(parts) else ""
        out.append(replace(p, text_en=text_en, section_en=section_en, title_en=tr.title))
    return out


def _meta_en(doc: Document, tr: Translation) -> str:
    parts = [f"“{tr.title or doc.title}”"]
    for label, value in (
        ("source", tr.source or doc.source),
        ("author", tr.author or doc.author),
        ("published", doc.published),
    ):
        if value:
            parts.append(f"{label}: {value}")
    return ", ".join(parts) + "."


def _front_matter(raw: str) -> tuple[dict | str, str]:
    m = _FRONT_MATTER.match(raw)
    if not m:
        return {}, raw
    try:
        data = load_yaml(m.group(1))  # refuses anchors/aliases (YAML bombs)
    except yaml.YAMLError as exc:
        return f"its front matter is not valid YAML: {str(exc).splitlines()[0]}", ""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return "its front matter is not a mapping of field: value", ""
    return data, raw[m.end() :]


def _front_lines(raw: str) -> int:
    m = _FRONT_MATTER.match(raw)
    return m.group(0).count("\n") if m else 0


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    import bisect

    return max(0, bisect.bisect_right(starts, offset) - 1)


def _article_year(doc: Document) -> int | None:
    m = _YEAR.search(doc.published or "")
    return int(m.group(0)) if m else None
