"""The live build's compiled copy of the curated tables (`tables.json`, corpus/curated.py): read only
when the manifest lists it and its size and SHA-256 are the manifest's, like every file of a build.

Whatever is wrong with it — no live build, a build from before the copy existed, a damaged or edited
file, JSON this code did not write — means no copy: the tables are read from the YAML, as without one.
"""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path
from typing import Any

from ..corpus.curated import TABLES_FILE, usable_entries
from .folders import live_build
from .layout import IndexProblem
from .manifest import read_manifest


def compiled_tables(index_dir: Path) -> dict[str, Any]:
    """The entries of the live build's `tables.json` (by the file's path in the corpus), or {}."""
    try:
        build = live_build(index_dir)
        if build is None:
            return {}
        files = read_manifest(build).get("files")
        info = files.get(TABLES_FILE) if isinstance(files, dict) else None
        if not isinstance(info, dict):
            return {}
        raw = _listed_bytes(build / TABLES_FILE, info.get("bytes"))
        if raw is None or hashlib.sha256(raw).hexdigest() != info.get("sha256"):
            return {}
        return usable_entries(json.loads(raw))
    except (IndexProblem, OSError, ValueError, RecursionError):  # ValueError: JSON or UTF-8
        return {}


def _listed_bytes(path: Path, size: Any) -> bytes | None:
    """The file's bytes when it is a regular file (not a link) of the size the manifest gives."""
    st = path.lstat()
    if not isinstance(size, int) or not stat.S_ISREG(st.st_mode) or st.st_size != size:
        return None
    with open(path, "rb") as f:
        return f.read(size + 1)  # it may have grown since: the checksum then differs
