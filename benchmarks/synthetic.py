"""Synthetic corpora of any size, made from the built-in corpus so they look and embed like it.

Text: each synthetic article is about one made-up company (two characters of real company names
plus a suffix such as 科技); each passage recombines one to three real sentences, with every real
company name replaced by the article's company and every digit re-drawn. BM25 therefore sees
the real vocabulary with realistic document frequencies, plus a long tail of new names.

Vectors: embedding millions of passages would take days on two cores, so vectors are made
cheaply from real ones: a sentence's vector is the real vector of the sentence it copies plus
noise, and a passage's is a random mix of its sentences' real vectors plus noise, normalised.
Neighbourhoods thus follow the text (a question near a real sentence finds the passages that
reuse it) while every vector is distinct, which is what makes approximate search hard.

The real built-in passages are kept at the front, so the dev questions still have their answers
in a haystack of the given size.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.schema import Passage, Sentence

SUFFIXES = ("科技", "智能", "半导体", "微电子", "算力", "芯", "集成电路", "信息")
PASSAGES_PER_DOC = 10
SENTENCE_NOISE = (
    0.10  # norm of the noise added to a unit vector (see the README: it sets how crowded the space is)
)
PASSAGE_NOISE = 0.10


@dataclass
class Source:
    """What the generator recombines: the built-in index's article sentences and their vectors."""

    passages: list[Passage]  # the real passages (articles and profiles), kept as they are
    passage_vectors: np.ndarray
    sentences: list[Sentence]
    sentence_vectors: np.ndarray
    names: list[str]  # real company names, longest first (replaced in copied text)
    sections: list[str]


def load_source(bot) -> Source:
    idx = bot.index
    n = idx.dense.ntotal
    pvecs = np.vstack([idx.dense.reconstruct(i) for i in range(n)]).astype(np.float32)
    names = sorted({nm for p in bot.profiles for nm in p.names if len(nm) >= 2}, key=len, reverse=True)
    sections = sorted({p.section for p in idx.passages if p.kind == "body" and p.section})
    return Source(
        list(idx.passages), pvecs, list(idx.sentences), np.asarray(idx.sentence_vectors), names, sections
    )


