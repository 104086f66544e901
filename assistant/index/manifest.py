"""A build's manifest: reading it, checking it against the corpus, model and store asked for, and
checking every file it lists by size and checksum (sampled for big files untouched since the build).

The manifest is what makes a build folder trusted input: a file it does not list is never read.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .layout import FILES, FORMAT_VERSION, MANIFEST, IndexProblem
from .stores.base import store_kind, store_uri

# Files up to this size are checked against their full SHA-256 at every load; bigger ones (vectors
# and passages of a large corpus: gigabytes, seconds to hash) are hashed in full only when their
# size or modification time differs from the manifest, and otherwise by a sample of blocks.
FULL_HASH_MAX = 64 * 2**20
SAMPLE_BLOCKS = 64
SAMPLE_BLOCK_BYTES = 64 * 2**10


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
            + (
                "is newer than this program understands (built by a newer version)"
                if version > FORMAT_VERSION
                else f"is older than the current {FORMAT_VERSION}"
            )
        )
    if manifest.get("model_id") != expect.get("model_id"):
        raise IndexProblem(
            f"{path}: the index was built for another model ({manifest.get('model_id')!r}, "
            f"now {expect.get('model_id')!r}): it is stale"
        )
    dim = manifest.get("dimension")
    if not isinstance(dim, int) or isinstance(dim, bool) or dim <= 0:
        raise IndexProblem(f"{path}: field 'dimension' is {dim!r}, not a vector size")
    if expect.get("dimension") is not None and dim != expect["dimension"]:
        raise IndexProblem(f"{path}: vectors of dimension {dim}, the model makes {expect['dimension']}")
    for key in ("passage_count", "sentence_count"):
        n = manifest.get(key)
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise IndexProblem(f"{path}: field '{key}' is {n!r}, not a count")
    _check_store(manifest, path, build.parent.parent, expect)
    if manifest.get("corpus_fingerprint") != expect.get("corpus_fingerprint"):
        raise IndexProblem(f"{path}: the index was built from another corpus or other settings: it is stale")


def _check_store(manifest: dict[str, Any], path: Path, index_dir: Path, expect: dict[str, Any]) -> None:
    """The store the settings ask for, and a Milvus Lite folder that still exists (one built at a
    deleted temporary path was "already up to date": issue 20)."""
    kind, uri = store_kind(manifest), store_uri(manifest, index_dir)
    if expect.get("store") and (kind, uri) != (expect["store"], expect.get("milvus_uri", "")):
        raise IndexProblem(
            f"{path}: searches run on {kind} {uri}, the settings ask "
            f"for {expect['store']} {expect.get('milvus_uri', '')}: it is stale"
        )
    if kind == "milvus" and (manifest.get("store") or {}).get("lite") and not Path(uri).is_dir():
        raise IndexProblem(f"{path}: its Milvus Lite folder {uri} is gone: it is stale")


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
            raise IndexProblem(
                f"{p} has {stat.st_size} bytes, the manifest says {info.get('bytes')} (truncated or edited)"
            )
        if _unchanged_big_file(p, stat, info, full_hash_max):
            if _sample_sha256(p, stat.st_size) != info.get("sample_sha256"):
                raise IndexProblem(
                    f"{p} does not match its sampled checksum in the manifest (edited or damaged)"
                )
        elif _sha256(p) != info.get("sha256"):
            raise IndexProblem(f"{p} does not match its checksum in the manifest (edited or damaged)")
    bm25_dir = build / "bm25"
    extra = (
        [q for q in bm25_dir.rglob("*") if q.is_file() and q.relative_to(build).as_posix() not in files]
        if bm25_dir.is_dir()
        else []
    )
    if extra:
        raise IndexProblem(f"{extra[0]} is not listed in the manifest")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_record(path: Path) -> dict[str, Any]:
    """What the manifest keeps of a file: size and SHA-256, and for big files the modification
    time and a sampled checksum, which let an untouched big file be checked without reading it all."""
    stat = path.stat()
    record: dict[str, Any] = {"bytes": stat.st_size, "sha256": _sha256(path)}
    if stat.st_size > FULL_HASH_MAX:
        record["mtime_ns"] = stat.st_mtime_ns
        record["sample_sha256"] = _sample_sha256(path, stat.st_size)
    return record


def _unchanged_big_file(path: Path, stat: os.stat_result, info: dict[str, Any], full_hash_max: int) -> bool:
    return (
        stat.st_size > full_hash_max
        and bool(info.get("sample_sha256"))
        and info.get("mtime_ns") == stat.st_mtime_ns
    )


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
