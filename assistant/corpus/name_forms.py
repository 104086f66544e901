"""Generated ways to write a name: pinyin readings, English renderings, the general word table.

Both the names found in articles (entities.py) and the curated company profiles (companies.py) are
matched by these forms (芯澜科技 → xinlan, xin lan, Xinlan Technology), so they live below both.
The word table (`data/entity_words.yaml`: organisation suffixes, titles, surnames, places) is
general, never a list of this corpus's names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from pathlib import Path

from .yamlfile import read_table

WORDS_FILE = Path(__file__).parent / "data" / "entity_words.yaml"
# The stem of an organisation name: two to six characters before its suffix.
MIN_STEM, MAX_STEM = 2, 6


@dataclass(frozen=True)
class EntityWords:
    org_suffixes: dict[str, str]
    weak_suffixes: frozenset[str]
    places: tuple[str, ...]
    distinct_suffixes: frozenset[str]
    continuations: tuple[str, ...]
    roles: dict[str, str]
    org_kinds: dict[str, str]
    boundaries: tuple[str, ...]
    surnames: tuple[str, ...]
    surname_readings: dict[str, str]  # 曾 Zeng, 单 Shan, 区 Ou: a family name read otherwise than the word


@lru_cache(maxsize=1)
def entity_words() -> EntityWords:
    data = read_table(WORDS_FILE, "entity words") or {}
    suffixes = {str(k): str(v) for k, v in (data.get("org_suffixes") or {}).items()}
    return EntityWords(
        org_suffixes=dict(sorted(suffixes.items(), key=lambda kv: -len(kv[0]))),
        weak_suffixes=frozenset(str(w) for w in data.get("weak_suffixes") or ()),
        places=tuple(sorted((str(w) for w in data.get("places") or ()), key=len, reverse=True)),
        distinct_suffixes=frozenset(str(w) for w in data.get("distinct_suffixes") or ()),
        continuations=tuple(str(w) for w in data.get("continuations") or ()),
        roles={str(k): str(v) for k, v in (data.get("roles") or {}).items()},
        org_kinds={str(k): str(v) for k, v in (data.get("org_kinds") or {}).items()},
        boundaries=tuple(sorted((str(w) for w in data.get("boundaries") or ()), key=len, reverse=True)),
        surnames=tuple(sorted((str(w) for w in data.get("surnames") or ()), key=len, reverse=True)),
        surname_readings={str(k): str(v) for k, v in (data.get("surname_readings") or {}).items()},
    )


@lru_cache(maxsize=4096)
def syllables(text: str) -> tuple[str, ...]:
    """Toneless pinyin of the Chinese characters of `text`, Latin runs kept as words."""
    from pypinyin import Style, lazy_pinyin  # imported here: pypinyin takes 200 ms to import

    return tuple(s.lower() for s in lazy_pinyin(text, style=Style.NORMAL, errors=lambda x: [x]) if s.strip())


def romanise(text: str) -> str:
    """One capitalised pinyin word for a Chinese name part (芯澜 → Xinlan); Latin parts kept as they are."""
    parts = re.findall(r"[A-Za-z0-9]+|[\u4e00-\u9fff]+", text)
    words = []
    for part in parts:
        words.append(part if part.isascii() else "".join(syllables(part)).capitalize())
    return " ".join(words)


def person_english(name: str) -> str:
    """陈浩然 → Chen Haoran (family name first, as Chinese names are written in English)."""
    words = entity_words()
    surname = next((s for s in words.surnames if name.startswith(s) and len(name) > len(s)), name[:1])
    family = words.surname_readings.get(surname) or romanise(surname)
    return f"{family} {romanise(name[len(surname) :])}".strip()


def organisation_english(name: str) -> tuple[str, str]:
    """(English rendering, stem): the suffix translated, the stem in pinyin (中信证券 → CITIC? no:
    Zhongxin Securities — a curated name table wins where it has the company)."""
    for suffix, en in entity_words().org_suffixes.items():
        if name.endswith(suffix) and len(name) - len(suffix) >= MIN_STEM:
            stem = name[: -len(suffix)]
            inner, inner_stem = (
                organisation_english(stem) if ends_with_suffix(stem) else (romanise(stem), stem)
            )
            return f"{inner} {en}", inner_stem
    return romanise(name), name


def organisation_kind(name: str) -> str:
    """The kind of organisation a name's suffix says (…证券: brokerage, …会计师事务所: auditor), else
    "company"."""
    kinds = entity_words().org_kinds
    return next((kinds[s] for s in sorted(kinds, key=len, reverse=True) if name.endswith(s)), "company")


def ends_with_suffix(name: str) -> bool:
    return any(name.endswith(s) and len(name) - len(s) >= MIN_STEM for s in entity_words().org_suffixes)


def name_forms(zh: str, en: str, short: str = "") -> tuple[str, ...]:
    """Generated ways to write a name: pinyin joined and spaced (every reading of a character with
    several: 晟 is sheng or cheng), the English rendering with each reading of its stem, and its
    first word (Xinlan), for matching questions written in Latin letters."""
    forms: list[str] = []
    for chinese in (short, zh):
        if chinese and re.search(r"[\u4e00-\u9fff]", chinese):
            for sy in readings(chinese):
                forms += ["".join(sy), " ".join(sy)]
    stem = short or zh
    names = [en] if en else []
    if en and stem and re.search(r"[\u4e00-\u9fff]", stem):
        first = "".join(syllables(stem)).capitalize()
        names += [en.replace(first, "".join(sy).capitalize(), 1) for sy in readings(stem) if first in en]
    for name in names:
        forms.append(name)
        head = name.split()[0] if " " in name else ""
        if head and len(head) >= 4:
            forms.append(head)
    out: dict[str, None] = {}
    for f in forms:
        if f and len(f.replace(" ", "")) >= 4:
            out.setdefault(f, None)
    return tuple(out)


# Readings generated for a name whose characters have several (at most this many combinations).
MAX_READINGS = 4


@lru_cache(maxsize=4096)
def readings(text: str) -> tuple[tuple[str, ...], ...]:
    """The pinyin readings of a name, the usual one first, at most MAX_READINGS."""
    from pypinyin import Style, pinyin  # imported here: pypinyin takes 200 ms to import

    options = [
        [s.lower() for s in alts]
        for alts in pinyin(text, style=Style.NORMAL, heteronym=True, errors=lambda x: [x])
    ]
    usual = syllables(text)
    out = [usual]
    for combo in product(*options):
        if len(out) >= MAX_READINGS:
            break
        if combo != usual:
            out.append(tuple(combo))
    return tuple(out)
