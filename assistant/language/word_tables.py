"""Libraries' word tables looked up without loading them: jieba's dictionary (word frequencies and
part-of-speech tags), and any table made from a library's data files (`text_table`: the English word
list, the pinyin readings of every character, CC-CEDICT turned around).

jieba reads its 350,000-word dictionary into dicts at every start: the frequencies (500,000 entries
with the prefixes it adds) from a marshal cache, the tags from the text file when `jieba.posseg`
is imported. Together that was 0.7 s of a shell `assistant ask` answering one question of a dozen
words (issue 20); the other tables cost 0.1–0.5 s each in the same way. Here each table is parsed
once per version of its source files into a folder of sorted arrays beside jieba's own cache (the
temp folder; .npy files, mapped, no pickle) and searched by bisection. A build, which looks words up millions
of times, turns its table into a dict after MATERIALISE_AFTER lookups.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from collections.abc import Callable, Container, Mapping
from functools import lru_cache

import numpy as np

# Lookups after which a table becomes a plain dict (a bisection costs ~20 µs, a dict lookup 0.1 µs):
# one question makes a few hundred; tokenising a corpus makes millions.
MATERIALISE_AFTER = 20_000


class SortedWords:
    """word → value over sorted arrays (one UTF-8 blob, its offsets, a value per word), with an
    overlay for words set later. What jieba's Tokenizer and POSTokenizer use of a dict: `in`, `[]`,
    `get`, item assignment and `update`."""

    def __init__(
        self, blob: np.ndarray, offsets: np.ndarray, values: np.ndarray, decode: Callable[[int], object] = int
    ):
        self._blob, self._offsets, self._values, self._decode = blob, offsets, values, decode
        # the blob as bytes and the offsets as a memoryview of Python ints, made at the first lookup:
        # a bisection step on them is a bytes slice, ten times faster than slicing numpy arrays
        self._raw: bytes | None = None
        self._ends: memoryview | None = None
        self._added: dict[str, object] = {}
        self._all: dict[str, object] | None = None
        self._lookups = 0

    def get(self, word: str, default=None):
        if self._all is not None:
            return self._all.get(word, default)
        if word in self._added:
            return self._added[word]
        self._lookups += 1
        if self._lookups > MATERIALISE_AFTER:
            self._materialise()
            return self._all.get(word, default)
        i = self._find(word.encode("utf-8"))
        return default if i < 0 else self._decode(int(self._values[i]))

    def __contains__(self, word: str) -> bool:
        return self.get(word, _MISSING) is not _MISSING

    def __getitem__(self, word: str):
        value = self.get(word, _MISSING)
        if value is _MISSING:
            raise KeyError(word)
        return value

    def __setitem__(self, word: str, value) -> None:
        (self._all if self._all is not None else self._added)[word] = value

    def update(self, more: Mapping[str, object]) -> None:
        (self._all if self._all is not None else self._added).update(more)

    def _find(self, key: bytes) -> int:
        if self._raw is None:
            self._ends = memoryview(np.ascontiguousarray(self._offsets, dtype=np.int64))
            self._raw = self._blob.tobytes()
        lo, hi = 0, len(self._values)
        while lo < hi:  # the first entry not below `key`
            mid = (lo + hi) // 2
            if self._word(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(self._values) and self._word(lo) == key else -1

    def _word(self, i: int) -> bytes:
        assert self._raw is not None and self._ends is not None
        return self._raw[self._ends[i] : self._ends[i + 1]]

    def _materialise(self) -> None:
        ends = self._offsets.tolist()
        raw = self._blob.tobytes()
        table = {
            raw[a:b].decode("utf-8"): self._decode(v)
            for a, b, v in zip(ends, ends[1:], self._values.tolist())
        }
        table.update(self._added)
        self._all = table


_MISSING = object()


def sorted_arrays(pairs: list[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(blob, offsets, values) of (word, value) pairs, sorted by the words' UTF-8 bytes."""
    encoded = sorted((w.encode("utf-8"), v) for w, v in pairs)
    lengths = np.fromiter((len(w) for w, _ in encoded), dtype=np.int64, count=len(encoded))
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    blob = np.frombuffer(b"".join(w for w, _ in encoded), dtype=np.uint8)
    values = np.array([v for _, v in encoded], dtype=np.int64)
    return blob, offsets, values


