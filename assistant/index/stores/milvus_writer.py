"""Writing a build's Milvus collection (the collection's rows and why: milvus.py).

The build's side of the Milvus store, apart from the searching one: a server that only answers
never needs the schema, the rows or the pruning. Builds are atomic the way the folder is: the
collection is written, flushed and loaded before CURRENT points at the build that names it, and old
collections are dropped after the switch, keeping the previous one (KEEP_COLLECTIONS) for a server
that still searches it until it reloads.
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
from .milvus import COLLECTION_PREFIX, collection_rows, encode_words
from .milvus_connection import (
    MilvusUnavailable,
    connect,
    damaged_lite_error,
    inside,
    is_lite,
    recorded_uri,
    said,
)

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


def milvus_index(spec: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(index type, build params, search params) for the dense index `dense.choose_index_type` chose.

    The same size rule as the FAISS store: exact up to FLAT_MAX passages, then IVF with the same
    cells and probes, with 8-bit codes (Milvus Lite has no RaBitQ). Milvus's IVF_SQ8 has no exact
    re-ranking (FAISS's RFlat), so its recall at a million passages is lower than the FAISS store's
    (not measured here: Milvus Lite is pure Python and not what one runs at that size)."""
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
            schema = _schema(client, dim, english is not None, DataType, Function, FunctionType)
            index_params = _index_params(client, english is not None, index_type, build_params)
            client.create_collection(
                name, schema=schema, index_params=index_params, consistency_level="Strong"
            )
            cut = _insert(client, name, data, english)
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


def _schema(client, dim: int, english: bool, DataType, Function, FunctionType):
    """The collection's fields (see milvus.py) and the BM25 function that fills `sparse` from `words`;
    pymilvus's types are passed in by `write`, which imports them."""
    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("passage_id", DataType.VARCHAR, max_length=1024)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    if english:
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
    return schema


def _index_params(client, english: bool, index_type: str, build_params: dict[str, Any]):
    """The dense index (`milvus_index`) on each vector field, and BM25 on `sparse`."""
    index_params = client.prepare_index_params()
    index_params.add_index("vector", index_type=index_type, metric_type="IP", params=build_params)
    if english:
        index_params.add_index("vector_en", index_type=index_type, metric_type="IP", params=build_params)
    index_params.add_index(
        "sparse",
        index_type="SPARSE_INVERTED_INDEX",
        metric_type="BM25",
        params={"bm25_k1": BM25_K1, "bm25_b": BM25_B},
    )
    return index_params


def _insert(client, name: str, data, english) -> int:
    """Every passage's row, INSERT_BATCH rows at a time; returns how many passages' words were cut."""
    spans: dict[int, list[list[int]]] = {}
    for s in data.sentences:
        spans.setdefault(s.passage_index, []).append([int(s.start), int(s.end)])
    cut = 0
    for lo in range(0, len(data.passages), INSERT_BATCH):
        rows = []
        for i in range(lo, min(lo + INSERT_BATCH, len(data.passages))):
            row, was_cut = _row(data, i, spans, english)
            cut += was_cut
            rows.append(row)
        client.insert(name, rows)
    return cut


def _row(data, i: int, spans: dict[int, list[list[int]]], english) -> tuple[dict[str, Any], bool]:
    """Passage `i`'s row, and whether its words were cut to fit WORDS_MAX_BYTES."""
    p = data.passages[i]
    words = encode_words(data.bm25_tokens[i] or [EMPTY_TOKEN])
    cut = len(words) > WORDS_MAX_BYTES
    if cut:  # a passage of thousands of words: keep the first ones
        words = words[: words.rfind(" ", 0, WORDS_MAX_BYTES)]
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
    return row, cut
