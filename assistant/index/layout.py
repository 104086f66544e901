"""The index on disk: a folder per build, switched into place atomically, verified on load.

Layout under the index folder:
    CURRENT                 name of the live build (replaced with os.replace: atomic)
    builds/<id>/            manifest.json, dense.faiss, passages.jsonl, sentences.npy,
                            sentence_vectors.npy, documents.json, bm25/, tables.json
    cache/                  embedding cache (survives rebuilds)
    .lock                   held while a build writes

A build writes a new folder and only then points CURRENT at it, so a build killed at any
moment leaves the previous index usable. Everything is JSON or .npy; nothing is pickled.
Loading checks the manifest (format version, model, dimension, fingerprint) and every file's
size and checksum (sampled for big files untouched since the build), and says which file is wrong.

This module holds what every other module of the index shares: the format version, the names of a
build's files, the error a bad index raises, and the build in memory (IndexData, LoadedIndex). The
work is in dense.py (the FAISS index), folders.py (builds on disk), manifest.py (what a build
claims and the checks of its files) and records.py (reading a build back).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import AssistantError
from ..schema import Passage, Sentence

# 2: English renderings (text_en, sentence spans, English vectors); 3: sentences as an integer
# array (sentences.npy) instead of two million JSON lines at a million passages (3.2 s of the load).
FORMAT_VERSION = 3
MANIFEST = "manifest.json"
FILES = ("dense.faiss", "passages.jsonl", "sentences.npy", "sentence_vectors.npy", "documents.json")
# Written only when some article has an aligned English translation (corpus/translation.py).
EN_FILES = ("dense_en.faiss", "sentence_vectors_en.npy")


class IndexProblem(AssistantError):
    """The index on disk is missing, stale or damaged; the message says which and why."""


@dataclass
class IndexData:
    """Everything a build produces, in memory."""

    passages: list[Passage]
    passage_vectors: np.ndarray
    sentences: list[Sentence]
    sentence_vectors: np.ndarray
    documents: list[dict[str, Any]]
    bm25_tokens: list[list[str]]
    manifest: dict[str, Any] = field(default_factory=dict)
    # English renderings (aligned translations): one row per passage / sentence, zeros where an
    # article has none; None when no article of the corpus has a translation.
    passage_vectors_en: np.ndarray | None = None
    sentence_vectors_en: np.ndarray | None = None
    # The curated tables as validated for this build (corpus/curated.py: CuratedTables.compiled),
    # written as tables.json; None writes none.
    tables: dict[str, Any] | None = None


@dataclass
class LoadedIndex:
    path: Path
    manifest: dict[str, Any]
    passages: list[Passage]
    sentences: Sequence[Sentence]  # a SentenceTable when read from disk
    sentence_vectors: np.ndarray
    documents: dict[str, dict[str, Any]]
    dense: Any  # faiss.Index
    bm25: Any  # bm25s.BM25
    dense_en: Any = None  # faiss.Index over the passages' English, when the corpus has translations
    sentence_vectors_en: np.ndarray | None = None
    store: Any = None  # stores.base.SearchStore: where dense and BM25 searches run (the manifest's store)
