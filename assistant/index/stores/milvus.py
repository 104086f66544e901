"""The Milvus search store: one collection per build, reached through pymilvus.

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

Builds are atomic the way the folder is: the collection is written, flushed and loaded before
CURRENT points at the build that names it, and old collections are dropped after the switch,
keeping the previous one (KEEP_COLLECTIONS) for a server that still searches it until it reloads.

Reaching it (the address, the Lite folder, one-line failures): milvus_connection.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import AssistantError
from ..layout import IndexProblem
from .base import RRF_K
from .milvus_connection import (
    MilvusUnavailable,
    connect,
    damaged_lite_error,
    inside,
    is_lite,
    recorded_uri,
    said,
)

COLLECTION_PREFIX = "assistant_"
# The live collection and the one before it: a server process that loaded the previous build keeps
# searching it until it reloads (a dropped collection would fail its next question).
KEEP_COLLECTIONS = 2
INSERT_BATCH = 1_000  # rows per insert: ~1.6 MB of vectors per gRPC message at 384 dimensions
WORDS_MAX_BYTES = 65_535  # Milvus's VARCHAR limit
RECORD_MAX_BYTES = 65_536  # Milvus's default JSON field limit
BM25_K1, BM25_B = 1.5, 0.75  # bm25s's defaults, so both stores rank keywords alike
EMPTY_TOKEN = "\u2400"  # what folders._nonempty gives a passage with no words (bm25s needs one)


def collection_prefix(index_dir: Path) -> str:
    """Collections of one index folder: several folders (a test suite, two deployments) may share
    a server, and pruning one must never drop another's."""
    digest = hashlib.sha256(str(Path(index_dir).resolve()).encode()).hexdigest()[:10]
    return f"{COLLECTION_PREFIX}{digest}_"


def encode_words(tokens: list[str]) -> str:
    """BM25 tokens as the text of the `words` field (see the module docstring: hex, one run each)."""
    return " ".join(t.encode("utf-8").hex() for t in tokens)


