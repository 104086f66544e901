"""Opening the live build of an index folder: what reading it found wrong is a reason to rebuild."""

from __future__ import annotations

from pathlib import Path

from .folders import live_build
from .layout import IndexProblem, LoadedIndex
from .manifest import check_manifest, read_manifest
from .records import read_index


def open_live_index(index_dir: Path, expect: dict) -> tuple[LoadedIndex | None, str]:
    """The live index, or None and why not. The index folder is data from disk: whatever is wrong
    with it is a reason to rebuild, never a crash."""
    build_dir = None
    try:
        build_dir = live_build(index_dir)
        if build_dir is None:
            return None, f"no index in {index_dir} yet"
        manifest = read_manifest(build_dir)
        check_manifest(manifest, build_dir, expect)
        return read_index(build_dir, manifest), ""
    except IndexProblem as exc:
        return None, str(exc)
    # What reading a damaged file raises (the readers turn the rest into IndexProblem); any other
    # exception is a bug in this program and must show, not pass for "rebuilding the index".
    except (OSError, ValueError) as exc:
        return None, f"{build_dir or index_dir}: cannot be read ({type(exc).__name__}: {exc})"
