"""The index on disk: a folder per build, switched into place atomically, verified on load.

Layout under the index folder:
    CURRENT                 name of the live build (replaced with os.replace: atomic)
    builds/<id>/            manifest.json, dense.faiss, passages.jsonl, sentences.npy,
                            sentence_vectors.npy, documents.json, bm25/
    cache/                  embedding cache (survives rebuilds)
    .lock                   held while a build writes

A build writes a new folder and only then points CURRENT at it, so a build killed at any
moment leaves the previous index usable. Everything is JSON or .npy; nothing is pickled.
Loading checks the manifest (format version, model, dimension, fingerprint) and every file's
size and checksum (sampled for big files untouched since the build), and says which file is wrong.
"""
from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import AssistantError
from ..schema import Passage, Sentence
from .search_store import open_search_store, store_kind, store_uri

# 2: English renderings (text_en, sentence spans, English vectors); 3: sentences as an integer
# array (sentences.npy) instead of two million JSON lines at a million passages (3.2 s of the load).
FORMAT_VERSION = 3
MANIFEST = "manifest.json"
FILES = ("dense.faiss", "passages.jsonl", "sentences.npy", "sentence_vectors.npy", "documents.json")
# Written only when some article has an aligned English translation (corpus/translation.py).
EN_FILES = ("dense_en.faiss", "sentence_vectors_en.npy")
# Dense index by corpus size, from `python benchmarks/run.py` (README, "Performance" and "Running
# past one machine"). Exact search reads every vector (about 0.15 ms per 1,000 passages: 15 ms at
# 100k, 150 ms at 1M), so it is perfect and fast enough up to FLAT_MAX. Past it: IVF — k-means
# cells, of which a query scans the nearest `nprobe` share in compressed form, then re-scores the
# best k_factor × k with the float32 vectors — with 1-bit RaBitQ codes. A vector is then 48 bytes
# to scan instead of 384 with 8-bit codes (the previous choice: 8 % of the cells, 7.5 ms p95 at
# recall@10 0.962 at 1M), so a query scans twice the share of cells in about the same time; one bit
# per dimension misorders more neighbours, which a deeper exact re-rank (100 × k) puts back. On
# the benchmark's million-passage corpus (run.py --only dense scale) 1-bit codes scanning 16 %
# with the 100 × k re-rank reached the recall of 8-bit codes scanning twice as much, at half their
# time; 4-bit codes (SQ4, RaBitQ4) were slower than 8-bit ones, and HNSW (M=32, efConstruction=100)
# reached 0.916 at ef_search=512.
FLAT_MAX = 50_000
IVF_CELLS_PER_SQRT = 4  # cells: 4·sqrt(n)
IVF_TRAIN_PER_CELL = 40  # k-means sample: faiss wants at least 39 points a cell
IVF_CODES = "rabitq"  # "sq8" (8 bits per dimension) stays readable and buildable for comparison
IVF_NPROBE_SHARE = {"rabitq": 0.16, "sq8": 0.08}
IVF_NPROBE_MIN = 16
IVF_K_FACTOR = {"rabitq": 100, "sq8": 4}
RABITQ_QUERY_BITS = 8  # the query's own quantisation in RaBitQ's distance estimate (faiss's default 4 lost recall)
IVF_TYPES = {"rabitq": "ivf_rabitq_refine", "sq8": "ivf_sq8_refine"}
IVF_FACTORY_CODES = {"ivf_rabitq_refine": "RaBitQ", "ivf_sq8_refine": "SQ8"}
# HNSW stays readable (older indexes, and the benchmark's comparison).
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 100
HNSW_EF_SEARCH = 512
# Files up to this size are checked against their full SHA-256 at every load; bigger ones (vectors
# and passages of a large corpus: gigabytes, seconds to hash) are hashed in full only when their
# size or modification time differs from the manifest, and otherwise by a sample of blocks.
FULL_HASH_MAX = 64 * 2**20
GC_FREEZE_MIN_PASSAGES = 100_000  # see _no_cyclic_gc
SAMPLE_BLOCKS = 64
SAMPLE_BLOCK_BYTES = 64 * 2**10


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
    store: Any = None  # search_store.SearchStore: where dense and BM25 searches run (the manifest's store)


