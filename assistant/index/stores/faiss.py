"""The FAISS store: dense and BM25 searches over the build folder's own memory-mapped files."""

from __future__ import annotations

from typing import Any

import numpy as np


class FaissStore:
    """The build folder's FAISS index and bm25s matrices (today's behaviour, unchanged).

    Reads `index.dense` / `index.bm25` at each call rather than keeping them, so a caller that swaps
    the FAISS index of a loaded index (the benchmarks' exact-search reference) is searched."""

    kind = "faiss"

    def __init__(self, index: Any):
        self.index = index  # a layout.LoadedIndex

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
