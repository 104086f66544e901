"""jieba's part-of-speech tags, looked up without reading its dictionary at every start.

jieba keeps a word's tag (n, v, nr …) in its 350,000-line dictionary file and reads all of it into a
dict when `jieba.posseg` is imported: 0.3 s of every shell `assistant ask`, for the dozen words of
one question (issue 20). Here the table is parsed once per jieba version into a sorted array file
beside jieba's own cache (the temp folder; numpy arrays, no pickle) and searched by bisection, and
`jieba.posseg` is imported without its table (only its tagger is used, over our tokenizer).
"""
from __future__ import annotations

import io
import os
import re
import tempfile
import threading
from collections.abc import Mapping
from functools import lru_cache

import numpy as np

_TAG_LINE = re.compile(r"^(\S+) \d+ (\S+)\s*$", re.M)
_IMPORT_LOCK = threading.Lock()


class TagTable:
    """word → tag over the sorted arrays, with an overlay for words added later (the user words
    jieba tags as it cuts). Only what POSTokenizer uses: `get` and `update`."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray, codes: np.ndarray, names: tuple[str, ...]):
        self._blob, self._offsets, self._codes, self._names = blob, offsets, codes, names
        self._added: dict[str, str] = {}

    def get(self, word: str, default=None):
        if word in self._added:
            return self._added[word]
        key = word.encode("utf-8")
        lo, hi = 0, len(self._codes)
        while lo < hi:  # the first entry not below `key`
            mid = (lo + hi) // 2
            if self._word(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self._codes) and self._word(lo) == key:
            return self._names[self._codes[lo]]
        return default

    def _word(self, i: int) -> bytes:
        return self._blob[self._offsets[i] : self._offsets[i + 1]].tobytes()

    def update(self, more: Mapping[str, str]) -> None:
        self._added.update(more)

    def __setitem__(self, word: str, tag: str) -> None:
        self._added[word] = tag


@lru_cache(maxsize=1)
def tag_arrays() -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
    """(words as one UTF-8 blob, their offsets, tag codes, tag names), sorted by word; read from the
    file beside jieba's cache, or parsed from jieba's dictionary and written there."""
    path = _cache_path()
    try:
        with np.load(path, allow_pickle=False) as data:
            blob, offsets, codes = data["blob"], data["offsets"], data["codes"]
            names = tuple(data["names"].tobytes().decode("utf-8").split("\n"))
        if len(offsets) == len(codes) + 1 and (len(codes) == 0 or int(codes.max()) < len(names)):
            return blob, offsets, codes, names
    except Exception:  # noqa: BLE001 - missing or damaged (zip, header, UTF-8): all mean "parse again"
        pass
    arrays = _parse(_dictionary_text())
    _write(path, *arrays)
    return arrays


def posseg():
    """`jieba.posseg`, imported without reading jieba's dictionary for its own module-level tagger
    (its table would be thrown away: our taggers use `TagTable`)."""
    import sys

    import jieba

    with _IMPORT_LOCK:
        if "jieba.posseg" not in sys.modules:
            jieba.dt.get_dict_file = lambda: io.BytesIO(b"")  # only for the import below
            try:
                import jieba.posseg  # noqa: F401 - imported for sys.modules
            finally:
                del jieba.dt.get_dict_file
    return sys.modules["jieba.posseg"]


def _dictionary_path() -> str:
    import jieba

    return os.path.join(os.path.dirname(jieba.__file__), "dict.txt")


def _cache_path() -> str:
    """Named for jieba's version and its dictionary file, so a new one makes a new table."""
    import jieba

    st = os.stat(_dictionary_path())
    return os.path.join(tempfile.gettempdir(),
                        f"assistant-jieba-tags-{jieba.__version__}-{st.st_size}-{st.st_mtime_ns}.npz")


def _dictionary_text() -> str:
    with open(_dictionary_path(), "rb") as f:
        return f.read().decode("utf-8")


def _parse(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
    pairs = sorted((w.encode("utf-8"), t) for w, t in _TAG_LINE.findall(text))
    names = tuple(sorted({t for _, t in pairs}))
    code = {t: i for i, t in enumerate(names)}
    lengths = np.fromiter((len(w) for w, _ in pairs), dtype=np.int64, count=len(pairs))
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    blob = np.frombuffer(b"".join(w for w, _ in pairs), dtype=np.uint8)
    codes = np.fromiter((code[t] for _, t in pairs), dtype=np.uint8, count=len(pairs))
    return blob, offsets, codes, names


def _write(path: str, blob, offsets, codes, names) -> None:
    tmp = f"{path}.{os.getpid()}.tmp.npz"
    try:
        np.savez(tmp, blob=blob, offsets=offsets, codes=codes,
                 names=np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8))
        os.replace(tmp, path)  # readers see the old table or the new one, never half of one
    except OSError:  # a read-only temp folder only costs the faster start
        try:
            os.unlink(tmp)
        except OSError:
            pass
