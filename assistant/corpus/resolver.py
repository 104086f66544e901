"""Names in a question written another way, rewritten to the name the corpus uses.

People type what they remember: initials ("BR" for Biren, "MT" for Moore Threads), a homophone
(碧仞 for 壁仞: the same pinyin), a near miss (Moor Threads, Enflam). Before a question is analysed,
each such form is replaced by the entity's own name, so every later stage — which company is asked
about, coverage, retrieval, follow-ups — sees one name. The answer still shows the question as the
user wrote it. Forms are generated from the names (pinyin, initials), never typed per company; a
form two entities share resolves to neither.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .name_forms import syllables

# Initials of at least two letters; a question's acronym of 2–4 capitals is compared with them.
_ACRONYM = re.compile(r"(?<![A-Za-z0-9-])[A-Z]{2,4}(?![A-Za-z0-9]|-?\d)")  # not the QH of QH-960
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z-]+(?: [A-Za-z][A-Za-z-]+){0,2}")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
# A near miss of a Latin name: rapidfuzz's ratio (0–100) at or above this, on names of five or more
# letters; 88 lets one letter in eight differ (Moor Threads, Enflam) and not a different word.
NEAR_MISS_RATIO = 88
MIN_FUZZY_LETTERS = 5


class NameResolver:
    """Rewrites a question's name forms to the entity's name.

    `names`: (name, entity key) for every name of every entity — Chinese and English, primary and
    alias. `mentions(text)`: the entity keys the text already names exactly. `is_word(w)`: the
    general dictionary knows `w` (a homophone that is a word of its own — 必然 for 壁仞? no: a real
    word is never rewritten)."""

    def __init__(
        self,
        names: list[tuple[str, str]],
        mentions: Callable[[str], list[str]],
        is_word: Callable[[str], bool],
        english_words: frozenset[str] = frozenset(),
    ):
        self._mentions = mentions
        self._is_word = is_word
        sounds: dict[tuple[str, ...], set[str]] = {}
        spelled: dict[tuple[str, ...], str] = {}
        initials: dict[str, set[str]] = {}
        latin: dict[str, str] = {}
        for name, key in names:
            name = name.strip()
            if _CJK_RUN.fullmatch(name) and 2 <= len(name) <= 4:
                sy = syllables(name)
                sounds.setdefault(sy, set()).add(key)
                spelled.setdefault(sy, name)
                if len(name) >= 2:
                    initials.setdefault("".join(s[0] for s in sy), set()).add(key)
            elif re.fullmatch(r"[A-Za-z][A-Za-z -]+", name):
                words = name.split()
                if len(words) >= 2:
                    initials.setdefault("".join(w[0] for w in words).lower(), set()).add(key)
                if len(name.replace(" ", "")) >= MIN_FUZZY_LETTERS:
                    latin.setdefault(name, key)
        self._sounds = {sy: spelled[sy] for sy, keys in sounds.items() if len(keys) == 1}
        self._initials = {
            i: next(iter(k)) for i, k in initials.items() if len(k) == 1 and i not in english_words
        }
        self._latin = latin
        self._first: dict[str, str] = {}  # entity key → the name an acronym is replaced by
        for name, key in names:
            if key not in self._first or (key not in latin.values() and name in latin):
                self._first[key] = name

    def canonical(self, question: str) -> str:
        """`question` with each name written another way replaced by the entity's name."""
        out = self._homophones(question)
        out = self._acronyms(out)
        return self._near_misses(out)

    def _homophones(self, text: str) -> str:
        for run in list(_CJK_RUN.finditer(text)):
            chunk = run.group(0)
            named = set(self._mentions(chunk))
            for size in (4, 3, 2):
                for i in range(0, len(chunk) - size + 1):
                    window = chunk[i : i + size]
                    name = self._sounds.get(syllables(window))
                    if (
                        not name
                        or name == window
                        or self._is_word(window)
                        or self._mentions(name)
                        and set(self._mentions(name)) & named
                    ):
                        continue
                    if self._mentions(window):
                        continue
                    text = text.replace(window, name)
                    named |= set(self._mentions(name))
        return text

    def _acronyms(self, text: str) -> str:
        def swap(m: re.Match[str]) -> str:
            key = self._initials.get(m.group(0).lower())
            if key is None or self._mentions(m.group(0)):
                return m.group(0)
            return self._first.get(key) or m.group(0)

        return _ACRONYM.sub(swap, text)

    def _near_misses(self, text: str) -> str:
        if not self._latin:
            return text
        from rapidfuzz import fuzz, process

        for m in list(_LATIN_RUN.finditer(text)):
            phrase = m.group(0)
            if (
                len(phrase.replace(" ", "")) < MIN_FUZZY_LETTERS
                or self._mentions(phrase)
                or not phrase[0].isupper()
            ):
                continue
            hit = process.extractOne(phrase, list(self._latin), scorer=fuzz.ratio, processor=str.lower)
            if hit and hit[1] >= NEAR_MISS_RATIO:
                text = text.replace(phrase, hit[0])
        return text


@lru_cache(maxsize=1)
def common_english_words() -> frozenset[str]:
    """English words of a general dictionary (the english-words package's web2 list, 235,000 words,
    no abbreviations such as "mt"): an acronym that spells one ("IT", "AS") is not read as a
    company's initials, and a capitalised word that is one ("Domestic", "Western") is no name."""
    try:
        from english_words import get_english_words_set
    except ImportError:
        return frozenset()
    return frozenset(get_english_words_set(["web2"], lower=True))
