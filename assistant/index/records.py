"""Reading a build back: passages, sentences, vectors, documents and the BM25 matrices, each
checked against the manifest and the others; a damaged file is an IndexProblem naming it."""

from __future__ import annotations

import gc
import json
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np

from ..schema import Passage
from .dense import read_dense
from .layout import EN_FILES, MANIFEST, IndexProblem, LoadedIndex
from .manifest import verify_files
from .sentence_table import SENTENCE_COLUMNS, SentenceTable
from .stores.factory import open_search_store

GC_FREEZE_MIN_PASSAGES = 100_000  # see _no_cyclic_gc


def read_index(build: Path, manifest: dict[str, Any]) -> LoadedIndex:
    """A build, every file checked against the manifest first; its search store opened last."""
    import bm25s

    verify_files(build, manifest)
    dense = read_dense(build / "dense.faiss", manifest.get("dense_index", {}))
    with _no_cyclic_gc(freeze=int(manifest.get("passage_count") or 0) >= GC_FREEZE_MIN_PASSAGES):
        passages = _read_passages(build / "passages.jsonl")
        sentences = _read_sentences(build / "sentences.npy", passages)
    vectors = _read_vectors(build / "sentence_vectors.npy")
    documents = _read_documents(build / "documents.json")
    try:
        bm25 = bm25s.BM25.load(str(build / "bm25"), mmap=True, show_progress=False)
    except Exception as exc:
        raise IndexProblem(f"{build / 'bm25'} cannot be read ({exc})") from None
    n = manifest.get("passage_count")
    if dense.ntotal != n or len(passages) != n or vectors.shape[0] != len(sentences):
        raise IndexProblem(
            f"{build}: the files disagree on the number of passages or sentences (passages.jsonl "
            f"{len(passages)}, dense.faiss {dense.ntotal}, manifest {n}; sentences.npy {len(sentences)}, "
            f"sentence_vectors.npy {vectors.shape[0]})"
        )
    if dense.d != manifest.get("dimension"):
        raise IndexProblem(
            f"{build / 'dense.faiss'}: dimension {dense.d}, manifest says {manifest.get('dimension')}"
        )
    if len(sentences) != manifest.get("sentence_count") or (len(vectors) and vectors.shape[1] != dense.d):
        raise IndexProblem(
            f"{build / 'sentence_vectors.npy'}: {vectors.shape} does not fit "
            f"{manifest.get('sentence_count')} sentences of dimension {dense.d}"
        )
    dense_en, vectors_en = _read_english(build, manifest, dense, vectors)
    loaded = LoadedIndex(
        build, manifest, passages, sentences, vectors, documents, dense, bm25, dense_en, vectors_en
    )
    loaded.store = open_search_store(loaded)  # the files above (FAISS), or Milvus when the manifest says so
    return loaded


def _read_english(build: Path, manifest: dict[str, Any], dense, vectors: np.ndarray):
    """The English vectors of a build with translations (both files or neither), checked like the rest."""
    listed = [f for f in EN_FILES if f in manifest.get("files", {})]
    if not listed:
        return None, None
    if len(listed) != len(EN_FILES):
        raise IndexProblem(f"{build / MANIFEST}: lists {listed[0]} without {set(EN_FILES) - set(listed)}")
    dense_en = read_dense(build / EN_FILES[0], manifest.get("dense_index", {}))
    vectors_en = _read_vectors(build / EN_FILES[1])
    if dense_en.ntotal != dense.ntotal or dense_en.d != dense.d or vectors_en.shape != vectors.shape:
        raise IndexProblem(
            f"{build}: the English vectors do not fit the passages and sentences "
            f"({EN_FILES[0]} {dense_en.ntotal}×{dense_en.d}, {EN_FILES[1]} {vectors_en.shape})"
        )
    return dense_en, vectors_en


def _read_jsonl(path: Path):
    """(line number, record) of a JSON-lines file; a line that is not JSON names the file and line."""
    try:
        with open(path, encoding="utf-8") as f:
            for i, line in enumerate(f, 1):
                if line.strip():
                    try:
                        yield i, json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise IndexProblem(f"{path}, line {i}: not a JSON record ({exc})") from None
    except UnicodeDecodeError as exc:
        raise IndexProblem(f"{path}: not UTF-8 text ({exc})") from None


