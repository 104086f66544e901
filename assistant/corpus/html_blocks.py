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
    for el in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre"]):
        if el.find(["p", "li", "blockquote"]):  # a container; its children are visited
            continue
        text = re.sub(r"\s+", " ", el.get_text(" ", strip=True)).strip()
        if text:
            blocks.append((text, el.name.startswith("h") and el.name != "h1"))
        if el.name == "h1" and text and "title" not in meta:
            meta["title"] = text
    return meta, blocks
