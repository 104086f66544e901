"""The Milvus search store: dense and BM25 searches against a build's collection, through pymilvus.

`milvus_uri` decides where it lives, and nothing else changes:
    ""  or  ./index/milvus.db       Milvus Lite inside this process (a folder; the `milvus-lite` package)
    http://host:19530               a Milvus server: standalone, a cluster, or `milvus-lite server`

One collection per build, named after the build folder (`assistant_<index hash>_<build>`), holds a
row per passage:
    id          passage number (its line in passages.jsonl)
    passage_id  the passage's id
    vector      the passage vector (float32, unit length; inner product = cosine)
    vector_en   the passage's English vector, when the corpus has translations
    words       the passage's BM25 tokens (jieba words, as bm25s indexes them), each written as the
                hex of its UTF-8 bytes and joined by spaces, read by the `standard` analyzer
    sparse      BM25 of `words`, computed by Milvus (a BM25 function, k1 = 1.5, b = 0.75 as bm25s)
    record      the passage record and its sentence spans, as JSON

Why hex words: the words must be exactly jieba's, on Milvus Lite and on a cluster alike. Milvus
Lite 3.2.2 has no `whitespace` tokenizer; its `standard` one is the regex \\w+ (so 39.04 becomes two
words, 39 and 04), and a Milvus server's `standard` tokenizer follows Unicode word rules (which cut
Chinese differently again). A hex string is one \\w+ run that every tokenizer keeps whole, so both
index exactly the tokens bm25s does, and no analyzer re-segments Chinese. (The alternative, a sparse
vector we fill with BM25 weights ourselves, would freeze document frequencies at build time in the
client; Milvus's BM25 function keeps its statistics itself.)

Writing the collection (the build's side): milvus_writer.py. Reaching it (the address, the Lite
folder, one-line failures): milvus_connection.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..layout import IndexProblem
from .base import RRF_K
from .milvus_connection import MilvusUnavailable, connect, damaged_lite_error, is_lite, said

COLLECTION_PREFIX = "assistant_"


def encode_words(tokens: list[str]) -> str:
    """BM25 tokens as the text of the `words` field (see the module docstring: hex, one run each)."""
    return " ".join(t.encode("utf-8").hex() for t in tokens)


def collection_rows(client, name: str) -> int:
    stats = client.get_collection_stats(name)
    return int(stats.get("row_count", 0))


class MilvusStore:
    """Dense and BM25 searches against a build's collection (see stores.base.SearchStore)."""

    kind = "milvus"

    def __init__(self, client, record: dict[str, Any]):
        self.client = client
        self.record = record
        self.collection = record["collection"]
        self.english = bool(record.get("english"))
        self.search_params = {
            "metric_type": "IP",
            "params": dict(record.get("dense_index", {}).get("search", {})),
        }

    @classmethod
    def open(cls, record: dict[str, Any], expect_rows: int) -> MilvusStore:
        """Connect and check the collection is there with one row per passage; a missing or
        short collection is an IndexProblem (the index is rebuilt), an unreachable server is not."""
        uri, name = record.get("uri"), record.get("collection")
        if not isinstance(uri, str) or not isinstance(name, str) or not name.startswith(COLLECTION_PREFIX):
            raise IndexProblem(f"the manifest's store entry does not name a Milvus collection ({record!r})")
        client = connect(uri)
        try:
            if not client.has_collection(name):
                raise IndexProblem(f"Milvus at {uri} has no collection {name} (dropped, or another server)")
            client.load_collection(name)
            rows = collection_rows(client, name)
        except IndexProblem:
            client.close()
            raise
        except Exception as exc:
            client.close()
            if is_lite(uri):
                raise damaged_lite_error(uri, exc) from None
            raise MilvusUnavailable(f"Milvus at {uri}: cannot open collection {name}: {said(exc)}") from None
        if rows != expect_rows:
            client.close()
            raise IndexProblem(
                f"Milvus collection {name} holds {rows} passages, the manifest says {expect_rows}"
            )
        return cls(client, record)

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise MilvusUnavailable(
                f"Milvus at {self.record.get('uri')} failed a {what} on {self.collection}: "
                f"{type(exc).__name__}: {exc}"
            ) from None

    def dense(self, vector: np.ndarray, k: int, english: bool = False) -> dict[int, float]:
        if k <= 0 or (english and not self.english):
            return {}
        res = self._call(
            "dense search",
            self.client.search,
            self.collection,
            data=[np.asarray(vector, dtype=np.float32).tolist()],
            anns_field="vector_en" if english else "vector",
            limit=int(k),
            search_params=self.search_params,
            output_fields=[],
        )
        return {int(h["id"]): float(h["distance"]) for h in res[0]}

    def dense_scores(self, vector: np.ndarray, ids: list[int], english: bool = False) -> dict[int, float]:
        if not ids or (english and not self.english):
            return {}
        field = "vector_en" if english else "vector"
        rows = self._call(
            "vector fetch", self.client.get, self.collection, ids=[int(i) for i in ids], output_fields=[field]
        )
        q = np.asarray(vector, dtype=np.float32)
        return {int(r["id"]): float(np.dot(np.asarray(r[field], dtype=np.float32), q)) for r in rows}

    def keyword(self, tokens: list[str], k: int) -> dict[int, float]:
        if not tokens or k <= 0:
            return {}
        res = self._call(
            "BM25 search",
            self.client.search,
            self.collection,
            data=[encode_words(tokens)],
            anns_field="sparse",
            limit=int(k),
            search_params={"metric_type": "BM25"},
            output_fields=[],
        )
        # Milvus Lite reports BM25 as a negative distance (smaller is closer), a Milvus server as a
        # positive score; a BM25 score is never negative, so its magnitude is the score.
        out = {int(h["id"]): abs(float(h["distance"])) for h in res[0]}
        return {i: s for i, s in out.items() if s > 0}

    def hybrid(
        self,
        vector: np.ndarray,
        tokens: list[str],
        k: int,
        ranker: str = "rrf",
        dense_weight: float = 0.5,
        candidates: int = 50,
    ) -> dict[int, float]:
        """Dense and BM25 fused by Milvus itself (`hybrid_search` with its RRF or weighted ranker),
        for comparison with the fusion retrieval does (benchmarks/milvus_bench.py): Milvus's weighted
        ranker normalises scores with arctan, not min-max, so the two can rank differently."""
        from pymilvus import AnnSearchRequest, RRFRanker, WeightedRanker  # optional and heavy (see connect)

        reqs = [
            AnnSearchRequest(
                data=[np.asarray(vector, dtype=np.float32).tolist()],
                anns_field="vector",
                param=self.search_params,
                limit=int(candidates),
            )
        ]
        if tokens:
            reqs.append(
                AnnSearchRequest(
                    data=[encode_words(tokens)],
                    anns_field="sparse",
                    param={"metric_type": "BM25"},
                    limit=int(candidates),
                )
            )
        rank = RRFRanker(RRF_K) if ranker == "rrf" else WeightedRanker(dense_weight, 1 - dense_weight)
        if len(reqs) == 1:
            rank = RRFRanker(RRF_K) if ranker == "rrf" else WeightedRanker(1.0)
        res = self._call(
            "hybrid search",
            self.client.hybrid_search,
            self.collection,
            reqs,
            ranker=rank,
            limit=int(k),
            output_fields=[],
        )
        return {int(h["id"]): float(h["distance"]) for h in res[0]}

    def record_of(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        """Passage records as the collection keeps them (for tools reading Milvus directly)."""
        rows = self._call(
            "record fetch",
            self.client.get,
            self.collection,
            ids=[int(i) for i in ids],
            output_fields=["record"],
        )
        return {int(r["id"]): r["record"] for r in rows}

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:
            pass
