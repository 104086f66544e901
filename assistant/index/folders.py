"""Build folders under the index folder: refusing a folder that is not an index, finding the live
build, writing a build next to it and switching CURRENT atomically, and pruning old builds."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import uuid
from pathlib import Path

import numpy as np

from ..corpus.curated import TABLES_FILE
from ..errors import AssistantError
from .dense import choose_index_type, make_dense
from .durable import fsync_dir, fsync_file, write_json_durably
from .layout import EN_FILES, FORMAT_VERSION, MANIFEST, IndexData, IndexProblem
from .manifest import file_record
from .sentence_table import sentence_array

# What this project writes into an index folder, and how it recognises its own build folders: only
# those are ever deleted (an index folder pointed at the wrong place once lost `builds/my-release-1.0/`).
INDEX_MARK = ".assistant-index"  # written into every index folder the project builds in
BUILD_MARK = ".assistant-build.json"  # written first into every build folder, before anything else
_BUILD_NAME = re.compile(r"(\.tmp-)?\d{8}-\d{6}-[0-9a-f]{8}")  # time + random: names write_index makes
INDEX_ENTRIES = frozenset(
    {
        "CURRENT",
        "builds",
        "cache",
        ".lock",
        INDEX_MARK,
        "milvus.db",  # Milvus Lite's folder when store=milvus (stores/milvus.py)
        "README.md",
        "feedback.jsonl",  # readers' verdicts on answers (assistant/feedback.py)
    }
)  # the layout's own description (the project's index/README.md)


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
            raise AssistantError(
                f"{index_dir} is not an index folder (it holds {shown}); nothing was changed. "
                "Give an empty or new folder, or one `assistant build` made"
            )
    for name, kind in (("builds", "folder"), ("cache", "folder"), ("CURRENT", "file")):
        part = index_dir / name
        if os.path.lexists(part) and not (part.is_dir() if kind == "folder" else part.is_file()):
            what = (
                "the folder of builds"
                if name == "builds"
                else "the folder of cached vectors"
                if name == "cache"
                else "the file naming the live build"
            )
            raise AssistantError(
                f"{part} should be {what} but is not a {kind}: move it away (the index is then rebuilt)"
            )


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

    `store`: another search store's writer (stores.milvus.MilvusWriter), given the passage vectors
    and words before CURRENT can name this build; None = FAISS, the folder's own files."""
    import bm25s
    import faiss

    index_dir = Path(index_dir)
    if not data.passages:
        raise AssistantError("nothing to index: the corpus has no readable article and no company profile")
    check_index_folder(index_dir)
    builds = index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    (index_dir / INDEX_MARK).write_text(
        "An index folder of the GPU-industry assistant: builds/ and CURRENT "
        "are rewritten by `assistant build`.\n",
        encoding="utf-8",
    )
    name = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:8]
    tmp = builds / f".tmp-{name}"
    final = builds / name
    tmp.mkdir()
    switched = False
    try:
        (tmp / BUILD_MARK).write_text(
            json.dumps({"made_by": "assistant build", "build": name}), encoding="utf-8"
        )
        spec = choose_index_type(len(data.passages))
        faiss.write_index(make_dense(data.passage_vectors, spec), str(tmp / "dense.faiss"))
        _write_jsonl(tmp / "passages.jsonl", (p.to_json() for p in data.passages))
        np.save(tmp / "sentences.npy", sentence_array(data.sentences))
        np.save(tmp / "sentence_vectors.npy", np.ascontiguousarray(data.sentence_vectors, dtype=np.float32))
        if data.passage_vectors_en is not None and data.sentence_vectors_en is not None:
            faiss.write_index(make_dense(data.passage_vectors_en, spec), str(tmp / EN_FILES[0]))
            np.save(tmp / EN_FILES[1], np.ascontiguousarray(data.sentence_vectors_en, dtype=np.float32))
        (tmp / "documents.json").write_text(json.dumps(data.documents, ensure_ascii=False), encoding="utf-8")
        if data.tables is not None:  # the curated tables as validated (corpus/curated.py)
            (tmp / TABLES_FILE).write_text(json.dumps(data.tables, ensure_ascii=False), encoding="utf-8")
        retriever = bm25s.BM25()
        retriever.index(_nonempty(data.bm25_tokens), show_progress=False)
        retriever.save(str(tmp / "bm25"), show_progress=False)
        store_entry = store.write(name, data, spec) if store is not None else {"type": "faiss"}
        files = {}
        for p in sorted(tmp.rglob("*")):
            if p.is_file() and p.name != BUILD_MARK:
                files[p.relative_to(tmp).as_posix()] = file_record(p)
        manifest = {
            **data.manifest,
            "format_version": FORMAT_VERSION,
            "dimension": int(data.passage_vectors.shape[1]),
            "passage_count": len(data.passages),
            "sentence_count": len(data.sentences),
            "dense_index": spec,
            "store": store_entry,  # where searches run (stores/)
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "files": files,
        }
        write_json_durably(tmp / MANIFEST, manifest)
        os.rename(tmp, final)
        fsync_dir(builds)
        pointer_tmp = index_dir / f".CURRENT.{name}"
        pointer_tmp.write_text(name + "\n", encoding="utf-8")
        fsync_file(pointer_tmp)
        os.replace(pointer_tmp, index_dir / "CURRENT")
        switched = True
        fsync_dir(index_dir)
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
        if _BUILD_NAME.fullmatch(p.name[len(".CURRENT.") :]) and not p.is_dir():
            p.unlink(missing_ok=True)


def _nonempty(tokens: list[list[str]]) -> list[list[str]]:
    # bm25s needs at least one token per document to keep document numbers aligned
    return [t if t else ["\u2400"] for t in tokens]


def _write_jsonl(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
