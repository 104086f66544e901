"""Where retrieval's two searches run: dense top-k over passage vectors, BM25 top-k over tokens.

Two stores, chosen by the `store` setting and recorded in the manifest's `store` entry:

- `faiss` (default, embedded): the build folder's FAISS index and bm25s matrices, memory-mapped
  (stores/faiss.py). One process, no server; what every measurement in README "Performance" is about.
- `milvus` (stores/milvus.py): one Milvus collection holding the passage vectors, the passage and
  sentence records and a BM25 full-text field, searched through pymilvus — in this process
  (Milvus Lite, `milvus_uri=./index/milvus.db`) or on a Milvus server or cluster
  (`milvus_uri=http://host:19530`), with the same code.

Only the searches move. Everything else an answer needs — passage and sentence records, sentence
vectors, the BM25 vocabulary statistics the retriever weighs question words with — stays in the
build folder for both stores: answering reads them for every candidate, and a network round trip
per sentence would cost more than the whole answer does today (about 5 ms besides the question's
embedding, README "Performance").

Scores are what today's fusion expects, whichever store answers: inner product of unit vectors
(cosine) for dense, BM25 (bm25s's Lucene variant, k1 = 1.5, b = 0.75) for keywords. Milvus's BM25
multiplies every score by k1 + 1, a constant the min-max fusion removes (tests/test_scale_milvus.py
checks the rankings agree).

This module holds what the stores and search share: the SearchStore protocol, the store kinds and
how a manifest names its store, and the constants both sides rank with (RRF_K).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

# Reciprocal rank fusion's constant: a hit at rank r adds 1 / (RRF_K + r + 1). Retrieval's RRF
# fusion and Milvus's own hybrid search (stores/milvus.py) use the same one.
RRF_K = 60


@runtime_checkable
class SearchStore(Protocol):
    """The searches retrieval runs; passage numbers are positions in the build's passages.jsonl."""

    kind: str  # "faiss" or "milvus": what the manifest's store entry says

    def dense(self, vector: np.ndarray, k: int, english: bool = False) -> dict[int, float]:
        """The k passages whose vector has the largest inner product with `vector` (approximate past
        FLAT_MAX passages). `english`: search the passages' English vectors instead, when the corpus
        has translations (an empty result when it has none)."""
        ...

    def dense_scores(self, vector: np.ndarray, ids: list[int], english: bool = False) -> dict[int, float]:
        """Exact inner products for the given passages (the keyword-only hits of a fusion)."""
        ...

    def keyword(self, tokens: list[str], k: int) -> dict[int, float]:
        """The k passages with the highest BM25 score for `tokens` (only those scoring above 0)."""
        ...

    def close(self) -> None: ...


def store_kind(manifest: dict[str, Any]) -> str:
    """The store a manifest's index lives in; indexes from before the store setting are FAISS."""
    entry = manifest.get("store")
    return entry.get("type", "faiss") if isinstance(entry, dict) else "faiss"


def store_uri(manifest: dict[str, Any], index_dir: Path | None = None) -> str:
    """Where the manifest's store is. A Milvus Lite folder inside the index folder is recorded
    relative to it (a copied project searches its own copy, not the original's: issue 20), and read
    back against `index_dir`."""
    entry = manifest.get("store")
    uri = str(entry.get("uri", "")) if isinstance(entry, dict) else ""
    if index_dir is not None and uri and entry.get("lite") and not Path(uri).is_absolute():
        return str((Path(index_dir) / uri).resolve())
    return uri


@dataclass(frozen=True)
class StoreChoice:
    """A search store and, for Milvus, the resolved address (stores.milvus.resolve_uri)."""

    kind: str
    uri: str = ""

    def describe(self) -> str:
        return f"Milvus at {self.uri}" if self.kind == "milvus" else "FAISS files in the build folder"