def choose_index_type(n: int) -> dict[str, Any]:
    """Index type and parameters from the corpus size (see the constants above); recorded in the manifest."""
    if n <= FLAT_MAX:
        return {"type": "flat_ip", "passages": n}
    return ivf_spec(n)


def ivf_spec(n: int, codes: str = IVF_CODES) -> dict[str, Any]:
    nlist = max(1, int(round(IVF_CELLS_PER_SQRT * np.sqrt(n))))
    nprobe = min(nlist, max(IVF_NPROBE_MIN, int(np.ceil(IVF_NPROBE_SHARE[codes] * nlist))))
    spec = {"type": IVF_TYPES[codes], "passages": n, "nlist": nlist, "nprobe": nprobe,
            "k_factor": IVF_K_FACTOR[codes], "train_points": min(n, IVF_TRAIN_PER_CELL * nlist)}
    if codes == "rabitq":
        spec["query_bits"] = RABITQ_QUERY_BITS
    return spec


def make_dense(vectors: np.ndarray, spec: dict[str, Any]):
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = vectors.shape[1]
    if spec["type"] in IVF_FACTORY_CODES:
        codes = IVF_FACTORY_CODES[spec["type"]]
        index = faiss.index_factory(dim, f"IVF{spec['nlist']},{codes},RFlat", faiss.METRIC_INNER_PRODUCT)
        # The same corpus gives the same sample, and faiss's k-means has a fixed seed: rebuilding
        # an unchanged corpus gives the same cells and so the same answers.
        rng = np.random.default_rng(0)
        take = min(len(vectors), int(spec.get("train_points", len(vectors))))
        index.train(vectors[np.sort(rng.choice(len(vectors), take, replace=False))])
        index.add(vectors)
        _set_search_params(index, spec)
        return index
    if spec["type"] == "hnsw":
        index = faiss.IndexHNSWFlat(dim, spec["M"], faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = spec["ef_construction"]
        index.hnsw.efSearch = spec["ef_search"]
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(vectors)
    return index


def _set_search_params(index, spec: dict[str, Any]) -> None:
    """Search parameters live in the manifest; FAISS files do not all keep them."""
    import faiss

    if not isinstance(spec, dict):
        raise IndexProblem(f"{MANIFEST}: field 'dense_index' is {spec!r}, not an object")
    try:
        if spec.get("type") == "hnsw":
            faiss.downcast_index(index).hnsw.efSearch = int(spec.get("ef_search", HNSW_EF_SEARCH))
        elif spec.get("type") in IVF_FACTORY_CODES:
            ivf = faiss.downcast_index(faiss.extract_index_ivf(index))
            ivf.nprobe = int(spec.get("nprobe", IVF_NPROBE_MIN))
            if spec.get("type") == "ivf_rabitq_refine":
                ivf.qb = int(spec.get("query_bits", RABITQ_QUERY_BITS))
            faiss.downcast_index(index).k_factor = float(spec.get("k_factor", IVF_K_FACTOR["sq8"]))
    except (AttributeError, TypeError, ValueError, RuntimeError) as exc:  # the manifest is hand-editable data
        raise IndexProblem(f"{MANIFEST}: field 'dense_index' does not fit the FAISS file ({exc})") from None


# What this project writes into an index folder, and how it recognises its own build folders: only
# those are ever deleted (an index folder pointed at the wrong place once lost `builds/my-release-1.0/`).
INDEX_MARK = ".assistant-index"  # written into every index folder the project builds in
BUILD_MARK = ".assistant-build.json"  # written first into every build folder, before anything else
_BUILD_NAME = re.compile(r"(\.tmp-)?\d{8}-\d{6}-[0-9a-f]{8}")  # time + random: names write_index makes
INDEX_ENTRIES = frozenset({"CURRENT", "builds", "cache", ".lock", INDEX_MARK,
                           "milvus.db",  # Milvus Lite's folder when store=milvus (milvus_store.DEFAULT_LITE_NAME)
                           "README.md"})  # the layout's own description (the project's index/README.md)


def _ours(build: Path) -> bool:
    """A build folder (or leftover) this project made: it carries the mark, or one of the names it gives."""
    return _BUILD_NAME.fullmatch(build.name) is not None or (build / BUILD_MARK).is_file()


def check_index_folder(index_dir: Path) -> None:
    """Refuse, before anything is written, a folder that is not an index, or one whose parts are the
    wrong kind of file: the message names what is in the way instead of "File exists" mid-build.

    A folder is an index when it carries INDEX_MARK, or holds nothing but what an index holds (an
    index made before the mark existed, or an empty or new folder).
    """
    index_dir = Path(index_dir)
    if not os.path.lexists(index_dir):
        return
    if not index_dir.is_dir():
        raise AssistantError(f"the index folder {index_dir} is a file, not a folder")
    try:
        names = os.listdir(index_dir)
    except OSError as exc:
        raise AssistantError(f"cannot read the index folder {index_dir}: {exc.strerror or exc}") from None
    if INDEX_MARK not in names:
        foreign = sorted(n for n in names if n not in INDEX_ENTRIES and not n.startswith(".CURRENT."))
        if foreign:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            raise AssistantError(f"{index_dir} is not an index folder (it holds {shown}); nothing was changed. "
                                 "Give an empty or new folder, or one `assistant build` made")
    for name, kind in (("builds", "folder"), ("cache", "folder"), ("CURRENT", "file")):
        part = index_dir / name
        if os.path.lexists(part) and not (part.is_dir() if kind == "folder" else part.is_file()):
            what = "the folder of builds" if name == "builds" else \
                "the folder of cached vectors" if name == "cache" else "the file naming the live build"
            raise AssistantError(f"{part} should be {what} but is not a {kind}: move it away "
                                 "(the index is then rebuilt)")


def live_build(index_dir: Path) -> Path | None:
    pointer = Path(index_dir) / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexProblem(f"{pointer}: cannot be read ({exc})") from None
    if not name or "/" in name or "\\" in name or name.startswith(".") or "\0" in name:
        raise IndexProblem(f"{pointer}: does not name a build")
    return Path(index_dir) / "builds" / name


def write_index(index_dir: Path, data: IndexData, store=None) -> Path:
    """Write a complete build next to the live one, then switch CURRENT to it atomically.

    `store`: another search store's writer (milvus_store.MilvusWriter), given the passage vectors
    and words before CURRENT can name this build; None = FAISS, the folder's own files."""
    import bm25s
    import faiss

    index_dir = Path(index_dir)
    if not data.passages:
        raise AssistantError("nothing to index: the corpus has no readable article and no company profile")
    check_index_folder(index_dir)
    builds = index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    (index_dir / INDEX_MARK).write_text("An index folder of the GPU-industry assistant: builds/ and CURRENT "
                                        "are rewritten by `assistant build`.\n", encoding="utf-8")
    name = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:8]
    tmp = builds / f".tmp-{name}"
    final = builds / name
    tmp.mkdir()
    switched = False
    try:
        (tmp / BUILD_MARK).write_text(json.dumps({"made_by": "assistant build", "build": name}), encoding="utf-8")
        spec = choose_index_type(len(data.passages))
        faiss.write_index(make_dense(data.passage_vectors, spec), str(tmp / "dense.faiss"))
        _write_jsonl(tmp / "passages.jsonl", (p.to_json() for p in data.passages))
        np.save(tmp / "sentences.npy", sentence_array(data.sentences))
        np.save(tmp / "sentence_vectors.npy", np.ascontiguousarray(data.sentence_vectors, dtype=np.float32))
        if data.passage_vectors_en is not None and data.sentence_vectors_en is not None:
            faiss.write_index(make_dense(data.passage_vectors_en, spec), str(tmp / EN_FILES[0]))
            np.save(tmp / EN_FILES[1], np.ascontiguousarray(data.sentence_vectors_en, dtype=np.float32))
        (tmp / "documents.json").write_text(json.dumps(data.documents, ensure_ascii=False), encoding="utf-8")
        retriever = bm25s.BM25()
        retriever.index(_nonempty(data.bm25_tokens), show_progress=False)
        retriever.save(str(tmp / "bm25"), show_progress=False)
        store_entry = store.write(name, data, spec) if store is not None else {"type": "faiss"}
        files = {}
        for p in sorted(tmp.rglob("*")):
            if p.is_file() and p.name != BUILD_MARK:
                files[p.relative_to(tmp).as_posix()] = _file_record(p)
        manifest = {
            **data.manifest,
            "format_version": FORMAT_VERSION,
            "dimension": int(data.passage_vectors.shape[1]),
            "passage_count": len(data.passages),
            "sentence_count": len(data.sentences),
            "dense_index": spec,
            "store": store_entry,  # where searches run (search_store.py)
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "files": files,
        }
        _write_json_durably(tmp / MANIFEST, manifest)
        os.rename(tmp, final)
        _fsync_dir(builds)
        pointer_tmp = index_dir / f".CURRENT.{name}"
        pointer_tmp.write_text(name + "\n", encoding="utf-8")
        _fsync_file(pointer_tmp)
        os.replace(pointer_tmp, index_dir / "CURRENT")
        switched = True
        _fsync_dir(index_dir)
    except BaseException:
        # Nothing of a failed build stays behind (a build that never went live is an orphan).
        shutil.rmtree(tmp, ignore_errors=True)
        if not switched:
            shutil.rmtree(final, ignore_errors=True)
            (index_dir / f".CURRENT.{name}").unlink(missing_ok=True)
        raise
    prune_builds(index_dir, keep=name)
    if store is not None:
        store.prune(keep=name)
    return final


