"""What every answerer reads: the loaded index and the curated tables, built once per `Assistant`.

Read-only after load, so answerers can run in several threads at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ..corpus.companies import CompanyProfile
from ..corpus.company_directory import CompanyDirectory
from ..index.layout import LoadedIndex
from ..index.passage_maps import PassageMaps
from ..language.glossary import Glossary
from ..language.lexicon import Lexicon
from ..language.names import NameTable
from ..language.tokens import Tokenizer
from ..search.retrieval import Retriever
from ..settings import Settings


@dataclass(frozen=True)
class AnswerContext:
    settings: Settings
    index: LoadedIndex
    by_passage: Mapping[int, list[int]]  # passage index → its sentence numbers
    maps: PassageMaps  # passage id → index, a document's and a company's passages
    directory: CompanyDirectory
    profiles: tuple[CompanyProfile, ...]
    retriever: Retriever
    tokenizer: Tokenizer
    glossary: Glossary
    lexicon: Lexicon
    names: NameTable
    embed_query: Callable[[str], np.ndarray]
    # an English question's words → the Chinese the articles use, beyond the glossary (search/bridge.py)
    bridge: Callable[[str], list[str]] = lambda text: []

    @property
    def by_id(self) -> Mapping[str, int]:
        return self.maps.by_id

    @property
    def passages(self):
        return self.index.passages

    @property
    def sentences(self):
        return self.index.sentences
