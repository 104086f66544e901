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


def meta_from_lines(body: str) -> dict:
    """Author and date from the article's own header lines (作者 | …, 时间:2025-11-04 …)."""
    meta: dict[str, str] = {}
    for line in body.splitlines()[:30]:
        line = line.strip()
        if "author" not in meta and (m := _AUTHOR.match(line)):
            meta["author"] = m.group(1).strip()
        if "published" not in meta and re.search(r"时间|日期|发布|published", line, re.I):
            if d := DATE_STAMP.search(line):
                meta["published"] = d.group(1)
    return meta