def prune_builds(index_dir: Path, keep: str) -> None:
    """Remove old builds and leftovers of killed builds (never the live one), and only folders this
    project made (`_ours`): anything else someone put in builds/ stays."""
    builds = Path(index_dir) / "builds"
    for p in builds.iterdir() if builds.is_dir() else ():
        if p.name != keep and not p.is_symlink() and p.is_dir() and _ours(p):
            shutil.rmtree(p, ignore_errors=True)
    for p in Path(index_dir).glob(".CURRENT.*"):
        if _BUILD_NAME.fullmatch(p.name[len(".CURRENT."):]) and not p.is_dir():
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
    """Raise IndexProblem naming the first way the manifest does not fit the corpus and model.

    The version comes first: a newer program may have changed what every other field means.
    """
    path = build / MANIFEST
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        if not isinstance(version, int) or isinstance(version, bool):
            raise IndexProblem(f"{path}: has no valid format version ({version!r})")
        raise IndexProblem(
            f"{path}: index format version {version} "
            + ("is newer than this program understands (built by a newer version)" if version > FORMAT_VERSION
               else f"is older than the current {FORMAT_VERSION}")
        )
    if manifest.get("model_id") != expect.get("model_id"):
        raise IndexProblem(f"{path}: the index was built for another model ({manifest.get('model_id')!r}, "
                           f"now {expect.get('model_id')!r}): it is stale")
    dim = manifest.get("dimension")
    if not isinstance(dim, int) or isinstance(dim, bool) or dim <= 0:
        raise IndexProblem(f"{path}: field 'dimension' is {dim!r}, not a vector size")
    if expect.get("dimension") is not None and dim != expect["dimension"]:
        raise IndexProblem(f"{path}: vectors of dimension {dim}, the model makes {expect['dimension']}")
    for key in ("passage_count", "sentence_count"):
        n = manifest.get(key)
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise IndexProblem(f"{path}: field '{key}' is {n!r}, not a count")
    if expect.get("store") and (store_kind(manifest), store_uri(manifest)) != (expect["store"], expect.get("milvus_uri", "")):
        raise IndexProblem(f"{path}: searches run on {store_kind(manifest)} {store_uri(manifest)}, the settings ask "
                           f"for {expect['store']} {expect.get('milvus_uri', '')}: it is stale")
    if manifest.get("corpus_fingerprint") != expect.get("corpus_fingerprint"):
        raise IndexProblem(f"{path}: the index was built from another corpus or other settings: it is stale")


