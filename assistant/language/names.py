"""The bilingual name table (corpus/names.yaml): who and what articles name, in both languages.

English readers meet 国泰君安证券 as Guotai Junan Securities and 永劫无间 as Naraka: Bladepoint;
English questions that say "Guotai Junan" must find the Chinese text. One curated table does both
directions, says which kind of thing a name is (a "who" question wants an organisation or a
person), and is what the translation check holds every English sentence to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..corpus.curated import CuratedTables
from ..corpus.name_forms import organisation_kind
from ..corpus.yamlfile import parse_table, table_bytes
from ..errors import AssistantError
from ..text import normalize, word_search

NAMES_FILE = "names.yaml"
KINDS = (
    "brokerage",
    "regulator",
    "investor",
    "exchange",
    "board",
    "company",
    "product",
    "architecture",
    "person",
    "place",
    "publication",
    "game",
    "technology",
    "auditor",
    "law_firm",
    "rating_agency",
    "appraiser",
    "bank",
)

# The kinds that answer "which organisation": every kind but people, places, products and the like.
ORGANISATION_KINDS = frozenset(
    {"brokerage", "regulator", "investor", "exchange", "company", "board", "auditor", "law_firm"}
    | {"rating_agency", "appraiser", "bank"}
)


@dataclass(frozen=True)
class Name:
    zh: str
    en: str
    kind: str
    aliases_zh: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()

    @property
    def zh_forms(self) -> tuple[str, ...]:
        return (self.zh, *self.aliases_zh)

    @property
    def en_forms(self) -> tuple[str, ...]:
        return (self.en, *self.aliases_en)


@dataclass(frozen=True)
class NameTable:
    names: tuple[Name, ...] = ()

    def in_text(self, text: str) -> list[Name]:
        """Names whose Chinese or English form occurs in `text` (English forms as whole words)."""
        norm = normalize(text)
        squashed = norm.replace(" ", "")
        return [
            n for n in self.names if any(_has_form(norm, squashed, f) for f in (*n.zh_forms, *n.en_forms))
        ]

    def with_found(self, entities) -> NameTable:
        """This table plus the organisations and people found in the articles (corpus/entities.py),
        each with its transliterated English; curated entries come first and win."""
        have = {normalize(f) for n in self.names for f in n.zh_forms}
        extra = tuple(
            Name(
                zh=e.zh,
                en=e.en,
                kind="person" if e.kind == "person" else organisation_kind(e.zh),
                aliases_zh=tuple(a for a in (e.short, *e.aliases) if a and not a.isascii()),
            )
            for e in entities
            if normalize(e.zh) not in have
        )
        return NameTable(self.names + extra) if extra else self

    def kinds_in(self, text: str) -> set[str]:
        return {n.kind for n in self.in_text(text)}

    def chinese_for(self, text: str) -> list[str]:
        """Chinese forms of the names an English question uses (query expansion towards the corpus)."""
        norm = normalize(text)
        out: list[str] = []
        for n in self.names:
            if n.zh != n.en and any(_has_form(norm, norm.replace(" ", ""), f) for f in n.en_forms):
                out.extend(f for f in n.zh_forms if f not in out)
        return out

    @property
    def chinese_words(self) -> list[str]:
        """Chinese forms for the word segmenter, so a name is one token."""
        return sorted({f for n in self.names for f in n.zh_forms if re.search(r"[\u4e00-\u9fff]", f)})


def _has_form(norm: str, squashed: str, form: str) -> bool:
    f = _normal(form)
    if re.fullmatch(r"[a-z0-9 .:;'&™+-]+", f):
        return word_search(f, norm) is not None
    return f.replace(" ", "") in squashed


@cache
def _normal(form: str) -> str:
    return normalize(form)


def load_names(corpus_dir: Path, tables: CuratedTables | None = None) -> NameTable:
    """corpus/names.yaml, or an empty table; a malformed file stops the load naming file, entry and
    problem. `tables`: the load's reading of the curated tables (corpus/curated.py)."""
    path = Path(corpus_dir) / NAMES_FILE
    raw = table_bytes(path, "name table")
    if raw is None:
        return NameTable()
    return (tables or CuratedTables()).read(
        path, raw, lambda: _parse(parse_table(path, raw, "name table"), path), _to_plain, _from_plain
    )


def _parse(data, path: Path) -> NameTable:
    if data is None:
        return NameTable()
    entries = data.get("names") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise AssistantError(f"name table {path}: field 'names': expected a list of {{zh, en, kind}}")
    names = []
    for i, e in enumerate(entries):
        where = f"name table {path}: field 'names[{i}]"
        if not isinstance(e, dict) or set(e) - {"zh", "en", "kind", "aliases_zh", "aliases_en"}:
            raise AssistantError(f"{where}': expected a mapping with zh, en, kind, aliases_zh, aliases_en")
        for key in ("zh", "en", "kind"):
            if not isinstance(e.get(key), str) or not e[key].strip():
                raise AssistantError(f"{where}.{key}': missing or not text")
        if e["kind"] not in KINDS:
            raise AssistantError(f"{where}.kind': {e['kind']!r} is not one of {', '.join(KINDS)}")
        aliases = {}
        for key in ("aliases_zh", "aliases_en"):
            v = e.get(key) or []
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise AssistantError(f"{where}.{key}': expected a list of text")
            aliases[key] = tuple(x.strip() for x in v if x.strip())
        names.append(Name(zh=e["zh"].strip(), en=e["en"].strip(), kind=e["kind"], **aliases))
    return NameTable(tuple(names))


def _to_plain(table: NameTable) -> list:
    """The table as the build's compiled copy holds it (corpus/curated.py)."""
    return [[n.zh, n.en, n.kind, list(n.aliases_zh), list(n.aliases_en)] for n in table.names]


def _from_plain(plain: list) -> NameTable:
    return NameTable(tuple(Name(zh, en, kind, tuple(az), tuple(ae)) for zh, en, kind, az, ae in plain))
