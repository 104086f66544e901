"""A build's vectors: every passage and sentence embedded (with its section heading), and their
English renderings when the corpus has translations, in one run through the cache.

Apart from build.py, which decides what is indexed: this is how the texts become vectors, with the
progress bar or callback and, when `dask` is set, a Dask cluster.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..schema import Passage
from ..settings import Settings
from .embedding.model import Embedder


def embedding_text(p: Passage) -> str:
    """Body passages are embedded with their section heading, which often names the company ('其营收…')."""
    if p.kind == "body" and p.section:
        return f"{p.section}\n{p.text}"
    return p.text


def embedding_text_en(p: Passage) -> str:
    """The English of a passage, embedded like its original (with its section heading)."""
    if not p.text_en:
        return ""
    if p.kind == "body" and p.section_en:
        return f"{p.section_en}\n{p.text_en}"
    return p.text_en


@dataclass
class BuildVectors:
    """A build's vectors: passages and sentences, and their English renderings when the corpus has any."""

    passages: np.ndarray
    sentences: np.ndarray
    passages_en: np.ndarray | None = None
    sentences_en: np.ndarray | None = None


def embed_build(
    embedder: Embedder,
    settings: Settings,
    passages: list[Passage],
    sentences,
    english: bool,
    progress: bool | Callable[[int, int], None],
    log: Callable[[str], None],
) -> BuildVectors:
    """The vectors of every passage and sentence, and of their English when the corpus has translations,
    embedded in one run (the cache answers for texts seen before)."""
    texts = [embedding_text(p) for p in passages]
    sentence_texts = [
        f"{passages[s.passage_index].section}\n{s.text}"
        if passages[s.passage_index].kind == "body"
        else s.text
        for s in sentences
    ]
    texts_en = [embedding_text_en(p) for p in passages] if english else []
    sentence_texts_en = (
        [
            (
                f"{passages[s.passage_index].section_en}\n{s.text_en}"
                if passages[s.passage_index].kind == "body" and passages[s.passage_index].section_en
                else s.text_en
            )
            if s.text_en
            else ""
            for s in sentences
        ]
        if english
        else []
    )
    todo_en = [t for t in texts_en + sentence_texts_en if t]
    with _distributed(embedder, settings, log):  # `dask` set: new texts are embedded on a Dask cluster
        vectors = _embed(embedder, texts + sentence_texts + todo_en, progress)
    passage_vectors, sentence_vectors = (
        vectors[: len(texts)],
        vectors[len(texts) : len(texts) + len(sentence_texts)],
    )
    passage_vectors_en = sentence_vectors_en = None
    if english:
        en_vectors = iter(vectors[len(texts) + len(sentence_texts) :])
        dim = vectors.shape[1]
        zero = np.zeros(dim, dtype=np.float32)  # no English: scores 0 against any question
        rows = [next(en_vectors) if t else zero for t in texts_en + sentence_texts_en]
        passage_vectors_en = np.vstack(rows[: len(texts_en)]).astype(np.float32)
        sentence_vectors_en = (
            np.vstack(rows[len(texts_en) :]).astype(np.float32)
            if sentences
            else np.zeros((0, dim), np.float32)
        )
    return BuildVectors(passage_vectors, sentence_vectors, passage_vectors_en, sentence_vectors_en)


def _distributed(embedder, settings: Settings, log: Callable[[str], None]):
    """Dask for the build's embedding when `dask` is set (dask_build.py imports `distributed`)."""
    if not getattr(settings, "dask", ""):
        return contextlib.nullcontext()
    from .dask_build import distributed_embedding

    return distributed_embedding(embedder, settings.dask, log)


def _embed(embedder: Embedder, texts: list[str], progress: bool | Callable[[int, int], None]) -> np.ndarray:
    """Vectors for `texts` (the cache answers for those seen before); `progress` True draws a bar on
    the terminal, a function is told (texts done, texts in all) as they are done (the web app's bar)."""
    if callable(progress):
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            progress(done, len(texts))

        progress(0, len(texts))
        return embedder.passages(texts, progress=step)
    if not progress:
        return embedder.passages(texts)
    from tqdm import tqdm

    with tqdm(total=len(texts), desc="embedding", unit="text") as bar:
        return embedder.passages(texts, progress=bar.update)