def verify_files(build: Path, manifest: dict[str, Any], full_hash_max: int = FULL_HASH_MAX) -> None:
    """Every file the index reads must be listed in the manifest and match its size and checksum.

    Files bigger than `full_hash_max` whose size and modification time are those the manifest
    recorded are checked by a sampled checksum instead of a full one (at a million passages a full
    check reads gigabytes: seconds of every start-up); any file that was touched since the build
    — copied, edited, restored — gets the full check.

    The manifest is what makes the folder trusted input: a file it does not list (or a path that
    leaves the build folder) is never read.
    """
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise IndexProblem(f"{build / MANIFEST}: lists no files")
    unlisted = [f for f in FILES if f not in files]
    if not any(rel.startswith("bm25/") for rel in files):
        unlisted.append("bm25/")
    if unlisted:
        raise IndexProblem(f"{build / MANIFEST}: does not list {', '.join(unlisted)}")
    root = build.resolve()
    for rel, info in files.items():
        p = build / rel
        if not isinstance(rel, str) or not p.resolve().is_relative_to(root) or not isinstance(info, dict):
            raise IndexProblem(f"{build / MANIFEST}: bad file entry {rel!r}")
        if not p.is_file():
            raise IndexProblem(f"{p} is missing")
        stat = p.stat()
        if stat.st_size != info.get("bytes"):
            raise IndexProblem(f"{p} has {stat.st_size} bytes, the manifest says {info.get('bytes')} (truncated or edited)")
        if _unchanged_big_file(p, stat, info, full_hash_max):
            if _sample_sha256(p, stat.st_size) != info.get("sample_sha256"):
                raise IndexProblem(f"{p} does not match its sampled checksum in the manifest (edited or damaged)")
        elif _sha256(p) != info.get("sha256"):
            raise IndexProblem(f"{p} does not match its checksum in the manifest (edited or damaged)")
    bm25_dir = build / "bm25"
    extra = [q for q in bm25_dir.rglob("*") if q.is_file() and q.relative_to(build).as_posix() not in files] \
        if bm25_dir.is_dir() else []
    if extra:
        raise IndexProblem(f"{extra[0]} is not listed in the manifest")


