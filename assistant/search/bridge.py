"""English question words → the Chinese words the articles use, for words no curated table covers.

The glossary and the name table answer first; what is left of an English question ("plaintiff",
"law firm", "appeal") goes through the general dictionary (language/dictionary.py), and only the
Chinese words the corpus uses come back, rarest first. They join the keyword search and the words
a claim is scored on, as the glossary's do. The dictionary's table is opened at the first English
question, not at start-up, under a lock: answerers run in several threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..corpus.company_directory import CompanyDirectory
from ..language.dictionary import EnglishChinese
from ..language.glossary import Glossary
from ..language.lexicon import Lexicon
from ..language.tokens import Tokenizer
from ..text import has_cjk, normalize


class EnglishBridge:
    def __init__(
        self,
        tokenizer: Tokenizer,
        glossary: Glossary,
        lexicon: Lexicon,
        directory: CompanyDirectory,
        known: Callable[[str], bool],
        idf: Callable[[str], float],
        load: Callable[[], EnglishChinese] = EnglishChinese.shipped,
    ):
        self._tokenizer, self._glossary, self._directory = tokenizer, glossary, directory
        self._known, self._idf, self._load = known, idf, load
        self._asking = frozenset(part for w in lexicon.question_words if w.isascii() for part in w.split())
        self._dictionary: EnglishChinese | None = None
        self._lock = threading.Lock()

    def __call__(self, text: str) -> list[str]:
        norm = normalize(text)
        if not norm or has_cjk(norm):
            return []
        with self._lock:
            if self._dictionary is None:
                self._dictionary = self._load()
        masked = list(norm)
        for a, b, _ in [*self._glossary.spans(norm), *self._directory.mention_spans(norm)]:
            masked[a:b] = " " * (b - a)  # the glossary's words and the companies' names are covered
        return self._dictionary.chinese_for("".join(masked), self._uses, self._rarity, self._asking)

    def _uses(self, word: str) -> bool:
        tokens = self._tokenizer.tokens(word)
        return bool(tokens) and all(self._known(t) for t in tokens)

    def _rarity(self, word: str) -> float:
        return max((self._idf(t) for t in self._tokenizer.tokens(word)), default=0.0)
