"""The bilingual domain dictionary (corpus/glossary.yaml): English words → the Chinese terms the corpus uses.

Dense retrieval is multilingual already; this lets keyword search (BM25) and the answer's term
overlap see that "valuation" means 估值. The Chinese terms also go into the segmenter's dictionary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import AssistantError
from ..text import normalize


@dataclass(frozen=True)
class Glossary:
    entries: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()  # (english forms, chinese terms)

    @property
    def chinese_terms(self) -> list[str]:
        return sorted({zh for _, zhs in self.entries for zh in zhs})

    def spans(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """(start, end, Chinese terms) of each English form found in normalised `text`, longest forms first."""
        out: list[tuple[int, int, tuple[str, ...]]] = []
        taken = [False] * len(text)
        forms = sorted(((f, zhs) for fs, zhs in self.entries for f in fs), key=lambda x: -len(x[0]))
        for f, zhs in forms:
            for m in re.finditer(rf"(?<![a-z0-9]){re.escape(f)}(?![a-z0-9])", text):
                if not any(taken[m.start() : m.end()]):
                    out.append((m.start(), m.end(), zhs))
                    for i in range(m.start(), m.end()):
                        taken[i] = True
        return sorted(out)

    def expand(self, text: str) -> list[str]:
        """Chinese terms for the English words and phrases found in `text` (whole words, any case)."""
        norm = normalize(text)
        out: list[str] = []
        for forms, zhs in self.entries:
            if any(re.search(rf"(?<![a-z0-9]){re.escape(f)}(?![a-z0-9])", norm) for f in forms):
                out.extend(z for z in zhs if z not in out)
        return out


def glossary_path(corpus_dir: Path) -> Path:
    return Path(corpus_dir) / "glossary.yaml"


def load_glossary(corpus_dir: Path) -> Glossary:
    path = glossary_path(corpus_dir)
    if not path.exists():
        return Glossary()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise AssistantError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    terms = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(terms, list):
        raise AssistantError(f"{path}: field 'terms': expected a list of {{en: [...], zh: [...]}}")
    entries = []
    for i, t in enumerate(terms):
        if not isinstance(t, dict):
            raise AssistantError(f"{path}: field 'terms[{i}]': expected a mapping with en and zh")
        en, zh = t.get("en"), t.get("zh")
        en = [en] if isinstance(en, str) else en
        zh = [zh] if isinstance(zh, str) else zh
        if not en or not zh or not all(isinstance(x, str) for x in [*en, *zh]):
            raise AssistantError(f"{path}: field 'terms[{i}]': en and zh must be text or lists of text")
        entries.append((tuple(normalize(x).strip() for x in en), tuple(x.strip() for x in zh)))
    return Glossary(tuple(entries))