def read_index(build: Path, manifest: dict[str, Any]) -> LoadedIndex:
    import bm25s
    import faiss

    verify_files(build, manifest)
    # Vectors and codes are memory-mapped (MMAP_IFC), not read: loading takes no time at any size
    # and the pages are shared with the OS cache instead of copied. (IO_FLAG_MMAP, faiss's older
    # way of mapping IVF cells, made every search 3.5x slower.)
    try:
        dense = faiss.read_index(str(build / "dense.faiss"), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)
    except Exception:  # not every index type maps; read it into memory instead
        try:
            dense = faiss.read_index(str(build / "dense.faiss"))
        except Exception as exc:
            raise IndexProblem(f"{build / 'dense.faiss'} cannot be read by FAISS ({exc})") from None
    _set_search_params(dense, manifest.get("dense_index", {}))
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
            f"sentence_vectors.npy {vectors.shape[0]})")
    if dense.d != manifest.get("dimension"):
        raise IndexProblem(f"{build / 'dense.faiss'}: dimension {dense.d}, manifest says {manifest.get('dimension')}")
    if len(sentences) != manifest.get("sentence_count") or (len(vectors) and vectors.shape[1] != dense.d):
        raise IndexProblem(f"{build / 'sentence_vectors.npy'}: {vectors.shape} does not fit "
                           f"{manifest.get('sentence_count')} sentences of dimension {dense.d}")
    dense_en, vectors_en = _read_english(build, manifest, dense, vectors)
    loaded = LoadedIndex(build, manifest, passages, sentences, vectors, documents, dense, bm25, dense_en, vectors_en)
    loaded.store = open_search_store(loaded)  # the files above (FAISS), or Milvus when the manifest says so
    return loaded