def cache_path(kind: str) -> str:
    """Beside jieba's own cache, named for jieba's version and its dictionary file, so a new jieba
    or dictionary makes a new table."""
    import jieba

    source = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    st = os.stat(source)
    return os.path.join(
        tempfile.gettempdir(),
        f"assistant-jieba-{kind}-{jieba.__version__}-{st.st_size}-{st.st_mtime_ns}.npy-tables",
    )


def read_arrays(path: str) -> dict[str, np.ndarray] | None:
    """The arrays of a table folder, mapped from their files (only the pages a look-up touches are
    read: reading 20 MB of jieba's tables out of a zip file was 0.05 s of every start), or None when
    the table is missing or damaged (it is then made again)."""
    try:
        names = [n for n in os.listdir(path) if n.endswith(".npy")]
        arrays = {n[:-4]: np.load(os.path.join(path, n), mmap_mode="r", allow_pickle=False) for n in names}
    except Exception:  # noqa: BLE001 - a damaged file fails in many ways (header, size): all mean "again"
        return None
    if len(arrays.get("offsets", ())) != len(arrays.get("values", ())) + 1:
        return None
    return arrays


def write_arrays(path: str, **arrays: np.ndarray) -> None:
    """One .npy file per array in a new folder, renamed into place whole: readers see the table or
    none. When another process wrote it first, its table stays and this one is dropped."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(tmp, exist_ok=True)
        for name, array in arrays.items():
            np.save(os.path.join(tmp, f"{name}.npy"), array, allow_pickle=False)
        shutil.rmtree(path, ignore_errors=True)  # a damaged table (read_arrays found none)
        os.replace(tmp, path)
    except OSError:  # a read-only temp folder only costs the faster start
        shutil.rmtree(tmp, ignore_errors=True)


@lru_cache(maxsize=1)
def frequency_arrays() -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """jieba's word frequencies (its prefixes included) as sorted arrays, and their total."""
    import jieba

    path = cache_path("freq")
    arrays = read_arrays(path)
    if arrays is not None and "total" in arrays:
        return arrays["blob"], arrays["offsets"], arrays["values"], int(arrays["total"][0])
    base = jieba.Tokenizer()
    base.initialize()
    blob, offsets, values = sorted_arrays(list(base.FREQ.items()))
    write_arrays(
        path, blob=blob, offsets=offsets, values=values, total=np.array([base.total], dtype=np.int64)
    )
    return blob, offsets, values, int(base.total)


def frequencies() -> tuple[SortedWords, int]:
    """A Tokenizer's own frequency table (its added words stay its own) and the total."""
    blob, offsets, values, total = frequency_arrays()
    return SortedWords(blob, offsets, values), total


# ---- tables made from any library's data files -------------------------------------------------------


def table_path(kind: str, sources: tuple[str, ...]) -> str:
    """In the temp folder like jieba's tables, named for the size and modification time of every file
    the table is made from: a new version of the library makes a new table."""
    stamp = "-".join(f"{st.st_size}-{st.st_mtime_ns}" for st in (os.stat(s) for s in sources))
    return os.path.join(tempfile.gettempdir(), f"assistant-{kind}-{stamp}.npy-tables")


