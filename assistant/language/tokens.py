"""Words for BM25 and term overlap: jieba for Chinese, lower-cased words for Latin script.

bm25s's own splitter keeps a run of Chinese characters as one token, which makes BM25 useless
on Chinese; jieba with a user dictionary of domain terms (company names, products) keeps names
whole while also emitting their parts (search mode), so 壁仞 matches 壁仞科技.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache

from ..text import normalize
from . import pos_tags
from .pos_tags import TagTable, tag_arrays

# Function words that carry no topic. Kept short on purpose: numbers and years stay (they answer questions).
STOPWORDS = frozenset(
    """
的 了 是 在 和 与 及 或 也 都 而 就 还 又 其 之 这 那 这些 那些 一个 一种 一家 哪 哪些 哪家 哪个 哪款 什么 怎么
如何 多少 多少钱 多大 几 哪天 哪年 哪一年 吗 呢 吧 啊 把 被 对 从 向 为 以 于 将 让 给 由 等 被 所 着 过 它 它们 他 她 他们 公司 企业
是否 有 没有 可以 能 会 要 请 告诉 我 我们 你 您 年 月 日 时候 叫 名字 哪里 那么 这个 哪一年
a an the of to in on for and or is are was were be been being by with as at from that this these those
what which who whom whose when where why how much many does do did it its it's their there than then
about into over under any some me tell please i you we they he she his her our your can could would should
will shall has have had not no yes so if also just more most
""".split()
)

# jieba's tags for names: a person, a place, an organisation, another proper noun.
NAME_TAGS = frozenset({"nr", "ns", "nt", "nz", "nrt", "nrfg"})
# From this many occurrences in jieba's general dictionary (of 60 million words) a word is an ordinary
# one: 金融 (5,000+), 背后 and 人工 are; 芯澜, 恒擎, 壁仞 are not in it at all, and a rare word such as
# 云杉 (spruce, 30) is still possible in a company's name.
COMMON_WORD_FREQUENCY = 100
_TOKEN_OK = re.compile(r"\w", re.UNICODE)
_LONE_LETTER = re.compile(r"^[a-z]$")  # the s of "MetaX's", the A of "A 股"


@lru_cache(maxsize=1)
def _general_dictionary() -> tuple[dict[str, int], int]:
    """jieba's general dictionary (word → frequency, total), read once per process: reading it takes
    about a second, and every Tokenizer (each Assistant.load) used to read it again."""
    import jieba

    table = _read_word_table()
    if table is not None:
        return table
    base = jieba.Tokenizer()
    base.initialize()
    _write_word_table(base.FREQ, base.total)
    return base.FREQ, base.total


def _word_table_path():
    """Beside jieba's own cache (the temp folder), named for jieba's version and its dictionary file,
    so a new jieba or dictionary makes a new table."""
    import os
    import tempfile

    import jieba

    source = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    try:
        st = os.stat(source)
    except OSError:
        return None
    name = f"assistant-jieba-{jieba.__version__}-{st.st_size}-{st.st_mtime_ns}.npz"
    return os.path.join(tempfile.gettempdir(), name)


def _read_word_table() -> tuple[dict[str, int], int] | None:
    """jieba's parsed dictionary as we keep it: the words as one UTF-8 text, the frequencies (total
    last) as an integer array. jieba's own cache (marshal, 500,000 entries) took 0.7 s of every
    shell `ask` to read back; this takes 0.2 s (one split and one zip, both in C). None when absent
    or not what it should be (jieba's cache is then read and the table written again)."""
    import numpy as np

    path = _word_table_path()
    if path is None:
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            words = data["words"].tobytes().decode("utf-8").split("\n")
            freqs = data["freqs"].tolist()
    except Exception:  # noqa: BLE001 - a damaged file fails in many ways (zip, .npy header, UTF-8); all mean "rebuild"
        return None
    if len(freqs) != len(words) + 1:
        return None
    return dict(zip(words, freqs[:-1])), int(freqs[-1])


def _write_word_table(freq: dict[str, int], total: int) -> None:
    import os

    import numpy as np

    path = _word_table_path()
    if path is None or any("\n" in w for w in freq):
        return
    tmp = f"{path}.{os.getpid()}.tmp.npz"
    try:
        words = np.frombuffer("\n".join(freq).encode("utf-8"), dtype=np.uint8)
        np.savez(tmp, words=words, freqs=np.array([*freq.values(), total], dtype=np.int64))
        os.replace(tmp, path)  # readers see the old table or the new one, never half of one
    except OSError:  # a read-only temp folder only costs the faster start
        try:
            os.unlink(tmp)
        except OSError:
            pass


class Tokenizer:
    """A jieba instance of our own (no global state), primed with the domain dictionary."""

    def __init__(self, user_words: Iterable[str] = (), common_words: Iterable[str] = ()):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        freq, total = _general_dictionary()
        # a copy: the domain words added below must not leak into another Tokenizer
        self._jieba.FREQ, self._jieba.total, self._jieba.initialized = dict(freq), total, True
        self._pos = None
        self.user_words = sorted({normalize(w).strip() for w in user_words if w and w.strip()})
        self._user_set = frozenset(common_words)
        for word in self.user_words:
            # Spaces inside a term cannot be one jieba token; the parts still match.
            if " " not in word:
                self._jieba.add_word(word, freq=2_000_000, tag="n")  # tagged, or posseg calls them "x"

    def tokens(self, text: str) -> list[str]:
        """Content words of `text` in normal form; the same function serves documents and queries."""
        out = []
        for tok in self._jieba.cut_for_search(normalize(text)):
            tok = tok.strip()
            if tok and _TOKEN_OK.search(tok) and tok not in STOPWORDS and not _LONE_LETTER.match(tok):
                out.append(tok)
        return out

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """(word, part of speech) pairs, for telling names and nouns from verbs and function words."""
        if self._pos is None:
            # POSTokenizer(self._jieba) would read jieba's dictionary file for its word tags (0.3 s
            # of every shell `ask`); it gets the tag table instead, which looks words up in a
            # sorted, memory-mapped array (our words' tags are added at the first cut, as
            # POSTokenizer does, into the table's own overlay).
            posseg = pos_tags.posseg()
            pos = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
            pos.tokenizer = self._jieba
            pos.word_tag_tab = TagTable(*tag_arrays())
            self._pos = pos
        return [(w.word, w.flag) for w in self._pos.cut(normalize(text))]

    def in_dictionary(self, word: str) -> bool:
        """Whether jieba's general dictionary (or ours) knows the word; unknown nouns are likely names."""
        self._jieba.check_initialized()
        return bool(self._jieba.FREQ.get(word))

    def is_common(self, word: str) -> bool:
        """A word of the general dictionary that is no name: frequent there (COMMON_WORD_FREQUENCY)
        and not tagged as a person, place or organisation — or a term of the curated glossary
        (算力, 自研). Such a word makes no company stem (芯澜 does) and is never a misspelt name."""
        word = normalize(word)
        if word in self._user_set:
            return True
        return self._jieba.FREQ.get(word, 0) >= COMMON_WORD_FREQUENCY and \
            TagTable(*tag_arrays()).get(word, "") not in NAME_TAGS

    def many(self, texts: Iterable[str]) -> list[list[str]]:
        return [self.tokens(t) for t in texts]