def _read_english(build: Path, manifest: dict[str, Any], dense, vectors: np.ndarray):
    """The English vectors of a build with translations (both files or neither), checked like the rest."""
    import faiss

    listed = [f for f in EN_FILES if f in manifest.get("files", {})]
    if not listed:
        return None, None
    if len(listed) != len(EN_FILES):
        raise IndexProblem(f"{build / MANIFEST}: lists {listed[0]} without {set(EN_FILES) - set(listed)}")
    try:
        dense_en = faiss.read_index(str(build / EN_FILES[0]), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)
    except Exception:
        try:
            dense_en = faiss.read_index(str(build / EN_FILES[0]))
        except Exception as exc:
            raise IndexProblem(f"{build / EN_FILES[0]} cannot be read by FAISS ({exc})") from None
    _set_search_params(dense_en, manifest.get("dense_index", {}))
    vectors_en = _read_vectors(build / EN_FILES[1])
    if dense_en.ntotal != dense.ntotal or dense_en.d != dense.d or vectors_en.shape != vectors.shape:
        raise IndexProblem(f"{build}: the English vectors do not fit the passages and sentences "
                           f"({EN_FILES[0]} {dense_en.ntotal}×{dense_en.d}, {EN_FILES[1]} {vectors_en.shape})")
    return dense_en, vectors_en


def _nonempty(tokens: list[list[str]]) -> list[list[str]]:
    # bm25s needs at least one token per document to keep document numbers aligned
    return [t if t else ["\u2400"] for t in tokens]


def _write_jsonl(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


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
        if not all(isinstance(getattr(p, k), str) for k in ("passage_id", "doc_id", "text", "section", "kind")):
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


class SentenceTable(Sequence):
    """The index's sentences as five integer columns (sentences.npy); a `Sentence` is made when one
    is asked for.

    A million-passage corpus has about two million sentences: as objects they took seconds to
    load and about a gigabyte; as columns, milliseconds and 80 MB. Reads like a list of Sentence.
    """

    def __init__(self, passages: list[Passage], columns: np.ndarray):
        self.passages = passages
        self.columns = columns  # int64 (n, 5): passage index, start, end, English start, English end

    def __len__(self) -> int:
        return len(self.columns)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self._make(*(int(x) for x in self.columns[i]))

    def __iter__(self):
        for row in self.columns.tolist():
            yield self._make(*row)

    def _make(self, pi: int, start: int, end: int, es: int, ee: int) -> Sentence:
        p = self.passages[pi]
        return Sentence(pi, p.text[start:end], start, end, p.text_en[es:ee], es, ee)

    def by_passage(self):
        """Sentence numbers of each passage, in order: a mapping passage index → list."""
        order = self.columns[:, 0]
        if len(order) and np.all(np.diff(order) >= 0):  # as written: in passage order
            return SentencesOfPassage(order, len(self.passages))
        out: dict[int, list[int]] = {}
        for si, pi in enumerate(order.tolist()):
            out.setdefault(pi, []).append(si)
        return out


class SentencesOfPassage(Mapping):
    """passage index → its sentence numbers, answered from the sorted column (a dict of a million
    lists took two seconds to build at every start)."""

    def __init__(self, order: np.ndarray, n_passages: int):
        bounds = np.searchsorted(order, np.arange(n_passages + 1))
        self.start, self.end = bounds[:-1], bounds[1:]
        self._keys = np.flatnonzero(self.end > self.start)

    def __getitem__(self, pi) -> list[int]:
        if not isinstance(pi, (int, np.integer)) or not 0 <= pi < len(self.start) or self.end[pi] == self.start[pi]:
            raise KeyError(pi)
        return list(range(int(self.start[pi]), int(self.end[pi])))

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self):
        return iter(self._keys.tolist())