@dataclass
class Synthetic:
    passages: list[Passage]
    passage_vectors: np.ndarray
    sentences: list[Sentence]
    sentence_vectors: np.ndarray
    doc_texts: dict[str, str]  # doc id -> the article text (written as corpus files)


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def make(source: Source, n_passages: int, seed: int = 0) -> Synthetic:
    """`n_passages` passages in all: the real ones first, then synthetic ones up to that count."""
    rng = np.random.default_rng(seed)
    real_article = [
        s
        for s in range(len(source.sentences))
        if source.passages[source.sentences[s].passage_index].kind == "body"
        and len(source.sentences[s].text) >= 8
    ]
    name_re = re.compile("|".join(re.escape(n) for n in source.names)) if source.names else None
    chars = sorted({ch for n in source.names for ch in n if "\u4e00" <= ch <= "\u9fff"})
    dim = source.passage_vectors.shape[1]

    passages = list(source.passages)
    sentences = list(source.sentences)
    pvecs = [source.passage_vectors]
    svecs = [np.asarray(source.sentence_vectors, dtype=np.float32)]
    docs: dict[str, str] = {}

    todo = max(0, n_passages - len(passages))
    n_docs = (todo + PASSAGES_PER_DOC - 1) // PASSAGES_PER_DOC
    batch_p: list[np.ndarray] = []
    batch_s: list[np.ndarray] = []
    made = 0
    for d in range(n_docs):
        doc_id = f"syn/{d:07d}"
        company = "".join(rng.choice(chars, 2)) + SUFFIXES[int(rng.integers(len(SUFFIXES)))]
        title = f"{company}的技术路线与商业进展"
        published = (
            f"20{int(rng.integers(18, 26))}-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}"
        )
        parts: list[str] = []
        offset = 0
        for j in range(min(PASSAGES_PER_DOC, todo - made)):
            picks = rng.choice(real_article, int(rng.integers(1, 4)), replace=False)
            texts = [_rewrite(source.sentences[s].text, company, name_re, rng) for s in picks]
            text = "".join(texts)
            section = _rewrite(
                source.sections[int(rng.integers(len(source.sections)))], company, name_re, rng
            )
            pi = len(passages)
            passages.append(
                Passage(
                    f"{doc_id}#p{j + 1}",
                    doc_id,
                    title,
                    section,
                    text,
                    offset,
                    offset + len(text),
                    published,
                    "body",
                    (),
                )
            )
            pos = 0
            for _, t in zip(picks, texts):
                sentences.append(Sentence(pi, t, pos, pos + len(t)))
                pos += len(t)
            real = source.sentence_vectors[picks].astype(np.float32)
            w = rng.dirichlet(np.ones(len(picks)))
            batch_p.append(w @ real)
            batch_s.append(real)
            parts.append(text)
            offset += len(text) + 2
            made += 1
        docs[doc_id] = title + "\n\n" + "\n\n".join(parts) + "\n"
        if len(batch_p) >= 50_000 or d == n_docs - 1:
            p = np.vstack(batch_p)
            pvecs.append(
                _unit(
                    _unit(p) + rng.standard_normal(p.shape, dtype=np.float32) * PASSAGE_NOISE / np.sqrt(dim)
                )
            )
            s = np.vstack(batch_s)
            svecs.append(
                _unit(s + rng.standard_normal(s.shape, dtype=np.float32) * SENTENCE_NOISE / np.sqrt(dim))
            )
            batch_p, batch_s = [], []
    # the real passages are articles first, then profiles; profiles must stay after every article
    # passage (the retriever treats the first profile as the end of the articles), so move them last
    order = [i for i, p in enumerate(passages) if p.kind != "profile"] + [
        i for i, p in enumerate(passages) if p.kind == "profile"
    ]
    pv = np.vstack(pvecs)
    sv = np.vstack(svecs)
    if order != list(range(len(passages))):
        new_of = {old: new for new, old in enumerate(order)}
        passages = [passages[i] for i in order]
        pv = pv[order]
        sentences = [Sentence(new_of[s.passage_index], s.text, s.start, s.end) for s in sentences]
        sorder = sorted(range(len(sentences)), key=lambda k: (sentences[k].passage_index, k))
        sentences = [sentences[k] for k in sorder]
        sv = sv[sorder]
    return Synthetic(passages, pv, sentences, sv, docs)


def _rewrite(text: str, company: str, name_re, rng) -> str:
    if name_re is not None:
        text = name_re.sub(company, text)
    return re.sub(r"\d", lambda m: str(int(rng.integers(10))), text)


def write_corpus(real_corpus: Path, dest: Path, docs: dict[str, str]) -> None:
    """The corpus folder the synthetic index claims to be built from (so `Assistant.load` accepts it):
    the real corpus plus one file per synthetic article."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(real_corpus, dest)
    out = dest / "articles" / "syn"
    out.mkdir(parents=True)
    for doc_id, text in docs.items():
        (out / f"{doc_id.split('/')[-1]}.txt").write_text(text, encoding="utf-8")


def perturbed_queries(vectors: np.ndarray, n: int, seed: int = 1) -> np.ndarray:
    """`n` query vectors: the given real question vectors, then noisy copies of them."""
    rng = np.random.default_rng(seed)
    reps = [vectors]
    while sum(len(r) for r in reps) < n:
        reps.append(
            _unit(
                vectors
                + rng.standard_normal(vectors.shape, dtype=np.float32) * 0.15 / np.sqrt(vectors.shape[1])
            )
        )
    return np.vstack(reps)[:n].astype(np.float32)