def milvus_index(spec: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(index type, build params, search params) for the dense index `dense.choose_index_type` chose.

    The same size rule as the FAISS store: exact up to FLAT_MAX passages, then IVF with the same
    cells and probes, with 8-bit codes (Milvus Lite has no RaBitQ). Milvus's IVF_SQ8 has no exact re-ranking (FAISS's RFlat), so its
    recall at a million passages is lower than the FAISS store's (not measured here: Milvus Lite is
    pure Python and not what one runs at that size)."""
    kind = spec.get("type")
    if kind in (
        "ivf_sq8_refine",
        "ivf_rabitq_refine",
    ):  # Milvus Lite has no RaBitQ: 8-bit codes, the same cells
        return "IVF_SQ8", {"nlist": int(spec["nlist"])}, {"nprobe": int(spec["nprobe"])}
    if kind == "hnsw":
        return (
            "HNSW",
            {"M": int(spec["M"]), "efConstruction": int(spec["ef_construction"])},
            {"ef": int(spec["ef_search"])},
        )
    return "FLAT", {}, {}


@dataclass
class MilvusWriter:
    """Writes a build's collection (folders.write_index calls `write` before switching CURRENT, then
    `prune`)."""

    uri: str
    index_dir: Path
    kind: str = "milvus"

    def collection_name(self, build_name: str) -> str:
        return collection_prefix(self.index_dir) + re.sub(r"[^0-9A-Za-z_]", "_", build_name)

    def check(self, log=None) -> None:
        """Raise MilvusUnavailable now if Milvus cannot be used (called before a build embeds). A Lite
        folder of this index that cannot be read is moved aside for a new one, as the damaged
        embedding cache is: only deleting it by hand helped before (issue 20)."""
        try:
            self._list()
        except MilvusUnavailable as exc:
            if not (is_lite(self.uri) and inside(self.uri, self.index_dir) and Path(self.uri).is_dir()):
                raise
            aside = Path(self.uri).with_name(f"{Path(self.uri).name}.damaged-{int(time.time())}")
            os.replace(self.uri, aside)
            (log or print)(f"warning: {exc}; moved it to {aside.name}, building into a new one")
            self._list()

    def _list(self) -> None:
        client = connect(self.uri)
        try:
            client.list_collections()
        except Exception as exc:
            raise (
                damaged_lite_error(self.uri, exc)
                if is_lite(self.uri)
                else MilvusUnavailable(f"cannot reach Milvus at {self.uri}: {said(exc)}")
            ) from None
        finally:
            client.close()

    def write(self, build_name: str, data, spec: dict[str, Any]) -> dict[str, Any]:
        """Create, fill, flush and load the collection; returns the manifest's `store` entry."""
        from pymilvus import DataType, Function, FunctionType  # optional and heavy (see connect)

        client = connect(self.uri)
        name = self.collection_name(build_name)
        english = getattr(data, "passage_vectors_en", None)
        dim = int(data.passage_vectors.shape[1])
        index_type, build_params, search_params = milvus_index(spec)
        try:
            if client.has_collection(name):
                client.drop_collection(name)
            schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
            schema.add_field("id", DataType.INT64, is_primary=True)
            schema.add_field("passage_id", DataType.VARCHAR, max_length=1024)
            schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
            if english is not None:
                schema.add_field("vector_en", DataType.FLOAT_VECTOR, dim=dim)
            schema.add_field(
                "words",
                DataType.VARCHAR,
                max_length=WORDS_MAX_BYTES,
                enable_analyzer=True,
                analyzer_params={"tokenizer": "standard"},
            )
            schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
            schema.add_field("record", DataType.JSON)
            schema.add_function(
                Function(
                    name="bm25",
                    function_type=FunctionType.BM25,
                    input_field_names=["words"],
                    output_field_names=["sparse"],
                )
            )
            index_params = client.prepare_index_params()
            index_params.add_index("vector", index_type=index_type, metric_type="IP", params=build_params)
            if english is not None:
                index_params.add_index(
                    "vector_en", index_type=index_type, metric_type="IP", params=build_params
                )
            index_params.add_index(
                "sparse",
                index_type="SPARSE_INVERTED_INDEX",
                metric_type="BM25",
                params={"bm25_k1": BM25_K1, "bm25_b": BM25_B},
            )
            client.create_collection(
                name, schema=schema, index_params=index_params, consistency_level="Strong"
            )
            spans: dict[int, list[list[int]]] = {}
            for s in data.sentences:
                spans.setdefault(s.passage_index, []).append([int(s.start), int(s.end)])
            cut = 0
            for lo in range(0, len(data.passages), INSERT_BATCH):
                rows = []
                for i in range(lo, min(lo + INSERT_BATCH, len(data.passages))):
                    p = data.passages[i]
                    words = encode_words(data.bm25_tokens[i] or [EMPTY_TOKEN])
                    if len(words) > WORDS_MAX_BYTES:  # a passage of thousands of words: keep the first ones
                        words = words[: words.rfind(" ", 0, WORDS_MAX_BYTES)]
                        cut += 1
                    record = {**p.to_json(), "sentences": spans.get(i, [])}
                    if len(json.dumps(record, ensure_ascii=False).encode()) > RECORD_MAX_BYTES:
                        record = {"passage_id": p.passage_id, "sentences": spans.get(i, [])}
                    row = {
                        "id": i,
                        "passage_id": p.passage_id[:1024],
                        "words": words,
                        "record": record,
                        "vector": np.asarray(data.passage_vectors[i], dtype=np.float32),
                    }
                    if english is not None:
                        row["vector_en"] = np.asarray(english[i], dtype=np.float32)
                    rows.append(row)
                client.insert(name, rows)
            client.flush(name)
            client.load_collection(name)
            count = collection_rows(client, name)
            if count != len(data.passages):
                raise AssistantError(
                    f"Milvus collection {name} holds {count} rows after the build, "
                    f"expected {len(data.passages)}"
                )
        except BaseException as exc:
            try:
                client.drop_collection(name)
            except Exception:  # the build fails with the first error; the next build's prune retries
                pass
            if isinstance(exc, Exception) and not isinstance(exc, AssistantError):
                raise MilvusUnavailable(
                    f"Milvus at {self.uri}: writing collection {name} failed: {type(exc).__name__}: {exc}"
                ) from None
            raise
        finally:
            client.close()
        return {
            "type": "milvus",
            "uri": recorded_uri(self.uri, self.index_dir),
            "collection": name,
            "lite": is_lite(self.uri),
            "rows": len(data.passages),
            "english": english is not None,
            "dense_index": {"index_type": index_type, "params": build_params, "search": search_params},
            "bm25": {
                "k1": BM25_K1,
                "b": BM25_B,
                "analyzer": "standard",
                "words": "hex of UTF-8",
                "cut_passages": cut,
            },
        }

    def prune(self, keep: str) -> None:
        """Drop this index folder's older collections, keeping the newest KEEP_COLLECTIONS (names
        sort by build time), the build named `keep` always among them."""
        try:
            client = connect(self.uri)
        except MilvusUnavailable:
            return
        try:
            prefix = collection_prefix(self.index_dir)
            mine = sorted(c for c in client.list_collections() if c.startswith(prefix))
            live = self.collection_name(keep)
            kept = {live, *[c for c in mine if c <= live][-KEEP_COLLECTIONS:]}
            for c in mine:
                if c not in kept:
                    client.drop_collection(c)
        except Exception:  # leftovers cost space only; the next build tries again
            pass
        finally:
            client.close()


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