def _joined(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """One UTF-8 blob of `texts` and the offsets of each (text i is blob[offsets[i]:offsets[i + 1]])."""
    encoded = [t.encode("utf-8") for t in texts]
    lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets


def text_table(
    kind: str,
    sources: tuple[str, ...],
    make: Callable[[], Mapping[str, str]],
    parse: Callable[[str], object] = str,
) -> SortedWords:
    """word → text (`parse`d when looked up), `make`d from `sources` once per version of them and
    kept as a sorted array file; the distinct texts are stored once each."""
    path = table_path(kind, sources)
    arrays = read_arrays(path)
    if not _has_texts(arrays):  # missing, damaged, or a text code past the texts: made again
        pairs = make()
        texts = sorted(set(pairs.values()))
        code = {t: i for i, t in enumerate(texts)}
        blob, offsets, values = sorted_arrays([(w, code[t]) for w, t in pairs.items()])
        text_blob, text_offsets = _joined(texts)
        arrays = {"blob": blob, "offsets": offsets, "values": values}
        arrays |= {"texts": text_blob, "text_offsets": text_offsets}
        write_arrays(path, **arrays)
    text_blob, ends = arrays["texts"], arrays["text_offsets"]

    def decode(i: int) -> object:
        return parse(text_blob[ends[i] : ends[i + 1]].tobytes().decode("utf-8"))

    return SortedWords(arrays["blob"], arrays["offsets"], arrays["values"], decode=decode)


def _has_texts(arrays: dict[str, np.ndarray] | None) -> bool:
    if arrays is None or not {"texts", "text_offsets"} <= arrays.keys():
        return False
    values, ends = arrays["values"], arrays["text_offsets"]
    return len(values) == 0 or 0 <= int(values.min()) and int(values.max()) < len(ends) - 1


def package_files(package: str, *names: str) -> tuple[str, ...]:
    """The files of an installed package that exist, found without importing it (importing pypinyin
    alone reads its phrase dictionary: 0.3 s)."""
    spec = importlib.util.find_spec(package)
    folders = (spec.submodule_search_locations or []) if spec else []
    return tuple(p for f in folders for p in (os.path.join(f, n) for n in names) if os.path.isfile(p))


@lru_cache(maxsize=1)
def common_english_words() -> Container[str]:
    """English words of a general dictionary (the english-words package's web2 list, 235,000 words,
    no abbreviations such as "mt"): an acronym that spells one ("IT", "AS") is not read as a
    company's initials, and a capitalised word that is one ("Domestic", "Western") is no name.
    Unpickling the set was 0.08 s of every start; this table is opened in milliseconds."""
    sources = package_files("english_words", "data/web2_lower.pickle")
    if not sources:
        return frozenset()

    def make() -> dict[str, str]:
        from english_words import get_english_words_set

        return dict.fromkeys(get_english_words_set(["web2"], lower=True), "")

    return text_table("english-words", sources, make)


@lru_cache(maxsize=1)
def pinyin_readings() -> SortedWords:
    """character → every toneless pinyin reading it can have in pypinyin ("le yue" for 乐): its own
    readings and its reading in any of pypinyin's phrases (乐亭: lao). Whatever pypinyin says a
    character of any text reads as is among them, so a text whose characters cannot read as a name's
    syllables cannot sound like the name, and pypinyin need not be imported to know it."""
    names = ("pinyin_dict.json", "phrases_dict.json", "pinyin_dict.py", "phrases_dict.py")
    return text_table("pinyin-readings", package_files("pypinyin", *names), _all_readings, str.split)


def _all_readings() -> dict[str, str]:
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    from pypinyin.contrib.tone_convert import to_normal

    toneless: dict[str, str] = {}  # 1,600 distinct syllables with tones

    def plain(syllable: str) -> str:
        if syllable not in toneless:
            toneless[syllable] = to_normal(syllable).lower()
        return toneless[syllable]

    readings: dict[str, set[str]] = {}
    for code, alternatives in PINYIN_DICT.items():
        readings.setdefault(chr(code), set()).update(plain(p) for p in alternatives.split(","))
    for phrase, syllables in PHRASES_DICT.items():
        for char, alternatives in zip(phrase, syllables):
            readings.setdefault(char, set()).update(plain(p) for p in alternatives)
    return {char: " ".join(sorted(r)) for char, r in readings.items()}


def pinyin_reading(char: str) -> list[str] | None:
    """Every toneless reading of `char` (its table opened at the first call), None for one pypinyin
    cannot read."""
    return pinyin_readings().get(char)