@contextmanager
def _no_cyclic_gc(freeze: bool):
    """Python's cycle collector runs again and again while millions of records are created, each
    time walking every object made so far: at a million passages that tripled the load (15 s
    instead of 5). The records hold no cycles, so collection is paused while they are read.

    With `freeze` (large indexes), everything alive is then moved out of the collector's sight
    (gc.freeze): otherwise the first questions after start-up each pay for a pass over millions
    of objects. Frozen objects are still freed as soon as nothing refers to them; the cost is that
    a reference cycle already garbage at that moment is never collected — small at start-up, and
    why this is not done for small indexes, where there is nothing to gain."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def _fast_records(path: Path):
    """The records of a JSON-lines file one at a time, parsed by orjson (40 % faster than json at a
    million passages); anything wrong raises ValueError or OSError, and the line-by-line reader
    (`_read_jsonl`) then says where. One line at a time, not the whole file split into lines: the
    freed lines and records of a million-passage read left 0.7 GB of holes in the heap."""
    try:
        import orjson

        loads = orjson.loads
    except ImportError:  # pragma: no cover - orjson comes with gradio
        loads = json.loads
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                yield loads(line)  # orjson.JSONDecodeError (also for bad UTF-8) is a ValueError


def _read_passages(path: Path) -> list[Passage]:
    try:
        return _passages_from_rows(_fast_records(path))
    except (TypeError, ValueError, AttributeError, KeyError, OSError):
        pass  # the line-by-line reader below names the line
    out = []
    for i, d in _read_jsonl(path):
        try:
            p = Passage.from_json(d)
        except (TypeError, ValueError, AttributeError) as exc:
            raise IndexProblem(f"{path}, line {i}: not a passage record ({exc})") from None
        if not all(
            isinstance(getattr(p, k), str) for k in ("passage_id", "doc_id", "text", "section", "kind")
        ):
            raise IndexProblem(f"{path}, line {i}: a passage field that should be text is not")
        out.append(p)
    return out


def _passages_from_rows(rows) -> list[Passage]:
    """Passages of one document share their title, document id, date and often section, and many
    name the same companies: one object each instead of one per passage (hundreds of megabytes at
    a million passages)."""
    shared: dict = {}
    keys = set(_PASSAGE_FIELDS)
    make = Passage
    out = []
    for d in rows:
        if type(d) is not dict or d.keys() != keys or type(d["companies"]) is not list:
            raise ValueError("not a passage record")
        for k in ("doc_id", "title", "section", "published", "kind", "title_en", "section_en"):
            v = d[k]
            if type(v) is not str:
                raise ValueError("a passage field that should be text is not")
            d[k] = shared.setdefault(v, v)
        if type(d["passage_id"]) is not str or type(d["text"]) is not str or type(d["text_en"]) is not str:
            raise ValueError("a passage field that should be text is not")
        companies = tuple(d["companies"])
        d["companies"] = shared.setdefault(companies, companies)
        out.append(make(**d))
    return out


_PASSAGE_FIELDS = tuple(f.name for f in fields(Passage))


def _read_sentences(path: Path, passages: list[Passage]) -> SentenceTable:
    """Sentences are stored as offsets into their passage; offsets that do not fit mean the files disagree."""
    try:
        arr = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise IndexProblem(f"{path}: not a .npy array ({exc})") from None
    if arr.ndim != 2 or arr.shape[1] != SENTENCE_COLUMNS or arr.dtype.kind not in "iu":
        raise IndexProblem(
            f"{path}: expected {SENTENCE_COLUMNS} integer columns, found a {arr.ndim}-d {arr.dtype} "
            f"array of shape {arr.shape}"
        )
    arr = arr.astype(np.int64, copy=False)
    pi, start, end, es, ee = (arr[:, k] for k in range(SENTENCE_COLUMNS))
    n = len(passages)
    # Each passage's length in text and English, then -1 for a passage index outside them: no span fits that.
    lengths = np.append(np.fromiter((len(p.text) for p in passages), np.int64, n), -1)
    lengths_en = np.append(np.fromiter((len(p.text_en) for p in passages), np.int64, n), -1)
    at = np.where((0 <= pi) & (pi < n), pi, n)
    bad = ~(
        (0 <= start) & (start < end) & (end <= lengths[at]) & (0 <= es) & (es <= ee) & (ee <= lengths_en[at])
    )
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise IndexProblem(
            f"{path}, row {row + 1}: {arr[row].tolist()} is not a sentence of a passage in passages.jsonl"
        )
    return SentenceTable(passages, arr)


def _read_vectors(path: Path) -> np.ndarray:
    try:
        vectors = np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise IndexProblem(f"{path}: not a .npy array ({exc})") from None
    if vectors.ndim != 2 or vectors.dtype != np.float32:
        raise IndexProblem(f"{path}: expected a 2-d float32 array, found {vectors.ndim}-d {vectors.dtype}")
    return vectors


def _read_documents(path: Path) -> dict[str, dict[str, Any]]:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return {d["doc_id"]: d for d in rows}
    except (json.JSONDecodeError, UnicodeDecodeError, TypeError, KeyError) as exc:
        raise IndexProblem(f"{path}: not a list of document records ({exc})") from None
