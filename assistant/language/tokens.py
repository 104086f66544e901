"""Words for BM25 and term overlap: jieba for Chinese, lower-cased words for Latin script.

bm25s's own splitter keeps a run of Chinese characters as one token, which makes BM25 useless
on Chinese; jieba with a user dictionary of domain terms (company names, products) keeps names
whole while also emitting their parts (search mode), so 壁仞 matches 壁仞科技.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from ..text import normalize
from .pos_tags import posseg, tag_table
from .word_tables import frequencies

# Function words that carry no topic. Kept short on purpose: numbers and years stay (they answer
# questions).
STOPWORDS = frozenset(
    """
的 了 是 在 和 与 及 或 也 都 而 就 还 又 其 之 这 那 这些 那些 一个 一种 一家 哪 哪些 哪家 哪个 哪款 什么
怎么 如何 多少 多少钱 多大 几 哪天 哪年 哪一年 吗 呢 吧 啊 把 被 对 从 向 为 以 于 将 让 给 由 等 被 所 着 过
它 它们 他 她 他们 公司 企业 是否 有 没有 可以 能 会 要 请 告诉 我 我们 你 您 年 月 日 时候 叫 名字 哪里 那么
这个 哪一年
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
# Before a weak suffix (…设备, …精密) a word the dictionary has even this rarely is a phrase's word:
# 刻蚀 (etch, 13) makes 刻蚀设备 no company; the stems of the fresh batches' companies (启衡 3, 光通 4,
# 晶拓, 芯澜: 0) are below it.
ORDINARY_STEM_FREQUENCY = 10
_TOKEN_OK = re.compile(r"\w", re.UNICODE)
_LATIN_WORD = re.compile(r"[a-z0-9]+")  # a word of normalised Latin text (qh-960 is two)
_LONE_LETTER = re.compile(r"^[a-z]$")  # the s of "MetaX's", the A of "A 股"


class Tokenizer:
    """A jieba instance of our own (no global state), primed with the domain dictionary."""

    def __init__(self, user_words: Iterable[str] = (), common_words: Iterable[str] = ()):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        # its own table over the shared arrays: the domain words added below stay this Tokenizer's
        self._jieba.FREQ, self._jieba.total = frequencies()
        self._jieba.initialized = True
        self._pos = None
        self._tags = tag_table()  # for is_common (the tagger has its own, with the words it adds)
        self.user_words = sorted({normalize(w).strip() for w in user_words if w and w.strip()})
        self._user_set = frozenset(common_words)
        for word in self.user_words:
            # Spaces inside a term cannot be one jieba token; the parts still match.
            if " " not in word:
                self._jieba.add_word(word, freq=2_000_000, tag="n")  # tagged, or posseg calls them "x"

    def tokens(self, text: str) -> list[str]:
        """Content words of `text` in normal form; the same function serves documents and queries."""
        norm = normalize(text)
        out = []
        for tok, _ in _latin_whole(norm, ((t, a) for t, a, _ in self._jieba.tokenize(norm, mode="search"))):
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
            tagger = posseg()
            pos = tagger.POSTokenizer.__new__(tagger.POSTokenizer)
            pos.tokenizer = self._jieba
            pos.word_tag_tab = tag_table()
            self._pos = pos
        norm = normalize(text)
        pieces, start = {}, 0
        for w in self._pos.cut(norm):
            pieces[start] = (w.word, w.flag)
            start += len(w.word)
        whole = _latin_whole(norm, ((w, a) for a, (w, _) in pieces.items()))
        # a Latin word made whole again is tagged as jieba tags one it does not know
        return [(w, pieces[a][1] if pieces[a][0] == w else "eng") for w, a in whole]

    def in_dictionary(self, word: str) -> bool:
        """Whether jieba's general dictionary (or ours) knows the word; unknown nouns are likely names."""
        self._jieba.check_initialized()
        return bool(self._jieba.FREQ.get(word))

    def is_common(self, word: str, frequency: int = COMMON_WORD_FREQUENCY) -> bool:
        """A word of the general dictionary that is no name: frequent there (COMMON_WORD_FREQUENCY)
        and not tagged as a person, place or organisation — or a term of the curated glossary
        (算力, 自研). Such a word makes no company stem (芯澜 does) and is never a misspelt name."""
        word = normalize(word)
        if word in self._user_set:
            return True
        return self._jieba.FREQ.get(word, 0) >= frequency and self._tags.get(word, "") not in NAME_TAGS

    def many(self, texts: Iterable[str]) -> list[list[str]]:
        return [self.tokens(t) for t in texts]


def _latin_whole(norm: str, pieces) -> list[tuple[str, int]]:
    """(word, start) pieces of a segmentation of `norm`, a Latin word whole: jieba reads letters as it
    reads characters, so a dictionary word inside one split it ("sector" → se + cto, "director" →
    dire + cto, "stage" → st + age), and the parts matched CTO and 首席技术官 in English questions and
    translations. The word takes its first part's place; its other parts go."""
    words = {m.start(): m for m in _LATIN_WORD.finditer(norm)}
    out: list[tuple[str, int]] = []
    covered_to = -1
    for tok, start in pieces:
        if _LATIN_WORD.fullmatch(tok):
            if start < covered_to:
                continue
            if start in words:
                out.append((words[start].group(), start))
                covered_to = words[start].end()
                continue
        out.append((tok, start))
    return out