def sentences_by_passage(sentences) -> dict[int, list[int]]:
    """Sentence numbers of each passage, for a SentenceTable or a plain list of Sentence."""
    if isinstance(sentences, SentenceTable):
        return sentences.by_passage()
    out: dict[int, list[int]] = {}
    for si, s in enumerate(sentences):
        out.setdefault(s.passage_index, []).append(si)
    return out


SENTENCE_COLUMNS = 5  # passage index, start, end, English start, English end


def sentence_array(sentences) -> np.ndarray:
    """The sentences as sentences.npy holds them: one row each of passage index, start, end, English
    start, English end (offsets into the passage's text and text_en)."""
    if isinstance(sentences, SentenceTable):
        return np.ascontiguousarray(sentences.columns, dtype=np.int64)
    rows = [(s.passage_index, s.start, s.end, s.en_start, s.en_end) for s in sentences]
    return np.array(rows, dtype=np.int64).reshape(len(rows), SENTENCE_COLUMNS)


def _read_sentences(path: Path, passages: list[Passage]) -> SentenceTable:
    """Sentences are stored as offsets into their passage; offsets that do not fit mean the files disagree."""
    try:
        arr = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise IndexProblem(f"{path}: not a .npy array ({exc})") from None
    if arr.ndim != 2 or arr.shape[1] != SENTENCE_COLUMNS or arr.dtype.kind not in "iu":
        raise IndexProblem(f"{path}: expected {SENTENCE_COLUMNS} integer columns, found a {arr.ndim}-d {arr.dtype} "
                           f"array of shape {arr.shape}")
    arr = arr.astype(np.int64, copy=False)
    pi, start, end, es, ee = (arr[:, k] for k in range(SENTENCE_COLUMNS))
    n = len(passages)
    # Each passage's length in text and English, then -1 for a passage index outside them: no span fits that.
    lengths = np.append(np.fromiter((len(p.text) for p in passages), np.int64, n), -1)
    lengths_en = np.append(np.fromiter((len(p.text_en) for p in passages), np.int64, n), -1)
    at = np.where((0 <= pi) & (pi < n), pi, n)
    bad = ~((0 <= start) & (start < end) & (end <= lengths[at]) & (0 <= es) & (es <= ee) & (ee <= lengths_en[at]))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise IndexProblem(f"{path}, row {row + 1}: {arr[row].tolist()} is not a sentence of a passage "
                           "in passages.jsonl")
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


def _file_record(path: Path) -> dict[str, Any]:
    """What the manifest keeps of a file: size and SHA-256, and for big files the modification
    time and a sampled checksum, which let an untouched big file be checked without reading it all."""
    stat = path.stat()
    record: dict[str, Any] = {"bytes": stat.st_size, "sha256": _sha256(path)}
    if stat.st_size > FULL_HASH_MAX:
        record["mtime_ns"] = stat.st_mtime_ns
        record["sample_sha256"] = _sample_sha256(path, stat.st_size)
    return record


def _unchanged_big_file(path: Path, stat: os.stat_result, info: dict[str, Any], full_hash_max: int) -> bool:
    return stat.st_size > full_hash_max and bool(info.get("sample_sha256")) and info.get("mtime_ns") == stat.st_mtime_ns


def _sample_sha256(path: Path, size: int) -> str:
    """SHA-256 of SAMPLE_BLOCKS blocks spread evenly over the file, the first and last included."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        if size <= SAMPLE_BLOCKS * SAMPLE_BLOCK_BYTES:
            h.update(f.read())
            return h.hexdigest()
        step = (size - SAMPLE_BLOCK_BYTES) / (SAMPLE_BLOCKS - 1)
        for i in range(SAMPLE_BLOCKS):
            f.seek(int(i * step))
            h.update(f.read(SAMPLE_BLOCK_BYTES))
    return h.hexdigest()
