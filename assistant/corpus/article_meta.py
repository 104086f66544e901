"""An article's metadata (title, source, author, date, …) from its sidecar, front matter or lines.

A sidecar `<name>.meta.yaml` wins over YAML front matter, which wins over lines of the article
itself; every field is checked to be a scalar, and a bad file is a `SkipFile` naming the problem.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import yaml

from ..text import without_control
from .article_files import META_SUFFIX, SkipFile
from .yamlfile import load_yaml, read_yaml

META_FIELDS = ("title", "source", "author", "published", "language", "url")
DATE_STAMP = re.compile(r"(\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?)")
_AUTHOR = re.compile(r"^(?:作者|撰文)\s*[|｜:：]\s*(.+)$")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def sidecar_meta(path: Path, corpus_real: str) -> dict:
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


def split_front_matter(text: str, path: Path) -> tuple[str, dict]:
    m = _FRONT_MATTER.match(text)
    if not m:
        return text, {}
    try:
        data = load_yaml(m.group(1))
    except yaml.YAMLError as exc:
        raise SkipFile(f"its front matter is not valid YAML: {_one_line(exc)}") from None
    meta = _meta_fields(data, "its front matter")
    # Blank out the front matter instead of cutting it, so offsets stay file offsets.
    body = " " * m.end() + text[m.end() :]
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


# An article pasted with its header as labelled lines ("标题: …", "来源: …", "Date: …"): the label's
# field. Only a block of at least HEADER_MIN_LINES such lines at the very start counts as a header.
_HEADER_FIELDS = {
    "标题": "title", "题目": "title", "title": "title",
    "来源": "source", "出处": "source", "source": "source",
    "作者": "author", "撰文": "author", "记者": "author", "author": "author", "by": "author",
    "日期": "published", "时间": "published", "发布时间": "published", "发布日期": "published",
    "date": "published", "published": "published",
}  # fmt: skip
_HEADER_LINE = re.compile(
    r"^[ \t]*(" + "|".join(_HEADER_FIELDS) + r")[ \t]*[:：|｜][ \t]*(\S[^\n]*?)[ \t]*$", re.I
)
_CHINESE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
HEADER_MIN_LINES = 2
# A dateline: a short line of a source and a date, within the first lines (headline, then dateline).
_DATELINE = re.compile(
    r"^([^\s:：|｜][^:：|｜]{0,24}?)\s*[|｜·/,，]?\s*(\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)$"
)
DATELINE_WITHIN = 3


def header_block(body: str) -> tuple[dict[str, str], int]:
    """The fields of the labelled header lines an article starts with, and where its body begins
    (0 and no fields when it does not start with HEADER_MIN_LINES of them)."""
    meta: dict[str, str] = {}
    end = lines = 0
    for m in re.finditer(r"[^\n]*(?:\n|$)", body):
        line = m.group(0)
        if not line.strip():
            if m.end() == m.start():
                break
            continue
        label = _HEADER_LINE.match(line.rstrip("\n"))
        if not label:
            break
        field, value = _HEADER_FIELDS[label.group(1).lower()], label.group(2)
        if field == "published":
            value = _date_of(value)
        if value and field not in meta:
            meta[field] = without_control(value)
        end, lines = m.end(), lines + 1
    return (meta, end) if lines >= HEADER_MIN_LINES else ({}, 0)


def _date_of(text: str) -> str:
    """2026-03-16 or 2026年3月16日 in `text` as 2026-03-16 (with the time when one is given)."""
    if m := DATE_STAMP.search(text):
        return m.group(1)
    if m := _CHINESE_DATE.search(text):
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return ""


def dateline_at(body: str) -> tuple[int, int] | None:
    """Where the dateline under the headline is ("申江财经 2026-03-18": its line's offsets), or None:
    its source and date are the article's, and the line is no paragraph of it."""
    found = _dateline(body)
    return found[1] if found else None


def _dateline(body: str) -> tuple[int, tuple[int, int], re.Match[str]] | None:
    """The dateline within the first DATELINE_WITHIN lines: its line's number, offsets and match."""
    at = 0
    for i, line in enumerate(body.splitlines(keepends=True)[:DATELINE_WITHIN]):
        if m := _DATELINE.match(line.strip()):
            lead = len(line) - len(line.lstrip())
            return i, (at + lead, at + len(line.rstrip())), m
        at += len(line)
    return None


def meta_from_lines(body: str) -> dict:
    """Author and date from the article's own header lines (作者 | …, 时间:2025-11-04 …), or source and
    date from a dateline under the headline ("第一财经 2026-05-12")."""
    meta: dict[str, str] = {}
    dateline = _dateline(body)
    for i, line in enumerate(body.splitlines()[:30]):
        line = line.strip()
        if dateline and i == dateline[0] and "published" not in meta:
            m = dateline[2]
            meta["published"], meta["source"] = _date_of(m.group(2)), m.group(1).strip()
        if "author" not in meta and (m := _AUTHOR.match(line)):
            meta["author"] = m.group(1).strip()
        if "published" not in meta and re.search(r"时间|日期|发布|published", line, re.I):
            if d := DATE_STAMP.search(line):
                meta["published"] = d.group(1)
    return meta
