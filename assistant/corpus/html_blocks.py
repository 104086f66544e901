"""An HTML article as text blocks (headings marked) and the metadata its head tags give.

A real parser (BeautifulSoup) does it; scripts, styles and navigation are dropped.
"""

from __future__ import annotations

import re


def html_blocks(html: str) -> tuple[dict, list[tuple[str, bool]]]:
    """Text blocks of an HTML page with a real parser; scripts, styles and navigation dropped."""
    # Imported here: bs4 takes 125 ms to import, and only a build with HTML articles needs it.
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
    elements = soup.find_all(_BLOCKS)
    holders = _holding_blocks(elements)
    for el in elements:
        text = _own_text(el, holders) if id(el) in holders else el.get_text(" ", strip=True)
        text = re.sub(r"\s+", " ", text).strip()
        if text:
            blocks.append((text, el.name.startswith("h") and el.name != "h1"))
        if el.name == "h1" and text and "title" not in meta:
            meta["title"] = text
    return meta, blocks


_BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre"]
_INNER = ("p", "li", "blockquote")  # blocks that sit inside other blocks


def _holding_blocks(elements) -> set[int]:
    """ids of the elements that hold a p, li or blockquote somewhere below them, found in one walk
    up from each such block that stops at the first ancestor already found: linear in the page.
    (Asking each element whether it holds one took 16 s for 16,000 unclosed <li>, nested one in the
    next by the parser, and as long again at every later build: issue 20.)"""
    holders: set[int] = set()
    for el in elements:
        if el.name not in _INNER:
            continue
        parent = el.parent
        while parent is not None and id(parent) not in holders:
            holders.add(id(parent))
            parent = parent.parent
    return holders


def _own_text(el, holders: set[int]) -> str:
    """The text of a block that holds others, without theirs (they are blocks of their own): the
    'item' of <li>item<ul><li>…</li></ul></li>, which was dropped before."""
    parts = []
    for child in el.children:
        name = getattr(child, "name", None)
        if name is None:
            parts.append(str(child))
        elif name not in _BLOCKS and id(child) not in holders:
            parts.append(child.get_text(" ", strip=True))
    return " ".join(parts)
