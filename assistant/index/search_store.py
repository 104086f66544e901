"""Where retrieval's two searches run: dense top-k over passage vectors, BM25 top-k over tokens.

Two stores, chosen by the `store` setting and recorded in the manifest's `store` entry:

- `faiss` (default, embedded): the build folder's FAISS index and bm25s matrices, memory-mapped
  (store.py). One process, no server; what every measurement in README "Performance" is about.
- `milvus` (milvus_store.py): one Milvus collection holding the passage vectors, the passage and
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
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..errors import AssistantError

STORES = ("faiss", "milvus")


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

    def close(self) -> None:
        ...


class FaissStore:
    """The build folder's FAISS index and bm25s matrices (today's behaviour, unchanged).

    Reads `index.dense` / `index.bm25` at each call rather than keeping them, so a caller that swaps
    the FAISS index of a loaded index (the benchmarks' exact-search reference) is searched."""

    kind = "faiss"

    def __init__(self, index: Any):
        self.index = index  # a store.LoadedIndex

    def _dense_index(self, english: bool):
        return getattr(self.index, "dense_en", None) if english else self.index.dense

    def dense(self, vector: np.ndarray, k: int, english: bool = False) -> dict[int, float]:
        dense = self._dense_index(english)
        k = min(k, dense.ntotal) if dense is not None else 0
        if k <= 0:
            return {}
        scores, ids = dense.search(np.asarray(vector, dtype=np.float32).reshape(1, -1), k)
        return {int(i): float(s) for i, s in zip(ids[0], scores[0]) if i >= 0}

    def dense_scores(self, vector: np.ndarray, ids: list[int], english: bool = False) -> dict[int, float]:
        dense = self._dense_index(english)
        out: dict[int, float] = {}
        if dense is None:
            return out
        for i in ids:
            try:
                v = dense.reconstruct(int(i))
            except RuntimeError:  # some index types cannot give vectors back
                continue
            out[int(i)] = float(np.dot(v, vector))
        return out

    def keyword(self, tokens: list[str], k: int) -> dict[int, float]:
        bm25 = self.index.bm25
        known = [t for t in tokens if t in bm25.vocab_dict]
        if not known:
            return {}
        scores = bm25.get_scores(known)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        return {int(i): float(scores[i]) for i in top if scores[i] > 0}

    def close(self) -> None:
        pass


def store_kind(manifest: dict[str, Any]) -> str:
    """The store a manifest's index lives in; indexes from before the store setting are FAISS."""
    entry = manifest.get("store")
    return entry.get("type", "faiss") if isinstance(entry, dict) else "faiss"


def store_uri(manifest: dict[str, Any]) -> str:
    entry = manifest.get("store")
    return str(entry.get("uri", "")) if isinstance(entry, dict) else ""


@dataclass(frozen=True)
class StoreChoice:
    """A search store and, for Milvus, the resolved address (milvus_store.resolve_uri)."""

    kind: str
    uri: str = ""

    def describe(self) -> str:
        return f"Milvus at {self.uri}" if self.kind == "milvus" else "FAISS files in the build folder"


def requested_store(settings: Any) -> StoreChoice | None:
    """What the settings ask for, or None when they leave it to the live index (`store` empty and
    no `milvus_uri`): `assistant build --store milvus` then a plain `assistant ask` uses Milvus
    instead of rebuilding for FAISS."""
    kind = (getattr(settings, "store", "") or "").strip().lower()
    uri = (getattr(settings, "milvus_uri", "") or "").strip()
    if not kind:
        if not uri:
            return None
        kind = "milvus"  # an address alone says where searches should run
    if kind not in STORES:
        raise AssistantError(f"store={settings.store!r} is not a search store: use one of {', '.join(STORES)}")
    if kind == "faiss":
        return StoreChoice("faiss")
    from .milvus_store import resolve_uri

    return StoreChoice("milvus", resolve_uri(uri, Path(settings.index_dir)))


def store_expectation(settings: Any) -> dict[str, str]:
    """What check_manifest compares (nothing when the settings leave the store to the live index)."""
    choice = requested_store(settings)
    return {} if choice is None else {"store": choice.kind, "milvus_uri": choice.uri}


def live_store(index_dir: Path) -> StoreChoice:
    """The live index's store (FAISS when there is none or it cannot be read): an index rebuilt
    after a corpus change stays where it was."""
    from .store import IndexProblem, live_build, read_manifest

    try:
        build = live_build(index_dir)
        manifest = read_manifest(build) if build is not None else {}
    except (IndexProblem, OSError):
        return StoreChoice("faiss")
    return StoreChoice("milvus", store_uri(manifest)) if store_kind(manifest) == "milvus" and store_uri(manifest) \
        else StoreChoice("faiss")


def store_writer(settings: Any):
    """The writer `write_index` hands the passage vectors to besides the FAISS files: None for FAISS."""
    choice = requested_store(settings) or live_store(Path(settings.index_dir))
    if choice.kind != "milvus":
        return None
    from .milvus_store import MilvusWriter

    return MilvusWriter(choice.uri, Path(settings.index_dir))


def open_search_store(index: Any) -> SearchStore:
    """The store a loaded index's manifest names (store.read_index calls this last)."""
    if store_kind(index.manifest) == "milvus":
        from .milvus_store import MilvusStore

        return MilvusStore.open(index.manifest["store"], int(index.manifest.get("passage_count") or 0))
    return FaissStore(index)
