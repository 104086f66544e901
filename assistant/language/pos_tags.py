"""jieba's part-of-speech tags (n, v, nr …) for our tokenizers, without jieba reading them at start.

Importing `jieba.posseg` reads jieba's whole dictionary file into a dict for its module-level tagger
(0.3 s of every shell `assistant ask`, issue 20). Here the module is imported without it, and our
taggers look tags up in a sorted array table (word_tables.py).
"""

from __future__ import annotations

import io
import re
import sys
import threading
from functools import lru_cache

import numpy as np

from .word_tables import SortedWords, cache_path, read_arrays, sorted_arrays, write_arrays

_TAG_LINE = re.compile(r"^(\S+) \d+ (\S+)\s*$", re.M)
_IMPORT_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _tag_arrays() -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
    """(blob, offsets, tag codes, tag names) of jieba's dictionary, read from the table file or
    parsed from the dictionary and written there."""
    path = cache_path("tags")
    arrays = read_arrays(path)
    if arrays is not None and "names" in arrays:
        names = tuple(arrays["names"].tobytes().decode("utf-8").split("\n"))
        if len(arrays["values"]) == 0 or int(arrays["values"].max()) < len(names):
            return arrays["blob"], arrays["offsets"], arrays["values"], names
    import jieba

    with open(jieba.dt.get_dict_file().name, "rb") as f:
        pairs = _TAG_LINE.findall(f.read().decode("utf-8"))
    names = tuple(sorted({t for _, t in pairs}))
    code = {t: i for i, t in enumerate(names)}
    blob, offsets, values = sorted_arrays([(w, code[t]) for w, t in pairs])
    write_arrays(
        path,
        blob=blob,
        offsets=offsets,
        values=values,
        names=np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8),
    )
    return blob, offsets, values, names


def tag_table() -> SortedWords:
    """A tagger's own word → tag table (the words it adds stay its own)."""
    blob, offsets, values, names = _tag_arrays()
    return SortedWords(blob, offsets, values, decode=names.__getitem__)


def posseg():
    """`jieba.posseg`, imported without reading jieba's dictionary for its own module-level tagger
    (its table would be thrown away: our taggers use `tag_table`)."""
    import jieba

    with _IMPORT_LOCK:
        if "jieba.posseg" not in sys.modules:
            jieba.dt.get_dict_file = lambda: io.BytesIO(b"")  # only for the import below
            try:
                import jieba.posseg  # noqa: F401 - imported for sys.modules
            finally:
                del jieba.dt.get_dict_file
    return sys.modules["jieba.posseg"]
