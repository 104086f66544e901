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
from collections.abc import Callable, Collection, Container
from dataclasses import dataclass

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
    word is never rewritten). `readings(ch)`: every pinyin reading a character can have, None for a
    character without one (language/word_tables.py, `pinyin_reading`); with it, pypinyin — 0.4 s to
    import — is imported only for a question with characters that can sound like a Chinese name, or
    capitals that can be one's initials; without it, always."""

    def __init__(
        self,
        names: list[tuple[str, str]],
        mentions: Callable[[str], list[str]],
        is_word: Callable[[str], bool],
        english_words: Container[str] = frozenset(),
        readings: Callable[[str], Collection[str] | None] | None = None,
    ):
        self._mentions = mentions
        self._is_word = is_word
        self._english_words = english_words
        self._readings = readings
        self._chinese: list[tuple[str, str]] = []  # (name, key) of the Chinese names heard as syllables
        initials: dict[str, set[str]] = {}
        latin: dict[str, str] = {}
        for name, key in names:
            name = name.strip()
            if _CJK_RUN.fullmatch(name) and 2 <= len(name) <= 4:
                self._chinese.append((name, key))
            elif re.fullmatch(r"[A-Za-z][A-Za-z -]+", name):
                words = name.split()
                if len(words) >= 2:
                    initials.setdefault("".join(w[0] for w in words).lower(), set()).add(key)
                if len(name.replace(" ", "")) >= MIN_FUZZY_LETTERS:
                    latin.setdefault(name, key)
        self._latin_initials = initials  # the Chinese names' initials join them in _sound_tables
        self._latin = latin
        self._first: dict[str, str] = {}  # entity key → the name an acronym is replaced by
        for name, key in names:
            if key not in self._first or (key not in latin.values() and name in latin):
                self._first[key] = name
        self._tables: _SoundTables | None = None
        self._heard: dict[int, list[list[frozenset[str]]]] | None = None
        self._char_sounds: dict[str, frozenset[str]] = {}

    def warm(self) -> None:
        """Load pypinyin and the names' syllables now (the web app, before it opens), not at the first
        question that may sound like a name."""
        self._sound_tables()

    def _sound_tables(self) -> _SoundTables:
        """The Chinese names' syllables and everybody's initials, made with pypinyin when first needed."""
        if self._tables is None:
            sounds: dict[tuple[str, ...], set[str]] = {}
            spelled: dict[tuple[str, ...], str] = {}
            initials = {i: set(keys) for i, keys in self._latin_initials.items()}
            for name, key in self._chinese:
                sy = syllables(name)
                sounds.setdefault(sy, set()).add(key)
                spelled.setdefault(sy, name)
                initials.setdefault("".join(s[0] for s in sy), set()).add(key)
            self._tables = _SoundTables(
                {sy: spelled[sy] for sy, keys in sounds.items() if len(keys) == 1},
                _unique(initials, self._english_words),
            )
        return self._tables

    def _may_sound_like_a_name(self, text: str) -> bool:
        """False only when no character of `text` can read as the syllable of a Chinese name at its
        place (then pypinyin's syllables of `text` are no name's)."""
        if self._readings is None or self._tables is not None:  # pypinyin already loaded: ask it
            return True
        sounds = [self._sounds_of(ch) for ch in text]
        return any(
            all(h & s for h, s in zip(name, sounds)) for name in self._names_heard().get(len(text), ())
        )

    def _may_be_chinese_initials(self, letters: str) -> bool:
        """False only when `letters` cannot be the initials of any Chinese name's syllables."""
        if self._readings is None or self._tables is not None:
            return True
        return any(
            all(a in {s[:1] for s in h} for a, h in zip(letters, name))
            for name in self._names_heard().get(len(letters), ())
        )

    def _names_heard(self) -> dict[int, list[list[frozenset[str]]]]:
        """The Chinese names by length, each as the readings of its characters (made once)."""
        if self._heard is None:
            heard: dict[int, list[list[frozenset[str]]]] = {}
            for name, _ in self._chinese:
                heard.setdefault(len(name), []).append([self._sounds_of(ch) for ch in name])
            self._heard = heard
        return self._heard

    def _sounds_of(self, ch: str) -> frozenset[str]:
        found = self._char_sounds.get(ch)
        if found is None:
            assert self._readings is not None
            found = frozenset(self._readings(ch) or (ch,))  # a character pypinyin cannot read stays itself
            self._char_sounds[ch] = found
        return found

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
                    # a name itself is never rewritten: checked before its syllables (no pypinyin)
                    if not self._may_sound_like_a_name(window) or self._mentions(window):
                        continue
                    name = self._sound_tables().sounds.get(syllables(window))
                    if (
                        not name
                        or name == window
                        or self._is_word(window)
                        or self._mentions(name)
                        and set(self._mentions(name)) & named
                    ):
                        continue
                    text = text.replace(window, name)
                    named |= set(self._mentions(name))
        return text

    def _acronyms(self, text: str) -> str:
        def swap(m: re.Match[str]) -> str:
            letters = m.group(0).lower()
            if self._may_be_chinese_initials(letters):
                key = self._sound_tables().initials.get(letters)
            else:  # only English names can have these initials
                key = _unique(self._latin_initials, self._english_words).get(letters)
            if key is None or self._mentions(m.group(0)):
                return m.group(0)
            return self._first.get(key) or m.group(0)

        return _ACRONYM.sub(swap, text)

    def _near_misses(self, text: str) -> str:
        if not self._latin:
            return text
        for m in list(_LATIN_RUN.finditer(text)):
            phrase = m.group(0)
            if (
                len(phrase.replace(" ", "")) < MIN_FUZZY_LETTERS
                or self._mentions(phrase)
                or not phrase[0].isupper()
            ):
                continue
            from rapidfuzz import fuzz, process  # here: most questions have no such phrase (30 ms)

            hit = process.extractOne(phrase, list(self._latin), scorer=fuzz.ratio, processor=str.lower)
            if hit and hit[1] >= NEAR_MISS_RATIO:
                text = text.replace(phrase, hit[0])
        return text


@dataclass(frozen=True)
class _SoundTables:
    sounds: dict[tuple[str, ...], str]  # the syllables of a Chinese name → the name (one entity's only)
    initials: dict[str, str]  # initials → the one entity whose name has them


def _unique(initials: dict[str, set[str]], english_words: Container[str]) -> dict[str, str]:
    """Initials of one entity's names only, and not an English word ("IT", "AS")."""
    return {i: next(iter(k)) for i, k in initials.items() if len(k) == 1 and i not in english_words}
