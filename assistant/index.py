"""The index on disk: a folder per build, switched into place atomically, verified on load.

Layout under the index folder:
    CURRENT                 name of the live build (replaced with os.replace: atomic)
    builds/<id>/            manifest.json, dense.faiss, passages.jsonl, sentences.jsonl,
                            sentence_vectors.npy, documents.json, bm25/
    cache/                  embedding cache (survives rebuilds)
    .lock                   held while a build writes

A build writes a new folder and only then points CURRENT at it, so a build killed at any
moment leaves the previous index usable. Everything is JSON or .npy; nothing is pickled.
Loading checks the manifest (format version, model, dimension, fingerprint) and every file's
size and checksum, and says which file is wrong.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .errors import AssistantError
from .schema import Passage, Sentence

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES = ("dense.faiss", "passages.jsonl", "sentences.jsonl", "sentence_vectors.npy", "documents.json")
# Exact search is fast and perfect up to this many vectors; past it, HNSW (see benchmarks/).
FLAT_MAX = 200_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128


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


@dataclass
class LoadedIndex:
    path: Path
    manifest: dict[str, Any]
    passages: list[Passage]
    sentences: list[Sentence]
    sentence_vectors: np.ndarray
    documents: dict[str, dict[str, Any]]
    dense: Any  # faiss.Index
    bm25: Any  # bm25s.BM25


def choose_index_type(n: int) -> dict[str, Any]:
    """Index type and parameters from the corpus size; recorded in the manifest."""
    if n <= FLAT_MAX:
        return {"type": "flat_ip"}
    return {"type": "hnsw", "M": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION, "ef_search": HNSW_EF_SEARCH}


def make_dense(vectors: np.ndarray, spec: dict[str, Any]):
    import faiss

    dim = vectors.shape[1]
    if spec["type"] == "hnsw":
        index = faiss.IndexHNSWFlat(dim, spec["M"], faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = spec["ef_construction"]
        index.hnsw.efSearch = spec["ef_search"]
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def live_build(index_dir: Path) -> Path | None:
    pointer = Path(index_dir) / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise IndexProblem(f"{pointer}: cannot be read ({exc})") from None
    if not name or "/" in name or name.startswith("."):
        raise IndexProblem(f"{pointer}: does not name a build")
    return Path(index_dir) / "builds" / name


def write_index(index_dir: Path, data: IndexData) -> Path:
    """Write a complete build next to the live one, then switch CURRENT to it atomically."""
    import bm25s
    import faiss

    index_dir = Path(index_dir)
    builds = index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    name = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:8]
    tmp = builds / f".tmp-{name}"
    tmp.mkdir()
    try:
        spec = choose_index_type(len(data.passages))
        faiss.write_index(make_dense(data.passage_vectors, spec), str(tmp / "dense.faiss"))
        _write_jsonl(tmp / "passages.jsonl", (p.to_json() for p in data.passages))
        _write_jsonl(
            tmp / "sentences.jsonl",
            ({"p": s.passage_index, "start": s.start, "end": s.end} for s in data.sentences),
        )
        np.save(tmp / "sentence_vectors.npy", np.ascontiguousarray(data.sentence_vectors, dtype=np.float32))
        (tmp / "documents.json").write_text(json.dumps(data.documents, ensure_ascii=False), encoding="utf-8")
        retriever = bm25s.BM25()
        retriever.index(_nonempty(data.bm25_tokens), show_progress=False)
        retriever.save(str(tmp / "bm25"), show_progress=False)
        files = {}
        for p in sorted(tmp.rglob("*")):
            if p.is_file():
                files[p.relative_to(tmp).as_posix()] = {"bytes": p.stat().st_size, "sha256": _sha256(p)}
        manifest = {
            **data.manifest,
            "format_version": FORMAT_VERSION,
            "dimension": int(data.passage_vectors.shape[1]),
            "passage_count": len(data.passages),
            "sentence_count": len(data.sentences),
            "dense_index": spec,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "files": files,
        }
        _write_json_durably(tmp / MANIFEST, manifest)
        final = builds / name
        os.rename(tmp, final)
        _fsync_dir(builds)
        pointer_tmp = index_dir / f".CURRENT.{name}"
        pointer_tmp.write_text(name + "\n", encoding="utf-8")
        _fsync_file(pointer_tmp)
        os.replace(pointer_tmp, index_dir / "CURRENT")
        _fsync_dir(index_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    prune_builds(index_dir, keep=name)
    return final


def prune_builds(index_dir: Path, keep: str) -> None:
    """Remove old builds and leftovers of killed builds (never the live one)."""
    builds = Path(index_dir) / "builds"
    for p in builds.iterdir() if builds.is_dir() else ():
        if p.name != keep:
            shutil.rmtree(p, ignore_errors=True)
    for p in Path(index_dir).glob(".CURRENT.*"):
        p.unlink(missing_ok=True)


def read_manifest(build: Path) -> dict[str, Any]:
    path = build / MANIFEST
    if not path.exists():
        raise IndexProblem(f"{path} is missing")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IndexProblem(f"{path} is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict):
        raise IndexProblem(f"{path} is not a JSON object")
    return manifest


def check_manifest(manifest: dict[str, Any], build: Path, expect: dict[str, Any]) -> None:
    """Raise IndexProblem naming the first way the manifest does not fit the corpus and model."""
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        newer = isinstance(version, int) and version > FORMAT_VERSION
        raise IndexProblem(
            f"{build / MANIFEST}: index format version {version} "
            + ("is newer than this program understands" if newer else f"is not the current {FORMAT_VERSION}")
        )
    for key in ("model_id", "corpus_fingerprint"):
        if manifest.get(key) != expect.get(key):
            what = "model" if key == "model_id" else "corpus or settings"
            raise IndexProblem(f"the index was built for another {what} ({key} differs): it is stale")


def verify_files(build: Path, manifest: dict[str, Any]) -> None:
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise IndexProblem(f"{build / MANIFEST}: lists no files")
    for rel, info in files.items():
        p = build / rel
        if not p.is_file():
            raise IndexProblem(f"{p} is missing")
        if p.stat().st_size != info.get("bytes"):
            raise IndexProblem(f"{p} has {p.stat().st_size} bytes, the manifest says {info.get('bytes')} (truncated or edited)")
        if _sha256(p) != info.get("sha256"):
            raise IndexProblem(f"{p} does not match its checksum in the manifest (edited or damaged)")


def read_index(build: Path, manifest: dict[str, Any]) -> LoadedIndex:
    import bm25s
    import faiss

    verify_files(build, manifest)
    try:
        dense = faiss.read_index(str(build / "dense.faiss"), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)
    except Exception:  # not every index type maps; read it into memory instead
        try:
            dense = faiss.read_index(str(build / "dense.faiss"))
        except Exception as exc:
            raise IndexProblem(f"{build / 'dense.faiss'} cannot be read by FAISS ({exc})") from None
    if manifest.get("dense_index", {}).get("type") == "hnsw":
        faiss.downcast_index(dense).hnsw.efSearch = manifest["dense_index"].get("ef_search", HNSW_EF_SEARCH)
    passages = [Passage.from_json(d) for d in _read_jsonl(build / "passages.jsonl")]
    sentences = []
    for d in _read_jsonl(build / "sentences.jsonl"):
        p = passages[d["p"]]
        sentences.append(Sentence(d["p"], p.text[d["start"] : d["end"]], d["start"], d["end"]))
    vectors = np.load(build / "sentence_vectors.npy", mmap_mode="r")
    documents = {d["doc_id"]: d for d in json.loads((build / "documents.json").read_text(encoding="utf-8"))}
    try:
        bm25 = bm25s.BM25.load(str(build / "bm25"), mmap=True, show_progress=False)
    except Exception as exc:
        raise IndexProblem(f"{build / 'bm25'} cannot be read ({exc})") from None
    n = manifest.get("passage_count")
    if dense.ntotal != n or len(passages) != n or vectors.shape[0] != len(sentences):
        raise IndexProblem(f"{build}: the files disagree on the number of passages or sentences")
    if dense.d != manifest.get("dimension"):
        raise IndexProblem(f"{build / 'dense.faiss'}: dimension {dense.d}, manifest says {manifest.get('dimension')}")
    return LoadedIndex(build, manifest, passages, sentences, vectors, documents, dense, bm25)


def _nonempty(tokens: list[list[str]]) -> list[list[str]]:
    # bm25s needs at least one token per document to keep document numbers aligned
    return [t if t else ["\u2400"] for t in tokens]


def _write_jsonl(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path):
    try:
        with open(path, encoding="utf-8") as f:
            for i, line in enumerate(f, 1):
                if line.strip():
                    yield json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
        raise IndexProblem(f"{path}: unreadable record ({exc})") from None


def _write_json_durably(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2), encoding="utf-8")
    _fsync_file(path)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    try:
        _fsync_file(path)
    except OSError:
        pass


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_sha256(path: Path) -> str:
    return _sha256(path)
