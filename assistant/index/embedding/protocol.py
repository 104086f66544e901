"""What the rest of the program needs from an embedder: the interface `Assistant` and `build` use.

`model.Embedder` (the real model with its cache and worker processes) is the one the program
makes; the fast tests pass a deterministic fake (tests/fakes.py) through `Assistant.load(embedder=…)`,
so everything after the vectors — building, fusion, sentence choice, ranking — runs in milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class TextEmbedder(Protocol):
    model_id: str  # names the model and its weights: recorded in the manifest, part of the corpus fingerprint
    embedded_count: int  # texts run through the model so far (the build reports how many were new)

    def query(self, text: str) -> np.ndarray:
        """The question's vector: float32, L2-normalised, shape (dim,)."""
        ...

    def passages(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Passage vectors: float32, L2-normalised, shape (len(texts), dim); `progress` gets counts done."""
        ...
