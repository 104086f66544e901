"""Which search store a build writes to and a loaded index searches: from the settings, or the
live index's manifest when the settings leave it open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...errors import AssistantError
from ...settings import STORES
from ..folders import live_build
from ..layout import IndexProblem
from ..manifest import read_manifest
from .base import SearchStore, StoreChoice, store_kind, store_uri
from .faiss import FaissStore

# The Milvus modules are imported where Milvus is chosen: a question on a FAISS index (the default)
# need not load them (issue 20's shell ask).


def requested_store(settings: Any) -> StoreChoice | None:
    """What the settings ask for, or None when they leave it to the live index (`store` empty and
    no `milvus_uri`): `assistant build --store milvus` then a plain `assistant ask` uses Milvus
    instead of rebuilding for FAISS."""
    kind = (getattr(settings, "store", "") or "").strip().lower()
    uri = (getattr(settings, "milvus_uri", "") or "").strip()
    if not kind:
        if not uri:
            return None
        kind = "milvus"  # an address alone says where searches should run
    if kind not in STORES:
        raise AssistantError(
            f"store={settings.store!r} is not a search store: use one of {', '.join(STORES)}"
        )
    if kind == "faiss":
        return StoreChoice("faiss")
    from .milvus_connection import resolve_uri

    return StoreChoice("milvus", resolve_uri(uri, Path(settings.index_dir)))


def store_expectation(settings: Any) -> dict[str, str]:
    """What check_manifest compares (nothing when the settings leave the store to the live index)."""
    choice = requested_store(settings)
    return {} if choice is None else {"store": choice.kind, "milvus_uri": choice.uri}


def live_store(index_dir: Path) -> StoreChoice:
    """The live index's store (FAISS when there is none or it cannot be read): an index rebuilt
    after a corpus change stays where it was."""
    try:
        build = live_build(index_dir)
        manifest = read_manifest(build) if build is not None else {}
    except (IndexProblem, OSError):
        return StoreChoice("faiss")
    uri = store_uri(manifest, index_dir)
    return StoreChoice("milvus", uri) if store_kind(manifest) == "milvus" and uri else StoreChoice("faiss")


def store_writer(settings: Any):
    """The writer `write_index` hands the passage vectors to besides the FAISS files: None for FAISS."""
    choice = requested_store(settings) or live_store(Path(settings.index_dir))
    if choice.kind != "milvus":
        return None
    from .milvus_writer import MilvusWriter

    return MilvusWriter(choice.uri, Path(settings.index_dir))


def open_search_store(index: Any) -> SearchStore:
    """The store a loaded index's manifest names (records.read_index calls this last)."""
    if store_kind(index.manifest) == "milvus":
        from .milvus import MilvusStore

        record = {**index.manifest["store"], "uri": store_uri(index.manifest, Path(index.path).parent.parent)}
        return MilvusStore.open(record, int(index.manifest.get("passage_count") or 0))
    return FaissStore(index)
